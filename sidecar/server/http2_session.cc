#include "sidecar/server/http2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

namespace sluice::server {

namespace {

using Clock = Http2Session::Clock;
constexpr Clock::time_point kNever = Clock::time_point::max();

std::string_view view(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

uint8_t* bytes(std::string_view s) { return reinterpret_cast<uint8_t*>(const_cast<char*>(s.data())); }

// HTTP/2 has no connection-specific header fields (RFC 9113 8.2.2).
bool connection_specific(std::string_view name) {
  return name == "connection" || name == "keep-alive" || name == "proxy-connection" || name == "transfer-encoding" ||
         name == "upgrade";
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The response's header fields with HTTP/1.1's `set` semantics: a header in
// the response replaces the default of the same name.
std::vector<std::pair<std::string, std::string>> response_fields(const HttpResponse& r, size_t length, bool sized) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {":status", std::to_string(r.status)}, {"server", "sluice"}, {"content-type", r.content_type}};
  for (const auto& [k, v] : r.headers) {
    std::string name = lower(k);
    if (name.empty() || name[0] == ':' || connection_specific(name) || name == "content-length") continue;
    auto same = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
    if (same != fields.end()) same->second = v;
    else fields.emplace_back(std::move(name), v);
  }
  if (sized) fields.emplace_back("content-length", std::to_string(length));
  return fields;
}

}  // namespace

struct Http2Session::Callbacks {
  static Http2Session& self(void* user) { return *static_cast<Http2Session*>(user); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    Http2Session& h = self(user);
    Stream& s = h.streams_[frame->hd.stream_id];
    s.request.http_major = 2;
    s.request.headers.reserve(16);
    s.deadline = Clock::now() + h.options_.header_timeout;
    return 0;
  }

  // Trailers are dropped, as on HTTP/1.1.
  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t name_size,
                       const uint8_t* value, size_t value_size, uint8_t, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    Http2Session& h = self(user);
    Stream* s = h.find(frame->hd.stream_id);
    if (!s || s->refuse_status != 0) return 0;
    const std::string_view n = view(name, name_size), v = view(value, value_size);
    s->header_bytes += n.size() + v.size() + 32;  // RFC 9113 6.5.2's measure
    if (n == ":path" && v.size() > h.options_.target_limit) s->refuse_status = 414;
    else if (s->header_bytes > h.options_.header_limit) s->refuse_status = 431;
    if (s->refuse_status != 0) {
      s->request = {};
      return 0;
    }
    HttpRequest& r = s->request;
    if (n == ":method") {
      r.method = v;
    } else if (n == ":path") {
      auto q = v.find('?');
      r.path = v.substr(0, q);
      if (q != std::string_view::npos) r.query = v.substr(q + 1);
    } else if (n == ":authority") {
      r.headers.emplace_back("host", v);
    } else if (!n.starts_with(':')) {
      r.headers.emplace_back(n, v);  // nghttp2 refuses names that are not lower case
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    Http2Session& h = self(user);
    const int32_t id = frame->hd.stream_id;
    Stream* s = h.find(id);
    if (!s) return 0;
    const bool end_stream = frame->hd.flags & NGHTTP2_FLAG_END_STREAM;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
      h.end_of_headers(id, *s, end_stream);
    else if ((frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS) && end_stream) h.dispatch(id, *s);
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t size, void* user) {
    Http2Session& h = self(user);
    Stream* s = h.find(id);
    if (!s || s->refused || s->dispatched) return 0;
    if (s->request.body.size() + size > h.options_.body_limit) {
      h.refuse(id, *s, 413, "request body too large\n");
      return 0;
    }
    s->request.body.append(view(data, size));
    return 0;
  }

  // A refused upload is told to stop once its answer is complete (RFC 9113 8.1).
  static int on_frame_send(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    if (frame->hd.type != NGHTTP2_DATA && frame->hd.type != NGHTTP2_HEADERS) return 0;
    const int32_t id = frame->hd.stream_id;
    Stream* s = self(user).find(id);
    if (s && s->refused && !nghttp2_session_get_stream_remote_close(session, id))
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* user) {
    self(user).closed(id);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t id, uint8_t* buf, size_t size, uint32_t* flags,
                           nghttp2_data_source*, void* user) {
    Stream* s = self(user).find(id);
    if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    if (s->streamed) {
      size_t n = 0;
      auto state = s->streamed->read(reinterpret_cast<char*>(buf), size, &n);
      if (state == StreamBody::Read::wait) return NGHTTP2_ERR_DEFERRED;  // resume() puts it back
      if (state == StreamBody::Read::last) *flags |= NGHTTP2_DATA_FLAG_EOF;
      return ssize_t(n);
    }
    const size_t n = std::min(size, s->body.size() - s->sent);
    std::memcpy(buf, s->body.data() + s->sent, n);
    s->sent += n;
    if (s->sent == s->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return ssize_t(n);
  }
};

Http2Session::Http2Session(const HttpServerOptions& options, std::atomic<int>& in_flight, Hooks hooks)
    : options_(options), in_flight_(in_flight), hooks_(std::move(hooks)) {
  nghttp2_session_callbacks* cb = nullptr;
  if (nghttp2_session_callbacks_new(&cb) != 0) throw std::bad_alloc();
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, Callbacks::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cb, Callbacks::on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, Callbacks::on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, Callbacks::on_stream_close);
  const int rv = nghttp2_session_server_new(&session_, cb, this);
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) throw std::bad_alloc();  // nghttp2's only failure here
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, uint32_t(kStreamWindow)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, options_.header_limit},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
}

