#include "bench/sqs/loadgen_common.h"

#include <boost/asio/ip/tcp.hpp>

#include <sys/resource.h>

#include <charconv>
#include <iostream>
#include <thread>
#include <vector>

namespace sluice::bench {

void run_io(boost::asio::io_context& io, int threads) {
  std::vector<std::thread> extra;
  for (int i = 1; i < threads; ++i) extra.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : extra) t.join();
}

int print_free_ports(int n) {
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::acceptor> held;
  for (int i = 0; i < n; ++i) {
    held.emplace_back(io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    std::cout << held.back().local_endpoint().port() << (i + 1 < n ? " " : "\n");
  }
  return 0;
}

nlohmann::json label_value(const std::string& text) {
  double d = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (!text.empty() && ec == std::errc() && p == text.data() + text.size()) {
    int64_t i = 0;
    auto [q, ec2] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec2 == std::errc() && q == text.data() + text.size()) return i;
    return d;
  }
  return text;
}

double generator_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace sluice::bench
