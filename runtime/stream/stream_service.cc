#include "runtime/stream/stream_service.h"

#include <algorithm>
#include <mutex>

#include "runtime/common/random.h"
#include "runtime/stream/resharding.h"

namespace sluice::stream {
namespace {

uint64_t fresh_uid() {
  uint64_t u = 0;
  while (u == 0) u = random_u64();
  return u;
}

Failure<Error> storage_failed(const std::string& what) {
  return fail(errc::storage_failure, "", what + " could not be stored.");
}

// What the on-demand scaler calls hot and cold, per shard, against AWS's
// per-shard write limits (1 MiB/s, 1,000 records/s).
constexpr double kHotShare = 0.5;
constexpr double kColdShare = 0.05;
constexpr int kColdChecksToMerge = 6;

}  // namespace

std::string consumer_arn(const std::string& stream_arn, const format::ConsumerRecord& c) {
  return stream_arn + "/consumer/" + c.name + ":" + std::to_string(c.created_ms / 1000);
}

StreamService::StreamService(StreamServiceOptions options, storage::Store& store, Clock& clock, Scheduler& scheduler)
    : options_(options), store_(store), clock_(clock), scheduler_(scheduler), fan_out_(clock, scheduler) {}

StreamService::~StreamService() { stop(); }

void StreamService::stop() {
  if (stopped_.exchange(true)) return;
  scheduler_.cancel(sweep_timer_);
  fan_out_.stop();
}

Result<std::shared_ptr<Subscription>, Error> StreamService::subscribe(const std::string& consumer_arn,
                                                                      const IteratorRequest& request,
                                                                      const std::string& account) {
  auto c = consumer(consumer_arn);
  auto stream = c ? find(c->stream_arn) : nullptr;
  if (!stream || stream->key().account != account)
    return fail(errc::not_found, "ConsumerARN", "Consumer " + consumer_arn + " not found.");
  auto from = stream->position(request);
  if (!from.ok()) return Failure<Error>{from.error()};
  return fan_out_.subscribe(stream, consumer_arn, *from);
}

void StreamService::end_subscriptions(const std::string& consumer_arn) {
  fan_out_.end_where([&](const Subscription& s) { return s.consumer_arn() == consumer_arn; },
                     Error{errc::not_found, "ConsumerARN", "Consumer " + consumer_arn + " was deregistered.", {}});
}

Result<StreamService::Recovered, Error> StreamService::recover() {
  Recovered out;
  std::vector<std::pair<storage::NamedKey, format::StreamRecord>> records;
  std::string bad;
  const bool ok = store_.scan(storage::key_of(storage::Tag::stream), [&](std::string_view k, std::string_view v) {
    auto key = format::parse_stream_key(k);
    auto record = format::decode_stream(v);
    if (!key || !record) {
      bad = std::string(k);
      return false;
    }
    records.emplace_back(std::move(*key), std::move(*record));
    return true;
  });
  if (!ok) return fail(errc::storage_failure, "", "The streams could not be read.");
  // Serving a stream with settings or shards made up would be wrong: stop.
  if (!bad.empty()) return fail(errc::storage_failure, "", "The stream record under key " + bad + " is corrupt.");
  std::unordered_map<uint64_t, std::vector<uint32_t>> known;  // uid -> shard indices
  for (auto& [key, record] : records) {
    auto s = std::make_shared<Stream>(StreamKey{key.region, key.account, key.name}, record, store_, options_.durability,
                                      clock_);
    if (auto st = s->recover(); !st) return Failure<Error>{st.error()};
    for (const auto& shard : record.shards) known[record.uid].push_back(shard.index);
    out.shards += record.shards.size();
    std::unique_lock lock(mu_);
    by_uid_[s->uid()] = s;
    streams_[s->arn()] = std::move(s);
  }
  out.streams = records.size();
  // Records of deleted streams and forgotten shards (a crash between a
  // deletion's record and its range deletion): one seek per range.
  storage::WriteBatch orphans;
  const std::string end = storage::prefix_end(storage::key_of(storage::Tag::stream_record));
  std::string from = storage::key_of(storage::Tag::stream_record);
  for (;;) {
    auto k = store_.first_key(from, end);
    if (k.failed()) return fail(errc::storage_failure, "", "The stream records could not be read.");
    if (!k.found()) break;
    const uint64_t uid = format::stream_uid_of_record_key(k.value);
    const uint32_t shard = format::shard_of_record_key(k.value);
    auto it = known.find(uid);
    if (it == known.end()) {
      const std::string prefix = format::records_prefix(uid);
      orphans.del_range(prefix, storage::prefix_end(prefix));
      from = storage::prefix_end(prefix);
    } else {
      const std::string prefix = format::shard_prefix(uid, shard);
      if (std::find(it->second.begin(), it->second.end(), shard) == it->second.end())
        orphans.del_range(prefix, storage::prefix_end(prefix));
      from = storage::prefix_end(prefix);
    }
  }
  if (!orphans.empty()) store_.commit(std::move(orphans), storage::Durability::periodic, [](bool) {});
  last_retention_ms_ = 0;
  schedule_sweep();
  return out;
}

Status<Error> StreamService::check_capacity(const CreateRequest& request, const StreamPtr& existing) const {
  const auto& s = request.settings;
  const size_t wanted = s.mode == format::Mode::on_demand ? options_.on_demand_shards : s.shard_count;
  const size_t have = existing ? existing->view().open_shards : 0;
  const Limits l = limits(request.key.region, request.key.account);
  if (wanted > have && l.open_shards + (wanted - have) > l.shard_limit)
    return fail(errc::limit_exceeded, "ShardCount",
                "This request would exceed the shard limit for the account " + request.key.account + " in " +
                    request.key.region + ". Current shard count for the account: " + std::to_string(l.open_shards) +
                    ". Limit: " + std::to_string(l.shard_limit) + ".");
  const bool new_on_demand =
      s.mode == format::Mode::on_demand && (!existing || existing->record().mode != format::Mode::on_demand);
  if (new_on_demand && l.on_demand_streams >= l.on_demand_limit)
    return fail(errc::limit_exceeded, "StreamModeDetails",
                "The account already has " + std::to_string(l.on_demand_streams) + " ON_DEMAND streams.");
  return {};
}

Status<Error> StreamService::check_apply(const CreateRequest& request) const {
  if (auto st = changes::validate_stream_name(request.key.name); !st) return st;
  if (auto st = changes::check_settings(request.settings); !st) return st;
  auto existing = find(request.key.arn());
  if (existing && !request.resource.empty() && !existing->record().resource.empty() &&
      existing->record().resource != request.resource)
    return fail(errc::already_exists, "StreamName",
                "Stream " + request.key.name + " belongs to the Stream resource " + existing->record().resource + ".");
  return check_capacity(request, existing);
}

void StreamService::create_stream(CreateRequest request, StreamCallback done) {
  control_.submit([this, request = std::move(request), done = std::move(done)](Sequencer::Done next) mutable {
    if (auto st = changes::validate_stream_name(request.key.name); !st) return done(Failure<Error>{st.error()}), next();
    if (auto st = changes::check_settings(request.settings); !st) return done(Failure<Error>{st.error()}), next();
    if (find(request.key.arn()))
      return done(fail(errc::already_exists, "StreamName",
                       "Stream " + request.key.name + " under account " + request.key.account + " already exists.")),
             next();
    if (auto st = check_capacity(request, nullptr); !st) return done(Failure<Error>{st.error()}), next();
    insert(std::move(request), std::move(done), std::move(next));
  });
}

void StreamService::apply_stream(CreateRequest request, StreamCallback done) {
  control_.submit([this, request = std::move(request), done = std::move(done)](Sequencer::Done next) mutable {
    if (auto st = check_apply(request); !st) return done(Failure<Error>{st.error()}), next();
    auto existing = find(request.key.arn());
    if (!existing) return insert(std::move(request), std::move(done), std::move(next));
    auto settings = request.settings;
    existing->change(changes::apply(std::move(settings)),
                     [existing, done = std::move(done), next = std::move(next)](Status<Error> st) {
                       if (st) done(existing);
                       else done(Failure<Error>{st.error()});
                       next();
                     });
  });
}

void StreamService::insert(CreateRequest request, StreamCallback done, Sequencer::Done next) {
  const auto& s = request.settings;
  const TimeMs now = clock_.now();
  format::StreamRecord record;
  record.uid = fresh_uid();
  record.created_ms = now;
  record.mode = s.mode;
  record.retention_hours = s.retention_hours;
  record.max_record_kib = s.max_record_kib;
  record.encryption_key = s.encryption_key;
  record.fidelity = s.fidelity;
  record.tags = s.tags;
  record.resource = request.resource;
  for (const auto& c : s.consumers) record.consumers.push_back({c, now});
  make_shards(record, s.mode == format::Mode::on_demand ? options_.on_demand_shards : s.shard_count, now);
  auto stream = std::make_shared<Stream>(request.key, record, store_, options_.durability, clock_);
  storage::WriteBatch b;
  b.put(format::stream_key(request.key.region, request.key.account, request.key.name), format::encode_stream(record));
  store_.commit(std::move(b), storage::Durability::sync,
                [this, stream, done = std::move(done), next = std::move(next)](bool ok) {
                  if (!ok) {
                    done(storage_failed("The stream"));
                    return next();
                  }
                  {
                    std::unique_lock lock(mu_);
                    by_uid_[stream->uid()] = stream;
                    streams_[stream->arn()] = stream;
                  }
                  done(stream);
                  next();
                });
}

void StreamService::delete_stream(const StreamPtr& stream, bool with_consumers, StatusCallback done) {
  control_.submit([this, stream, with_consumers, done = std::move(done)](Sequencer::Done next) {
    if (stream->deleted())
      return done(fail(errc::not_found, "StreamName", "Stream " + stream->key().name + " not found.")), next();
    if (!with_consumers && !stream->record().consumers.empty())
      return done(fail(errc::state_conflict, "EnforceConsumerDeletion",
                       "Stream " + stream->key().name +
                           " has registered consumers: deregister them or set EnforceConsumerDeletion.")),
             next();
    {
      std::unique_lock lock(mu_);
      streams_.erase(stream->arn());
      by_uid_.erase(stream->uid());
    }
    stream->mark_deleted();
    storage::WriteBatch b;
    const auto& k = stream->key();
    b.del(format::stream_key(k.region, k.account, k.name));
    const std::string prefix = format::records_prefix(stream->uid());
    b.del_range(prefix, storage::prefix_end(prefix));
    store_.commit(std::move(b), storage::Durability::sync, [done = std::move(done), next = std::move(next)](bool ok) {
      done(ok ? Status<Error>() : Status<Error>(storage_failed("The stream's deletion")));
      next();
    });
  });
}

void StreamService::update(const StreamPtr& stream, Change change, StatusCallback done) {
  control_.submit([stream, change = std::move(change), done = std::move(done)](Sequencer::Done next) mutable {
    stream->change(std::move(change), [done = std::move(done), next = std::move(next)](Status<Error> st) {
      done(std::move(st));
      next();
    });
  });
}

StreamPtr StreamService::find(std::string_view arn) const {
  std::shared_lock lock(mu_);
  auto it = streams_.find(arn);
  return it == streams_.end() ? nullptr : it->second;
}

StreamPtr StreamService::find_uid(uint64_t uid) const {
  std::shared_lock lock(mu_);
  auto it = by_uid_.find(uid);
  return it == by_uid_.end() ? nullptr : it->second;
}

StreamPtr StreamService::find_resource(const std::string& region, const std::string& account,
                                       const std::string& name) const {
  std::shared_lock lock(mu_);
  for (const auto& [arn, s] : streams_)
    if (s->key().region == region && s->key().account == account && s->record().resource == name) return s;
  return nullptr;
}

std::vector<StreamPtr> StreamService::all() const {
  std::shared_lock lock(mu_);
  std::vector<StreamPtr> out;
  out.reserve(streams_.size());
  for (const auto& [arn, s] : streams_) out.push_back(s);
  return out;
}

std::vector<StreamPtr> StreamService::in_account(const std::string& region, const std::string& account) const {
  const std::string prefix = "arn:aws:kinesis:" + region + ":" + account + ":stream/";
  std::shared_lock lock(mu_);
  std::vector<StreamPtr> out;
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.starts_with(prefix); ++it)
    out.push_back(it->second);
  return out;
}

