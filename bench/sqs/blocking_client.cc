#include "bench/sqs/blocking_client.h"

#include "bench/sqs/sqs_json.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace sluice::bench {

namespace asio = boost::asio;

std::string BlockingClient::Reply::describe() const {
  if (ec) return "transport: " + ec.message();
  return "HTTP " + std::to_string(status) + ": " + body.substr(0, 300);
}

BlockingClient::BlockingClient(const std::string& host, uint16_t port)
    : conn_(io_, asio::ip::tcp::endpoint(asio::ip::make_address(host), port)),
      host_port_(host + ":" + std::to_string(port)) {}

BlockingClient::Reply BlockingClient::call(std::string_view op, std::string_view json, double timeout_s) {
  return call_raw(sqs::request(host_port_, op, json), timeout_s);
}

BlockingClient::Reply BlockingClient::call_raw(std::string_view bytes, double timeout_s) {
  Reply reply;
  bool done = false;
  asio::steady_timer watchdog(
      io_, std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(timeout_s)));
  watchdog.async_wait([this, &done](const boost::system::error_code& ec) {
    if (!ec && !done) conn_.abort();
  });
  conn_.call(bytes, [&](const boost::system::error_code& ec, const HttpResponse& r) {
    done = true;
    reply.ec = ec;
    reply.status = r.status;
    reply.body.assign(r.body);
    watchdog.cancel();
  });
  io_.restart();
  io_.run();
  return reply;
}

std::string create_queue_or_fail(BlockingClient& client, const std::string& name, nlohmann::json& out) {
  auto created = client.call("CreateQueue", sqs::create_queue_body(name));
  std::string url = created.ok() ? sqs::queue_url_of(created.body) : "";
  if (url.empty()) {
    out["status"] = "error";
    out["errors"] = 1;
    out["error_samples"] = {{{"count", 1}, {"error", "CreateQueue: " + created.describe()}}};
  }
  return url;
}

}  // namespace sluice::bench
