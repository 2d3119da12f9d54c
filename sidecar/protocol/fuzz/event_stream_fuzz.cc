// Fuzz target: the event-stream frame reader. Any input is read, found
// incomplete or refused without a crash or an over-read; a message read is
// re-encoded (string headers only) and read back with the same headers and
// payload, and a frame encode_event makes is always read back whole.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/protocol/event_stream.h"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "event_stream: " << what << "\n";
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice::protocol;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  EventStreamMessage m;
  size_t used = 0;
  if (decode_event(bytes, m, used) == EventDecode::ok) {
    check(used >= 16 && used <= bytes.size(), "a message longer than its input");
    std::vector<std::pair<std::string, std::string>> strings;
    for (const auto& h : m.headers)
      if (h.type == EventStreamHeader::string && h.value.size() <= 0xffff) strings.emplace_back(h.name, h.value);
    const std::string again = encode_event(strings, m.payload);
    EventStreamMessage back;
    size_t back_used = 0;
    check(decode_event(again, back, back_used) == EventDecode::ok && back_used == again.size(),
          "a re-encoded message did not read back");
    check(back.payload == m.payload && back.headers.size() == strings.size(), "a message changed in a round trip");
  }
  // The input as one payload with one header made of its first bytes.
  const std::string name(bytes.substr(0, std::min<size_t>(bytes.size(), 255)));
  if (!name.empty()) {
    const std::string frame = encode_event({{name, std::string(bytes)}}, bytes);
    check(decode_event(frame, m, used) == EventDecode::ok && m.payload == bytes && m.header(name) == bytes,
          "encode_event's frame did not read back");
  }
  return 0;
}
