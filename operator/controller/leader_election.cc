#include "operator/controller/leader_election.h"

#include <ctime>
#include <iomanip>
#include <sstream>
#include <thread>

namespace sluice::controller {
namespace {

const kube::ResourceType kLeases{"coordination.k8s.io", "v1", "leases", "Lease", true};

// RFC 3339 with microseconds (MicroTime), as Lease renewTime wants.
std::string micro_time(std::chrono::system_clock::time_point t) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << "." << std::setw(6) << std::setfill('0') << micros << "Z";
  return out.str();
}

std::chrono::system_clock::time_point parse_time(const std::string& s) {
  std::tm tm{};
  std::istringstream in(s);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

bool LeaderElector::try_acquire_or_renew() {
  const auto now = std::chrono::system_clock::now();
  const std::string path = kLeases.object_path(options_.ns, options_.name);
  const int duration = int(options_.lease_duration.count());
  auto current = client_.get(path);
  if (current.not_found()) {
    nlohmann::json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                            {"kind", "Lease"},
                            {"metadata", {{"name", options_.name}, {"namespace", options_.ns}}},
                            {"spec",
                             {{"holderIdentity", options_.identity},
                              {"leaseDurationSeconds", duration},
                              {"acquireTime", micro_time(now)},
                              {"renewTime", micro_time(now)},
                              {"leaseTransitions", 0}}}};
    leader_ = client_.create(kLeases.collection_path(options_.ns), lease).ok();
    return leader_;
  }
  if (!current.ok()) {
    leader_ = false;
    return false;
  }
  nlohmann::json lease = current.body;
  nlohmann::json& spec = lease["spec"];
  const std::string holder = spec.value("holderIdentity", "");
  const auto renewed = parse_time(spec.value("renewTime", ""));
  const auto expires = renewed + std::chrono::seconds(spec.value("leaseDurationSeconds", duration));
  if (holder != options_.identity && !holder.empty() && now < expires) {
    leader_ = false;
    return false;  // someone else holds a live lease
  }
  if (holder != options_.identity) {
    spec["acquireTime"] = micro_time(now);
    spec["leaseTransitions"] = spec.value("leaseTransitions", 0) + 1;
  }
  spec["holderIdentity"] = options_.identity;
  spec["leaseDurationSeconds"] = duration;
  spec["renewTime"] = micro_time(now);
  // PUT with the resourceVersion we read: a concurrent winner makes this a 409.
  leader_ = client_.replace(path, lease).ok();
  return leader_;
}

bool LeaderElector::acquire(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    if (try_acquire_or_renew()) return true;
    for (int i = 0; i < options_.retry_period.count() * 10 && !stop.load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

bool LeaderElector::hold(const std::atomic<bool>& stop) {
  auto last_renew = std::chrono::steady_clock::now();
  while (!stop.load()) {
    for (int i = 0; i < options_.retry_period.count() * 10 && !stop.load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (stop.load()) break;
    if (try_acquire_or_renew()) {
      last_renew = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_renew > options_.renew_deadline) {
      leader_ = false;
      return false;
    }
  }
  release();
  return true;
}

void LeaderElector::release() {
  // Hand over at once instead of making the next leader wait for expiry.
  auto current = client_.get(kLeases.object_path(options_.ns, options_.name));
  if (!current.ok() || current.body["spec"].value("holderIdentity", "") != options_.identity) return;
  nlohmann::json lease = current.body;
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["renewTime"] = micro_time(std::chrono::system_clock::from_time_t(0));
  client_.replace(kLeases.object_path(options_.ns, options_.name), lease);
  leader_ = false;
}

}  // namespace sluice::controller
