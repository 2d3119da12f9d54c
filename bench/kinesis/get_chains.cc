#include "bench/kinesis/get_chains.h"

#include "bench/sqs/http_connection.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <memory>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

// Empty batches at the tip a chain that is still short of what its shard should
// hold accepts before it ends: a server may answer one empty batch before the
// next is ready.
constexpr int kShortEmptyBatches = 5;
constexpr int kMaxTransportFailures = 300;

// One shard's chain. Owned by read_shards; one outstanding operation, so its
// handlers never run concurrently.
class ShardChain {
 public:
  ShardChain(asio::io_context& io, const asio::ip::tcp::endpoint& server, const KinesisOptions& o,
             const std::string& stream, std::string shard_id, uint64_t expected, bool has_expected,
             std::atomic<int>& active)
      : conn_(io, server),
        backoff_(io),
        host_port_(o.host + ":" + std::to_string(o.port)),
        stream_(stream),
        shard_id_(std::move(shard_id)),
        limit_(o.limit),
        data_size_(kinesis::base64_size(o.record_bytes)),
        expected_(expected),
        has_expected_(has_expected),
        active_(active) {}

  void start() {
    ++active_;
    request_ = kinesis::request(host_port_, "GetShardIterator",
                                kinesis::get_shard_iterator_body(stream_, shard_id_, "TRIM_HORIZON"));
    conn_.call(request_, [this](const boost::system::error_code& ec, const HttpResponse& r) {
      if (ec || r.status != 200) {
        result_.stats.error(ec, r);
        return finish();
      }
      std::string_view it = kinesis::first_string(r.body, "ShardIterator");
      if (it.empty()) {
        result_.stats.error("GetShardIterator without ShardIterator: " + std::string(r.body.substr(0, 160)));
        return finish();
      }
      get(it);
    });
  }

  ReadResult& result() { return result_; }
  Clock::time_point ended() const { return ended_; }

 private:
  void get(std::string_view iterator) {
    request_ = kinesis::request(host_port_, "GetRecords", kinesis::get_records_body(iterator, limit_));
    send();
  }

  void send() {
    started_ = Clock::now();
    conn_.call(request_, [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    auto now = Clock::now();
    if (ec) {
      result_.stats.error(ec, r);
      if (++transport_failures_ > kMaxTransportFailures) return finish();
      backoff_.expires_after(std::chrono::milliseconds(10));
      backoff_.async_wait([this](const boost::system::error_code&) { send(); });
      return;
    }
    transport_failures_ = 0;
    if (r.status != 200) {
      result_.stats.error(ec, r);
      return finish();  // the chain cannot go on without the next iterator
    }
    kinesis::RecordsBatch b = kinesis::scan_get_records(r.body, data_size_);
    if (!b.valid || b.records != b.data_fields) {
      result_.stats.error("GetRecords reply without Records, or records without Data: " +
                          std::string(r.body.substr(0, 160)));
      return finish();
    }
    ++result_.calls;
    result_.stats.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_).count());
    ++result_.stats.ok;
    result_.records += b.records;
    result_.per_shard.add(shard_id_, b.records);
    result_.data_wrong_size += b.data_wrong_size;
    if (b.records > 0) {
      if (!b.in_order || (!last_sequence_.empty() && !kinesis::sequence_less(last_sequence_, b.first_sequence))) {
        ++result_.out_of_order;
      }
      last_sequence_.assign(b.last_sequence);
    } else {
      ++result_.empty_calls;
    }
    if (b.next_iterator.empty()) return finish();  // a closed shard, read to its end
    bool at_tip = b.records == 0 && (!b.has_millis_behind || b.millis_behind == 0);
    if (at_tip) {
      uint64_t read = result_.per_shard.of(shard_id_);
      if (!has_expected_ || read >= expected_ || ++short_empty_ > kShortEmptyBatches) return finish();
    }
    get(b.next_iterator);
  }

  void finish() {
    ended_ = Clock::now();
    --active_;
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  std::string host_port_;
  const std::string& stream_;
  std::string shard_id_;
  int limit_;
  size_t data_size_;
  uint64_t expected_;
  bool has_expected_;
  std::atomic<int>& active_;
  std::string request_;
  std::string last_sequence_;
  int short_empty_ = 0;
  int transport_failures_ = 0;
  Clock::time_point started_;
  Clock::time_point ended_;
  ReadResult result_;
};

}  // namespace

ReadResult read_shards(const KinesisOptions& o, const std::string& stream, const std::vector<std::string>& shard_ids,
                       const kinesis::ShardCounts* expected) {
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  std::atomic<int> active{0};
  std::vector<std::unique_ptr<ShardChain>> chains;
  for (const auto& id : shard_ids) {
    chains.push_back(std::make_unique<ShardChain>(io, server, o, stream, id, expected ? expected->of(id) : 0,
                                                  expected != nullptr, active));
  }
  auto begin = Clock::now();
  for (auto& c : chains) c->start();
  Watchdog watchdog(io, active, begin + seconds(o.timeout_s));
  watchdog.start();
  run_io(io, o.threads);

  ReadResult total;
  total.timed_out = watchdog.fired();
  // The end of the last chain, not of run_io: the watchdog's poll would add up to 20 ms.
  auto end = begin;
  for (auto& c : chains) end = std::max(end, c->ended());
  total.seconds = seconds_between(begin, total.timed_out ? Clock::now() : end);
  for (auto& c : chains) {
    ReadResult& r = c->result();
    total.records += r.records;
    total.calls += r.calls;
    total.empty_calls += r.empty_calls;
    total.per_shard.merge(r.per_shard);
    total.out_of_order += r.out_of_order;
    total.data_wrong_size += r.data_wrong_size;
    total.stats.merge(r.stats);
  }
  if (total.timed_out) total.stats.error("read did not finish within --timeout");
  return total;
}

}  // namespace sluice::bench
