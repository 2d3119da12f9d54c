#include "operator/controller/object_meta.h"

#include <chrono>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace sluice::controller {

std::string name_of(const json& o) { return o.contains("metadata") ? o["metadata"].value("name", "") : ""; }
std::string namespace_of(const json& o) { return o.contains("metadata") ? o["metadata"].value("namespace", "") : ""; }
int64_t generation_of(const json& o) {
  return o.contains("metadata") ? o["metadata"].value("generation", int64_t(0)) : 0;
}
bool being_deleted(const json& o) {
  return o.contains("metadata") && o["metadata"].contains("deletionTimestamp") &&
         !o["metadata"]["deletionTimestamp"].is_null();
}
bool has_finalizer(const json& o, const std::string& finalizer) {
  if (!o.contains("metadata") || !o["metadata"].contains("finalizers")) return false;
  for (const auto& f : o["metadata"]["finalizers"])
    if (f == finalizer) return true;
  return false;
}

std::string now_rfc3339() {
  return rfc3339(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string rfc3339(int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::chrono::seconds deleting_for(const json& object) {
  std::tm tm{};
  std::istringstream in(object.contains("metadata") ? object["metadata"].value("deletionTimestamp", "") : "");
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::chrono::seconds(0);
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                          std::chrono::system_clock::from_time_t(timegm(&tm)));
}

const json* find_condition(const json& status, const std::string& type) {
  if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) return nullptr;
  for (const auto& c : status["conditions"])
    if (c.value("type", "") == type) return &c;
  return nullptr;
}

bool set_condition(json& status, const std::string& type, bool ok, const std::string& reason,
                   const std::string& message, int64_t observed_generation) {
  if (!status.is_object()) status = json::object();
  if (!status.contains("conditions") || !status["conditions"].is_array()) status["conditions"] = json::array();
  const std::string value = ok ? "True" : "False";
  for (auto& c : status["conditions"]) {
    if (c.value("type", "") != type) continue;
    bool changed = c.value("status", "") != value || c.value("reason", "") != reason ||
                   c.value("message", "") != message ||
                   c.value("observedGeneration", int64_t(-1)) != observed_generation;
    if (!changed) return false;
    if (c.value("status", "") != value) c["lastTransitionTime"] = now_rfc3339();
    c["status"] = value;
    c["reason"] = reason;
    c["message"] = message;
    c["observedGeneration"] = observed_generation;
    return true;
  }
  status["conditions"].push_back({{"type", type},
                                  {"status", value},
                                  {"reason", reason},
                                  {"message", message},
                                  {"observedGeneration", observed_generation},
                                  {"lastTransitionTime", now_rfc3339()}});
  return true;
}

}  // namespace sluice::controller
