#include "runtime/queue/spec.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "runtime/common/text.h"

namespace sluice::queue {
namespace {

using Kind = AttributeDef::Kind;

bool is_plain(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "?"; }
bool is_string(const YAML::Node& n) { return n.IsScalar(); }
bool is_int(const YAML::Node& n) { return is_plain(n) && parse_int64(n.Scalar()).has_value(); }
bool is_bool(const YAML::Node& n) { return is_plain(n) && (n.Scalar() == "true" || n.Scalar() == "false"); }

std::string bounds_text(const AttributeDef& d) {
  return "must be an integer from " + std::to_string(d.min) + " to " + std::to_string(d.max);
}

std::string join(const std::span<const std::string_view>& values) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

}  // namespace

QueueSpec parse_queue_spec(const YAML::Node& spec, const std::string& default_name, std::vector<SpecError>& errors) {
  QueueSpec out;
  out.queue_name = default_name;
  if (!spec || spec.IsNull()) {
    out.attributes.fifo_queue = ends_with(out.queue_name, ".fifo");
    return out;
  }
  if (!spec.IsMap()) {
    errors.push_back({"spec", "must be a mapping"});
    return out;
  }
  auto err = [&](const std::string& field, std::string message) {
    errors.push_back({"spec." + field, std::move(message)});
  };
  bool fifo_given = false;
  for (const auto& item : spec) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& v = item.second;
    if (key == "queueName") {
      if (!is_string(v) || v.Scalar().empty()) {
        err(key, "must be a non-empty string");
      } else {
        out.queue_name = v.Scalar();
      }
      continue;
    }
    if (key == "tags") {
      if (!v.IsMap()) {
        err(key, "must be a mapping of strings to strings");
        continue;
      }
      for (const auto& t : v) {
        if (!t.second.IsScalar()) {
          err(key + "." + t.first.as<std::string>(), "must be a string");
          continue;
        }
        out.tags.emplace_back(t.first.as<std::string>(), t.second.Scalar());
      }
      continue;
    }
    if (key == "deletionPolicy") {
      if (is_string(v) && v.Scalar() == "Delete") {
        out.deletion_policy = DeletionPolicy::remove;
      } else if (is_string(v) && v.Scalar() == "Retain") {
        out.deletion_policy = DeletionPolicy::retain;
      } else {
        err(key, "must be Delete or Retain");
      }
      continue;
    }
    const AttributeDef* def = find_spec_field(key);
    if (!def) {
      err(key, "unknown field");
      continue;
    }
    switch (def->kind) {
      case Kind::integer:
        if (!is_int(v) || !def->set(out.attributes, v.Scalar())) err(key, bounds_text(*def));
        break;
      case Kind::boolean:
        if (!is_bool(v)) {
          err(key, "must be a boolean (true or false)");
        } else {
          (void)def->set(out.attributes, v.Scalar());
          fifo_given |= key == "fifoQueue";
        }
        break;
      case Kind::enumeration:
        if (!is_string(v) || !def->set(out.attributes, v.Scalar())) err(key, "must be one of: " + join(def->values));
        break;
      case Kind::text:
        if (!is_string(v)) {
          err(key, "must be a string");
        } else if (auto s = def->set(out.attributes, v.Scalar()); !s) {
          err(key, s.error().message);
        }
        break;
      case Kind::redrive_policy: {
        if (!v.IsMap()) {
          err(key, "must be a mapping with deadLetterTargetQueue (or deadLetterTargetArn) and maxReceiveCount");
          break;
        }
        RedrivePolicy p;
        for (const auto& f : v) {
          const std::string fk = f.first.as<std::string>();
          if (fk == "deadLetterTargetQueue" && is_string(f.second)) {
            out.dead_letter_target_queue = f.second.Scalar();
          } else if (fk == "deadLetterTargetArn" && is_string(f.second)) {
            p.dead_letter_target_arn = f.second.Scalar();
          } else if (fk == "maxReceiveCount") {
            auto n = is_int(f.second) ? parse_int64(f.second.Scalar()) : std::nullopt;
            if (!n || *n < limits::kMinMaxReceiveCount || *n > limits::kMaxMaxReceiveCount) {
              err(key + ".maxReceiveCount", "must be an integer from 1 to 1000");
            } else {
              p.max_receive_count = int(*n);
            }
          } else {
            err(key + "." + fk, "unknown field or wrong type");
          }
        }
        if (out.dead_letter_target_queue.empty() == p.dead_letter_target_arn.empty())
          err(key, "must name exactly one of deadLetterTargetQueue and deadLetterTargetArn");
        if (p.max_receive_count == 0 && !v["maxReceiveCount"]) err(key + ".maxReceiveCount", "is required");
        out.attributes.redrive_policy = p;
        break;
      }
      case Kind::redrive_allow_policy: {
        if (!v.IsMap()) {
          err(key, "must be a mapping with redrivePermission and sourceQueues");
          break;
        }
        RedriveAllowPolicy p;
        bool has_permission = false;
        for (const auto& f : v) {
          const std::string fk = f.first.as<std::string>();
          if (fk == "redrivePermission" && is_string(f.second)) {
            const std::string& s = f.second.Scalar();
            has_permission = true;
            if (s == "allowAll") {
              p.permission = RedrivePermission::allow_all;
            } else if (s == "denyAll") {
              p.permission = RedrivePermission::deny_all;
            } else if (s == "byQueue") {
              p.permission = RedrivePermission::by_queue;
            } else {
              err(key + ".redrivePermission", "must be one of: allowAll, denyAll, byQueue");
            }
          } else if ((fk == "sourceQueues" || fk == "sourceQueueArns") && f.second.IsSequence()) {
            for (const auto& s : f.second) {
              if (!is_string(s)) {
                err(key + "." + fk, "must be a list of strings");
                continue;
              }
              (fk == "sourceQueues" ? out.redrive_source_queues : p.source_queue_arns).push_back(s.Scalar());
            }
          } else {
            err(key + "." + fk, "unknown field or wrong type");
          }
        }
        if (!has_permission) err(key + ".redrivePermission", "is required");
        size_t sources = p.source_queue_arns.size() + out.redrive_source_queues.size();
        if (p.permission == RedrivePermission::by_queue && (sources == 0 || sources > limits::kMaxRedriveSourceArns))
          err(key, "byQueue needs 1 to 10 source queues");
        if (p.permission != RedrivePermission::by_queue && sources > 0)
          err(key, "source queues may only be listed with byQueue");
        out.attributes.redrive_allow_policy = p;
        break;
      }
    }
  }
  const bool fifo_name = ends_with(out.queue_name, ".fifo");
  if (!fifo_given) {
    out.attributes.fifo_queue = fifo_name;
  } else if (out.attributes.fifo_queue != fifo_name) {
    err("fifoQueue", out.attributes.fifo_queue ? "a FIFO queue's name must end in .fifo"
                                               : "a queue whose name ends in .fifo must be a FIFO queue");
  }
  if (!out.attributes.fifo_queue) {
    for (const char* f : {"contentBasedDeduplication", "deduplicationScope", "fifoThroughputLimit"})
      if (spec[f]) err(f, "applies only to FIFO queues");
  } else if (out.attributes.fifo_throughput_limit == FifoThroughputLimit::per_message_group_id &&
             out.attributes.deduplication_scope != DeduplicationScope::message_group) {
    err("fifoThroughputLimit", "perMessageGroupId requires deduplicationScope: messageGroup");
  }
  if (!out.attributes.kms_master_key_id.empty()) out.attributes.sqs_managed_sse_enabled = false;
  return out;
}

QueueAttributes resolve_queue_spec(const QueueSpec& spec, const std::string& account, const std::string& region) {
  QueueAttributes attrs = spec.attributes;
  auto arn_of = [&](const std::string& name) { return "arn:aws:sqs:" + region + ":" + account + ":" + name; };
  if (attrs.redrive_policy && !spec.dead_letter_target_queue.empty())
    attrs.redrive_policy->dead_letter_target_arn = arn_of(spec.dead_letter_target_queue);
  if (attrs.redrive_allow_policy)
    for (const auto& name : spec.redrive_source_queues)
      attrs.redrive_allow_policy->source_queue_arns.push_back(arn_of(name));
  return attrs;
}

}  // namespace sluice::queue
