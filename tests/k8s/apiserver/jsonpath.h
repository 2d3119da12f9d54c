#pragma once
// The JSONPath subset printer columns and scale paths use: `.a.b`, `.a\.b` (escaped
// dot), `['a.b']`, `[0]`, `[*]`, `[?(@.type=="Ready")]` (== or != against a string,
// number or boolean), optionally wrapped in `{...}`. Anything else fails to parse, so
// a CRD using it is refused at registration instead of printing nothing.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

class JsonPath {
 public:
  static Result<JsonPath, std::string> parse(std::string_view text);

  // Every match, in document order.
  std::vector<const Json*> find(const Json& root) const;
  const Json* first(const Json& root) const;

  // True when the path is only field steps (".spec.replicas"), as scale paths must be.
  bool simple() const;
  // Field names of a simple path.
  std::vector<std::string> fields() const;

 private:
  struct Step {
    enum Kind { Field, Index, Wildcard, Filter } kind = Field;
    std::string name;
    long index = 0;
    std::vector<std::string> filter_path;  // relative to @
    bool filter_not_equal = false;
    Json filter_value;
  };
  std::vector<Step> steps_;
};

// Sets `value` at a simple field path, creating objects on the way.
void set_fields(Json& root, const std::vector<std::string>& fields, Json value);

}  // namespace sluice::test_apiserver
