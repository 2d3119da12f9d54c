#include "bench/sqs/http_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

constexpr size_t kMaxHeaderBytes = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Head {
  int status = 0;
  size_t header_bytes = 0;
  bool has_length = false;
  size_t content_length = 0;
  bool chunked = false;
  bool close = false;
};

// Parses the status line and the headers we care about; false if malformed.
bool parse_head(std::string_view head, Head& out) {
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") return false;
  bool http10 = head.substr(5, 3) == "1.0";
  auto sp = head.find(' ');
  if (sp == std::string_view::npos || sp + 4 > head.size()) return false;
  int status = 0;
  auto [p, ec] = std::from_chars(head.data() + sp + 1, head.data() + sp + 4, status);
  if (ec != std::errc() || p != head.data() + sp + 4) return false;
  out.status = status;
  out.close = http10;  // HTTP/1.0 closes unless it says keep-alive
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    size_t start = pos + 2;
    size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? head.npos : end - start);
    pos = end;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      auto r = std::from_chars(value.data(), value.data() + value.size(), out.content_length);
      if (r.ec != std::errc()) return false;
      out.has_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      out.chunked = value.find("chunked") != std::string_view::npos;
    } else if (iequals(name, "connection")) {
      if (iequals(value, "close")) out.close = true;
      if (iequals(value, "keep-alive")) out.close = false;
    }
  }
  return true;
}

enum class Chunks { kIncomplete, kDone, kBad };

// Decodes a chunked body starting at `data`; on kDone sets `consumed`.
Chunks decode_chunked(std::string_view data, std::string& body, size_t& consumed) {
  body.clear();
  size_t pos = 0;
  for (;;) {
    size_t eol = data.find("\r\n", pos);
    if (eol == std::string_view::npos) return Chunks::kIncomplete;
    size_t len = 0;
    auto r = std::from_chars(data.data() + pos, data.data() + eol, len, 16);
    if (r.ec != std::errc()) return Chunks::kBad;
    pos = eol + 2;
    if (len == 0) {
      // Optional trailers, then an empty line.
      for (;;) {
        size_t line_end = data.find("\r\n", pos);
        if (line_end == std::string_view::npos) return Chunks::kIncomplete;
        bool empty = line_end == pos;
        pos = line_end + 2;
        if (empty) {
          consumed = pos;
          return Chunks::kDone;
        }
      }
    }
    if (data.size() < pos + len + 2) return Chunks::kIncomplete;
    body.append(data.data() + pos, len);
    pos += len + 2;
  }
}

}  // namespace

HttpConnection::HttpConnection(asio::io_context& io, asio::ip::tcp::endpoint server)
    : socket_(io), server_(server), buf_(64 * 1024) {}

void HttpConnection::call(std::string_view request, Handler done) {
  if (consume_ > 0) {
    // Keep-alive without pipelining: normally nothing follows a response.
    std::memmove(buf_.data(), buf_.data() + consume_, size_ - consume_);
    size_ -= consume_;
    consume_ = 0;
  }
  request_ = request;
  done_ = std::move(done);
  retried_ = false;
  if (connected_) {
    write();
  } else {
    connect_then_write();
  }
}

void HttpConnection::connect_then_write() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  connected_ = false;
  size_ = 0;
  consume_ = 0;
  eof_ = false;
  socket_.async_connect(server_, [this](const boost::system::error_code& ec) {
    if (ec) return fail(ec);
    boost::system::error_code ignore;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignore);
    connected_ = true;
    reused_ = false;
    ++connects_;
    write();
  });
}

void HttpConnection::write() {
  asio::async_write(socket_, asio::buffer(request_.data(), request_.size()),
                    [this](const boost::system::error_code& ec, size_t) {
                      if (ec) {
                        // A kept-alive connection the server closed while idle:
                        // resend once on a new one, as HTTP clients do.
                        if (reused_ && !retried_) {
                          retried_ = true;
                          return connect_then_write();
                        }
                        return fail(ec);
                      }
                      read_more();
                    });
}

void HttpConnection::read_more() {
  if (buf_.size() - size_ < 16 * 1024) buf_.resize(std::max<size_t>(buf_.size() * 2, 64 * 1024));
  socket_.async_read_some(asio::buffer(buf_.data() + size_, buf_.size() - size_),
                          [this](const boost::system::error_code& ec, size_t n) {
                            if (ec == asio::error::eof) {
                              eof_ = true;
                              if (size_ == 0 && reused_ && !retried_) {
                                retried_ = true;
                                return connect_then_write();
                              }
                              if (!try_complete()) fail(ec);
                              return;
                            }
                            if (ec) {
                              if (size_ == 0 && reused_ && !retried_ && ec == asio::error::connection_reset) {
                                retried_ = true;
                                return connect_then_write();
                              }
                              return fail(ec);
                            }
                            size_ += n;
                            if (!try_complete()) read_more();
                          });
}

bool HttpConnection::try_complete() {
  std::string_view data(buf_.data(), size_);
  size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (size_ <= kMaxHeaderBytes) return false;
    fail(asio::error::message_size);
    return true;
  }
  Head head;
  if (!parse_head(data.substr(0, head_end + 2), head)) {
    fail(asio::error::invalid_argument);
    return true;
  }
  size_t body_start = head_end + 4;
  if (head.has_length) {
    if (size_ < body_start + head.content_length) return false;
    finish(head.status, data.substr(body_start, head.content_length), body_start + head.content_length, head.close);
    return true;
  }
  if (head.chunked) {
    size_t consumed = 0;
    switch (decode_chunked(data.substr(body_start), chunked_body_, consumed)) {
      case Chunks::kIncomplete:
        return false;
      case Chunks::kBad:
        fail(asio::error::invalid_argument);
        return true;
      case Chunks::kDone:
        finish(head.status, chunked_body_, body_start + consumed, head.close);
        return true;
    }
  }
  if (head.status < 200 || head.status == 204 || head.status == 304) {
    finish(head.status, {}, body_start, head.close);
    return true;
  }
  // No length: the body runs to the end of the connection.
  if (!eof_) return false;
  finish(head.status, data.substr(body_start), size_, true);
  return true;
}

void HttpConnection::finish(int status, std::string_view body, size_t consumed, bool close) {
  consume_ = consumed;
  if (close || eof_) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    connected_ = false;
  } else {
    reused_ = true;
  }
  Handler done = std::move(done_);
  done({}, HttpResponse{status, body});
}

void HttpConnection::abort() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void HttpConnection::fail(const boost::system::error_code& ec) {
  boost::system::error_code ignored;
  socket_.close(ignored);
  connected_ = false;
  size_ = 0;
  consume_ = 0;
  Handler done = std::move(done_);
  done(ec, HttpResponse{});
}

}  // namespace sluice::bench
