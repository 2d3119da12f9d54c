#pragma once
// Kubernetes Events about the objects the operator manages, what `kubectl
// describe` shows. Repeats of the same event on the same object within ten
// minutes update one Event's count instead of creating new ones.

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "operator/kube/kube_client.h"

namespace sluice::controller {

class EventRecorder {
 public:
  EventRecorder(kube::KubeClient& client, std::string component) : client_(client), component_(std::move(component)) {}

  void normal(const nlohmann::json& object, const std::string& reason, const std::string& message) {
    record(object, "Normal", reason, message);
  }
  void warning(const nlohmann::json& object, const std::string& reason, const std::string& message) {
    record(object, "Warning", reason, message);
  }

 private:
  struct Seen {
    std::string name;
    int count = 0;
    std::chrono::steady_clock::time_point last;
  };
  void record(const nlohmann::json& object, const std::string& type, const std::string& reason,
              const std::string& message);

  kube::KubeClient& client_;
  std::string component_;
  std::mutex mu_;
  std::map<std::string, Seen> seen_;
};

}  // namespace sluice::controller
