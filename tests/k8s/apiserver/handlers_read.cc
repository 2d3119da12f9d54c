// Reads: get, list and watch, rendered as JSON objects, Lists, Tables or
// PartialObjectMetadata as the Accept header asks.
#include <algorithm>
#include <cstdlib>

#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/selectors.h"
#include "tests/k8s/apiserver/table.h"

namespace sluice::test_apiserver {

namespace {

enum class Render { Json, Table, Metadata, Unacceptable };

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The first media range of Accept that the server can produce.
Render negotiate(const std::string& accept, bool list) {
  if (trim(accept).empty()) return Render::Json;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    std::string range = accept.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? accept.size() + 1 : comma + 1;
    std::map<std::string, std::string> params;
    size_t semi = range.find(';');
    std::string media = trim(range.substr(0, semi));
    while (semi != std::string::npos) {
      size_t next = range.find(';', semi + 1);
      std::string kv = range.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1);
      size_t eq = kv.find('=');
      if (eq != std::string::npos) params[trim(kv.substr(0, eq))] = trim(kv.substr(eq + 1));
      semi = next;
    }
    if (media != "application/json" && media != "*/*" && media != "application/*") continue;
    auto as = params.find("as");
    if (as == params.end()) return Render::Json;
    if (params["g"] != "meta.k8s.io" || params["v"] != "v1") continue;
    if (as->second == "Table") return Render::Table;
    if (as->second == (list ? "PartialObjectMetadataList" : "PartialObjectMetadata")) return Render::Metadata;
  }
  return Render::Unacceptable;
}

ApiError unacceptable(const std::string& accept) {
  return not_acceptable(
      "the Sluice test API server answers only application/json (optionally as=Table or "
      "as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1), not Accept: " +
      accept);
}

Json partial(const Json& object) {
  return {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", object["metadata"]}};
}

struct Filter {
  bool by_namespace = false;
  std::string ns;
  LabelSelector labels;
  FieldSelector fields;

  const std::string* namespace_or_all() const { return by_namespace ? &ns : nullptr; }
  bool matches(const Json& o) const {
    if (by_namespace && string_at(o, {"metadata", "namespace"}) != ns) return false;
    const Json* l = find_path(o, {"metadata", "labels"});
    return labels.matches(l ? *l : Json()) && fields.matches(o);
  }
};

Result<Filter, ApiError> make_filter(const RequestInfo& info, const ResourceType& type, const std::string& ns) {
  Filter f;
  auto get = [&](const char* k) {
    auto it = info.query.find(k);
    return it == info.query.end() ? std::string() : it->second;
  };
  auto labels = LabelSelector::parse(get("labelSelector"));
  if (!labels.ok()) return Failure(bad_request("unable to parse requirement: " + labels.error()));
  std::string field_text = get("fieldSelector");
  // Watching a named object (.../things/name?watch=1, or the deprecated /watch/... form)
  // watches that one object.
  if (!info.name.empty()) {
    field_text += (field_text.empty() ? "" : ",") + std::string("metadata.name=") + info.name;
  }
  auto fields = FieldSelector::parse(field_text, type.field_labels);
  if (!fields.ok()) return Failure(bad_request(fields.error()));
  f.labels = std::move(*labels);
  f.fields = std::move(*fields);
  if (type.namespaced && !ns.empty()) {
    f.by_namespace = true;
    f.ns = ns;
  }
  return f;
}

bool parse_rv(const std::string& text, uint64_t& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtoull(text.c_str(), &end, 10);
  return *end == '\0';
}

}  // namespace

Json Api::present(const ResourceType& type, Json object) const {
  // Versions of one CRD share storage without conversion (strategy None): only the
  // apiVersion changes, as on a real server.
  object["apiVersion"] = type.api_version();
  object["kind"] = type.kind;
  return object;
}

Api::Reply Api::get(const HttpRequest& req, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  const Json* obj = store_.get(t.storage_key(), ctx.ns, ctx.info.name);
  if (!obj) return Failure(not_found_error(t, ctx.info.name));
  HttpResponse r;
  if (ctx.info.subresource == "scale") {
    r.body = scale_of(t, *obj).dump();
    return r;
  }
  std::string accept = req.header("accept");
  switch (negotiate(accept, false)) {
    case Render::Json:
      r.body = present(t, *obj).dump();
      break;
    case Render::Metadata:
      r.body = partial(*obj).dump();
      break;
    case Render::Table: {
      auto inc = ctx.info.query.find("includeObject");
      r.body = make_table(t, {present(t, *obj)}, string_at(*obj, {"metadata", "resourceVersion"}),
                          inc == ctx.info.query.end() ? "Metadata" : inc->second, options_.now())
                   .dump();
      break;
    }
    case Render::Unacceptable:
      return Failure(unacceptable(accept));
  }
  return r;
}

