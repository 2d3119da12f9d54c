#pragma once
// HTTP/2 with prior knowledge (h2c) on the HttpServer's port: a connection whose
// first bytes are the client preface leaves the HTTP/1.1 path (http_server.cc)
// for an Http2Session (http2_session.h) run here, on the connection's loop. Its
// streams go to the server's HttpHandler, many at once; answers come back from
// any thread through a Responder that posts to the loop, and does nothing once
// the connection has gone.
//
// Timeouts: a write the client does not take within idle_timeout, and a
// connection with no open stream for idle_timeout, close it (the latter after a
// GOAWAY). stop_accepting() sends GOAWAY twice (RFC 9113 6.8): the open streams
// finish, then the connection closes.

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string_view>

#include "sidecar/server/http_server.h"

namespace sluice::server {

// Serves `socket` over HTTP/2, starting with `received`: what was read from it
// so far, the preface first. The connection is counted in shared's connections
// already; it is counted out when it closes.
void serve_http2(boost::asio::ip::tcp::socket socket, std::string_view received,
                 std::shared_ptr<HttpServer::Shared> shared);

}  // namespace sluice::server
