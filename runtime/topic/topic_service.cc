#include "runtime/topic/topic_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <unordered_set>

#include "runtime/common/arn.h"
#include "runtime/common/random.h"
#include "runtime/topic/token.h"

namespace sluice::topic {
namespace {

using format::SubscriptionState;
using nlohmann::json;

Failure<Error> no_such_topic() { return fail(errc::not_found, "TopicArn", "Topic does not exist"); }
Failure<Error> no_such_subscription() {
  return fail(errc::not_found, "SubscriptionArn", "Subscription does not exist");
}
Failure<Error> storage_failed(const std::string& what) {
  return fail(errc::storage_failure, "", what + " could not be stored.");
}

bool is_http(std::string_view p) { return p == "http" || p == "https"; }

uint64_t fresh_uid() {
  uint64_t u = 0;
  while (u == 0) u = random_u64();
  return u;
}

// "2023-01-01T00:00:00Z" or with fractional seconds -> ms since the epoch.
std::optional<TimeMs> parse_iso8601(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  if (*end == '.') {
    ++end;
    int digits = 0;
    while (std::isdigit(uint8_t(*end))) {
      if (digits++ < 3) ms = ms * 10 + (*end - '0');
      ++end;
    }
    while (digits++ < 3) ms *= 10;
  }
  if (*end == 'Z') ++end;
  if (*end) return std::nullopt;
  return TimeMs(timegm(&tm)) * 1000 + ms;
}

std::string resource_key(const std::string& region, const std::string& account, const std::string& name) {
  return region + '\0' + account + '\0' + name;
}

// The values of an ARN-keyed map.
template <class Map>
std::vector<typename Map::mapped_type> values_of(const Map& map) {
  std::vector<typename Map::mapped_type> out;
  out.reserve(map.size());
  for (const auto& [arn, v] : map) out.push_back(v);
  return out;
}

// One page of an ARN-keyed map: the entries under `prefix` (a region and
// account) after `token` (the last ARN of the page before), and the next token.
template <class Map>
Result<std::pair<std::vector<typename Map::mapped_type>, std::string>, Error> page_of(const Map& map,
                                                                                      const std::string& prefix,
                                                                                      const std::string& token) {
  if (!token.empty() && token.rfind(prefix, 0) != 0) return invalid("NextToken", token, "Invalid token");
  std::vector<typename Map::mapped_type> items;
  std::string next;
  auto it = token.empty() ? map.lower_bound(prefix) : map.upper_bound(token);
  for (; it != map.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    if (items.size() == size_t(limits::kListPageSize)) {
      next = std::prev(it)->first;
      break;
    }
    items.push_back(it->second);
  }
  return std::make_pair(std::move(items), std::move(next));
}

std::string account_prefix(const std::string& region, const std::string& account) {
  return "arn:aws:sns:" + region + ":" + account + ":";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

}  // namespace

TopicService::TopicService(TopicServiceOptions options, storage::Store& store, Clock& clock, Scheduler& scheduler,
                           DeliveryContext context)
    : options_(options), store_(store), clock_(clock), scheduler_(scheduler), context_(std::move(context)) {
  context_.clock = &clock_;
  context_.scheduler = &scheduler_;
}

TopicService::~TopicService() { stop(); }

void TopicService::stop() {
  if (stopped_.exchange(true)) return;
  if (sweep_timer_) scheduler_.cancel(sweep_timer_);
  std::shared_lock lock(mu_);
  for (auto& [arn, s] : subscriptions_) s->retire();
}

// --- recovery ---------------------------------------------------------------------

Result<TopicService::Recovered, Error> TopicService::recover() {
  Recovered r;
  struct Loaded {
    TopicKey key;
    format::TopicRecord record;
  };
  std::vector<Loaded> loaded;
  std::string bad_key;
  bool ok = store_.scan(storage::key_of(storage::Tag::topic), [&](std::string_view key, std::string_view value) {
    auto parts = format::parse_topic_key(key);
    auto rec = format::decode_topic(value);
    if (!parts || !rec) {
      bad_key = std::string(key);
      return false;
    }
    loaded.push_back({{parts->region, parts->account, parts->name}, std::move(*rec)});
    return true;
  });
  if (!bad_key.empty())
    return fail(errc::storage_failure, "", "The topic record under key " + bad_key + " cannot be read.");
  if (!ok) return fail(errc::storage_failure, "", "The topic records could not be read.");

  std::unordered_map<uint64_t, Seq> cursors;
  ok = store_.scan(storage::key_of(storage::Tag::subscription_cursor), [&](std::string_view key, std::string_view v) {
    if (auto c = format::decode_cursor(v)) cursors[format::sub_uid_of_cursor_key(key)] = *c;
    return true;
  });
  if (!ok) return fail(errc::storage_failure, "", "The subscription cursors could not be read.");

  storage::WriteBatch repairs;
  std::unordered_set<uint64_t> live_topics, live_subs;
  for (auto& l : loaded) {
    auto topic =
        std::make_shared<Topic>(l.key, l.record, store_, options_.durability, clock_, options_.memory_bytes_per_topic);
    live_topics.insert(topic->uid());
    std::vector<std::pair<format::SubscriptionRecord, SubscriptionSettings>> subs;
    ok = store_.scan(format::subscription_prefix(topic->uid()), [&](std::string_view key, std::string_view value) {
      auto rec = format::decode_subscription(value);
      auto settings = rec ? compile_settings(rec->attributes, rec->protocol) : Failure<Error>{Error{}};
      if (!rec || !settings.ok()) {
        r.skipped_records++;
        repairs.del(std::string(key));
        return true;
      }
      subs.emplace_back(std::move(*rec), std::move(*settings));
      return true;
    });
    if (!ok) return fail(errc::storage_failure, "", "The subscriptions of " + topic->arn() + " could not be read.");
    Seq from = std::numeric_limits<Seq>::max(), max_cursor = 1;
    for (const auto& [rec, settings] : subs) {
      auto c = cursors.find(rec.uid);
      if (rec.state == SubscriptionState::confirmed) from = std::min(from, c == cursors.end() ? Seq(0) : c->second);
      if (c != cursors.end()) max_cursor = std::max(max_cursor, c->second);
    }
    uint64_t skipped = 0;
    if (!topic->recover(from, max_cursor, skipped))
      return fail(errc::storage_failure, "", "The messages of " + topic->arn() + " could not be read.");
    r.skipped_records += skipped;
    std::unique_lock lock(mu_);
    topics_.emplace(topic->arn(), topic);
    lock.unlock();
    for (auto& [rec, settings] : subs) {
      live_subs.insert(rec.uid);
      auto c = cursors.find(rec.uid);
      const bool confirmed = rec.state == SubscriptionState::confirmed;
      const bool authenticated = rec.authenticated;
      auto sub = make_subscription(topic, std::move(rec), std::move(settings));
      topic->add(sub);
      if (confirmed) {
        // No cursor written yet: from the oldest message kept (at-least-once).
        const Seq cursor =
            c == cursors.end() ? (from == std::numeric_limits<Seq>::max() ? topic->end() : from) : c->second;
        if (auto m = topic->next(cursor)) r.pending_messages += topic->end() - m->seq;
        sub->confirm(authenticated, cursor);
      }
      r.subscriptions++;
    }
    r.topics++;
  }
  // Records of deleted topics and subscriptions (a crash between the two commits of a delete).
  for (auto tag : {storage::Tag::subscription, storage::Tag::topic_message}) {
    std::vector<uint64_t> orphans;
    store_.scan(storage::key_of(tag), [&](std::string_view key, std::string_view) {
      const uint64_t uid = tag == storage::Tag::subscription ? format::topic_uid_of_subscription_key(key)
                                                             : format::topic_uid_of_message_key(key);
      if (!live_topics.count(uid) && (orphans.empty() || orphans.back() != uid)) orphans.push_back(uid);
      return true;
    });
    for (uint64_t uid : orphans) {
      const std::string p =
          tag == storage::Tag::subscription ? format::subscription_prefix(uid) : format::message_prefix(uid);
      repairs.del_range(p, storage::prefix_end(p));
    }
  }
  for (const auto& [uid, cursor] : cursors)
    if (!live_subs.count(uid)) repairs.del(format::cursor_key(uid));
  if (!repairs.empty()) store_.commit(std::move(repairs), storage::Durability::sync, [](bool) {});
  schedule_sweep();
  return r;
}

SubscriptionPtr TopicService::make_subscription(const TopicPtr& topic, format::SubscriptionRecord record,
                                                SubscriptionSettings settings) {
  std::string arn = topic->arn() + ":" + record.id;
  const std::string resource = record.resource;
  auto sub = std::make_shared<Subscription>(arn, topic->arn(), std::move(record), std::move(settings), topic, store_,
                                            context_);
  std::unique_lock lock(mu_);
  subscriptions_[arn] = sub;
  if (!resource.empty()) resources_[resource_key(topic->key().region, topic->key().account, resource)] = sub;
  return sub;
}

// --- sweep --------------------------------------------------------------------------

void TopicService::schedule_sweep() {
  if (stopped_) return;
  sweep_timer_ = scheduler_.schedule_at(clock_.now() + options_.sweep_interval_ms, [this] {
    sweep();
    schedule_sweep();
  });
}

void TopicService::sweep() {
  storage::WriteBatch batch;
  for (const auto& t : all()) t->sweep(batch);
  if (!batch.empty()) store_.commit(std::move(batch), storage::Durability::periodic, [](bool) {});
}

// --- topics ---------------------------------------------------------------------------

TopicPtr TopicService::find(std::string_view arn) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(arn);
  return it == topics_.end() ? nullptr : it->second;
}

std::vector<TopicPtr> TopicService::all() const {
  std::shared_lock lock(mu_);
  return values_of(topics_);
}

size_t TopicService::size() const {
  std::shared_lock lock(mu_);
  return topics_.size();
}

Result<Page<TopicPtr>, Error> TopicService::list_topics(const std::string& region, const std::string& account,
                                                        const std::string& next_token) const {
  std::shared_lock lock(mu_);
  auto page = page_of(topics_, account_prefix(region, account), next_token);
  if (!page) return Failure<Error>{page.error()};
  return Page<TopicPtr>{std::move(page->first), std::move(page->second)};
}

void TopicService::create_topic(const TopicKey& key, const StringPairs& attributes, const StringPairs& tags,
                                const std::string& data_protection_policy, TopicCallback done) {
  control_.submit([this, key, attributes, tags, data_protection_policy, done = std::move(done)](Sequencer::Done next) {
    bool fifo = false;
    for (const auto& [k, v] : attributes)
      if (k == "FifoTopic") fifo = lower(v) == "true";
    if (auto s = validate_topic_name(key.name, fifo); !s) return done(Failure<Error>{s.error()}), next();
    if (auto s = validate_tags(tags); !s) return done(Failure<Error>{s.error()}), next();
    format::TopicRecord record;
    for (const auto& [k, v] : attributes)
      if (auto s = set_attribute(topic_attribute_defs(), record.attributes, k, v, true, fifo); !s)
        return done(Failure<Error>{s.error()}), next();
    if (!fifo) record.attributes.erase("FifoTopic");  // "false" is the absence of the attribute
    record.tags = tags;
    record.data_protection_policy = data_protection_policy;
    if (auto existing = find(key.arn())) {
      const auto current = existing->record();
      if (current.attributes != record.attributes && !attributes.empty())
        done(fail(errc::already_exists, "Name", "Topic already exists with different attributes"));
      else if (!tags.empty() && current.tags != tags)
        done(fail(errc::already_exists, "Tags", "Topic already exists with different tags"));
      else done(existing);
      return next();
    }
    insert_topic(key, std::move(record), std::move(done), std::move(next));
  });
}

void TopicService::insert_topic(const TopicKey& key, format::TopicRecord record, TopicCallback done,
                                Sequencer::Done next) {
  record.uid = fresh_uid();
  record.created_ms = clock_.now();
  auto topic =
      std::make_shared<Topic>(key, record, store_, options_.durability, clock_, options_.memory_bytes_per_topic);
  uint64_t skipped = 0;
  (void)topic->recover(0, 1, skipped);  // a fresh uid: nothing to read, sets the sequence start
  storage::WriteBatch b;
  b.put(format::topic_key(key.region, key.account, key.name), format::encode_topic(record));
  store_.commit(std::move(b), storage::Durability::sync,
                [this, topic, done = std::move(done), next = std::move(next)](bool ok) {
                  if (!ok) {
                    done(storage_failed("The topic"));
                    return next();
                  }
                  {
                    std::unique_lock lock(mu_);
                    topics_[topic->arn()] = topic;
                  }
                  done(topic);
                  next();
                });
}

Status<Error> TopicService::check_apply_topic(const TopicKey& key, const Attributes& attributes) const {
  const bool fifo = attribute_true(attributes, "FifoTopic");
  if (auto s = validate_topic_name(key.name, fifo); !s) return s;
  Attributes scratch;
  for (const auto& [k, v] : attributes)
    if (auto s = set_attribute(topic_attribute_defs(), scratch, k, v, true, fifo); !s) return s;
  if (auto existing = find(key.arn()); existing && existing->fifo() != fifo)
    return invalid("Attributes.FifoTopic", fifo ? "true" : "false", "FifoTopic cannot be changed");
  return {};
}

void TopicService::apply_topic(const TopicKey& key, const Attributes& attributes, const StringPairs& tags,
                               TopicCallback done) {
  if (auto s = check_apply_topic(key, attributes); !s) return done(Failure<Error>{s.error()});
  if (auto s = validate_tags(tags); !s) return done(Failure<Error>{s.error()});
  control_.submit([this, key, attributes, tags, done = std::move(done)](Sequencer::Done next) {
    format::TopicRecord record;
    record.attributes = attributes;
    if (!attribute_true(record.attributes, "FifoTopic")) record.attributes.erase("FifoTopic");
    record.tags = tags;
    auto existing = find(key.arn());
    if (!existing) return insert_topic(key, std::move(record), std::move(done), std::move(next));
    format::TopicRecord updated = existing->record();
    updated.attributes = record.attributes;
    updated.tags = tags;
    storage::WriteBatch b;
    b.put(format::topic_key(key.region, key.account, key.name), format::encode_topic(updated));
    store_.commit(std::move(b), storage::Durability::sync,
                  [existing, updated, done = std::move(done), next = std::move(next)](bool ok) mutable {
                    if (!ok) {
                      done(storage_failed("The topic"));
                      return next();
                    }
                    existing->set_record(std::move(updated));
                    done(existing);
                    next();
                  });
  });
}

void TopicService::update_topic(const TopicPtr& topic, TopicChange change, StatusCallback done) {
  control_.submit([this, topic, change = std::move(change), done = std::move(done)](Sequencer::Done next) {
    if (topic->retired()) return done(no_such_topic()), next();
    format::TopicRecord record = topic->record();
    if (auto s = change(record); !s) return done(s), next();
    storage::WriteBatch b;
    const auto& k = topic->key();
    b.put(format::topic_key(k.region, k.account, k.name), format::encode_topic(record));
    store_.commit(std::move(b), storage::Durability::sync,
                  [topic, record, done = std::move(done), next = std::move(next)](bool ok) mutable {
                    if (ok) topic->set_record(std::move(record));
                    done(ok ? Status<Error>() : Status<Error>(storage_failed("The topic")));
                    next();
                  });
  });
}

void TopicService::set_topic_attribute(const TopicPtr& topic, const std::string& name, const std::string& value,
                                       StatusCallback done) {
  const bool fifo = topic->fifo();
  update_topic(
      topic,
      [name, value, fifo](format::TopicRecord& r) {
        return set_attribute(topic_attribute_defs(), r.attributes, name, value, false, fifo);
      },
      std::move(done));
}

void TopicService::tag(const TopicPtr& topic, const StringPairs& tags, StatusCallback done) {
  update_topic(
      topic,
      [tags](format::TopicRecord& r) -> Status<Error> {
        StringPairs merged = r.tags;
        for (const auto& [k, v] : tags) {
          auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& p) { return p.first == k; });
          if (it != merged.end()) it->second = v;
          else merged.emplace_back(k, v);
        }
        if (auto s = validate_tags(merged); !s) return s;
        r.tags = std::move(merged);
        return {};
      },
      std::move(done));
}

