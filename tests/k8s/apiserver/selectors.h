#pragma once
// Label and field selectors as list and watch requests carry them.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

// key, !key, key=v, key==v, key!=v, key in (a,b), key notin (a,b), key>n, key<n.
class LabelSelector {
 public:
  static Result<LabelSelector, std::string> parse(std::string_view text);
  bool matches(const Json& labels) const;  // labels: object or null
  bool empty() const { return reqs_.empty(); }

 private:
  struct Requirement {
    enum Op { Exists, NotExists, In, NotIn, Gt, Lt } op;
    std::string key;
    std::vector<std::string> values;
  };
  std::vector<Requirement> reqs_;
};

// field=v, field==v, field!=v, comma separated. metadata.name and metadata.namespace
// always; other labels only when `allowed` names them (Kubernetes answers 400 for the rest).
class FieldSelector {
 public:
  static Result<FieldSelector, std::string> parse(std::string_view text, const std::vector<std::string>& allowed);
  bool matches(const Json& object) const;

 private:
  struct Requirement {
    std::string field;
    std::string value;
    bool negate = false;
  };
  std::vector<Requirement> reqs_;
};

// Renders a LabelSelector struct ({matchLabels, matchExpressions}) in string form, as
// autoscaling/v1 Scale status.selector carries it.
std::string label_selector_string(const Json& selector);

}  // namespace sluice::test_apiserver
