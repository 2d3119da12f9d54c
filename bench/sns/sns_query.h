#pragma once

// SNS over the AWS query protocol for the load generator: POST / with a form body
// (Action=Publish&Version=2010-03-31&...), XML replies. Request bytes are built
// once; a Publish whose message carries a timestamp is stamped in place before
// each send, so the hot path neither allocates nor encodes.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::bench::sns {

// Complete HTTP/1.1 request bytes: POST / with `form` as an
// application/x-www-form-urlencoded body and the headers an SDK sends, among them a
// well-formed (unverifiable) SigV4 Authorization whose credential scope names sns:
// moto and the sidecar route on it.
std::string request(std::string_view host_port, std::string_view form);

// A form value, percent-encoded (unreserved characters as they are).
std::string form_encode(std::string_view s);

// "Action=<action>&Version=2010-03-31&k1=v1&..." with the values encoded.
std::string form(std::string_view action, const std::vector<std::pair<std::string, std::string>>& params);

std::string create_topic_form(std::string_view name);
// Subscribe; `raw` sets RawMessageDelivery=true.
std::string subscribe_form(std::string_view topic_arn, std::string_view protocol, std::string_view endpoint, bool raw);
std::string publish_form(std::string_view topic_arn, std::string_view message);

// The text of the first <tag>...</tag> in an XML reply, with the five XML entities
// undone; empty if there is none.
std::string xml_value(std::string_view reply, std::string_view tag);

// Stamped messages: kStampMarker, one phase digit and 20 decimal digits of
// nanoseconds on the generator's steady clock, then filler up to the size.
// Letters and digits only, so form encoding and the JSON envelope leave it as is.
inline constexpr std::string_view kStampMarker = "SLUICEBENCHTS";
std::string stamped_message(size_t bytes, int phase);
// Finds a stamp anywhere in `text` (a raw message or an envelope around it).
bool scan_stamp(std::string_view text, int& phase, int64_t& nanos);

// One connection's Publish request bytes, stamped in place before each send when
// the message is a stamped one.
class PublishRequest {
 public:
  explicit PublishRequest(std::string bytes);
  bool stamped() const { return stamp_at_ != std::string::npos; }
  void stamp(int64_t nanos);
  std::string_view bytes() const { return bytes_; }

 private:
  std::string bytes_;
  size_t stamp_at_ = std::string::npos;  // first of the 20 digits
};

}  // namespace sluice::bench::sns