void TopicService::untag(const TopicPtr& topic, const std::vector<std::string>& keys, StatusCallback done) {
  update_topic(
      topic,
      [keys](format::TopicRecord& r) -> Status<Error> {
        std::erase_if(r.tags,
                      [&](const auto& p) { return std::find(keys.begin(), keys.end(), p.first) != keys.end(); });
        return {};
      },
      std::move(done));
}

void TopicService::add_permission(const TopicPtr& topic, const std::string& label,
                                  const std::vector<std::string>& accounts, const std::vector<std::string>& actions,
                                  StatusCallback done) {
  const std::string arn = topic->arn(), owner = topic->key().account;
  update_topic(
      topic,
      [=](format::TopicRecord& r) -> Status<Error> {
        json policy = json::parse(attribute_or(r.attributes, "Policy", ""), nullptr, false);
        if (policy.is_discarded() || !policy.is_object())
          policy = {{"Version", "2008-10-17"}, {"Id", "__default_policy_ID"}, {"Statement", json::array()}};
        auto& statements = policy["Statement"];
        if (!statements.is_array()) statements = json::array();
        for (const auto& s : statements)
          if (s.value("Sid", "") == label) return invalid("Label", label, "Statement already exists");
        json principals = json::array(), acts = json::array();
        for (const auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
        for (const auto& a : actions) acts.push_back("SNS:" + a);
        statements.push_back({{"Sid", label},
                              {"Effect", "Allow"},
                              {"Principal", {{"AWS", principals}}},
                              {"Action", acts},
                              {"Resource", arn}});
        r.attributes["Policy"] = policy.dump();
        (void)owner;
        return {};
      },
      std::move(done));
}

void TopicService::remove_permission(const TopicPtr& topic, const std::string& label, StatusCallback done) {
  update_topic(
      topic,
      [label](format::TopicRecord& r) -> Status<Error> {
        json policy = json::parse(attribute_or(r.attributes, "Policy", ""), nullptr, false);
        if (policy.is_discarded() || !policy.is_object() || !policy["Statement"].is_array())
          return fail(errc::not_found, "Label", "Statement does not exist");
        auto& statements = policy["Statement"];
        const size_t before = statements.size();
        for (size_t i = statements.size(); i-- > 0;)
          if (statements[i].value("Sid", "") == label) statements.erase(i);
        if (statements.size() == before) return fail(errc::not_found, "Label", "Statement does not exist");
        r.attributes["Policy"] = policy.dump();
        return {};
      },
      std::move(done));
}

void TopicService::put_data_protection_policy(const TopicPtr& topic, const std::string& policy, StatusCallback done) {
  update_topic(
      topic,
      [policy](format::TopicRecord& r) -> Status<Error> {
        auto j = json::parse(policy, nullptr, false);
        if (j.is_discarded() || !j.is_object())
          return invalid("DataProtectionPolicy", policy, "DataProtectionPolicy must be a JSON object");
        r.data_protection_policy = policy;
        return {};
      },
      std::move(done));
}

void TopicService::delete_topic(const std::string& arn, StatusCallback done) {
  control_.submit([this, arn, done = std::move(done)](Sequencer::Done next) {
    TopicPtr topic = find(arn);
    if (!topic) return done({}), next();  // DeleteTopic of a topic that does not exist succeeds, as on SNS
    auto subs = topic->subscriptions();
    {
      std::unique_lock lock(mu_);
      topics_.erase(arn);
      for (const auto& s : subs) {
        subscriptions_.erase(s->arn());
        std::erase_if(resources_, [&](const auto& kv) { return kv.second == s; });
      }
    }
    topic->retire();
    storage::WriteBatch b;
    const auto& k = topic->key();
    b.del(format::topic_key(k.region, k.account, k.name));
    for (const auto& s : subs) b.del(format::cursor_key(s->uid()));
    const std::string sp = format::subscription_prefix(topic->uid()), mp = format::message_prefix(topic->uid());
    b.del_range(sp, storage::prefix_end(sp));
    b.del_range(mp, storage::prefix_end(mp));
    store_.commit(std::move(b), storage::Durability::sync, [done = std::move(done), next = std::move(next)](bool ok) {
      done(ok ? Status<Error>() : Status<Error>(storage_failed("The deletion")));
      next();
    });
  });
}

// --- subscriptions -------------------------------------------------------------------------

Status<Error> TopicService::check_endpoint(const TopicPtr& topic, const std::string& protocol,
                                           const std::string& endpoint) const {
  static const std::unordered_set<std::string> kNotDelivered = {"email", "email-json", "sms", "application", "lambda"};
  if (kNotDelivered.count(protocol))
    return invalid(
        "Protocol", protocol,
        "Sluice does not deliver to " + protocol + " endpoints; it delivers to sqs, http and https subscriptions.");
  if (protocol == "firehose")
    return invalid("Protocol", protocol,
                   "Sluice cannot deliver to Firehose delivery streams yet: it has no delivery stream engine.");
  if (protocol != "sqs" && !is_http(protocol))
    return invalid("Protocol", protocol, "Invalid protocol type: " + protocol);
  if (protocol == "sqs") {
    auto arn = parse_arn(endpoint);
    if (!arn || arn->service != "sqs" || arn->resource.empty() || !is_account_id(arn->account))
      return invalid("Endpoint", endpoint, "SQS endpoint ARN");
    if (context_.queues)
      if (auto q = context_.queues->describe_queue(endpoint); q && q->fifo && !topic->fifo())
        return invalid("Endpoint", endpoint, "FIFO SQS Queues can not be subscribed to standard SNS topics");
    return {};
  }
  if (topic->fifo()) return invalid("Protocol", protocol, "FIFO topics deliver only to SQS queues");
  const std::string scheme = protocol + "://";
  if (endpoint.rfind(scheme, 0) != 0 || endpoint.size() <= scheme.size())
    return invalid("Endpoint", endpoint, "Endpoint must match the specified protocol");
  return {};
}

SubscriptionPtr TopicService::find_by_endpoint(const TopicPtr& topic, const std::string& protocol,
                                               const std::string& endpoint) const {
  for (const auto& s : topic->subscriptions())
    if (s->protocol() == protocol && s->endpoint() == endpoint) return s;
  return nullptr;
}

Status<Error> TopicService::check_subscription(const TopicPtr& topic, const SubscribeRequest& request) const {
  const std::string protocol = lower(request.protocol);
  if (auto s = check_endpoint(topic, protocol, request.endpoint); !s) return s;
  Attributes attrs;
  for (const auto& [k, v] : request.attributes)
    if (auto s = set_attribute(subscription_attribute_defs(), attrs, k, v, true, topic->fifo()); !s) return s;
  auto settings = compile_settings(attrs, protocol);
  if (!settings) return Failure<Error>{settings.error()};
  return {};
}

void TopicService::subscribe(const TopicPtr& topic, const SubscribeRequest& request, SubscribeCallback done) {
  control_.submit([this, topic, request, done = std::move(done)](Sequencer::Done next) {
    if (topic->retired()) return done(no_such_topic()), next();
    const std::string protocol = lower(request.protocol);
    if (auto s = check_endpoint(topic, protocol, request.endpoint); !s) return done(Failure<Error>{s.error()}), next();
    Attributes attrs;
    for (const auto& [k, v] : request.attributes)
      if (auto s = set_attribute(subscription_attribute_defs(), attrs, k, v, true, topic->fifo()); !s)
        return done(Failure<Error>{s.error()}), next();
    auto settings = compile_settings(attrs, protocol);
    if (!settings) return done(Failure<Error>{settings.error()}), next();
    if (auto existing = find_by_endpoint(topic, protocol, request.endpoint)) {
      if (!request.attributes.empty() && existing->settings().attributes != attrs)
        done(fail(errc::already_exists, "Attributes", "Subscription already exists with different attributes"));
      else done(view(existing));
      return next();
    }
    if (settings->filter) {
      size_t filters = 0;
      for (const auto& s : topic->subscriptions()) filters += s->settings().filter ? 1 : 0;
      if (filters >= limits::kMaxFilterPoliciesPerTopic)
        return done(fail(errc::limit_exceeded, "FilterPolicy", "Filter policy limit exceeded for this topic")), next();
    }
    format::SubscriptionRecord rec;
    rec.uid = fresh_uid();
    rec.id = uuid4();
    rec.protocol = protocol;
    rec.endpoint = request.endpoint;
    rec.owner = request.owner.empty() ? topic->key().account : request.owner;
    rec.created_ms = clock_.now();
    rec.attributes = attrs;
    rec.resource = request.resource;
    if (is_http(protocol)) {
      rec.token = random_token();
      rec.token_expires_ms = clock_.now() + limits::kConfirmationTokenLifetimeMs;
    } else {
      rec.state = SubscriptionState::confirmed;
    }
    auto sub = std::make_shared<Subscription>(topic->arn() + ":" + rec.id, topic->arn(), rec, std::move(*settings),
                                              topic, store_, context_);
    commit_subscription(topic, sub, std::move(done), std::move(next));
  });
}

void TopicService::commit_subscription(const TopicPtr& topic, const SubscriptionPtr& sub, SubscribeCallback done,
                                       Sequencer::Done next) {
  const auto rec = sub->record();
  const bool confirmed = rec.state == SubscriptionState::confirmed;
  const Seq cursor = topic->end();
  storage::WriteBatch b;
  b.put(format::subscription_key(topic->uid(), rec.uid), format::encode_subscription(rec));
  if (confirmed) b.put(format::cursor_key(rec.uid), format::encode_cursor(cursor));
  store_.commit(std::move(b), storage::Durability::sync,
                [this, topic, sub, confirmed, cursor, done = std::move(done), next = std::move(next)](bool ok) {
                  if (!ok) {
                    done(storage_failed("The subscription"));
                    return next();
                  }
                  {
                    std::unique_lock lock(mu_);
                    subscriptions_[sub->arn()] = sub;
                    const auto resource = sub->record().resource;
                    if (!resource.empty())
                      resources_[resource_key(topic->key().region, topic->key().account, resource)] = sub;
                  }
                  topic->add(sub);
                  if (confirmed) sub->confirm(false, cursor);
                  else sub->send_confirmation_request();
                  done(view(sub));
                  next();
                });
}

void TopicService::apply_subscription(const TopicPtr& topic, const SubscribeRequest& request, SubscribeCallback done) {
  const std::string protocol = lower(request.protocol);
  auto existing = find_by_endpoint(topic, protocol, request.endpoint);
  if (!existing) return subscribe(topic, request, std::move(done));
  if (!request.resource.empty() && existing->record().resource != request.resource)
    return done(fail(errc::already_exists, "spec",
                     "Subscription " + existing->arn() + " already delivers this topic to this endpoint"));
  control_.submit([this, topic, existing, request, protocol, done = std::move(done)](Sequencer::Done next) {
    Attributes attrs;
    for (const auto& [k, v] : request.attributes)
      if (auto s = set_attribute(subscription_attribute_defs(), attrs, k, v, true, topic->fifo()); !s)
        return done(Failure<Error>{s.error()}), next();
    auto settings = compile_settings(attrs, protocol);
    if (!settings) return done(Failure<Error>{settings.error()}), next();
    auto rec = existing->record();
    rec.attributes = attrs;
    storage::WriteBatch b;
    b.put(format::subscription_key(topic->uid(), rec.uid), format::encode_subscription(rec));
    store_.commit(std::move(b), storage::Durability::sync,
                  [this, existing, settings = std::move(*settings), done = std::move(done),
                   next = std::move(next)](bool ok) mutable {
                    if (ok) existing->set_settings(std::move(settings));
                    if (ok) done(view(existing));
                    else done(storage_failed("The subscription"));
                    next();
                  });
  });
}

void TopicService::confirm(const std::string& topic_arn, const std::string& token, bool authenticated,
                           SubscribeCallback done) {
  control_.submit([this, topic_arn, token, authenticated, done = std::move(done)](Sequencer::Done next) {
    TopicPtr topic = find(topic_arn);
    if (!topic) return done(no_such_topic()), next();
    SubscriptionPtr sub;
    for (const auto& s : topic->subscriptions())
      if (!token.empty() && s->record().token == token) sub = s;
    if (!sub) return done(invalid("Token", token, "Invalid token")), next();
    auto rec = sub->record();
    if (rec.state == SubscriptionState::confirmed) return done(view(sub)), next();
    if (clock_.now() > rec.token_expires_ms) return done(fail(errc::expired, "Token", "Invalid token")), next();
    rec.state = SubscriptionState::confirmed;
    rec.authenticated = authenticated;
    const Seq cursor = topic->end();
    storage::WriteBatch b;
    b.put(format::subscription_key(topic->uid(), rec.uid), format::encode_subscription(rec));
    b.put(format::cursor_key(rec.uid), format::encode_cursor(cursor));
    store_.commit(std::move(b), storage::Durability::sync,
                  [this, sub, authenticated, cursor, done = std::move(done), next = std::move(next)](bool ok) {
                    if (ok) sub->confirm(authenticated, cursor);
                    if (ok) done(view(sub));
                    else done(storage_failed("The confirmation"));
                    next();
                  });
  });
}

void TopicService::unsubscribe(const std::string& arn, StatusCallback done) {
  control_.submit([this, arn, done = std::move(done)](Sequencer::Done next) {
    SubscriptionPtr sub;
    {
      std::unique_lock lock(mu_);
      auto it = subscriptions_.find(arn);
      if (it == subscriptions_.end()) {
        lock.unlock();
        return done(no_such_subscription()), next();
      }
      sub = it->second;
      subscriptions_.erase(it);
      std::erase_if(resources_, [&](const auto& kv) { return kv.second == sub; });
    }
    TopicPtr topic = find(sub->topic_arn());
    sub->send_unsubscribe_confirmation();
    sub->retire();
    storage::WriteBatch b;
    if (topic) {
      topic->remove(arn);
      topic->count_deleted();
      b.del(format::subscription_key(topic->uid(), sub->uid()));
    }
    b.del(format::cursor_key(sub->uid()));
    store_.commit(std::move(b), storage::Durability::sync, [done = std::move(done), next = std::move(next)](bool ok) {
      done(ok ? Status<Error>() : Status<Error>(storage_failed("The unsubscription")));
      next();
    });
  });
}

void TopicService::set_subscription_attribute(const std::string& arn, const std::string& name, const std::string& value,
                                              StatusCallback done) {
  control_.submit([this, arn, name, value, done = std::move(done)](Sequencer::Done next) {
    SubscriptionPtr sub;
    {
      std::shared_lock lock(mu_);
      sub = find_subscription_locked(arn);
    }
    TopicPtr topic = sub ? find(sub->topic_arn()) : nullptr;
    if (!sub || !topic) return done(no_such_subscription()), next();
    auto rec = sub->record();
    if (auto s = set_attribute(subscription_attribute_defs(), rec.attributes, name, value, false, topic->fifo()); !s)
      return done(s), next();
    auto settings = compile_settings(rec.attributes, sub->protocol());
    if (!settings) return done(Failure<Error>{settings.error()}), next();
    std::optional<TimeMs> replay_from;
    if (name == "ReplayPolicy" && !value.empty()) {
      auto j = json::parse(value, nullptr, false);
      replay_from = parse_iso8601(j.value("StartingPoint", ""));
      if (!replay_from)
        return done(invalid("Attributes.ReplayPolicy", value, "StartingPoint must be ISO 8601")), next();
      if (topic->archive_days() == 0)
        return done(invalid("Attributes.ReplayPolicy", value, "The topic has no ArchivePolicy to replay from")), next();
    }
    storage::WriteBatch b;
    b.put(format::subscription_key(topic->uid(), rec.uid), format::encode_subscription(rec));
    store_.commit(std::move(b), storage::Durability::sync,
                  [sub, replay_from, settings = std::move(*settings), done = std::move(done),
                   next = std::move(next)](bool ok) mutable {
                    if (ok) {
                      sub->set_settings(std::move(settings));
                      if (replay_from) sub->replay_from(*replay_from);
                    }
                    done(ok ? Status<Error>() : Status<Error>(storage_failed("The subscription")));
                    next();
                  });
  });
}

SubscriptionPtr TopicService::find_resource(const std::string& region, const std::string& account,
                                            const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = resources_.find(resource_key(region, account, name));
  return it == resources_.end() ? nullptr : it->second;
}

std::vector<SubscriptionPtr> TopicService::all_subscriptions() const {
  std::shared_lock lock(mu_);
  return values_of(subscriptions_);
}

SubscriptionPtr TopicService::find_subscription_locked(std::string_view arn) const {
  auto it = subscriptions_.find(arn);
  return it == subscriptions_.end() ? nullptr : it->second;
}

SubscriptionView TopicService::view(const SubscriptionPtr& s) const {
  SubscriptionView v;
  const auto rec = s->record();
  v.pending = rec.state != SubscriptionState::confirmed;
  v.arn = v.pending ? "PendingConfirmation" : s->arn();
  v.topic_arn = s->topic_arn();
  v.protocol = rec.protocol;
  v.endpoint = rec.endpoint;
  v.owner = rec.owner;
  v.authenticated = rec.authenticated;
  v.attributes = rec.attributes;
  v.replay_status = s->replay_status();
  if (is_http(rec.protocol))
    if (auto topic = find(s->topic_arn()))
      v.effective_delivery_policy =
          render_delivery_policy(effective_delivery_policy(topic->delivery_policy(), s->settings().delivery_policy));
  v.subscription = s;
  return v;
}

std::optional<SubscriptionView> TopicService::subscription(std::string_view arn) const {
  SubscriptionPtr s;
  {
    std::shared_lock lock(mu_);
    s = find_subscription_locked(arn);
  }
  if (!s) return std::nullopt;
  return view(s);
}

Result<Page<SubscriptionView>, Error> TopicService::list_subscriptions(const std::string& region,
                                                                       const std::string& account,
                                                                       const std::string& next_token) const {
  std::shared_lock lock(mu_);
  auto page = page_of(subscriptions_, account_prefix(region, account), next_token);
  lock.unlock();
  if (!page) return Failure<Error>{page.error()};
  Page<SubscriptionView> out{{}, std::move(page->second)};
  for (const auto& s : page->first) out.items.push_back(view(s));
  return out;
}

Result<Page<SubscriptionView>, Error> TopicService::list_subscriptions_by_topic(const TopicPtr& topic,
                                                                                const std::string& next_token) const {
  auto subs = topic->subscriptions();
  std::sort(subs.begin(), subs.end(), [](const auto& a, const auto& b) { return a->arn() < b->arn(); });
  Page<SubscriptionView> page;
  for (const auto& s : subs) {
    if (!next_token.empty() && s->arn() <= next_token) continue;
    if (page.items.size() == size_t(limits::kListPageSize)) {
      page.next_token = page.items.back().subscription->arn();
      break;
    }
    page.items.push_back(view(s));
  }
  return page;
}

void TopicService::publish(const TopicPtr& topic, std::vector<PublishEntry> entries, PublishCallback done) {
  topic->publish(std::move(entries), std::move(done));
}

}  // namespace sluice::topic
