#pragma once
// Outbound HTTP as the engines see it: a plain request, a plain reply, answered
// through a callback. Engines stay free of networking code (runtime/README.md):
// SNS's HTTP/S subscriptions (and later Firehose's HTTP destinations and S3)
// call this interface; the sidecar implements it on its event loops
// (sidecar/server/http_client.h), tests with a fake or a real loopback server.

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

struct HttpClientRequest {
  std::string method = "POST";
  std::string url;  // http://host[:port]/path?query or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The whole exchange: connect, send, and read the reply.
  std::chrono::milliseconds timeout{15000};
};

struct HttpClientReply {
  // The HTTP status; 0 when there was none (the host could not be reached, the
  // connection failed, the timeout passed, the URL was malformed): see `error`.
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string error;  // why there is no status, in a few words
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request; `done` runs exactly once, on a thread of the client's choosing,
  // never inside send().
  virtual void send(HttpClientRequest request, std::function<void(HttpClientReply)> done) = 0;
};

}  // namespace sluice