size_t StreamService::size() const {
  std::shared_lock lock(mu_);
  return streams_.size();
}

Result<StreamService::Position, Error> StreamService::open_iterator(std::string_view token, const std::string& region,
                                                                    const std::string& account) const {
  auto it = decode_iterator(token);
  if (!it) return invalid("ShardIterator", std::string(token.substr(0, 64)), "Invalid ShardIterator.");
  auto stream = find_uid(it->stream_uid);
  if (!stream || stream->key().region != region || stream->key().account != account)
    return fail(errc::not_found, "ShardIterator", "The stream this shard iterator reads does not exist.");
  const TimeMs now = clock_.now();
  if (now - it->issued_ms > kIteratorLifetimeMs)
    return fail(errc::expired, "ShardIterator",
                "Iterator expired. The iterator was created at time " + std::to_string(it->issued_ms) +
                    " while right now it is " + std::to_string(now) +
                    " which is further in the future than the tolerated delay of 300000 milliseconds.");
  return Position{std::move(stream), *it};
}

std::optional<ConsumerView> StreamService::consumer(const StreamPtr& stream, const std::string& name) const {
  for (const auto& c : stream->record().consumers)
    if (c.name == name) return ConsumerView{c.name, consumer_arn(stream->arn(), c), stream->arn(), c.created_ms};
  return std::nullopt;
}

