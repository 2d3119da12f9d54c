#include "bench/kinesis/kinesis_json.h"

#include "bench/sqs/sqs_json.h"

#include <charconv>
#include <cstring>

namespace sluice::bench::kinesis {
namespace {

constexpr size_t npos = std::string_view::npos;

bool blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Position of the quote closing the string whose contents start at `from`.
size_t closing_quote(std::string_view t, size_t from) {
  for (size_t q = t.find('"', from); q != npos; q = t.find('"', q + 1)) {
    size_t backslashes = 0;
    while (q > from + backslashes && t[q - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return q;
  }
  return npos;
}

// Walks a JSON text member by member: v.key(name) for every member name,
// v.string(name, raw) for every string value and v.scalar(name, token) for every
// number, true, false or null, where name is the member last named (so the
// elements of an array of strings report the array's name). It does not validate
// the JSON; the replies it reads come with an HTTP 200 from a JSON API.
template <typename Visitor>
void walk_members(std::string_view t, Visitor& v) {
  std::string_view name;
  size_t pos = 0;
  const size_t n = t.size();
  while (pos < n) {
    char c = t[pos];
    if (c == '"') {
      size_t end = closing_quote(t, pos + 1);
      if (end == npos) return;
      std::string_view s = t.substr(pos + 1, end - pos - 1);
      pos = end + 1;
      size_t after = pos;
      while (after < n && blank(t[after])) ++after;
      if (after < n && t[after] == ':') {
        name = s;
        v.key(name);
        pos = after + 1;
      } else {
        v.string(name, s);
      }
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
      size_t start = pos;
      while (pos < n && t[pos] != ',' && t[pos] != '}' && t[pos] != ']' && !blank(t[pos])) ++pos;
      v.scalar(name, t.substr(start, pos - start));
    } else {
      ++pos;
    }
  }
}

bool parse_int(std::string_view token, int64_t& out) {
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && p == token.data() + token.size();
}

std::string hex_key(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  std::string s(16, '0');
  for (int i = 0; i < 16; ++i) s[i] = kHex[(v >> (4 * i)) & 0xf];
  return s;
}

}  // namespace

std::string request(std::string_view host_port, std::string_view op, std::string_view json) {
  std::string r;
  r.reserve(json.size() + 512);
  r += "POST / HTTP/1.1\r\nHost: ";
  r += host_port;
  r += "\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.";
  r += op;
  r += "\r\nX-Amz-Date: 20260101T000000Z\r\n"
       "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
       "Content-Length: ";
  r += std::to_string(json.size());
  r += "\r\n\r\n";
  r += json;
  return r;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(base64_size(bytes.size()));
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (rest == 2) v |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string create_stream_body(std::string_view stream, int shards) {
  return "{\"StreamName\":" + sqs::json_string(stream) + ",\"ShardCount\":" + std::to_string(shards) + "}";
}

std::string stream_name_body(std::string_view stream) { return "{\"StreamName\":" + sqs::json_string(stream) + "}"; }

std::string get_shard_iterator_body(std::string_view stream, std::string_view shard_id, std::string_view type) {
  return "{\"StreamName\":" + sqs::json_string(stream) + ",\"ShardId\":" + sqs::json_string(shard_id) +
         ",\"ShardIteratorType\":" + sqs::json_string(type) + "}";
}

std::string get_records_body(std::string_view iterator, int limit) {
  std::string body = "{\"ShardIterator\":\"";
  body += iterator;
  body += "\",\"Limit\":" + std::to_string(limit) + "}";
  return body;
}

std::string put_records_body(std::string_view stream, int records, size_t bytes, std::mt19937_64& rng) {
  std::string body;
  body.reserve(64 + static_cast<size_t>(records) * (base64_size(bytes) + 48));
  body += "{\"StreamName\":" + sqs::json_string(stream) + ",\"Records\":[";
  std::string data(bytes, '\0');
  for (int i = 0; i < records; ++i) {
    for (size_t b = 0; b < bytes; b += 8) {
      uint64_t v = rng();
      std::memcpy(data.data() + b, &v, std::min<size_t>(8, bytes - b));
    }
    if (i > 0) body += ',';
    body += "{\"Data\":\"" + base64(data) + "\",\"PartitionKey\":\"" + hex_key(rng) + "\"}";
  }
  body += "]}";
  return body;
}

void ShardCounts::add(std::string_view shard_id, uint64_t n) {
  for (auto& [id, count] : counts_) {
    if (id == shard_id) {
      count += n;
      return;
    }
  }
  counts_.emplace_back(std::string(shard_id), n);
}

void ShardCounts::merge(const ShardCounts& other) {
  for (const auto& [id, count] : other.counts_) add(id, count);
}

uint64_t ShardCounts::of(std::string_view shard_id) const {
  for (const auto& [id, count] : counts_)
    if (id == shard_id) return count;
  return 0;
}

uint64_t ShardCounts::total() const {
  uint64_t t = 0;
  for (const auto& [id, count] : counts_) t += count;
  return t;
}

PutOutcome scan_put_records(std::string_view reply, ShardCounts& acknowledged) {
  struct Visitor {
    PutOutcome& out;
    ShardCounts& shards;
    void key(std::string_view) {}
    void string(std::string_view name, std::string_view value) {
      if (name == "SequenceNumber") {
        ++out.succeeded;
      } else if (name == "ShardId") {
        shards.add(value);
      } else if (name == "ErrorCode") {
        if (value == "ProvisionedThroughputExceededException") {
          ++out.throttled;
        } else {
          if (out.failed_other++ == 0) out.other_error = value;
        }
      }
    }
    void scalar(std::string_view name, std::string_view token) {
      if (name == "FailedRecordCount") parse_int(token, out.failed_record_count);
    }
  };
  PutOutcome out;
  // Shard ids go to a scratch tally first: only a reply that adds up counts.
  ShardCounts shards;
  Visitor v{out, shards};
  walk_members(reply, v);
  out.valid = out.failed_record_count >= 0 &&
              static_cast<size_t>(out.failed_record_count) == out.throttled + out.failed_other &&
              shards.total() == out.succeeded;
  if (out.valid) acknowledged.merge(shards);
  return out;
}

RecordsBatch scan_get_records(std::string_view reply, size_t data_base64_size) {
  struct Visitor {
    RecordsBatch& out;
    size_t data_size;
    void key(std::string_view name) {
      if (name == "Records") out.valid = true;
    }
    void string(std::string_view name, std::string_view value) {
      if (name == "SequenceNumber") {
        if (out.records > 0 && !sequence_less(out.last_sequence, value)) out.in_order = false;
        if (out.records == 0) out.first_sequence = value;
        out.last_sequence = value;
        ++out.records;
      } else if (name == "Data") {
        ++out.data_fields;
        if (data_size != 0 && value.size() != data_size) ++out.data_wrong_size;
      } else if (name == "NextShardIterator") {
        out.next_iterator = value;
      }
    }
    void scalar(std::string_view name, std::string_view token) {
      if (name == "MillisBehindLatest") out.has_millis_behind = parse_int(token, out.millis_behind);
    }
  };
  RecordsBatch out;
  Visitor v{out, data_base64_size};
  walk_members(reply, v);
  return out;
}

bool sequence_less(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

std::string_view first_string(std::string_view reply, std::string_view key) {
  struct Visitor {
    std::string_view wanted;
    std::string_view found;
    bool done = false;
    void key(std::string_view) {}
    void string(std::string_view name, std::string_view value) {
      if (!done && name == wanted) {
        found = value;
        done = true;
      }
    }
    void scalar(std::string_view, std::string_view) {}
  };
  Visitor v{key};
  walk_members(reply, v);
  return v.found;
}

std::vector<std::string> all_strings(std::string_view reply, std::string_view key) {
  struct Visitor {
    std::string_view wanted;
    std::vector<std::string> found;
    void key(std::string_view) {}
    void string(std::string_view name, std::string_view value) {
      if (name == wanted) found.emplace_back(value);
    }
    void scalar(std::string_view, std::string_view) {}
  };
  Visitor v{key, {}};
  walk_members(reply, v);
  return std::move(v.found);
}

}  // namespace sluice::bench::kinesis
