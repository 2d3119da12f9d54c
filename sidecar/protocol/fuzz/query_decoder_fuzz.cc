// Fuzz target: the query protocol's request side. The input is a URL query, a
// newline, and a form body (no newline: all body). Both are parsed, merged both
// ways (parse_form into one FormParams, merge_form of two), and the result is
// decoded against every operation of every service model (SLUICE_MODEL_PATHS). Checks, beyond not crashing:
// the two ways of merging agree, a successful parse keeps every parameter, and
// decoding gives an object or an InvalidParameterValue error.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sidecar/protocol/query_codec.h"

namespace {

using sluice::protocol::AwsError;
using sluice::protocol::FormParams;
using sluice::protocol::ServiceModel;

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "query_decoder: " << what << "\n";
  std::abort();
}

// The models of the query-protocol services, read once.
const std::vector<std::unique_ptr<ServiceModel>>& models() {
  static const std::vector<std::unique_ptr<ServiceModel>> all = [] {
    std::vector<std::unique_ptr<ServiceModel>> out;
    std::string_view paths = SLUICE_MODEL_PATHS;
    while (!paths.empty()) {
      const size_t bar = paths.find('|');
      std::ifstream in(std::string(paths.substr(0, bar)), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      auto model = ServiceModel::parse(text.str());
      check(model != nullptr, "a service model does not parse");
      if (model->speaks(sluice::protocol::Protocol::query)) out.push_back(std::move(model));
      paths = bar == std::string_view::npos ? std::string_view() : paths.substr(bar + 1);
    }
    check(!out.empty(), "no query-protocol service model");
    return out;
  }();
  return all;
}

bool is_error(const std::optional<AwsError>& e) {
  if (!e) return false;
  check(e->code == "InvalidParameterValue" && e->status == 400 && e->sender, "an unexpected kind of error");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view query = newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? input : input.substr(newline + 1);

  check(sluice::protocol::url_decode(body).size() <= body.size(), "url_decode made its input longer");

  FormParams from_query, from_body;
  const bool query_bad = is_error(sluice::protocol::parse_form(query, from_query));
  const bool body_bad = is_error(sluice::protocol::parse_form(body, from_body));

  // The caller's way: the query, then the body, into one FormParams.
  FormParams params;
  bool bad = is_error(sluice::protocol::parse_form(query, params));
  check(bad == query_bad, "parse_form into an empty FormParams depends on more than the text");
  if (!bad) bad = is_error(sluice::protocol::parse_form(body, params));
  if (!query_bad && !body_bad) {
    FormParams merged = from_query;
    const bool merge_bad = is_error(sluice::protocol::merge_form(merged, FormParams(from_body)));
    check(merge_bad == bad, "merge_form and parsing into one FormParams disagree");
    if (!bad) {
      check(merged == params, "merge_form and parsing into one FormParams give different parameters");
      check(params.size() == from_query.size() + from_body.size(), "a parameter was lost in merging");
    }
  }
  if (bad) return 0;

  for (const auto& model : models()) {
    for (const auto& [name, op] : model->operations()) {
      if (!op.input) continue;
      nlohmann::json out;
      if (!is_error(sluice::protocol::decode_query(*op.input, params, out)))
        check(out.is_object(), "decode_query gave something other than an object");
    }
  }
  return 0;
}
