#include "bench/sns/receiver.h"

#include "bench/sns/sns_query.h"

#include <boost/asio/write.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

namespace sluice::bench {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxBody = 1024 * 1024;
constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kOkClose = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct RequestHead {
  size_t content_length = 0;
  bool chunked = false;
  bool close = false;
  std::string_view type;  // x-amz-sns-message-type
};

bool parse_head(std::string_view head, RequestHead& out) {
  size_t eol = head.find("\r\n");
  std::string_view request_line = head.substr(0, eol);
  if (request_line.find(" HTTP/1.") == std::string_view::npos) return false;
  out.close = request_line.ends_with("HTTP/1.0");
  size_t pos = eol;
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    size_t start = pos + 2;
    size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? head.npos : end - start);
    pos = end;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      auto r = std::from_chars(value.data(), value.data() + value.size(), out.content_length);
      if (r.ec != std::errc()) return false;
    } else if (iequals(name, "transfer-encoding")) {
      out.chunked = true;
    } else if (iequals(name, "connection")) {
      if (iequals(value, "close")) out.close = true;
      if (iequals(value, "keep-alive")) out.close = false;
    } else if (iequals(name, "x-amz-sns-message-type")) {
      out.type = value;
    }
  }
  return true;
}

}  // namespace

// One accepted connection: reads requests one after another (keep-alive), hands
// each to the receiver and answers 200. Owned by its pending handlers.
class NotificationReceiver::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(NotificationReceiver& owner, int endpoint, tcp::socket socket)
      : owner_(owner), endpoint_(endpoint), socket_(std::move(socket)) {}

  void start() { read(); }

 private:
  void read() {
    if (buf_.size() - size_ < 16 * 1024) buf_.resize(std::max<size_t>(buf_.size() * 2, 32 * 1024));
    socket_.async_read_some(asio::buffer(buf_.data() + size_, buf_.size() - size_),
                            [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                              if (ec) return;  // the client closed, or the receiver stopped
                              self->size_ += n;
                              self->serve();
                            });
  }

  // Serves the first buffered request if it is complete, else reads more.
  void serve() {
    std::string_view data(buf_.data(), size_);
    size_t head_end = data.find("\r\n\r\n");
    if (head_end == std::string_view::npos) {
      if (size_ > kMaxHead) return owner_.note_unexpected("request head over 64 KiB");
      return read();
    }
    RequestHead head;
    if (!parse_head(data.substr(0, head_end + 2), head)) return owner_.note_unexpected("malformed request head");
    if (head.chunked) return owner_.note_unexpected("chunked request body (not expected from SNS)");
    if (head.content_length > kMaxBody) return owner_.note_unexpected("request body over 1 MiB");
    size_t total = head_end + 4 + head.content_length;
    if (size_ < total) return read();
    owner_.on_request(endpoint_, head.type, data.substr(head_end + 4, head.content_length));
    consumed_ = total;
    bool close = head.close;
    std::string_view reply = close ? kOkClose : kOk;
    asio::async_write(socket_, asio::buffer(reply.data(), reply.size()),
                      [self = shared_from_this(), close](const boost::system::error_code& ec, size_t) {
                        if (ec || close) return;
                        std::memmove(self->buf_.data(), self->buf_.data() + self->consumed_,
                                     self->size_ - self->consumed_);
                        self->size_ -= self->consumed_;
                        self->consumed_ = 0;
                        self->serve();
                      });
  }

  NotificationReceiver& owner_;
  int endpoint_;
  tcp::socket socket_;
  std::vector<char> buf_;
  size_t size_ = 0;
  size_t consumed_ = 0;
};

NotificationReceiver::NotificationReceiver(int endpoints) : per_endpoint_(endpoints) {
  for (int i = 0; i < endpoints; ++i) {
    auto a = std::make_unique<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    a->listen(asio::socket_base::max_listen_connections);
    ports_.push_back(a->local_endpoint().port());
    acceptors_.push_back(std::move(a));
  }
  for (auto& e : per_endpoint_) e.fill(0);
}

NotificationReceiver::~NotificationReceiver() { stop(); }

void NotificationReceiver::start() {
  for (int i = 0; i < endpoints(); ++i) accept(i);
  thread_ = std::thread([this] { io_.run(); });
}

void NotificationReceiver::stop() {
  if (stopped_) return;
  stopped_ = true;
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string NotificationReceiver::url(int i) const {
  return "http://127.0.0.1:" + std::to_string(ports_[i]) + "/endpoint/" + std::to_string(i);
}

void NotificationReceiver::accept(int endpoint) {
  acceptors_[endpoint]->async_accept([this, endpoint](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<Session>(*this, endpoint, std::move(socket))->start();
    accept(endpoint);
  });
}

void NotificationReceiver::on_request(int endpoint, std::string_view type, std::string_view body) {
  int64_t now = steady_nanos(Clock::now());
  if (type == "UnsubscribeConfirmation") return;
  if (type != "SubscriptionConfirmation") {
    int phase = 0;
    int64_t sent = 0;
    if (sns::scan_stamp(body, phase, sent) && phase < kPhases) {
      latency_[phase].record(static_cast<uint64_t>(std::max<int64_t>(0, now - sent)));
      ++per_endpoint_[endpoint][phase];
      last_nanos_[phase].store(now);
      received_[phase].fetch_add(1);
      return;
    }
  }
  // A confirmation (by its header, or by its Type where a server sends no header).
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.value("Type", "") == "SubscriptionConfirmation" && json.contains("SubscribeURL") &&
      json["SubscribeURL"].is_string()) {
    std::lock_guard lock(mu_);
    confirmations_.emplace_back(endpoint, json["SubscribeURL"].get<std::string>());
    return;
  }
  note_unexpected("POST that is no confirmation and no stamped notification: " + std::string(body.substr(0, 160)));
}

void NotificationReceiver::note_unexpected(std::string what) {
  unexpected_.fetch_add(1);
  std::lock_guard lock(mu_);
  if (first_unexpected_.empty()) first_unexpected_ = std::move(what);
}

std::string NotificationReceiver::first_unexpected() const {
  std::lock_guard lock(mu_);
  return first_unexpected_;
}

std::vector<std::pair<int, std::string>> NotificationReceiver::take_confirmations() {
  std::lock_guard lock(mu_);
  return std::exchange(confirmations_, {});
}

std::vector<uint64_t> NotificationReceiver::per_endpoint(int phase) const {
  std::vector<uint64_t> out;
  for (const auto& e : per_endpoint_) out.push_back(e[phase]);
  return out;
}

}  // namespace sluice::bench
