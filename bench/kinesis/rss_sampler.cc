#include "bench/kinesis/rss_sampler.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

namespace sluice::bench {

uint64_t proc_status_kib(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size() + 1, field + ":") != 0) continue;
    std::istringstream value(line.substr(field.size() + 1));
    uint64_t kib = 0;
    value >> kib;
    return kib;
  }
  return 0;
}

void RssSampler::start() {
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      if (uint64_t kib = proc_status_kib(pid_, "VmRSS"); kib > 0) {
        max_kib_ = std::max(max_kib_, kib);
        ++samples_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

void RssSampler::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace sluice::bench
