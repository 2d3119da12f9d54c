#include "operator/controller/events.h"

#include <cstdio>

#include "operator/controller/object_meta.h"
#include "runtime/common/random.h"

namespace sluice::controller {

void EventRecorder::record(const json& object, const std::string& type, const std::string& reason,
                           const std::string& message) {
  const std::string ns = namespace_of(object).empty() ? "default" : namespace_of(object);
  const json& meta = object["metadata"];
  const std::string key = meta.value("uid", "") + "|" + type + "|" + reason + "|" + message;
  const auto now = std::chrono::steady_clock::now();
  const std::string stamp = now_rfc3339();
  std::string name;
  int count = 1;
  bool repeat = false;
  {
    std::lock_guard lock(mu_);
    if (seen_.size() > 10000) seen_.clear();  // bounded memory; at worst a repeat becomes a new Event
    Seen& seen = seen_[key];
    repeat = !seen.name.empty() && now - seen.last < std::chrono::minutes(10);
    if (repeat) {
      count = ++seen.count;
    } else {
      char suffix[17];
      std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random_u64()));
      seen.name = name_of(object) + "." + suffix;
      seen.count = 1;
    }
    seen.last = now;
    name = seen.name;
  }
  const kube::ResourceType events{"", "v1", "events", "Event", true};
  if (repeat && client_.patch(events.object_path(ns, name), {{"count", count}, {"lastTimestamp", stamp}}).ok()) return;
  json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", name}, {"namespace", ns}}},
                {"involvedObject",
                 {{"apiVersion", object.value("apiVersion", "")},
                  {"kind", object.value("kind", "")},
                  {"name", name_of(object)},
                  {"namespace", ns},
                  {"uid", meta.value("uid", "")},
                  {"resourceVersion", meta.value("resourceVersion", "")}}},
                {"reason", reason},
                {"message", message},
                {"type", type},
                {"count", count},
                {"firstTimestamp", stamp},
                {"lastTimestamp", stamp},
                {"source", {{"component", component_}}},
                {"reportingComponent", component_}};
  client_.create(events.collection_path(ns), event);  // best effort: events are advisory
}

}  // namespace sluice::controller
