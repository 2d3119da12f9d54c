// Fuzz target: the CBOR request reader and the reply writer. Any input is read
// or refused without a crash (nesting is bounded before nlohmann's recursive
// reader sees it); whatever is read is a JSON document (no binary values, UTF-8
// text) that write_cbor writes and read_cbor reads back as itself.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "sidecar/protocol/cbor_codec.h"

namespace {

bool binary_free(const nlohmann::json& v) {
  if (v.is_binary()) return false;
  if (v.is_structured())
    for (const auto& item : v)
      if (!binary_free(item)) return false;
  return true;
}

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "cbor_reader: " << what << "\n";
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto doc = sluice::protocol::read_cbor(bytes);
  if (!doc) return 0;
  check(binary_free(*doc), "a byte string was left binary");
  (void)doc->dump();  // throws (and so aborts the fuzzer) on text that is not UTF-8
  const auto back = sluice::protocol::read_cbor(sluice::protocol::write_cbor(*doc, nullptr));
  check(back.has_value(), "read_cbor refused what write_cbor wrote");
  // NaN never equals itself: compare the texts nlohmann writes (both write it as null).
  check(back->dump() == doc->dump(), "a document did not survive write_cbor and read_cbor");
  return 0;
}
