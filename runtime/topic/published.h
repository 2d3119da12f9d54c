#pragma once
// A message as a topic keeps it: what Publish gave, plus what the topic
// assigned (sequence, message id, time). Shared, immutable once published,
// between the topic's log and every subscription delivering it.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/common/clock.h"
#include "runtime/topic/message.h"

namespace sluice::topic {

using Seq = uint64_t;  // per topic, strictly increasing from 1

// What a publisher sends (one Publish, or one PublishBatch entry).
struct PublishEntry {
  std::string message;                            // the body, or MessageStructure=json's "default"
  std::map<std::string, std::string> structured;  // MessageStructure=json: protocol -> message
  std::optional<std::string> subject;
  MessageAttributes attributes;
  std::string group_id;          // FIFO topics (and fair SQS queues behind standard topics)
  std::string deduplication_id;  // FIFO topics; empty with content-based deduplication
  std::string trace_header;      // X-Amzn-Trace-Id, passed on to SQS as AWSTraceHeader
};

// What a message counts toward the 256 KiB limit: its text, subject, per-protocol
// messages and every attribute's name, type and value.
size_t entry_bytes(const PublishEntry& entry);

struct PublishOutcome {
  std::string message_id;
  std::string sequence_number;  // FIFO topics
};

struct Published {
  Seq seq = 0;
  std::string message_id;
  TimeMs timestamp_ms = 0;
  PublishEntry entry;  // deduplication_id resolved (content-based: the body's SHA-256)
  size_t bytes() const { return entry_bytes(entry); }

  // The message as a subscription of `protocol` gets it (MessageStructure=json).
  const std::string& message_for(std::string_view protocol) const;

  // What depends only on the message is computed once, by the first delivery
  // that needs it, and shared by every subscription: the signatures, and the
  // MD5 of the raw body that every raw SQS subscription's queue reports.
  enum class Memo : uint8_t { signature_v1, signature_v2, raw_sqs_md5 };
  std::string memo(Memo which, const std::function<std::string()>& compute) const;

 private:
  // Under the message's own lock: concurrent deliveries of one message wait for
  // the one computation instead of each making it; other messages are not held up.
  mutable std::mutex memo_mu_;
  mutable std::string memos_[3];
};

using PublishedPtr = std::shared_ptr<const Published>;

// The FIFO SequenceNumber of a sequence: 20 decimal digits, as SNS shows it.
std::string sequence_number(Seq seq);

}  // namespace sluice::topic
