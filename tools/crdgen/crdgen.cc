// sluice-crdgen: writes the CustomResourceDefinitions in crds/ from the engines'
// own spec tables, so that the limits the API server enforces are exactly the
// ones the engines enforce. `ctest -R crds_up_to_date` fails when a committed
// CRD differs from what this prints.
//
//   sluice-crdgen queue > crds/queues.sluice.io.yaml

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include <regex>

#include "operator/autoscaler/spec.h"
#include "runtime/queue/attributes.h"

namespace {

using sluice::queue::AttributeDef;

void printer_column(YAML::Emitter& out, const char* name, const char* type, const char* path, const char* description,
                    int priority = 0) {
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "type" << YAML::Value << type
      << YAML::Key << "jsonPath" << YAML::Value << path << YAML::Key << "description" << YAML::Value << description;
  if (priority) out << YAML::Key << "priority" << YAML::Value << priority;
  out << YAML::EndMap;
}

void rule(YAML::Emitter& out, const std::string& expr, const std::string& message) {
  out << YAML::BeginMap << YAML::Key << "rule" << YAML::Value << expr << YAML::Key << "message" << YAML::Value
      << message << YAML::EndMap;
}

void string_prop(YAML::Emitter& out, const char* name, const char* description) {
  out << YAML::Key << name << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::Key << "description" << YAML::Value << description << YAML::EndMap;
}

void integer_prop(YAML::Emitter& out, const char* name, const char* description, int64_t min = -1) {
  out << YAML::Key << name << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "integer";
  if (min >= 0) out << YAML::Key << "minimum" << YAML::Value << min;
  out << YAML::Key << "description" << YAML::Value << description << YAML::EndMap;
}

// Conditions as every Kubernetes API uses them (metav1.Condition).
void conditions_prop(YAML::Emitter& out) {
  out << YAML::Key << "conditions" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "type" << YAML::Value << "array";
  out << YAML::Key << "description" << YAML::Value << "Ready, with the reason when it is not.";
  out << YAML::Key << "x-kubernetes-list-type" << YAML::Value << "map";
  out << YAML::Key << "x-kubernetes-list-map-keys" << YAML::Value << YAML::Flow << YAML::BeginSeq << "type"
      << YAML::EndSeq;
  out << YAML::Key << "items" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object";
  out << YAML::Key << "required" << YAML::Value << YAML::Flow << YAML::BeginSeq << "type" << "status"
      << "lastTransitionTime" << "reason" << "message" << YAML::EndSeq;
  out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
  string_prop(out, "type", "Condition type, e.g. Ready.");
  out << YAML::Key << "status" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::Key << "enum" << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::DoubleQuoted << "True"
      << YAML::DoubleQuoted << "False" << YAML::DoubleQuoted << "Unknown" << YAML::EndSeq << YAML::EndMap;
  integer_prop(out, "observedGeneration", "The generation the condition describes.", 0);
  out << YAML::Key << "lastTransitionTime" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
      << "string" << YAML::Key << "format" << YAML::Value << "date-time" << YAML::EndMap;
  string_prop(out, "reason", "CamelCase reason for the condition's last transition.");
  string_prop(out, "message", "Human-readable details.");
  out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
}

void queue_spec_properties(YAML::Emitter& out) {
  const sluice::queue::QueueAttributes defaults;
  out << YAML::BeginMap;
  out << YAML::Key << "queueName" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::Key << "description" << YAML::Value
      << "The SQS queue name, for names Kubernetes cannot hold (upper case, underscores); defaults to "
         "metadata.name. Immutable."
      << YAML::Key << "pattern" << YAML::Value << "^[A-Za-z0-9_-]{1,75}(\\.fifo)?$" << YAML::Key << "maxLength"
      << YAML::Value << int(sluice::queue::limits::kMaxQueueNameLength) << YAML::Key << "x-kubernetes-validations"
      << YAML::Value << YAML::BeginSeq;
  rule(out, "self == oldSelf", "queueName is immutable");
  out << YAML::EndSeq << YAML::EndMap;

  for (const AttributeDef& d : sluice::queue::attribute_defs()) {
    out << YAML::Key << std::string(d.spec_name) << YAML::Value << YAML::BeginMap;
    const bool kms = d.spec_name.substr(0, 3) == "kms" || d.spec_name == "sqsManagedSseEnabled";
    switch (d.kind) {
      case AttributeDef::Kind::integer:
        out << YAML::Key << "type" << YAML::Value << "integer" << YAML::Key << "minimum" << YAML::Value << d.min
            << YAML::Key << "maximum" << YAML::Value << d.max;
        if (!d.fifo_only && !kms) out << YAML::Key << "default" << YAML::Value << std::stoll(d.get(defaults));
        break;
      case AttributeDef::Kind::boolean:
        out << YAML::Key << "type" << YAML::Value << "boolean";
        break;
      case AttributeDef::Kind::enumeration:
        out << YAML::Key << "type" << YAML::Value << "string" << YAML::Key << "enum" << YAML::Value << YAML::Flow
            << YAML::BeginSeq;
        for (auto v : d.values) out << std::string(v);
        out << YAML::EndSeq;
        if (!d.fifo_only) out << YAML::Key << "default" << YAML::Value << d.get(defaults);
        break;
      case AttributeDef::Kind::text:
        out << YAML::Key << "type" << YAML::Value << "string";
        break;
      case AttributeDef::Kind::redrive_policy:
        out << YAML::Key << "type" << YAML::Value << "object" << YAML::Key << "required" << YAML::Value << YAML::Flow
            << YAML::BeginSeq << "maxReceiveCount" << YAML::EndSeq;
        out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
        string_prop(out, "deadLetterTargetQueue", "Name of the dead-letter queue, in the same namespace.");
        string_prop(out, "deadLetterTargetArn", "ARN of the dead-letter queue (instead of deadLetterTargetQueue).");
        out << YAML::Key << "maxReceiveCount" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
            << "integer" << YAML::Key << "minimum" << YAML::Value << sluice::queue::limits::kMinMaxReceiveCount
            << YAML::Key << "maximum" << YAML::Value << sluice::queue::limits::kMaxMaxReceiveCount << YAML::Key
            << "description" << YAML::Value << "Receives after which a message moves to the dead-letter queue."
            << YAML::EndMap;
        out << YAML::EndMap << YAML::Key << "x-kubernetes-validations" << YAML::Value << YAML::BeginSeq;
        rule(out, "has(self.deadLetterTargetQueue) != has(self.deadLetterTargetArn)",
             "set exactly one of deadLetterTargetQueue and deadLetterTargetArn");
        out << YAML::EndSeq;
        break;
      case AttributeDef::Kind::redrive_allow_policy:
        out << YAML::Key << "type" << YAML::Value << "object" << YAML::Key << "required" << YAML::Value << YAML::Flow
            << YAML::BeginSeq << "redrivePermission" << YAML::EndSeq;
        out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "redrivePermission" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
            << "string" << YAML::Key << "enum" << YAML::Value << YAML::Flow << YAML::BeginSeq << "allowAll"
            << "denyAll" << "byQueue" << YAML::EndSeq << YAML::EndMap;
        for (const char* list : {"sourceQueues", "sourceQueueArns"}) {
          out << YAML::Key << list << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "array"
              << YAML::Key << "maxItems" << YAML::Value << int(sluice::queue::limits::kMaxRedriveSourceArns)
              << YAML::Key << "items" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
              << "string" << YAML::EndMap << YAML::Key << "description" << YAML::Value
              << (std::string(list) == "sourceQueues" ? "Names of the allowed source queues (same namespace)."
                                                      : "ARNs of the allowed source queues.")
              << YAML::EndMap;
        }
        out << YAML::EndMap << YAML::Key << "x-kubernetes-validations" << YAML::Value << YAML::BeginSeq;
        rule(out, "self.redrivePermission != 'byQueue' || has(self.sourceQueues) || has(self.sourceQueueArns)",
             "byQueue needs sourceQueues or sourceQueueArns");
        rule(out, "self.redrivePermission == 'byQueue' || !has(self.sourceQueues) && !has(self.sourceQueueArns)",
             "source queues may only be listed with byQueue");
        out << YAML::EndSeq;
        break;
    }
    if (d.spec_name == "fifoQueue") {
      out << YAML::Key << "x-kubernetes-validations" << YAML::Value << YAML::BeginSeq;
      rule(out, "self == oldSelf", "fifoQueue is immutable");
      out << YAML::EndSeq;
    }
    out << YAML::Key << "description" << YAML::Value << std::string(d.doc) << YAML::EndMap;
  }
  out << YAML::Key << "tags" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object"
      << YAML::Key << "maxProperties" << YAML::Value << int(sluice::queue::limits::kMaxTagsPerQueue) << YAML::Key
      << "additionalProperties" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::EndMap << YAML::Key << "description" << YAML::Value << "Queue tags (ListQueueTags)." << YAML::EndMap;
  out << YAML::Key << "deletionPolicy" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
      << "string" << YAML::Key << "enum" << YAML::Value << YAML::Flow << YAML::BeginSeq << "Delete" << "Retain"
      << YAML::EndSeq << YAML::Key << "default" << YAML::Value << "Delete" << YAML::Key << "description"
      << YAML::Value << "Delete: deleting the resource deletes the queue and its messages. Retain: the queue and "
                        "its messages stay in the runtime."
      << YAML::EndMap;
  out << YAML::EndMap;
}

// FIFO-ness is spec.fifoQueue when set, else the queue name's .fifo suffix.
const char* kFifoName = "(has(self.spec.queueName) && self.spec.queueName.endsWith('.fifo') || "
                        "!has(self.spec.queueName) && self.metadata.name.endsWith('.fifo'))";

void queue_crd(YAML::Emitter& out) {
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "apiextensions.k8s.io/v1";
  out << YAML::Key << "kind" << YAML::Value << "CustomResourceDefinition";
  out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
      << "queues.sluice.io" << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key
      << "app.kubernetes.io/part-of" << YAML::Value << "sluice" << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "group" << YAML::Value << "sluice.io";
  out << YAML::Key << "scope" << YAML::Value << "Namespaced";
  out << YAML::Key << "names" << YAML::Value << YAML::BeginMap << YAML::Key << "kind" << YAML::Value << "Queue"
      << YAML::Key << "listKind" << YAML::Value << "QueueList" << YAML::Key << "plural" << YAML::Value << "queues"
      << YAML::Key << "singular" << YAML::Value << "queue" << YAML::Key << "shortNames" << YAML::Value << YAML::Flow
      << YAML::BeginSeq << "sq" << YAML::EndSeq << YAML::Key << "categories" << YAML::Value << YAML::Flow
      << YAML::BeginSeq << "sluice" << YAML::EndSeq << YAML::EndMap;
  out << YAML::Key << "versions" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << "v1alpha1" << YAML::Key << "served" << YAML::Value << true
      << YAML::Key << "storage" << YAML::Value << true;
  out << YAML::Key << "subresources" << YAML::Value << YAML::BeginMap << YAML::Key << "status" << YAML::Value
      << YAML::BeginMap << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "additionalPrinterColumns" << YAML::Value << YAML::BeginSeq;
  printer_column(out, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Ready condition");
  printer_column(out, "Visible", "integer", ".status.approximateNumberOfMessages", "Messages available");
  printer_column(out, "In-Flight", "integer", ".status.approximateNumberOfMessagesNotVisible",
                 "Messages received and not yet deleted");
  printer_column(out, "URL", "string", ".status.queueUrl", "Queue URL for the AWS SDKs");
  printer_column(out, "Age", "date", ".metadata.creationTimestamp", "Age");
  printer_column(out, "Delayed", "integer", ".status.approximateNumberOfMessagesDelayed", "Messages delayed", 1);
  printer_column(out, "ARN", "string", ".status.queueArn", "Queue ARN", 1);
  printer_column(out, "Runtime", "string", ".status.placement.runtime", "Runtime pod hosting the queue", 1);
  out << YAML::EndSeq;

  out << YAML::Key << "schema" << YAML::Value << YAML::BeginMap << YAML::Key << "openAPIV3Schema" << YAML::Value
      << YAML::BeginMap;
  out << YAML::Key << "type" << YAML::Value << "object";
  out << YAML::Key << "description" << YAML::Value
      << "An SQS queue served by the Sluice runtime. Its spec holds the SQS queue attributes in camelCase.";
  out << YAML::Key << "x-kubernetes-validations" << YAML::Value << YAML::BeginSeq;
  rule(out, "!has(self.spec) || !has(self.spec.fifoQueue) || self.spec.fifoQueue == " + std::string(kFifoName),
       "fifoQueue must be true exactly when the queue name ends in .fifo");
  for (const char* f : {"contentBasedDeduplication", "deduplicationScope", "fifoThroughputLimit"})
    rule(out, "!has(self.spec) || !has(self.spec." + std::string(f) + ") || has(self.spec.fifoQueue) && self.spec.fifoQueue || !has(self.spec.fifoQueue) && " + kFifoName,
         std::string(f) + " applies only to FIFO queues");
  rule(out, "!has(self.spec) || !has(self.spec.fifoThroughputLimit) || self.spec.fifoThroughputLimit != 'perMessageGroupId' || has(self.spec.deduplicationScope) && self.spec.deduplicationScope == 'messageGroup'",
       "fifoThroughputLimit perMessageGroupId requires deduplicationScope messageGroup");
  out << YAML::EndSeq;
  out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::EndMap;
  out << YAML::Key << "kind" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string"
      << YAML::EndMap;
  // The only metadata a CRD schema may describe is name/generateName; naming it lets
  // the root-level rules above read self.metadata.name.
  out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object"
      << YAML::Key << "properties" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
      << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "string" << YAML::EndMap << YAML::EndMap
      << YAML::EndMap;
  out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object"
      << YAML::Key << "properties" << YAML::Value;
  queue_spec_properties(out);
  out << YAML::EndMap;
  out << YAML::Key << "status" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object"
      << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
  integer_prop(out, "observedGeneration", "The generation of the spec the status describes.", 0);
  conditions_prop(out);
  string_prop(out, "queueName", "The SQS queue name.");
  string_prop(out, "queueUrl", "The queue URL to give the AWS SDKs.");
  string_prop(out, "queueArn", "The queue ARN.");
  string_prop(out, "accountId", "The account the namespace maps to.");
  out << YAML::Key << "placement" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object"
      << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
  string_prop(out, "runtime", "The runtime pod hosting the queue.");
  string_prop(out, "endpoint", "The runtime's AWS endpoint.");
  out << YAML::EndMap << YAML::EndMap;
  integer_prop(out, "approximateNumberOfMessages", "Messages available for retrieval.", 0);
  integer_prop(out, "approximateNumberOfMessagesNotVisible", "Messages in flight.", 0);
  integer_prop(out, "approximateNumberOfMessagesDelayed", "Messages delayed.", 0);
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::EndMap << YAML::EndMap << YAML::EndMap;  // properties, openAPIV3Schema, schema
  out << YAML::EndMap << YAML::EndSeq;                   // version, versions
  out << YAML::EndMap << YAML::EndMap;                   // spec, document
}

// JSON schema fragments (the operator's spec tables) as YAML. Strings a YAML
// reader would take for something else are quoted.
void emit_json(YAML::Emitter& out, const nlohmann::json& v) {
  static const std::regex kAmbiguous("^(true|false|True|False|yes|no|on|off|null|~|[-+]?[0-9.]+)$");
  if (v.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [k, x] : v.items()) {
      out << YAML::Key << k << YAML::Value;
      emit_json(out, x);
    }
    out << YAML::EndMap;
  } else if (v.is_array()) {
    bool scalars = std::all_of(v.begin(), v.end(), [](const nlohmann::json& x) { return x.is_primitive(); });
    if (scalars) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& x : v) emit_json(out, x);
    out << YAML::EndSeq;
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (std::regex_match(s, kAmbiguous)) out << YAML::DoubleQuoted;
    out << s;
  } else if (v.is_boolean()) {
    out << v.get<bool>();
  } else if (v.is_number_integer()) {
    out << v.get<int64_t>();
  } else if (v.is_number()) {
    out << v.get<double>();
  } else {
    out << YAML::Null;
  }
}