std::optional<ConsumerView> StreamService::consumer(std::string_view arn) const {
  // arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<seconds>
  const auto at = arn.find("/consumer/");
  if (at == std::string_view::npos) return std::nullopt;
  auto stream = find(arn.substr(0, at));
  if (!stream) return std::nullopt;
  for (const auto& c : stream->record().consumers)
    if (consumer_arn(stream->arn(), c) == arn)
      return ConsumerView{c.name, std::string(arn), stream->arn(), c.created_ms};
  return std::nullopt;
}

std::vector<ConsumerView> StreamService::consumers(const StreamPtr& stream) const {
  std::vector<ConsumerView> out;
  for (const auto& c : stream->record().consumers)
    out.push_back({c.name, consumer_arn(stream->arn(), c), stream->arn(), c.created_ms});
  return out;
}

StreamService::Limits StreamService::limits(const std::string& region, const std::string& account) const {
  Limits l{options_.shard_limit, 0, options_.on_demand_stream_limit, 0};
  for (const auto& s : in_account(region, account)) {
    const auto v = s->view();
    l.open_shards += v.open_shards;
    if (v.record.mode == format::Mode::on_demand) ++l.on_demand_streams;
  }
  return l;
}

void StreamService::schedule_sweep() {
  if (stopped_.load()) return;
  sweep_timer_ = scheduler_.schedule_at(clock_.now() + options_.scale_interval_ms, [this] {
    sweep();
    schedule_sweep();
  });
}

