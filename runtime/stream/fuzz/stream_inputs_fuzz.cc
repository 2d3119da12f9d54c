// Fuzz target for what the stream engine parses from outside: shard iterators,
// sequence numbers, hash keys and shard ids (from requests), and its own records
// (the store, after a crash or a bug). No input may crash, hang or read out of bounds.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/stream/hash_key.h"
#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "runtime/stream/shard_iterator.h"
#include "runtime/stream/stream_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice::stream;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto it = decode_iterator(in)) (void)encode_iterator(*it);
  if (auto seq = parse_sequence(in)) (void)format_sequence(seq->counter, seq->shard);
  if (auto h = parse_hash_key(in)) (void)to_decimal(*h);
  (void)parse_shard_id(in);
  (void)format::decode_stream(in);
  format::StoredRecord r;
  (void)format::decode_record(in, r);
  (void)format::arrival_of_record(in);
  (void)format::parse_stream_key(in);
  return 0;
}
