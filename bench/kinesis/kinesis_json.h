#pragma once

// Kinesis Data Streams over AWS JSON 1.1 for the load generator: request bytes
// built once, and one-pass reply scans. A GetRecords reply of 10,000 × 1 KiB is
// ~14 MB of JSON; a full parse of each would cost the generator more than the
// server spends producing it, so replies are walked member by member instead,
// skipping over the base64 Data strings with memchr.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::bench::kinesis {

// Complete HTTP/1.1 request bytes for Kinesis_20131202.<op> with `json` as the
// body, with the headers an SDK sends (X-Amz-Date, a well-formed but unverifiable
// SigV4 Authorization): kinesis-local rejects a request without a date, moto
// routes on the credential scope.
std::string request(std::string_view host_port, std::string_view op, std::string_view json);

std::string base64(std::string_view bytes);
// Length of the base64 text of `bytes` bytes.
constexpr size_t base64_size(size_t bytes) { return (bytes + 2) / 3 * 4; }

std::string create_stream_body(std::string_view stream, int shards);
// {"StreamName": ...}: DescribeStreamSummary, ListShards.
std::string stream_name_body(std::string_view stream);
std::string get_shard_iterator_body(std::string_view stream, std::string_view shard_id, std::string_view type);
// `iterator` is raw JSON string contents as found in the previous reply (escapes kept).
std::string get_records_body(std::string_view iterator, int limit);

// A PutRecords body of `records` records, each `bytes` random bytes under a
// random 16-hex-digit partition key, so that the records spread over every shard.
std::string put_records_body(std::string_view stream, int records, size_t bytes, std::mt19937_64& rng);

// Records per shard id; a handful of shards, so a vector searched in order.
class ShardCounts {
 public:
  void add(std::string_view shard_id, uint64_t n = 1);
  void merge(const ShardCounts& other);
  uint64_t of(std::string_view shard_id) const;
  uint64_t total() const;
  const std::vector<std::pair<std::string, uint64_t>>& all() const { return counts_; }

 private:
  std::vector<std::pair<std::string, uint64_t>> counts_;
};

// What a PutRecords reply says. `valid` is false when it is not a PutRecords
// reply at all (no FailedRecordCount, or entries that do not add up to it).
struct PutOutcome {
  bool valid = false;
  int64_t failed_record_count = -1;  // as the reply states it
  size_t succeeded = 0;              // entries with a SequenceNumber
  size_t throttled = 0;              // entries failed with ProvisionedThroughputExceededException
  size_t failed_other = 0;           // entries failed with any other ErrorCode
  std::string other_error;           // the first such ErrorCode
};

// Adds each successful entry's ShardId to `acknowledged`.
PutOutcome scan_put_records(std::string_view reply, ShardCounts& acknowledged);

// What a GetRecords reply says.
struct RecordsBatch {
  bool valid = false;              // it had a Records array
  size_t records = 0;              // entries with a SequenceNumber
  size_t data_fields = 0;          // Data values
  size_t data_wrong_size = 0;      // Data values whose base64 is not the expected length
  std::string_view next_iterator;  // raw; empty if null or absent
  bool has_millis_behind = false;
  int64_t millis_behind = 0;
  std::string_view first_sequence, last_sequence;
  bool in_order = true;  // each SequenceNumber greater than the one before
};

// `data_base64_size`: the expected length of every Data value (0: do not check).
RecordsBatch scan_get_records(std::string_view reply, size_t data_base64_size);

// Numeric comparison of two decimal sequence numbers.
bool sequence_less(std::string_view a, std::string_view b);

// The raw contents of the first string value of member `key` ("StreamStatus",
// "ShardIterator", "StreamARN"), or empty.
std::string_view first_string(std::string_view reply, std::string_view key);

// Every string value of member `key` (raw), in order: ListShards' "ShardId"s.
std::vector<std::string> all_strings(std::string_view reply, std::string_view key);

}  // namespace sluice::bench::kinesis
