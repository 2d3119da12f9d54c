// Fuzz target for what the topic engine parses from outside: delivery policies
// (API and manifests) and its own records (the store, after a crash or a bug).
// No input may crash, hang or read out of bounds.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/topic/delivery_policy.h"
#include "runtime/topic/topic_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice::topic;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto p = parse_subscription_delivery_policy(in, "DeliveryPolicy"); p.ok())
    for (int n = 0; p->retry.delay_before(n) && n < 200; ++n) {
    }
  (void)parse_topic_delivery_policy(in, "DeliveryPolicy");
  Published m;
  (void)format::decode_message(in, m);
  (void)format::decode_topic(in);
  (void)format::decode_subscription(in);
  (void)format::decode_cursor(in);
  (void)format::parse_topic_key(in);
  return 0;
}