Api::Reply Api::list(const HttpRequest& req, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  const auto& q = ctx.info.query;
  auto filter = make_filter(ctx.info, t, ctx.ns);
  if (!filter.ok()) return Failure(filter.error());
  if (auto c = q.find("continue"); c != q.end() && !c->second.empty()) {
    return Failure(bad_request(
        "continue tokens are never issued by the Sluice test API server (lists are complete; limit is ignored)"));
  }
  uint64_t current = store_.resource_version();
  std::string rv_text = q.count("resourceVersion") ? q.at("resourceVersion") : std::string();
  uint64_t rv = 0;
  if (!rv_text.empty() && !parse_rv(rv_text, rv))
    return Failure(bad_request("invalid resourceVersion \"" + rv_text + "\""));
  if (rv > current) {
    return Failure(timeout("Too large resource version: " + rv_text + ", current: " + std::to_string(current)));
  }
  std::string match = q.count("resourceVersionMatch") ? q.at("resourceVersionMatch") : std::string();
  if (match == "Exact" && rv != current) {
    return Failure(
        not_implemented("resourceVersionMatch=Exact for an older resourceVersion is not supported by the "
                        "Sluice test API server (it keeps no history of object states)"));
  }
  if (!match.empty() && match != "Exact" && match != "NotOlderThan") {
    return Failure(bad_request("resourceVersionMatch: Unsupported value: \"" + match + "\""));
  }
  std::vector<Json> items;
  for (const Json* o : store_.list(t.storage_key(), filter->namespace_or_all())) {
    if (filter->matches(*o)) items.push_back(present(t, *o));
  }
  std::string rv_out = std::to_string(current);
  std::string accept = req.header("accept");
  HttpResponse r;
  switch (negotiate(accept, true)) {
    case Render::Json:
      r.body = Json{
          {"kind", t.kind + "List"},
          {"apiVersion", t.api_version()},
          {"metadata", {{"resourceVersion", rv_out}}},
          {"items",
           items}}.dump();
      break;
    case Render::Metadata: {
      Json meta = Json::array();
      for (const auto& i : items) meta.push_back(partial(i));
      r.body = Json{
          {"kind", "PartialObjectMetadataList"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", {{"resourceVersion", rv_out}}},
          {"items",
           meta}}.dump();
      break;
    }
    case Render::Table: {
      auto inc = q.find("includeObject");
      r.body = make_table(t, items, rv_out, inc == q.end() ? "Metadata" : inc->second, options_.now()).dump();
      break;
    }
    case Render::Unacceptable:
      return Failure(unacceptable(accept));
  }
  return r;
}

Api::Reply Api::watch(const HttpRequest& req, Ctx& ctx) {
  const auto& q = ctx.info.query;
  TypePtr type = ctx.type;
  auto filter = make_filter(ctx.info, *type, ctx.ns);
  if (!filter.ok()) return Failure(filter.error());
  std::string accept = req.header("accept");
  Render render = negotiate(accept, false);
  if (render == Render::Unacceptable) return Failure(unacceptable(accept));
  if (auto s = q.find("sendInitialEvents"); s != q.end() && !s->second.empty() && s->second != "false") {
    return Failure(
        not_implemented("sendInitialEvents (WatchList) is not supported by the Sluice test API server; "
                        "list, then watch from the list's resourceVersion"));
  }
  bool bookmarks = false;
  if (auto b = q.find("allowWatchBookmarks");
      b != q.end() && !b->second.empty() && !parse_go_bool(b->second, bookmarks)) {
    return Failure(bad_request("invalid value for allowWatchBookmarks: \"" + b->second + "\""));
  }
  long timeout_seconds = -1;
  if (auto ts = q.find("timeoutSeconds"); ts != q.end() && !ts->second.empty()) {
    char* end = nullptr;
    timeout_seconds = std::strtol(ts->second.c_str(), &end, 10);
    if (*end != '\0' || timeout_seconds < 0)
      return Failure(bad_request("invalid timeoutSeconds \"" + ts->second + "\""));
  }
  std::string rv_text = q.count("resourceVersion") ? q.at("resourceVersion") : std::string();
  uint64_t from = 0;
  if (!rv_text.empty() && !parse_rv(rv_text, from))
    return Failure(bad_request("invalid resourceVersion \"" + rv_text + "\""));

  // Decide the start under the lock: synthetic ADDED events for "" and "0", else events after N.
  std::vector<Json> initial;
  bool expired = false;
  std::string expired_message;
  if (from == 0) {
    for (const Json* o : store_.list(type->storage_key(), filter->namespace_or_all())) {
      if (filter->matches(*o)) initial.push_back(present(*type, *o));
    }
    from = store_.resource_version();
  } else if (from < store_.window_start()) {
    expired = true;
    expired_message = "too old resource version: " + rv_text + " (" + std::to_string(store_.window_start()) + ")";
  }
  uint64_t epoch = store_.compactions();
  std::string include = q.count("includeObject") ? q.at("includeObject") : "Metadata";
  auto bookmark_interval = options_.bookmark_interval;
  auto now_fn = options_.now;

  HttpResponse r;
  r.stream = [this, type, filter = std::move(*filter), initial = std::move(initial), from, expired, expired_message,
              epoch, render, include, bookmarks, timeout_seconds, bookmark_interval, now_fn](StreamSink& sink) {
    auto render_object = [&](const Json& o) {
      return render == Render::Table
                 ? make_table(*type, {o}, string_at(o, {"metadata", "resourceVersion"}), include, now_fn())
             : render == Render::Metadata ? partial(o)
                                          : o;
    };
    auto send = [&](const char* kind, const Json& object) {
      return sink.write(Json{{"type", kind}, {"object", object}}.dump() + "\n");
    };
    auto send_expired = [&](const std::string& message) { send("ERROR", status_json(gone_expired(message))); };
    if (expired) {
      send_expired(expired_message);
      return;
    }
    for (const auto& o : initial) {
      if (!send("ADDED", render_object(o))) return;
    }
    using Steady = std::chrono::steady_clock;
    // timeoutSeconds=0 means "the server's default", which here is no timeout.
    auto deadline =
        timeout_seconds > 0 ? Steady::now() + std::chrono::seconds(timeout_seconds) : Steady::time_point::max();
    auto next_bookmark = Steady::now() + bookmark_interval;
    uint64_t last = from;
    for (;;) {
      std::vector<StoredEvent> events;
      {
        std::unique_lock lock(mu_);
        changed_.wait_for(lock, std::chrono::milliseconds(200), [&] {
          return shutting_down_ || store_.resource_version() > last || store_.compactions() != epoch;
        });
        if (shutting_down_) return;
        if (store_.compactions() != epoch || last < store_.window_start()) {
          lock.unlock();
          send_expired("too old resource version: " + std::to_string(last) + " (" +
                       std::to_string(store_.window_start()) + ")");
          return;
        }
        events = store_.events_after(last, type->storage_key());
        last = store_.resource_version();
      }
      for (const auto& e : events) {
        bool now_matches = filter.matches(e.object);
        bool was_matching = e.type == "MODIFIED" && filter.matches(e.previous);
        const char* kind = e.type.c_str();
        if (e.type == "MODIFIED") {
          // Selector transitions look like additions and deletions to the watcher.
          if (now_matches && !was_matching) kind = "ADDED";
          else if (!now_matches && was_matching) kind = "DELETED";
          else if (!now_matches) continue;
        } else if (!now_matches) {
          continue;
        }
        if (!send(kind, render_object(present(*type, e.object)))) return;
      }
      if (Steady::now() >= deadline || sink.client_gone()) return;
      // Table watches get no bookmarks: their objects are Tables, not the resource.
      if (bookmarks && render == Render::Json && Steady::now() >= next_bookmark) {
        Json bm = {{"kind", type->kind},
                   {"apiVersion", type->api_version()},
                   {"metadata", {{"resourceVersion", std::to_string(last)}}}};
        if (!send("BOOKMARK", bm)) return;
        next_bookmark = Steady::now() + bookmark_interval;
      }
    }
  };
  return r;
}

}  // namespace sluice::test_apiserver