void workerautoscaler_crd(YAML::Emitter& out) {
  using json = nlohmann::json;
  json condition = {{"type", "object"},
                    {"required", {"type", "status", "lastTransitionTime", "reason", "message"}},
                    {"properties",
                     {{"type", {{"type", "string"}}},
                      {"status", {{"type", "string"}, {"enum", {"True", "False", "Unknown"}}}},
                      {"observedGeneration", {{"type", "integer"}, {"minimum", 0}}},
                      {"lastTransitionTime", {{"type", "string"}, {"format", "date-time"}}},
                      {"reason", {{"type", "string"}}},
                      {"message", {{"type", "string"}}}}}};
  json status = {
      {"type", "object"},
      {"properties",
       {{"observedGeneration", {{"type", "integer"}}},
        {"conditions",
         {{"type", "array"}, {"x-kubernetes-list-type", "map"}, {"x-kubernetes-list-map-keys", {"type"}},
          {"description", "Ready (polling works), Active (a backlog above its activation threshold), Fallback."},
          {"items", condition}}},
        {"currentReplicas", {{"type", "integer"}, {"description", "Replicas of the target after the last poll."}}},
        {"desiredReplicas", {{"type", "integer"}, {"description", "Replicas the last poll asked for."}}},
        {"readyReplicas", {{"type", "integer"}, {"description", "Ready pods of the target (its capacity)."}}},
        {"backlog", {{"type", "integer"}, {"description", "The backlog acted on at the last poll."}}},
        {"backlogPerReplica", {{"type", "integer"}, {"description", "backlog / ready replicas."}}},
        {"lastActiveTime", {{"type", "string"}, {"format", "date-time"}}},
        {"lastScaleTime", {{"type", "string"}, {"format", "date-time"}}},
        {"lastScaleReason", {{"type", "string"}}}}}};
  auto column = [](const char* name, const char* type, const char* path, const char* description, int priority = 0) {
    json c = {{"name", name}, {"type", type}, {"jsonPath", path}, {"description", description}};
    if (priority) c["priority"] = priority;
    return c;
  };
  json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "workerautoscalers.sluice.io"}, {"labels", {{"app.kubernetes.io/part-of", "sluice"}}}}},
      {"spec",
       {{"group", "sluice.io"},
        {"scope", "Namespaced"},
        {"names",
         {{"kind", "WorkerAutoscaler"},
          {"listKind", "WorkerAutoscalerList"},
          {"plural", "workerautoscalers"},
          {"singular", "workerautoscaler"},
          {"shortNames", {"wa"}},
          {"categories", {"sluice"}}}},
        {"versions",
         {{{"name", "v1alpha1"},
           {"served", true},
           {"storage", true},
           {"subresources", {{"status", json::object()}}},
           {"additionalPrinterColumns",
            {column("Target", "string", ".spec.scaleTargetRef.name", "The scaled workload"),
             column("Min", "integer", ".spec.minReplicas", "Fewest replicas"),
             column("Max", "integer", ".spec.maxReplicas", "Most replicas"),
             column("Replicas", "integer", ".status.currentReplicas", "Current replicas"),
             column("Desired", "integer", ".status.desiredReplicas", "Replicas the last poll asked for"),
             column("Backlog", "integer", ".status.backlog", "Backlog at the last poll"),
             column("Active", "string", ".status.conditions[?(@.type==\"Active\")].status", "Backlog above activation"),
             column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Polling works"),
             column("Age", "date", ".metadata.creationTimestamp", "Age"),
             column("Ready-Pods", "integer", ".status.readyReplicas", "Ready pods", 1),
             column("Per-Replica", "integer", ".status.backlogPerReplica", "Backlog per ready replica", 1),
             column("Fallback", "string", ".status.conditions[?(@.type==\"Fallback\")].status", "Metrics unavailable", 1),
             column("Last-Active", "date", ".status.lastActiveTime", "Last time a backlog was above activation", 1),
             column("Last-Scale", "date", ".status.lastScaleTime", "Time of the last scale", 1),
             column("Reason", "string", ".status.lastScaleReason", "Why it last scaled", 1)}},
           {"schema",
            {{"openAPIV3Schema",
              {{"type", "object"},
               {"description", "Scales a workload from queue backlog, like an Auto Scaling group's target-tracking "
                               "policy (backlog per replica), down to zero."},
               {"properties",
                {{"apiVersion", {{"type", "string"}}},
                 {"kind", {{"type", "string"}}},
                 {"metadata", {{"type", "object"}}},
                 {"spec", sluice::autoscaler::spec_schema()},
                 {"status", status}}}}}}}}}}}}};
  emit_json(out, crd);
}

