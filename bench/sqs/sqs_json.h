#pragma once

// SQS over AWS JSON 1.0 for the load generator: request bytes built once, and
// response scans cheap enough not to cost more than the server they measure
// (a 10-message ReceiveMessage reply is ~12 KiB; a full JSON parse of each would
// eat a good part of the generator's one core).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench::sqs {

// Complete HTTP/1.1 request bytes for AmazonSQS.<op> with `json` as the body.
// Carries a syntactically valid (unverifiable) SigV4 Authorization header, as an
// SDK would send: moto picks the service from its credential scope.
std::string request(std::string_view host_port, std::string_view op, std::string_view json);

// `bytes` printable characters, the same for every message (bodies are opaque to
// the servers; what matters is the size).
std::string messageBody(size_t bytes);

std::string jsonString(std::string_view s);  // quoted and escaped

std::string createQueueBody(std::string_view name);
std::string getQueueUrlBody(std::string_view name);
std::string sendMessageBody(std::string_view queue_url, std::string_view message);
std::string sendMessageBatchBody(std::string_view queue_url, std::string_view message, int entries);
std::string receiveMessageBody(std::string_view queue_url, int max_messages, int wait_seconds);
std::string getQueueAttributesBody(std::string_view queue_url);
// `handles` are raw JSON string contents as found in the reply (escapes kept).
std::string deleteMessageBatchBody(std::string_view queue_url,
                                   const std::vector<std::string_view>& handles);

// Appends every ReceiptHandle value in a ReceiveMessage reply (raw, still escaped)
// to `out` and returns how many were found.
size_t scanReceiptHandles(std::string_view reply, std::vector<std::string_view>& out);

// Number of occurrences of `needle` in `haystack`.
size_t countOf(std::string_view haystack, std::string_view needle);

// Batch replies: Successful entries of SendMessageBatch carry MessageId, every
// Failed entry carries SenderFault; so counting keys gives both without parsing.
struct BatchOutcome {
  size_t succeeded = 0;
  size_t failed = 0;
};
BatchOutcome sendBatchOutcome(std::string_view reply);
BatchOutcome deleteBatchOutcome(std::string_view reply);

// Full parses for the rare replies (setup and verification).
std::string queueUrlOf(std::string_view reply);  // empty if absent
struct QueueCounts {
  bool ok = false;
  int64_t visible = 0;
  int64_t not_visible = 0;
};
QueueCounts queueCountsOf(std::string_view reply);

}  // namespace sluice::bench::sqs
