#pragma once

// One request at a time, waiting for the reply: for setup, verification and
// recovery polling, where latency does not matter and simplicity does.

#include "bench/sqs/http_connection.h"

#include <boost/asio/io_context.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sluice::bench {

class BlockingClient {
 public:
  struct Reply {
    boost::system::error_code ec;
    int status = 0;
    std::string body;
    bool ok() const { return !ec && status == 200; }
    std::string describe() const;
  };

  BlockingClient(const std::string& host, uint16_t port);

  // Sends AmazonSQS.<op> with `json`; gives up after `timeout_s` (a hung server).
  Reply call(std::string_view op, std::string_view json, double timeout_s = 30);
  // Sends `request`, complete HTTP/1.1 request bytes (another protocol: SNS query).
  Reply call_raw(std::string_view request, double timeout_s = 30);

  const std::string& host_port() const { return host_port_; }

 private:
  boost::asio::io_context io_;
  HttpConnection conn_;
  std::string host_port_;
};

// CreateQueue `name` and return its URL; on failure return "" and make `out` a
// scenario's error result (status, errors, error_samples).
std::string create_queue_or_fail(BlockingClient& client, const std::string& name, nlohmann::json& out);

}  // namespace sluice::bench
