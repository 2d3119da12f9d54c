#pragma once
// TopicService: every topic and subscription of every region and account, the
// control plane over them (create, attributes, tags, permissions, subscribe,
// confirm, unsubscribe, delete), the sweep of delivered messages, and recovery
// of all of it from the store at start-up.
//
// Control-plane changes run one at a time on a Sequencer and answer once their
// record is durable; no lock is held while a commit is in flight, so a
// CreateTopic never stalls a Publish (which goes straight to the Topic object).
//
// Threading: every public method may be called from any thread; callbacks may
// run on the caller's thread or the store's committer thread.

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"
#include "runtime/common/sequencer.h"
#include "runtime/storage/store.h"
#include "runtime/topic/delivery.h"
#include "runtime/topic/subscription.h"
#include "runtime/topic/topic.h"

namespace sluice::topic {

struct TopicServiceOptions {
  storage::Durability durability = storage::Durability::sync;
  // How often delivered messages are swept from the store.
  int64_t sweep_interval_ms = 10'000;
  // Messages held in memory per topic for delivery; beyond it subscriptions read the store.
  size_t memory_bytes_per_topic = Topic::kDefaultMemoryBytes;
};

struct SubscribeRequest {
  std::string protocol;
  std::string endpoint;
  StringPairs attributes;
  std::string owner;     // the caller's account
  std::string resource;  // the Subscription resource it comes from, if any
};

// A subscription as the API reports it.
struct SubscriptionView {
  std::string arn;  // "PendingConfirmation" while an HTTP/S subscription waits
  std::string topic_arn;
  std::string protocol;
  std::string endpoint;
  std::string owner;
  bool pending = false;
  bool authenticated = false;
  Attributes attributes;
  std::string effective_delivery_policy;  // HTTP/S
  std::string replay_status;
  SubscriptionPtr subscription;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
};

using TopicCallback = std::function<void(Result<TopicPtr, Error>)>;
using StatusCallback = std::function<void(Status<Error>)>;
using SubscribeCallback = std::function<void(Result<SubscriptionView, Error>)>;

class TopicService {
 public:
  TopicService(TopicServiceOptions options, storage::Store& store, Clock& clock, Scheduler& scheduler,
               DeliveryContext context);
  ~TopicService();

  struct Recovered {
    size_t topics = 0;
    size_t subscriptions = 0;
    uint64_t pending_messages = 0;  // stored messages some subscription has yet to deliver
    uint64_t skipped_records = 0;
  };
  Result<Recovered, Error> recover();

  // --- topics --------------------------------------------------------------
  // CreateTopic: idempotent when the attributes and tags match the existing topic.
  void create_topic(const TopicKey& key, const StringPairs& attributes, const StringPairs& tags,
                    const std::string& data_protection_policy, TopicCallback done);
  // Create-or-update from a typed spec (manifests, admin API); `tags` replace the topic's.
  void apply_topic(const TopicKey& key, const Attributes& attributes, const StringPairs& tags, TopicCallback done);
  Status<Error> check_apply_topic(const TopicKey& key, const Attributes& attributes) const;
  // Deletes the topic and its subscriptions.
  void delete_topic(const std::string& arn, StatusCallback done);
  void set_topic_attribute(const TopicPtr& topic, const std::string& name, const std::string& value,
                           StatusCallback done);
  void tag(const TopicPtr& topic, const StringPairs& tags, StatusCallback done);
  void untag(const TopicPtr& topic, const std::vector<std::string>& keys, StatusCallback done);
  void add_permission(const TopicPtr& topic, const std::string& label, const std::vector<std::string>& accounts,
                      const std::vector<std::string>& actions, StatusCallback done);
  void remove_permission(const TopicPtr& topic, const std::string& label, StatusCallback done);
  void put_data_protection_policy(const TopicPtr& topic, const std::string& policy, StatusCallback done);

  TopicPtr find(std::string_view arn) const;
  std::vector<TopicPtr> all() const;
  size_t size() const;
  Result<Page<TopicPtr>, Error> list_topics(const std::string& region, const std::string& account,
                                            const std::string& next_token) const;

  // --- subscriptions ----------------------------------------------------------
  void subscribe(const TopicPtr& topic, const SubscribeRequest& request, SubscribeCallback done);
  // Create-or-update a subscription from a spec: the one of `topic` with this
  // protocol and endpoint gets `attributes` (all of them, unset ones removed).
  void apply_subscription(const TopicPtr& topic, const SubscribeRequest& request, SubscribeCallback done);
  Status<Error> check_subscription(const TopicPtr& topic, const SubscribeRequest& request) const;
  void confirm(const std::string& topic_arn, const std::string& token, bool authenticated, SubscribeCallback done);
  void unsubscribe(const std::string& arn, StatusCallback done);
  void set_subscription_attribute(const std::string& arn, const std::string& name, const std::string& value,
                                  StatusCallback done);
  std::optional<SubscriptionView> subscription(std::string_view arn) const;
  // The subscription made from the Subscription resource `name` of the account.
  SubscriptionPtr find_resource(const std::string& region, const std::string& account, const std::string& name) const;
  std::vector<SubscriptionPtr> all_subscriptions() const;
  SubscriptionView view(const SubscriptionPtr& subscription) const;
  Result<Page<SubscriptionView>, Error> list_subscriptions(const std::string& region, const std::string& account,
                                                           const std::string& next_token) const;
  Result<Page<SubscriptionView>, Error> list_subscriptions_by_topic(const TopicPtr& topic,
                                                                    const std::string& next_token) const;

  // --- messages ----------------------------------------------------------------
  void publish(const TopicPtr& topic, std::vector<PublishEntry> entries, PublishCallback done);

  // Stops every delivery (at shutdown).
  void stop();

 private:
  using TopicChange = std::function<Status<Error>(format::TopicRecord& record)>;
  void update_topic(const TopicPtr& topic, TopicChange change, StatusCallback done);
  void insert_topic(const TopicKey& key, format::TopicRecord record, TopicCallback done, Sequencer::Done next);
  SubscriptionPtr make_subscription(const TopicPtr& topic, format::SubscriptionRecord record,
                                    SubscriptionSettings settings);
  void commit_subscription(const TopicPtr& topic, const SubscriptionPtr& sub, SubscribeCallback done,
                           Sequencer::Done next);
  Status<Error> check_endpoint(const TopicPtr& topic, const std::string& protocol, const std::string& endpoint) const;
  SubscriptionPtr find_subscription_locked(std::string_view arn) const;
  SubscriptionPtr find_by_endpoint(const TopicPtr& topic, const std::string& protocol,
                                   const std::string& endpoint) const;
  void schedule_sweep();
  void sweep();

  TopicServiceOptions options_;
  storage::Store& store_;
  Clock& clock_;
  Scheduler& scheduler_;
  DeliveryContext context_;
  Sequencer control_;

  mutable std::shared_mutex mu_;
  std::map<std::string, TopicPtr, std::less<>> topics_;                // by ARN: ordered for listing
  std::map<std::string, SubscriptionPtr, std::less<>> subscriptions_;  // by ARN
  std::unordered_map<std::string, SubscriptionPtr> resources_;         // by region, account, resource name
  std::atomic<bool> stopped_{false};
  TimerId sweep_timer_ = 0;
};

}  // namespace sluice::topic
