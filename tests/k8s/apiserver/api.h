#pragma once
// The API server's request handling, independent of HTTP transport: Api::handle takes
// a parsed request and returns a response (or a stream, for watches). server.cc puts
// it behind Boost.Beast; tests can call it in-process.
//
// Threading: handle() may be called from any number of threads. All state (registry,
// store, recorder) is guarded by one mutex; watch streams wait on a condition variable
// and write to the client with the mutex released. A background thread runs the fake
// Deployment/StatefulSet status writer.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/errors.h"
#include "tests/k8s/apiserver/json_util.h"
#include "tests/k8s/apiserver/kinds.h"
#include "tests/k8s/apiserver/router.h"
#include "tests/k8s/apiserver/store.h"

namespace sluice::test_apiserver {

struct HttpRequest {
  std::string method;
  std::string target;                          // path?query, as received
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Where a watch writes its newline-delimited JSON events.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual bool write(std::string_view chunk) = 0;  // false once the client is gone
  virtual bool client_gone() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::function<void(StreamSink&)> stream;  // set for watches: the body is streamed (chunked)
};

struct ApiOptions {
  // (user name, bearer token). Requests without a token are system:anonymous; an
  // unknown token is 401.
  std::vector<std::pair<std::string, std::string>> users = {{"admin", "sluice-test-admin-token"}};
  bool fake_status = true;
  std::chrono::milliseconds fake_status_delay{0};
  size_t event_window = 10000;
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(10)};
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

class Api {
 public:
  explicit Api(ApiOptions options = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  HttpResponse handle(const HttpRequest& request);
  // Ends open watches and the status writer; handle() keeps working.
  void shutdown();

 private:
  // Per-request context for object handlers.
  struct Ctx {
    TypePtr type;
    RequestInfo info;
    std::string user;
    std::string ns;  // "" for cluster-scoped types
    std::string field_manager;
    std::string field_validation;  // Strict, Warn or Ignore
    bool dry_run = false;
    std::vector<std::string> warnings;
  };
  using Reply = Result<HttpResponse, ApiError>;

  // api.cc: dispatch, auth, non-resource endpoints, recording, testing hooks.
  HttpResponse dispatch(const HttpRequest& req, const RequestInfo& info, const std::string& user);
  Reply non_resource(const HttpRequest& req, const RequestInfo& info);
  Reply testing_hook(const HttpRequest& req, const RequestInfo& info);
  Reply resource(const HttpRequest& req, Ctx& ctx);
  void record(const RequestInfo& info, const HttpRequest& req, const std::string& user, int code);

  // handlers_read.cc: get, list, watch, Tables.
  Reply get(const HttpRequest& req, Ctx& ctx);
  Reply list(const HttpRequest& req, Ctx& ctx);
  Reply watch(const HttpRequest& req, Ctx& ctx);
  Json present(const ResourceType& type, Json object) const;

  // handlers_write.cc: create, update, patch, delete and the shared write pipeline.
  Reply create(const HttpRequest& req, Ctx& ctx);
  Reply update(const HttpRequest& req, Ctx& ctx);
  Reply patch(const HttpRequest& req, Ctx& ctx);
  Reply remove(const HttpRequest& req, Ctx& ctx);
  Reply remove_collection(const HttpRequest& req, Ctx& ctx);
  Result<Json, ApiError> decode_object(const HttpRequest& req, const Ctx& ctx);
  Result<Json, ApiError> create_object(Ctx& ctx, Json object);
  Result<Json, ApiError> commit_update(Ctx& ctx, const Json& old, Json candidate, bool keep_managed_fields = false);
  std::optional<ApiError> validate(Ctx& ctx, Json& object, const Json* old);
  Result<Json, ApiError> apply_patch(const HttpRequest& req, Ctx& ctx, const Json* old, const Json& view);
  // `body` is already presented (an object in the request's version, or a Scale).
  HttpResponse write_reply(const Ctx& ctx, int status, const Json& body) const;

  // scale.cc: the autoscaling/v1 Scale subresource.
  Json scale_of(const ResourceType& type, const Json& object) const;
  Result<Json, ApiError> apply_scale(const ResourceType& type, const Json& object, const Json& scale) const;

  // lifecycle.cc: deletion, finalizers, namespace and CRD termination, owner GC.
  Json delete_object(const ResourceType& type, const Json& object, bool orphan);
  void sweep();
  bool finish_namespaces();
  bool finish_crds();
  bool collect_garbage();
  void after_write(const ResourceType& type, const Json* old, const Json* now);

  // builtin_behavior.cc: what built-in kinds do on write, and the fake status writer.
  void prepare_builtin(const ResourceType& type, Json& object, const Json* old);
  void validate_builtin(const ResourceType& type, const Json& object, const Json* old, std::vector<FieldError>& errors);
  void schedule_fake_status(const ResourceType& type, const Json& object);
  void fake_status_loop();
  void sync_fake_replica_sets(const Json& deployment, const std::string& hash);

  ApiError not_found_error(const ResourceType& t, const std::string& name) const {
    return not_found(t.group_resource(), t.group, t.plural, name);
  }
  std::string now_string() const { return rfc3339(options_.now()); }

  ApiOptions options_;
  std::mutex mu_;
  std::condition_variable changed_;  // notified on every store write and on shutdown
  Registry registry_;
  Store store_;
  bool shutting_down_ = false;
  std::vector<Json> recorded_;
  std::map<std::string, std::string> token_users_;
  std::vector<std::pair<std::string, bool>> pending_gc_;  // (owner uid, orphan)
  uint64_t next_cluster_ip_ = 10;

  struct PendingStatus {
    Clock::time_point due;
    std::string storage_key, ns, name;
  };
  std::deque<PendingStatus> pending_status_;
  std::condition_variable status_cv_;
  std::thread status_thread_;
};

}  // namespace sluice::test_apiserver
