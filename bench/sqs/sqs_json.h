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
std::string message_body(size_t bytes);

std::string json_string(std::string_view s);  // quoted and escaped

std::string create_queue_body(std::string_view name);
std::string get_queue_url_body(std::string_view name);
std::string send_message_body(std::string_view queue_url, std::string_view message);
std::string send_message_batch_body(std::string_view queue_url, std::string_view message, int entries);
std::string receive_message_body(std::string_view queue_url, int max_messages, int wait_seconds);
std::string get_queue_attributes_body(std::string_view queue_url);
// The stall / bulk-create mix: two attributes and two tags, the kind an apply sets.
std::string set_queue_attributes_body(std::string_view queue_url);
std::string tag_queue_body(std::string_view queue_url);
// `next_token` is raw JSON string contents as found in the previous page (escapes
// kept); empty for the first page.
std::string list_queues_body(int max_results, std::string_view next_token);
// `handles` are raw JSON string contents as found in the reply (escapes kept).
std::string delete_message_batch_body(std::string_view queue_url, const std::vector<std::string_view>& handles);

// Appends every ReceiptHandle value in a ReceiveMessage reply (raw, still escaped)
// to `out` and returns how many were found.
size_t scan_receipt_handles(std::string_view reply, std::vector<std::string_view>& out);

// The raw (still escaped) contents of the first string value of `key` ("QueueUrl",
// "NextToken"), or empty if there is none.
std::string_view scan_string(std::string_view reply, std::string_view key);

// Appends the raw strings of the array value of `key` ("QueueUrls") to `out` and
// returns how many were found.
size_t scan_string_array(std::string_view reply, std::string_view key, std::vector<std::string_view>& out);

// Number of occurrences of `needle` in `haystack`.
size_t count_of(std::string_view haystack, std::string_view needle);

// Batch replies: Successful entries of SendMessageBatch carry MessageId, every
// Failed entry carries SenderFault; so counting keys gives both without parsing.
struct BatchOutcome {
  size_t succeeded = 0;
  size_t failed = 0;
};
BatchOutcome send_batch_outcome(std::string_view reply);
BatchOutcome delete_batch_outcome(std::string_view reply);

// Full parses for the rare replies (setup and verification).
std::string queue_url_of(std::string_view reply);  // empty if absent
struct QueueCounts {
  bool ok = false;
  int64_t visible = 0;
  int64_t not_visible = 0;
};
QueueCounts queue_counts_of(std::string_view reply);

}  // namespace sluice::bench::sqs
