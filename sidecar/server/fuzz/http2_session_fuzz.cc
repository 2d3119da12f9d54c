// Fuzz target: the server side of an HTTP/2 connection (Http2Session), no
// socket. The client preface, then the input as the client's frames, fed in
// pieces whose sizes the input's first byte chooses, with the output drained
// after each. Requests are answered as the handlers would: a body, an empty
// 204, a streamed body written and closed over the following pieces, or never
// (left to the 408 at the end). No input may crash it, and in_flight must be
// back at 0 once the session is gone.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/server/http2_session.h"

namespace {

using sluice::server::BodyWriter;
using sluice::server::Http2Session;
using sluice::server::HttpRequest;
using sluice::server::HttpResponse;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "http2_session: " << what << "\n";
  std::abort();
}

HttpResponse answer(int32_t id, HttpRequest& r, std::vector<std::shared_ptr<BodyWriter>>& writers) {
  HttpResponse response;
  switch (id % 3) {
    case 0:
      response.body = r.method + " " + r.path + "?" + r.query + " " + std::string(r.header("host")) + " " + r.body;
      response.headers = {{"X-Amz-Request-Id", "1"}, {"Connection", "dropped"}, {"content-type", "text/x"}};
      break;
    case 1:
      response.status = 204;
      break;
    default:
      response.stream = [&writers, first = std::move(r.body)](std::shared_ptr<BodyWriter> w) {
        w->write(first);
        w->on_cancel([] {});
        writers.push_back(std::move(w));
      };
  }
  return response;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::server::HttpServerOptions options;  // small limits, to reach the refusals
  options.body_limit = 16 << 10;
  options.header_limit = 4 << 10;
  options.target_limit = 1 << 10;
  std::atomic<int> in_flight{0};
  std::vector<std::pair<int32_t, HttpRequest>> requests;
  std::vector<int32_t> woken;
  std::vector<std::shared_ptr<BodyWriter>> writers;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t piece = input.empty() ? 1 : size_t(uint8_t(input[0])) * 7 + 1;
  {
    Http2Session session(options, in_flight,
                         {[&](int32_t id, HttpRequest&& r) { requests.emplace_back(id, std::move(r)); },
                          [&](int32_t id) { woken.push_back(id); }});
    bool ok = session.receive(kPreface);
    for (size_t at = 0, round = 0; ok && at < input.size(); at += piece, ++round) {
      ok = session.receive(input.substr(at, piece));
      for (auto& [id, r] : std::exchange(requests, {}))
        if (id % 5 != 4) session.respond(id, answer(id, r, writers));
      for (size_t i = 0; i < writers.size(); ++i)
        if (!writers[i]->write(std::string(i + 1, 'x')) || (round + i) % 3 == 0) writers[i]->close();
      for (int32_t id : std::exchange(woken, {})) session.resume(id);
      std::string out;
      ok = ok && session.send(out, 1 << 20);
      in_flight -= int(session.take_answers());
      check(session.open_streams() <= 2 * Http2Session::kMaxConcurrentStreams, "streams beyond the limit");
    }
    session.expire(Http2Session::Clock::time_point::max());
    std::string out;
    session.send(out, 1 << 20);
    in_flight -= int(session.take_answers());
  }
  check(in_flight.load() == 0, "in_flight not back at 0");
  for (auto& w : writers) check(!w->write("late"), "a write accepted after the session went");
  return 0;
}
