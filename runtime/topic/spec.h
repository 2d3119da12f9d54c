#pragma once
// The Topic and Subscription resources: their kind definitions, whose spec
// fields are the attribute tables' (attributes.h) plus names, references, tags
// and deletionPolicy, and the typed specs the engine applies. The same
// definitions validate manifests and the admin API in the sidecar, validate
// specs in the operator, and generate the CRDs and reference pages
// (tools/crdgen). Policies (filter, delivery, access, archive, replay) are YAML
// objects in a spec and JSON text on the wire.
//
// This file, attributes.{h,cc} and delivery_policy.{h,cc} form the
// sluice::topic_spec target: no store, no engine, no HTTP.

#include <string>
#include <vector>

#include "runtime/common/resource.h"
#include "runtime/topic/attributes.h"

namespace sluice::topic {

const resource::KindDef& topic_kind();
const resource::KindDef& subscription_kind();

struct TopicSpec {
  std::string topic_name;  // spec.topicName, else metadata.name
  Attributes attributes;   // AWS names, wire values
  StringPairs tags;
};

// How a Subscription spec names its endpoint.
struct SubscriptionSpec {
  std::string topic_name;         // spec.topic (in the same namespace), or the name in spec.topicArn
  std::string topic_arn;          // spec.topicArn, when given
  std::string protocol;           // sqs, http, https
  std::string queue_name;         // spec.queue (same namespace), when given
  std::string endpoint;           // a queue ARN or a URL; empty when queue_name must be resolved
  std::string dead_letter_queue;  // spec.redrivePolicy.deadLetterTargetQueue
  StringPairs attributes;         // AWS names, wire values (RedrivePolicy filled by resolve)
};

// Validate against the kind and read. An empty error list means success.
TopicSpec parse_topic_spec(const resource::json& spec, const std::string& name,
                           std::vector<resource::SpecError>& errors);
SubscriptionSpec parse_subscription_spec(const resource::json& spec, const std::string& name,
                                         std::vector<resource::SpecError>& errors);

// Names become ARNs in the namespace's region and account.
void resolve_subscription_spec(SubscriptionSpec& spec, const std::string& region, const std::string& account);

}  // namespace sluice::topic