void StreamService::sweep() {
  if (stopped_.load()) return;
  const TimeMs now = clock_.now();
  if (now - last_retention_ms_ >= options_.retention_interval_ms) {
    last_retention_ms_ = now;
    expire_records(now);
  }
  scale_on_demand();
}

void StreamService::expire_records(TimeMs now) {
  storage::WriteBatch batch;
  std::vector<StreamPtr> with_empty_shards;
  for (const auto& s : all())
    if (s->expire(now, batch)) with_empty_shards.push_back(s);
  if (!batch.empty()) store_.commit(std::move(batch), storage::Durability::periodic, [](bool) {});
  for (const auto& s : with_empty_shards) update(s, changes::forget_expired_shards(), [](Status<Error>) {});
}

void StreamService::scale_on_demand() {
  const double seconds = double(options_.scale_interval_ms) / 1000.0;
  for (const auto& s : all()) {
    auto traffic = s->take_traffic();
    if (s->record().mode != format::Mode::on_demand) continue;
    std::sort(traffic.begin(), traffic.end(),
              [](const auto& a, const auto& b) { return a.range.start < b.range.start; });
    auto share = [&](const Stream::ShardTraffic& t) {
      return std::max(double(t.bytes) / seconds / (1024.0 * 1024.0), double(t.records) / seconds / 1000.0);
    };
    std::vector<uint32_t> splits;
    std::vector<std::pair<uint32_t, uint32_t>> merges;
    size_t open = traffic.size();
    for (const auto& t : traffic)
      if (share(t) > kHotShare && open < options_.on_demand_max_shards) splits.push_back(t.index), ++open;
    // Cold neighbours merge after staying cold for a while, never below the first shard count.
    for (size_t i = 0; i + 1 < traffic.size() && open > options_.on_demand_shards; ++i) {
      auto a = s->shard(traffic[i].index), b = s->shard(traffic[i + 1].index);
      if (!a || !b) continue;
      const bool cold = share(traffic[i]) < kColdShare && share(traffic[i + 1]) < kColdShare;
      a->cold_checks = cold ? a->cold_checks + 1 : 0;
      if (cold && a->cold_checks >= kColdChecksToMerge &&
          std::find(splits.begin(), splits.end(), traffic[i].index) == splits.end() &&
          std::find(splits.begin(), splits.end(), traffic[i + 1].index) == splits.end()) {
        merges.emplace_back(traffic[i].index, traffic[i + 1].index);
        --open;
        ++i;  // each shard in one merge at most
      }
    }
    if (!splits.empty() || !merges.empty())
      update(s, changes::autoscale(std::move(splits), std::move(merges)), [](Status<Error>) {});
  }
}

}  // namespace sluice::stream