Http2Session::~Http2Session() {
  auto open = std::move(streams_);
  streams_.clear();
  nghttp2_session_del(session_);
  in_flight_.fetch_sub(int(answers_in_output_));
  for (auto& [id, s] : open) {
    if (s.dispatched) in_flight_.fetch_sub(1);
    if (s.streamed) s.streamed->cancel();
  }
}

bool Http2Session::receive(std::string_view in) {
  return nghttp2_session_mem_recv(session_, bytes(in), in.size()) >= 0;
}

bool Http2Session::send(std::string& out, size_t max) {
  sending_ = true;
  ssize_t n = 0;
  while (out.size() < max) {
    const uint8_t* data = nullptr;
    if ((n = nghttp2_session_mem_send(session_, &data)) <= 0) break;
    out.append(view(data, size_t(n)));
  }
  sending_ = false;
  return n >= 0;
}

size_t Http2Session::take_answers() { return std::exchange(answers_in_output_, 0); }

void Http2Session::respond(int32_t id, HttpResponse response) {
  Stream* s = find(id);
  if (!s || !s->dispatched || s->answered) return;
  submit(id, *s, response);
}

void Http2Session::resume(int32_t id) { nghttp2_session_resume_data(session_, id); }  // fails if the stream closed

void Http2Session::shutdown_notice() { nghttp2_submit_shutdown_notice(session_); }

void Http2Session::go_away() {
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_),
                        NGHTTP2_NO_ERROR, nullptr, 0);
}

Clock::time_point Http2Session::expire(Clock::time_point now) {
  Clock::time_point next = kNever;
  for (auto& [id, s] : streams_) {
    if (s.dispatched || s.refused) continue;
    if (s.deadline <= now) refuse(id, s, 408, "request timeout\n");
    else next = std::min(next, s.deadline);
  }
  return next;
}

bool Http2Session::want_read() const { return nghttp2_session_want_read(session_) != 0; }

bool Http2Session::want_write() const { return nghttp2_session_want_write(session_) != 0; }

Http2Session::Stream* Http2Session::find(int32_t id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

void Http2Session::end_of_headers(int32_t id, Stream& s, bool end_stream) {
  if (s.refuse_status == 414) return refuse(id, s, 414, "request target too long\n");
  if (s.refuse_status == 431) return refuse(id, s, 431, "request header section too large\n");
  auto length = s.request.header("content-length");  // nghttp2 checked that it is a number
  uint64_t declared = 0;
  std::from_chars(length.data(), length.data() + length.size(), declared);
  if (declared > options_.body_limit) return refuse(id, s, 413, "request body too large\n");
  if (end_stream) return dispatch(id, s);
  s.request.body.reserve(size_t(declared));
  s.deadline = Clock::now() + options_.body_timeout;
}

void Http2Session::dispatch(int32_t id, Stream& s) {
  if (s.refused || s.dispatched) return;
  s.dispatched = true;
  in_flight_.fetch_add(1);
  hooks_.request(id, std::move(s.request));
}

void Http2Session::refuse(int32_t id, Stream& s, int status, std::string text) {
  s.refused = true;
  s.request = {};
  auto response = text_response(status, std::move(text));
  submit(id, s, response);
}

// nghttp2 copies the header fields; the body is read from the stream as the
// peer's flow-control window allows.
void Http2Session::submit(int32_t id, Stream& s, HttpResponse& r) {
  s.answered = true;
  const bool has_body = s.request.method != "HEAD" && r.status != 204 && r.status != 304;
  const auto fields = response_fields(r, r.body.size(), !r.stream && has_body);
  std::vector<nghttp2_nv> nva;
  nva.reserve(fields.size());
  for (const auto& [k, v] : fields) nva.push_back({bytes(k), bytes(v), k.size(), v.size(), NGHTTP2_NV_FLAG_NONE});
  nghttp2_data_provider provider{};
  provider.read_callback = Callbacks::read_body;
  if (r.stream) {
    s.streamed = std::make_shared<StreamBody>([wake = hooks_.wake, id] { wake(id); });
  } else {
    s.body = std::move(r.body);
  }
  const bool with_data = r.stream || (has_body && !s.body.empty());
  if (nghttp2_submit_response(session_, id, nva.data(), nva.size(), with_data ? &provider : nullptr) != 0) {
    // Not in a state to answer (its header block is still coming): the stream must end all the same.
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
    if (s.streamed) s.streamed->cancel();
  }
  if (r.stream) r.stream(s.streamed);
}

void Http2Session::closed(int32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  Stream s = std::move(it->second);
  streams_.erase(it);
  if (s.dispatched) {
    // Closed by the answer's last frame, now in send()'s output: counted out
    // once written. Closed otherwise (reset), the request is over now.
    if (sending_ && s.answered) ++answers_in_output_;
    else in_flight_.fetch_sub(1);
  }
  if (s.streamed) s.streamed->cancel();
}

}  // namespace sluice::server
