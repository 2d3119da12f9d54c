// Fuzz target: the JSON 1.0 request reader against nlohmann, and the response
// writer. Whatever read_json accepts, nlohmann accepts with the same value and
// number types; whatever nlohmann accepts, read_json accepts too, but for the two
// documented differences (a NUL byte, nesting deeper than 512). An accepted value
// written by write_json is nlohmann's dump and reads back as nlohmann's own round
// trip. The input as one string is written as nlohmann writes it (malformed UTF-8
// replaced the same way) and reads back, as itself when it is valid UTF-8.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "runtime/common/text.h"
#include "sidecar/protocol/json_reader.h"
#include "sidecar/protocol/json_writer.h"

namespace {

using json = nlohmann::json;

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "json_reader: " << what << "\n";
  std::abort();
}

std::string nlohmann_dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

int depth_of(const json& v) {
  int deepest = 0;
  if (v.is_structured())
    for (const auto& item : v) deepest = std::max(deepest, depth_of(item));
  return v.is_structured() ? deepest + 1 : 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto mine = sluice::protocol::read_json(text);
  const json reference = json::parse(text, nullptr, false);
  if (mine) {
    check(!reference.is_discarded(), "read_json accepted what nlohmann refuses");
    check(*mine == reference, "read_json and nlohmann read different values");
    check(mine->dump() == reference.dump(), "read_json and nlohmann chose different number types");

    const std::string written = sluice::protocol::to_json_text(*mine);
    check(written == nlohmann_dump(*mine), "write_json differs from nlohmann's dump");
    const auto back = sluice::protocol::read_json(written);
    check(back.has_value(), "read_json refused what write_json wrote");
    // nlohmann writes an infinity (1e999) as null: compare with its own round trip.
    check(*back == json::parse(reference.dump()), "a value did not survive write_json and read_json");
  } else if (!reference.is_discarded() && text.find('\0') == std::string_view::npos) {
    check(depth_of(reference) > 512, "read_json refused what nlohmann accepts");
  }

  const json as_string = std::string(text);
  const std::string written = sluice::protocol::to_json_text(as_string);
  check(written == nlohmann_dump(as_string), "write_json wrote a string differently from nlohmann");
  const auto back = sluice::protocol::read_json(written);
  check(back && back->is_string(), "read_json refused a string write_json wrote");
  if (sluice::is_valid_utf8(text)) check(*back == as_string, "a string did not survive write_json and read_json");
  else check(sluice::is_valid_utf8(back->get_ref<const std::string&>()), "write_json left malformed UTF-8 in a string");
  return 0;
}
