#include "runtime/stream/stream.h"

#include <algorithm>

#include "runtime/stream/resharding.h"

namespace sluice::stream {
namespace {

constexpr int64_t kHourMs = 3'600'000;

Failure<Error> shard_not_found(const std::string& id, const std::string& stream) {
  return fail(errc::not_found, "ShardId", "Shard " + id + " in stream " + stream + " does not exist.");
}

Failure<Error> storage_failed() { return fail(errc::storage_failure, "", "The stream's records could not be read."); }

}  // namespace

std::string StreamKey::arn() const { return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name; }

Stream::Stream(StreamKey key, format::StreamRecord record, storage::Store& store, storage::Durability durability,
               Clock& clock)
    : key_(std::move(key)), arn_(key_.arn()), uid_(record.uid), store_(store), durability_(durability), clock_(clock) {
  std::lock_guard lock(mu_);
  install_locked(record);
}

void Stream::mark_deleted() {
  deleted_.store(true);
  std::vector<std::shared_ptr<Shard>> shards;
  {
    std::lock_guard lock(mu_);
    shards = shards_;
  }
  for (auto& s : shards) s->notify();  // subscribers see the stream go
}

void Stream::install_locked(const format::StreamRecord& next) {
  std::vector<std::shared_ptr<Shard>> shards;
  shards.reserve(next.shards.size());
  for (const auto& r : next.shards) {
    auto existing =
        std::find_if(shards_.begin(), shards_.end(), [&](const auto& s) { return s->record.index == r.index; });
    std::shared_ptr<Shard> s;
    if (existing != shards_.end()) {
      s = *existing;
      s->record = r;
    } else {
      s = std::make_shared<Shard>(r);
      s->last = r.starting ? r.starting - 1 : 0;
      s->visible.store(s->last);
    }
    s->ending.store(r.ending);
    shards.push_back(std::move(s));
  }
  std::sort(shards.begin(), shards.end(),
            [](const auto& a, const auto& b) { return a->record.index < b->record.index; });
  shards_ = std::move(shards);
  open_.clear();
  for (const auto& s : shards_)
    if (s->record.open()) open_.push_back(s);
  std::sort(open_.begin(), open_.end(),
            [](const auto& a, const auto& b) { return a->record.range.start < b->record.range.start; });
  record_ = next;
  max_record_bytes_.store(size_t(next.max_record_kib) << 10);
  encrypted_.store(!next.encryption_key.empty());
  fidelity_.store(next.fidelity);
}

Status<Error> Stream::recover() {
  std::lock_guard lock(mu_);
  const TimeMs now = clock_.now();
  const uint64_t trim = counter_at(now - record_.retention_hours * kHourMs);
  for (auto& s : shards_) {
    const std::string prefix = format::shard_prefix(uid_, s->record.index);
    auto last = store_.last_key(prefix, storage::prefix_end(prefix));
    if (last.failed())
      return fail(errc::storage_failure, "", "The records of stream " + key_.name + " could not be read.");
    if (last.found()) {
      s->last = std::max(s->last, format::counter_of_record_key(last.value));
      auto value = store_.get(last.value);
      if (value.found())
        if (auto t = format::arrival_of_record(value.value)) s->tip_arrival_ms.store(*t);
    }
    if (!s->record.open()) s->last = std::max(s->last, s->record.ending);
    s->visible.store(s->last);
    s->trim.store(trim);
  }
  return {};
}

std::shared_ptr<Shard> Stream::route_locked(HashKey hash) const {
  auto it = std::upper_bound(open_.begin(), open_.end(), hash,
                             [](HashKey h, const auto& s) { return h < s->record.range.start; });
  if (it == open_.begin()) return nullptr;  // cannot happen: open shards cover the space
  return *std::prev(it);
}

void Stream::put(std::vector<PutEntry> entries, PutCallback done) {
  const TimeMs now = clock_.now();
  const bool encrypted = encrypted_.load();
  const bool fidelity = fidelity_.load();
  // Hashes and values do not depend on the shard: made before taking the lock.
  std::vector<HashKey> hashes(entries.size());
  std::vector<std::string> values(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    hashes[i] = entries[i].explicit_hash ? *entries[i].explicit_hash : hash_of_partition_key(entries[i].partition_key);
    values[i].reserve(entries[i].data.size() + entries[i].partition_key.size() + 16);
    format::encode_record(values[i], now, encrypted, entries[i].partition_key, entries[i].data);
  }
  std::vector<PutOutcome> outcomes(entries.size());
  // The last counter each shard got in this batch, for the commit's callback.
  std::vector<std::pair<std::shared_ptr<Shard>, uint64_t>> touched;
  storage::WriteBatch batch;
  std::unique_lock lock(mu_);
  if (deleted_.load()) {
    lock.unlock();
    return done(std::move(outcomes));  // all failed: the caller answers not found before this
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    std::shared_ptr<Shard> shard = route_locked(hashes[i]);
    if (!shard) continue;
    const size_t bytes = entries[i].data.size() + entries[i].partition_key.size();
    if (fidelity) {
      std::lock_guard limits(shard->limits_mu);
      if (!shard->limits.write_records.take(now, 1) || !shard->limits.write_bytes.take(now, double(bytes))) {
        outcomes[i].code = PutOutcome::Code::throttled;
        outcomes[i].shard = shard->record.index;
        counters_.put_throttled.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
    }
    uint64_t counter = std::max(shard->last + 1, counter_at(now));
    if (entries[i].after && entries[i].after->shard == shard->record.index)
      counter = std::max(counter, entries[i].after->counter + 1);
    shard->last = counter;
    shard->bytes_in += bytes;
    shard->records_in += 1;
    shard->total_bytes_in.fetch_add(bytes, std::memory_order_relaxed);
    shard->total_records_in.fetch_add(1, std::memory_order_relaxed);
    batch.put(format::record_key(uid_, shard->record.index, counter), std::move(values[i]));
    outcomes[i] = {PutOutcome::Code::ok, shard->record.index, counter, encrypted};
    auto t = std::find_if(touched.begin(), touched.end(), [&](const auto& p) { return p.first == shard; });
    if (t == touched.end()) touched.emplace_back(shard, counter);
    else t->second = counter;
  }
  if (batch.empty()) {
    lock.unlock();
    return done(std::move(outcomes));
  }
  uint64_t bytes = 0, records = 0;
  for (size_t i = 0; i < entries.size(); ++i)
    if (outcomes[i].code == PutOutcome::Code::ok) bytes += entries[i].data.size(), ++records;
  store_.commit(std::move(batch), durability_,
                [this, self = shared_from_this(), touched = std::move(touched), outcomes = std::move(outcomes),
                 done = std::move(done), now, bytes, records](bool ok) mutable {
                  for (auto& [shard, counter] : touched) {
                    shard->visible.store(std::max(shard->visible.load(), counter), std::memory_order_release);
                    if (ok) shard->tip_arrival_ms.store(now);
                  }
                  if (ok) {
                    counters_.incoming_bytes.fetch_add(bytes, std::memory_order_relaxed);
                    counters_.incoming_records.fetch_add(records, std::memory_order_relaxed);
                  } else {
                    for (auto& o : outcomes)
                      if (o.code == PutOutcome::Code::ok) o.code = PutOutcome::Code::failed;
                  }
                  done(std::move(outcomes));
                  for (auto& [shard, counter] : touched) shard->notify();
                });
}

std::shared_ptr<Shard> Stream::shard(uint32_t index) const {
  std::lock_guard lock(mu_);
  auto it = std::lower_bound(shards_.begin(), shards_.end(), index,
                             [](const auto& s, uint32_t i) { return s->record.index < i; });
  return it != shards_.end() && (*it)->record.index == index ? *it : nullptr;
}

Result<std::string, Error> Stream::iterator(const IteratorRequest& request) {
  auto at = position(request);
  if (!at.ok()) return Failure<Error>{at.error()};
  return encode_iterator(*at);
}

Result<ShardIterator, Error> Stream::position(const IteratorRequest& request) {
  auto index = parse_shard_id(request.shard_id);
  if (!index) return shard_not_found(request.shard_id, key_.name);
  auto s = shard(*index);
  if (!s) return shard_not_found(request.shard_id, key_.name);
  ShardIterator it{uid_, *index, 0, clock_.now()};
  switch (request.type) {
    case IteratorType::trim_horizon:
      it.position = s->trim.load();
      break;
    case IteratorType::latest: {
      std::lock_guard lock(mu_);
      it.position = s->last + 1;
      break;
    }
    case IteratorType::at_sequence:
    case IteratorType::after_sequence: {
      auto seq = parse_sequence(request.sequence);
      if (!seq)
        return invalid("StartingSequenceNumber", request.sequence,
                       "StartingSequenceNumber " + request.sequence + " is not a sequence number of this stream.");
      if (seq->shard != *index)
        return invalid("StartingSequenceNumber", request.sequence,
                       "Invalid StartingSequenceNumber. It encodes " + shard_id(seq->shard) +
                           ", while it was used in a call to a shard with " + request.shard_id + ".");
      it.position = request.type == IteratorType::at_sequence ? seq->counter : seq->counter + 1;
      break;
    }
    case IteratorType::at_timestamp: {
      std::lock_guard lock(mu_);
      // A time after the newest record reads from the tip, as LATEST does.
      it.position = std::min(counter_at(request.timestamp_ms), s->last + 1);
      break;
    }
  }
  return it;
}

std::vector<ChildShard> Stream::children_of_locked(uint32_t index) const {
  std::vector<ChildShard> children;
  for (const auto& r : record_.shards)
    if (r.parent == index || r.adjacent_parent == index) {
      ChildShard c{r.index, {r.parent}, r.range};
      if (r.adjacent_parent != format::kNoShard) c.parents.push_back(r.adjacent_parent);
      children.push_back(std::move(c));
    }
  return children;
}

Result<Records, Error> Stream::read(const ShardIterator& from, size_t limit) {
  auto s = shard(from.shard);
  if (!s) return shard_not_found(shard_id(from.shard), key_.name);
  const TimeMs now = clock_.now();
  const bool fidelity = fidelity_.load();
  if (fidelity) {
    std::lock_guard limits(s->limits_mu);
    if (!s->limits.read_calls.take(now, 1) || !s->limits.read_bytes.take(now, 0, true)) {
      counters_.read_throttled.fetch_add(1, std::memory_order_relaxed);
      return fail(errc::throttled, "ShardIterator",
                  "Rate exceeded for shard " + shard_id(from.shard) + " in stream " + key_.name + ".");
    }
  }
  auto out = collect(s, from, limit, kMaxGetBytes, now, true);
  if (!out.ok()) return out;
  if (fidelity) {
    std::lock_guard limits(s->limits_mu);
    s->limits.read_bytes.charge(now, double(out->bytes));
  }
  counters_.get_records_calls.fetch_add(1, std::memory_order_relaxed);
  counters_.get_records_records.fetch_add(out->records.size(), std::memory_order_relaxed);
  counters_.get_records_bytes.fetch_add(out->bytes, std::memory_order_relaxed);
  if (!out->records.empty())
    counters_.iterator_age_ms.store(std::max<int64_t>(0, now - out->records.back().stored.arrival_ms),
                                    std::memory_order_relaxed);
  return out;
}

Result<Records, Error> Stream::read_for_push(const ShardIterator& from, size_t limit, size_t max_bytes) {
  auto s = shard(from.shard);
  if (!s) return shard_not_found(shard_id(from.shard), key_.name);
  return collect(s, from, limit, max_bytes, clock_.now(), false);
}

Result<Records, Error> Stream::collect(const std::shared_ptr<Shard>& s, const ShardIterator& from, size_t limit,
                                       size_t max_bytes, TimeMs now, bool token) {
  const uint64_t visible = s->visible.load(std::memory_order_acquire);
  const uint64_t ending = s->ending.load();
  const uint64_t upto = ending ? std::min(visible, ending) : visible;  // inclusive
  const uint64_t start = std::max(from.position, s->trim.load());
  Records out;
  uint64_t next = start;
  bool exhausted = true;
  if (start <= upto) {
    bool decoded = true;
    const bool ok = store_.scan_range(
        format::record_key(uid_, from.shard, start), format::record_key(uid_, from.shard, upto + 1),
        [&](std::string_view k, std::string_view v) {
          if (out.records.size() >= limit || (!out.records.empty() && out.bytes + v.size() > max_bytes)) {
            exhausted = false;
            return false;
          }
          ReadRecord r;
          r.counter = format::counter_of_record_key(k);
          r.shard = from.shard;
          if (!format::decode_record(v, r.stored)) {
            decoded = false;
            return false;
          }
          out.bytes += r.stored.data.size() + r.stored.partition_key.size();
          next = r.counter + 1;
          out.records.push_back(std::move(r));
          return true;
        });
    if (!ok || !decoded) return storage_failed();
    if (exhausted) next = std::max(next, upto + 1);
  }
  out.caught_up = exhausted;
  out.next_position = next;
  if (!out.records.empty() && !out.caught_up)
    out.millis_behind = std::max<int64_t>(0, now - out.records.back().stored.arrival_ms);
  if (ending && visible >= ending && exhausted) {
    std::lock_guard lock(mu_);
    out.children = children_of_locked(from.shard);
  } else {
    out.next_iterator = token ? encode_iterator({uid_, from.shard, next, now}) : std::string();
  }
  return out;
}

void Stream::change(Change change, ChangeDone done) {
  std::unique_lock lock(mu_);
  if (deleted_.load()) {
    lock.unlock();
    return done(
        fail(errc::not_found, "StreamName", "Stream " + key_.name + " under account " + key_.account + " not found."));
  }
  format::StreamRecord next = record_;
  if (auto s = change(next, clock_.now()); !s) {
    lock.unlock();
    return done(s);
  }
  // Close what the change closed at each shard's last counter; start children
  // after their parents (which come before them in the list).
  for (auto& r : next.shards) {
    if (r.starting == 0) {
      uint64_t after = 0;
      for (const auto& p : next.shards)
        if (p.index == r.parent || p.index == r.adjacent_parent) after = std::max(after, p.ending);
      r.starting = after + 1;
    }
    if (r.ending == kEndAtLast) {
      auto it = std::find_if(shards_.begin(), shards_.end(), [&](const auto& s) { return s->record.index == r.index; });
      r.ending = std::max(it != shards_.end() ? (*it)->last : 0, r.starting);
    }
  }
  const format::StreamRecord previous = record_;
  const bool reshaped = previous.shards != next.shards;
  install_locked(next);
  storage::WriteBatch batch;
  batch.put(format::stream_key(key_.region, key_.account, key_.name), format::encode_stream(next));
  // What follows the commit takes mu_ (to restore the settings, to find the
  // shards to wake), so it never runs inside commit(), which we call holding mu_:
  // a store that commits inline leaves it to us, after the lock is released.
  auto finish = [this, self = shared_from_this(), previous, reshaped, done = std::move(done)](bool ok) {
    std::vector<std::shared_ptr<Shard>> shards;
    {
      std::lock_guard relock(mu_);
      if (!ok && !reshaped) install_locked(previous);
      if (reshaped) shards = shards_;
    }
    for (auto& s : shards) s->notify();  // readers at a closed shard's end move on
    done(ok ? Status<Error>() : fail(errc::storage_failure, "", "The stream could not be stored."));
  };
  enum : int { kInCommit = 0, kDoneInline = 1, kReturned = 2 };
  struct Handoff {
    std::atomic<int> state{kInCommit};
    bool ok = false;
  };
  auto handoff = std::make_shared<Handoff>();
  store_.commit(std::move(batch), storage::Durability::sync, [handoff, finish](bool ok) mutable {
    handoff->ok = ok;
    if (handoff->state.exchange(kDoneInline) == kReturned) finish(ok);
  });
  const bool inline_done = handoff->state.exchange(kReturned) == kDoneInline;
  lock.unlock();
  if (inline_done) finish(handoff->ok);
}

StreamView Stream::view() const {
  std::lock_guard lock(mu_);
  StreamView v{key_, arn_, record_, record_.shards, open_.size()};
  return v;
}

format::StreamRecord Stream::record() const {
  std::lock_guard lock(mu_);
  return record_;
}

bool Stream::expire(TimeMs now, storage::WriteBatch& batch) {
  std::lock_guard lock(mu_);
  const uint64_t cutoff = counter_at(now - record_.retention_hours * kHourMs);
  bool empty_closed = false;
  for (auto& s : shards_) {
    if (cutoff <= s->trim.load()) continue;
    batch.del_range(format::record_key(uid_, s->record.index, 0), format::record_key(uid_, s->record.index, cutoff));
    s->trim.store(cutoff);
    if (!s->record.open() && s->record.ending < cutoff) empty_closed = true;
  }
  return empty_closed;
}

std::vector<std::shared_ptr<Shard>> Stream::shards() const {
  std::lock_guard lock(mu_);
  return shards_;
}

std::vector<Stream::ShardTraffic> Stream::take_traffic() {
  std::lock_guard lock(mu_);
  std::vector<ShardTraffic> out;
  for (auto& s : open_) {
    out.push_back({s->record.index, s->record.range, s->bytes_in, s->records_in});
    s->bytes_in = s->records_in = 0;
  }
  return out;
}

}  // namespace sluice::stream