// The reference page of the Queue resource, from the same table.
void queue_doc(std::ostream& out) {
  const sluice::queue::QueueAttributes defaults;
  out << "# The Queue resource\n\n"
      << "`apiVersion: sluice.io/v1alpha1`, `kind: Queue`, namespaced. The same manifest works with `kubectl apply`\n"
      << "(through the operator) and with `sluice-sidecar --manifests DIR` (standalone). Generated by\n"
      << "`sluice-crdgen queue-doc` from the engine's attribute table; the CRD (`crds/queues.sluice.io.yaml`)\n"
      << "comes from the same table, so the two cannot disagree.\n\n"
      << "| spec field | type | values | default | SQS attribute | meaning |\n"
      << "|---|---|---|---|---|---|\n"
      << "| `queueName` | string | `[A-Za-z0-9_-]`, ≤ 80, `.fifo` suffix for FIFO | `metadata.name` | (the name) | "
         "The SQS queue name, for names Kubernetes cannot hold. Immutable. |\n";
  for (const AttributeDef& d : sluice::queue::attribute_defs()) {
    std::string type, values, def = "—";
    switch (d.kind) {
      case AttributeDef::Kind::integer:
        type = "integer";
        values = std::to_string(d.min) + " – " + std::to_string(d.max);
        def = d.get(defaults);
        break;
      case AttributeDef::Kind::boolean:
        type = "boolean";
        values = "true, false";
        def = d.spec_name == "fifoQueue" ? "name ends in `.fifo`" : d.get(defaults);
        break;
      case AttributeDef::Kind::enumeration:
        type = "string";
        for (auto v : d.values) values += (values.empty() ? "" : ", ") + std::string(v);
        def = d.get(defaults);
        break;
      case AttributeDef::Kind::text:
        type = "string";
        break;
      case AttributeDef::Kind::redrive_policy:
        type = "object";
        values = "`{deadLetterTargetQueue: <name>` or `deadLetterTargetArn: <arn>`, `maxReceiveCount: 1–1000}`";
        break;
      case AttributeDef::Kind::redrive_allow_policy:
        type = "object";
        values = "`{redrivePermission: allowAll, denyAll or byQueue; sourceQueues: [names], sourceQueueArns: [arns]}` (≤ 10)";
        break;
    }
    if (d.fifo_only) values += " (FIFO only)";
    out << "| `" << d.spec_name << "` | " << type << " | " << values << " | " << def << " | "
        << (d.aws_name.empty() ? "—" : "`" + std::string(d.aws_name) + "`") << " | " << d.doc << " |\n";
  }
  out << "| `tags` | map of strings | ≤ " << sluice::queue::limits::kMaxTagsPerQueue
      << " | — | (ListQueueTags) | Queue tags. |\n"
      << "| `deletionPolicy` | string | Delete, Retain | Delete | — | Whether deleting the resource deletes the "
         "queue and its messages (operator). |\n\n"
      << "Rules across fields: `fifoQueue` must match the name's `.fifo` suffix; FIFO-only fields are refused on "
         "standard queues; `fifoThroughputLimit: perMessageGroupId` needs `deduplicationScope: messageGroup`; a "
         "dead-letter queue must exist and be of the same type, and its `redriveAllowPolicy` must admit the "
         "source.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string kind = argc > 1 ? argv[1] : "";
  YAML::Emitter out;
  out.SetIndent(2);
  if (kind == "queue-doc") {
    queue_doc(std::cout);
    return 0;
  }
  if (kind == "queue") {
    queue_crd(out);
  } else if (kind == "workerautoscaler") {
    workerautoscaler_crd(out);
  } else {
    std::cerr << "usage: sluice-crdgen queue|queue-doc|workerautoscaler\n";
    return 2;
  }
  std::cout << "# Generated by sluice-crdgen " << kind << " from the engine's spec table; do not edit.\n"
            << out.c_str() << "\n";
  return 0;
}
