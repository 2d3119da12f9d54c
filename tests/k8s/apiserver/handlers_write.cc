// Writes: create, update (PUT), patch (merge, JSON, strategic, apply), delete and
// deletecollection, all through one pipeline: decode → merge with the stored object
// (respecting subresources) → defaults and validation → generation → store → events.
#include <algorithm>
#include <regex>

#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/apply.h"
#include "tests/k8s/apiserver/crd.h"
#include "tests/k8s/apiserver/patch.h"
#include "tests/k8s/apiserver/protobuf.h"
#include "tests/k8s/apiserver/schema_validation.h"
#include "tests/k8s/apiserver/selectors.h"

namespace sluice::test_apiserver {

namespace {

std::string media_type(const std::string& content_type) {
  std::string m = content_type.substr(0, content_type.find(';'));
  while (!m.empty() && m.back() == ' ') m.pop_back();
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  return m;
}

std::string group_of(const std::string& api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string version_of(const std::string& api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

bool is_deleting(const Json& o) { return find_path(o, {"metadata", "deletionTimestamp"}) != nullptr; }

std::vector<std::string> finalizers_of(const Json& o) {
  std::vector<std::string> out;
  if (const Json* f = find_path(o, {"metadata", "finalizers"}); f && f->is_array()) {
    for (const auto& v : *f) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// Everything but metadata (and status, when status is a subresource): what generation tracks.
Json spec_part(const Json& o, bool status_subresource) {
  Json c = o;
  c.erase("metadata");
  if (status_subresource) c.erase("status");
  return c;
}

const std::regex kSubdomain("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
const std::regex kLabel1123("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
const std::regex kLabel1035("^[a-z]([-a-z0-9]*[a-z0-9])?$");
const std::regex kLabelValue("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
const std::regex kQualifiedName("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");

void check_name(const ResourceType& t, const std::string& name, std::vector<FieldError>& errors) {
  if (name.empty()) return;
  bool rbac = t.group == "rbac.authorization.k8s.io";
  if (rbac) {
    // RBAC names are path segments ("system:controller:x" is fine).
    if (name == "." || name == ".." || name.find('/') != std::string::npos || name.find('%') != std::string::npos) {
      errors.push_back(field_invalid("metadata.name", name, "may not contain '/' or '%' and may not be '.' or '..'"));
    }
  } else if (t.group.empty() && t.plural == "namespaces") {
    if (name.size() > 63 || !std::regex_match(name, kLabel1123)) {
      errors.push_back(field_invalid("metadata.name", name,
                                     "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                                     "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                                     "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
    }
  } else if (t.group.empty() && t.plural == "services") {
    if (name.size() > 63 || !std::regex_match(name, kLabel1035)) {
      errors.push_back(
          field_invalid("metadata.name", name,
                        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                        "with an alphabetic character, and end with an alphanumeric character (e.g. "
                        "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
    }
  } else if (name.size() > 253 || !std::regex_match(name, kSubdomain)) {
    errors.push_back(field_invalid("metadata.name", name,
                                   "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                                   "'-' or '.', and must start and end with an alphanumeric character (e.g. "
                                   "'example.com', regex used for validation is "
                                   "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
  }
}

bool valid_qualified_key(const std::string& key) {
  std::string name = key;
  size_t slash = key.find('/');
  if (slash != std::string::npos) {
    std::string prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty() || prefix.size() > 253 || !std::regex_match(prefix, kSubdomain)) return false;
  }
  return !name.empty() && name.size() <= 63 && std::regex_match(name, kQualifiedName);
}

const std::vector<std::string> kObjectMetaFields = {"name",
                                                    "generateName",
                                                    "namespace",
                                                    "selfLink",
                                                    "uid",
                                                    "resourceVersion",
                                                    "generation",
                                                    "creationTimestamp",
                                                    "deletionTimestamp",
                                                    "deletionGracePeriodSeconds",
                                                    "labels",
                                                    "annotations",
                                                    "ownerReferences",
                                                    "finalizers",
                                                    "managedFields"};

ApiError strict_decoding(const ResourceType& t, const std::vector<std::string>& unknown) {
  std::string msg =
      t.kind + " in version \"" + t.version + "\" cannot be handled as a " + t.kind + ": strict decoding error: ";
  for (size_t i = 0; i < unknown.size(); ++i)
    msg += (i ? ", " : "") + std::string("unknown field \"") + unknown[i] + "\"";
  return bad_request(msg);
}

}  // namespace

HttpResponse Api::write_reply(const Ctx& ctx, int status, const Json& body) const {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  for (const auto& w : ctx.warnings) r.headers.emplace_back("Warning", "299 - " + Json(w).dump());
  return r;
}

Result<Json, ApiError> Api::decode_object(const HttpRequest& req, const Ctx& ctx) {
  std::string ct = media_type(req.header("content-type"));
  Json obj;
  if (ct == kProtobufContentType) {
    auto decoded = decode_k8s_protobuf(req.body);
    if (!decoded.ok()) return Failure(unsupported_media_type(decoded.error()));
    obj = std::move(*decoded);
  } else if (ct.empty() || ct == "application/json") {
    // kubectl scale --current-replicas PUTs with no Content-Type at all: JSON.
    obj = Json::parse(req.body, nullptr, false);
    if (obj.is_discarded()) return Failure(bad_request("couldn't decode the request body: invalid JSON"));
  } else {
    return Failure(unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: application/json, "
        "application/vnd.kubernetes.protobuf (v1 Namespace, Secret, ConfigMap only); got \"" +
        ct + "\""));
  }
  if (!obj.is_object()) {
    return Failure(bad_request(std::string("json: cannot unmarshal ") + json_type_name(obj) +
                               " into Go value of type " + ctx.type->kind));
  }
  return obj;
}

// Kind and apiVersion must be present and name this resource (any served version of it).
static std::optional<ApiError> check_type_meta(const Json& obj, const ResourceType& t, const Registry& registry,
                                               const std::string& want_kind) {
  std::string kind = string_at(obj, {"kind"});
  std::string av = string_at(obj, {"apiVersion"});
  if (kind.empty()) return bad_request("Object 'Kind' is missing in '" + obj.dump() + "'");
  if (av.empty()) return bad_request("Object 'apiVersion' is missing in '" + obj.dump() + "'");
  std::string want_group = want_kind == "Scale" ? "autoscaling" : t.group;
  bool version_ok =
      want_kind == "Scale" ? version_of(av) == "v1" : registry.find(t.group, version_of(av), t.plural) != nullptr;
  if (kind != want_kind || group_of(av) != want_group || !version_ok) {
    return bad_request("the object (kind " + kind + ", apiVersion " + av +
                       ") does not match the resource of the URL (" + want_kind + ", " +
                       (want_kind == "Scale" ? std::string("autoscaling/v1") : t.api_version()) + ")");
  }
  return std::nullopt;
}

std::optional<ApiError> Api::validate(Ctx& ctx, Json& object, const Json* old) {
  const ResourceType& t = *ctx.type;
  std::vector<std::string> unknown;
  std::vector<FieldError> errors;
  Json& meta = object_member(object, "metadata");
  for (auto it = meta.begin(); it != meta.end();) {
    if (std::find(kObjectMetaFields.begin(), kObjectMetaFields.end(), it.key()) == kObjectMetaFields.end()) {
      unknown.push_back("metadata." + it.key());
      it = meta.erase(it);
    } else {
      ++it;
    }
  }
  for (const char* m : {"labels", "annotations"}) {
    const Json* map = find(meta, m);
    if (!map || map->is_null()) continue;
    if (!map->is_object()) return bad_request(std::string("metadata.") + m + " must be a map of strings");
    for (auto it = map->begin(); it != map->end(); ++it) {
      if (!it.value().is_string()) {
        return bad_request("json: cannot unmarshal " + std::string(json_type_name(it.value())) +
                           " into Go struct field ObjectMeta.metadata." + m + " of type string");
      }
      if (!valid_qualified_key(it.key())) {
        errors.push_back(field_invalid(std::string("metadata.") + m, it.key(),
                                       "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                                       "start and end with an alphanumeric character, with an optional DNS subdomain "
                                       "prefix and '/'"));
      }
      std::string value = it.value().get<std::string>();
      if (std::string(m) == "labels" && (value.size() > 63 || !std::regex_match(value, kLabelValue))) {
        errors.push_back(field_invalid("metadata.labels", value,
                                       "a valid label must be an empty string or consist of alphanumeric characters, "
                                       "'-', '_' or '.', and must start and end with an alphanumeric character"));
      }
    }
  }
  if (const Json* f = find(meta, "finalizers"); f && !f->is_null()) {
    if (!f->is_array()) return bad_request("metadata.finalizers must be a list of strings");
    for (const auto& v : *f) {
      if (!v.is_string()) return bad_request("metadata.finalizers must be a list of strings");
    }
  }
  check_name(t, string_at(object, {"metadata", "name"}), errors);

  if (t.builtin && !t.fields.empty()) {
    for (auto it = object.begin(); it != object.end();) {
      const std::string& k = it.key();
      bool known = k == "apiVersion" || k == "kind" || k == "metadata" ||
                   std::find(t.fields.begin(), t.fields.end(), k) != t.fields.end();
      if (known) {
        ++it;
      } else {
        unknown.push_back(k);
        it = object.erase(it);
      }
    }
  }
  if (!t.builtin && t.schema) {
    ValidationResult r = validate_custom_resource(*t.schema, object, old);
    unknown.insert(unknown.end(), r.unknown_fields.begin(), r.unknown_fields.end());
    errors.insert(errors.end(), r.errors.begin(), r.errors.end());
  }
  if (t.builtin) validate_builtin(t, object, old, errors);

  if (!unknown.empty()) {
    if (ctx.field_validation == "Strict") return strict_decoding(t, unknown);
    if (ctx.field_validation == "Warn") {
      for (const auto& u : unknown) ctx.warnings.push_back("unknown field \"" + u + "\"");
    }
  }
  if (!errors.empty()) return invalid(t.group_kind(), t.group, t.kind, string_at(object, {"metadata", "name"}), errors);

  if (t.group == "apiextensions.k8s.io" && t.kind == "CustomResourceDefinition" && !is_deleting(object)) {
    auto types = crd_resource_types(object);
    if (!types.ok()) return types.error();
    std::string key = crd_storage_key(object);
    if (TypePtr clash = registry_.find_any_version(key); clash && clash->builtin) {
      return bad_request("CustomResourceDefinition " + string_at(object, {"metadata", "name"}) +
                         " conflicts with the built-in resource " + clash->group_resource());
    }
  }
  return std::nullopt;
}

Result<Json, ApiError> Api::create_object(Ctx& ctx, Json obj) {
  const ResourceType& t = *ctx.type;
  Json& meta = object_member(obj, "metadata");
  if (t.namespaced) {
    std::string body_ns = string_at(meta, {"namespace"});
    if (body_ns.empty()) {
      meta["namespace"] = ctx.ns;
    } else if (body_ns != ctx.ns) {
      return Failure(
          bad_request("the namespace of the provided object does not match the namespace sent on the request"));
    }
  } else {
    meta.erase("namespace");
  }
  std::string name = string_at(meta, {"name"});
  if (name.empty()) {
    std::string prefix = string_at(meta, {"generateName"});
    if (prefix.empty()) {
      return Failure(invalid(t.group_kind(), t.group, t.kind, "",
                             {field_required("metadata.name", "name or generateName is required")}));
    }
    for (int attempt = 0; attempt < 20 && (name.empty() || store_.get(t.storage_key(), ctx.ns, name)); ++attempt) {
      name = prefix + random_name_suffix();
    }
    meta["name"] = name;
  }
  if (!ctx.info.name.empty() && ctx.info.name != name) {
    return Failure(bad_request("the name of the object (" + name + ") does not match the name on the URL (" +
                               ctx.info.name + ")"));
  }
  if (t.namespaced) {
    const Json* ns = store_.get("/namespaces", "", ctx.ns);
    if (!ns) return Failure(not_found("namespaces", "", "namespaces", ctx.ns));
    if (is_deleting(*ns)) {
      return Failure(forbidden(t.group_resource() + " \"" + name +
                               "\" is forbidden: unable to create new content in namespace " + ctx.ns +
                               " because it is being terminated"));
    }
  }
  if (store_.get(t.storage_key(), ctx.ns, name))
    return Failure(already_exists(t.group_resource(), t.group, t.plural, name));
  if (!string_at(meta, {"resourceVersion"}).empty()) {
    return Failure(bad_request("resourceVersion should not be set on objects to be created"));
  }
  meta["uid"] = random_uid();
  meta["creationTimestamp"] = now_string();
  meta["generation"] = 1;
  for (const char* k : {"deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "resourceVersion"})
    meta.erase(k);
  if (t.status_subresource) obj.erase("status");  // create drops status
  if (t.builtin) prepare_builtin(t, obj, nullptr);
  if (auto err = validate(ctx, obj, nullptr)) return Failure(*err);
  if (ctx.dry_run) return obj;
  Json stored = store_.create(t.storage_key(), std::move(obj));
  after_write(t, nullptr, &stored);
  return stored;
}

Api::Reply Api::create(const HttpRequest& req, Ctx& ctx) {
  auto obj = decode_object(req, ctx);
  if (!obj.ok()) return Failure(obj.error());
  if (auto err = check_type_meta(*obj, *ctx.type, registry_, ctx.type->kind)) return Failure(*err);
  auto created = create_object(ctx, std::move(*obj));
  if (!created.ok()) return Failure(created.error());
  return write_reply(ctx, 201, present(*ctx.type, *created));
}

Result<Json, ApiError> Api::commit_update(Ctx& ctx, const Json& old, Json candidate, bool keep_managed_fields) {
  const ResourceType& t = *ctx.type;
  const std::string& sub = ctx.info.subresource;
  if (sub == "status") {
    // A status write changes status only.
    Json next = old;
    if (const Json* s = find(candidate, "status")) next["status"] = *s;
    else next.erase("status");
    if (keep_managed_fields) {
      if (const Json* mf = find_path(candidate, {"metadata", "managedFields"})) next["metadata"]["managedFields"] = *mf;
    }
    candidate = std::move(next);
  } else if (sub == "finalize") {
    Json next = old;
    const Json* f = find_path(candidate, {"spec", "finalizers"});
    next["spec"]["finalizers"] = f && f->is_array() ? *f : Json::array();
    candidate = std::move(next);
  } else {
    if (t.status_subresource) {
      if (const Json* s = find(old, "status")) candidate["status"] = *s;
      else candidate.erase("status");
    }
    Json& meta = object_member(candidate, "metadata");
    const Json& old_meta = old["metadata"];
    for (const char* k : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                          "name", "namespace"}) {
      if (const Json* v = find(old_meta, k)) meta[k] = *v;
      else meta.erase(k);
    }
    if (!meta.contains("managedFields")) {
      if (const Json* mf = find(old_meta, "managedFields")) meta["managedFields"] = *mf;
    }
    meta.erase("selfLink");
    if (t.builtin) prepare_builtin(t, candidate, &old);
  }
  if (auto err = validate(ctx, candidate, &old)) return Failure(*err);

  if (is_deleting(old)) {
    auto before = finalizers_of(old);
    std::vector<std::string> added;
    for (const auto& f : finalizers_of(candidate)) {
      if (std::find(before.begin(), before.end(), f) == before.end()) added.push_back("\"" + f + "\"");
    }
    if (!added.empty()) {
      std::string list;
      for (const auto& a : added) list += (list.empty() ? "" : ", ") + a;
      return Failure(invalid(t.group_kind(), t.group, t.kind, ctx.info.name,
                             {field_forbidden("metadata.finalizers",
                                              "no new finalizers can be added if the object is "
                                              "being deleted, found new finalizers []string{" +
                                                  list + "}")}));
    }
  }
  long long generation = 1;
  if (const Json* g = find_path(old, {"metadata", "generation"}); g && g->is_number_integer())
    generation = g->get<long long>();
  if (spec_part(candidate, t.status_subresource) != spec_part(old, t.status_subresource)) ++generation;
  candidate["metadata"]["generation"] = generation;
  candidate["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"];
  if (candidate == old) return old;  // a no-op write changes nothing, not even the resourceVersion
  if (ctx.dry_run) return candidate;

  if (is_deleting(candidate) && finalizers_of(candidate).empty()) {
    // The last finalizer is gone: the object goes, with a single DELETED event.
    Json removed = store_.remove(t.storage_key(), ctx.ns, ctx.info.name);
    pending_gc_.emplace_back(string_at(old, {"metadata", "uid"}), false);
    after_write(t, &old, nullptr);
    sweep();
    return removed;
  }
  Json stored = store_.update(t.storage_key(), std::move(candidate));
  after_write(t, &old, &stored);
  sweep();
  return stored;
}

Api::Reply Api::update(const HttpRequest& req, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  const std::string& sub = ctx.info.subresource;
  auto obj = decode_object(req, ctx);
  if (!obj.ok()) return Failure(obj.error());
  const Json* old = store_.get(t.storage_key(), ctx.ns, ctx.info.name);
  if (!old) return Failure(not_found_error(t, ctx.info.name));
  Json old_copy = *old;
  std::string rv = string_at(*obj, {"metadata", "resourceVersion"});

  if (sub == "scale") {
    if (auto err = check_type_meta(*obj, t, registry_, "Scale")) return Failure(*err);
    if (!rv.empty() && rv != string_at(old_copy, {"metadata", "resourceVersion"})) {
      return Failure(stale_object(t.group_resource(), t.group, t.plural, ctx.info.name));
    }
    auto next = apply_scale(t, old_copy, *obj);
    if (!next.ok()) return Failure(next.error());
    auto stored = commit_update(ctx, old_copy, std::move(*next));
    if (!stored.ok()) return Failure(stored.error());
    return write_reply(ctx, 200, scale_of(t, *stored));
  }
  if (auto err = check_type_meta(*obj, t, registry_, t.kind)) return Failure(*err);
  std::string name = string_at(*obj, {"metadata", "name"});
  if (name != ctx.info.name) {
    return Failure(bad_request("the name of the object (" + name + ") does not match the name on the URL (" +
                               ctx.info.name + ")"));
  }
  std::string body_ns = string_at(*obj, {"metadata", "namespace"});
  if (t.namespaced && !body_ns.empty() && body_ns != ctx.ns) {
    return Failure(
        bad_request("the namespace of the provided object does not match the namespace sent on the request"));
  }
  if (!rv.empty() && rv != string_at(old_copy, {"metadata", "resourceVersion"})) {
    return Failure(stale_object(t.group_resource(), t.group, t.plural, ctx.info.name));
  }
  auto stored = commit_update(ctx, old_copy, std::move(*obj));
  if (!stored.ok()) return Failure(stored.error());
  return write_reply(ctx, 200, present(t, *stored));
}

Result<Json, ApiError> Api::apply_patch(const HttpRequest& req, Ctx& ctx, const Json* old, const Json& view) {
  const ResourceType& t = *ctx.type;
  std::string ct = media_type(req.header("content-type"));
  auto as_error = [](const PatchError& e) {
    return e.bad_request ? bad_request(e.message) : ApiError{422, "Invalid", e.message, nullptr};
  };
  if (ct == "application/apply-patch+yaml") {
    Json applied = Json::parse(req.body, nullptr, false);
    if (applied.is_discarded()) {
      return Failure(
          unsupported_media_type("apply patches must be JSON: YAML apply bodies are not supported by the "
                                 "Sluice test API server (kubectl sends JSON)"));
    }
    if (!applied.is_object()) return Failure(bad_request("apply patch must be an object"));
    if (auto err = check_type_meta(applied, t, registry_, t.kind)) return Failure(*err);
    std::string name = string_at(applied, {"metadata", "name"});
    if (name != ctx.info.name) {
      return Failure(bad_request("the name of the object (" + name + ") does not match the name on the URL (" +
                                 ctx.info.name + ")"));
    }
    if (ctx.info.subresource == "status") {
      Json only = {{"apiVersion", applied["apiVersion"]}, {"kind", applied["kind"]}, {"metadata", applied["metadata"]}};
      if (const Json* s = find(applied, "status")) only["status"] = *s;
      applied = std::move(only);
    } else if (t.status_subresource) {
      applied.erase("status");
    }
    bool force = false;
    if (auto f = ctx.info.query.find("force");
        f != ctx.info.query.end() && !f->second.empty() && !parse_go_bool(f->second, force)) {
      return Failure(bad_request("invalid value for force: \"" + f->second + "\""));
    }
    ListSemanticsLookup lookup = t.builtin ? builtin_list_semantics(t) : schema_list_semantics(t.schema);
    ApplyOutcome out = server_side_apply(old, applied, ctx.field_manager, force, lookup, t.api_version(), now_string());
    if (!out.conflicts.empty()) {
      std::string msg = "Apply failed with " + std::to_string(out.conflicts.size()) +
                        (out.conflicts.size() == 1 ? " conflict: " : " conflicts: ");
      Json causes = Json::array();
      for (size_t i = 0; i < out.conflicts.size(); ++i) {
        const auto& c = out.conflicts[i];
        msg += (i ? ", " : "") + std::string("conflict with \"") + c.manager + "\": " + c.field;
        causes.push_back({{"reason", "FieldManagerConflict"},
                          {"message", "conflict with \"" + c.manager + "\""},
                          {"field", c.field}});
      }
      ApiError e = conflict(t.group_resource(), t.group, t.plural, ctx.info.name, "");
      e.message = msg;
      e.details["causes"] = causes;
      return Failure(e);
    }
    return out.object;
  }
  Json patch = Json::parse(req.body, nullptr, false);
  if (patch.is_discarded()) return Failure(bad_request("couldn't decode the patch: invalid JSON"));
  Result<Json, PatchError> r = Failure(PatchError{});
  if (ct == "application/merge-patch+json") {
    r = merge_patch(view, patch);
  } else if (ct == "application/json-patch+json") {
    r = json_patch(view, patch);
  } else if (ct == "application/strategic-merge-patch+json") {
    StrategyLookup lookup = ctx.info.subresource == "scale"
                                ? StrategyLookup([](const std::string&) { return ListStrategy{}; })
                                : builtin_strategies(t);
    r = strategic_merge_patch(view, patch, lookup);
  } else {
    return Failure(bad_request("unreachable patch type"));
  }
  if (!r.ok()) return Failure(as_error(r.error()));
  return std::move(*r);
}

Api::Reply Api::patch(const HttpRequest& req, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  const std::string& sub = ctx.info.subresource;
  std::string ct = media_type(req.header("content-type"));
  bool apply = ct == "application/apply-patch+yaml";
  bool strategic = ct == "application/strategic-merge-patch+json";
  bool known = apply || strategic || ct == "application/merge-patch+json" || ct == "application/json-patch+json";
  // Custom resources never take strategic merge patches (they have no patch metadata), as on a real server.
  if (!known || (strategic && !t.builtin && sub != "scale")) {
    return Failure(unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
        "application/merge-patch+json, application/apply-patch+yaml" +
        std::string(t.builtin ? ", application/strategic-merge-patch+json" : "")));
  }
  std::vector<FieldError> option_errors;
  if (apply && ctx.field_manager.empty())
    option_errors.push_back(field_required("fieldManager", "is required for apply patch"));
  if (!apply && ctx.info.query.count("force"))
    option_errors.push_back(field_forbidden("force", "may not be specified for non-apply patch"));
  if (!option_errors.empty())
    return Failure(invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "", option_errors));
  if (apply && sub == "scale") {
    return Failure(
        not_implemented("server-side apply to the scale subresource is not supported by the Sluice test API server; "
                        "use a merge patch"));
  }

  const Json* stored = store_.get(t.storage_key(), ctx.ns, ctx.info.name);
  if (!stored) {
    if (!apply || !sub.empty()) return Failure(not_found_error(t, ctx.info.name));
    auto applied = apply_patch(req, ctx, nullptr, Json::object());
    if (!applied.ok()) return Failure(applied.error());
    Json obj = std::move(*applied);
    if (t.namespaced) object_member(obj, "metadata")["namespace"] = ctx.ns;
    auto created = create_object(ctx, std::move(obj));
    if (!created.ok()) return Failure(created.error());
    return write_reply(ctx, 201, present(t, *created));
  }
  Json old = *stored;
  if (sub == "scale") {
    auto patched = apply_patch(req, ctx, &old, scale_of(t, old));
    if (!patched.ok()) return Failure(patched.error());
    std::string rv = string_at(*patched, {"metadata", "resourceVersion"});
    if (!rv.empty() && rv != string_at(old, {"metadata", "resourceVersion"})) {
      return Failure(stale_object(t.group_resource(), t.group, t.plural, ctx.info.name));
    }
    auto next = apply_scale(t, old, *patched);
    if (!next.ok()) return Failure(next.error());
    auto result = commit_update(ctx, old, std::move(*next));
    if (!result.ok()) return Failure(result.error());
    return write_reply(ctx, 200, scale_of(t, *result));
  }
  auto patched = apply_patch(req, ctx, &old, present(t, old));
  if (!patched.ok()) return Failure(patched.error());
  Json candidate = std::move(*patched);
  if (!candidate.is_object()) return Failure(bad_request("the patch produced a non-object"));
  std::string rv = string_at(candidate, {"metadata", "resourceVersion"});
  if (!rv.empty() && rv != string_at(old, {"metadata", "resourceVersion"})) {
    return Failure(stale_object(t.group_resource(), t.group, t.plural, ctx.info.name));
  }
  if (string_at(candidate, {"metadata", "name"}) != ctx.info.name) {
    return Failure(bad_request("the name of the object (" + string_at(candidate, {"metadata", "name"}) +
                               ") does not match the name on the URL (" + ctx.info.name + ")"));
  }
  if (auto err = check_type_meta(candidate, t, registry_, t.kind)) return Failure(*err);
  auto result = commit_update(ctx, old, std::move(candidate), apply);
  if (!result.ok()) return Failure(result.error());
  return write_reply(ctx, 200, present(t, *result));
}

Api::Reply Api::remove(const HttpRequest& req, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  Json options = Json::object();
  if (!req.body.empty()) {
    std::string ct = media_type(req.header("content-type"));
    if (ct == kProtobufContentType) {
      auto decoded = decode_k8s_protobuf(req.body);
      if (!decoded.ok()) return Failure(unsupported_media_type(decoded.error()));
      options = std::move(*decoded);
    } else {
      options = Json::parse(req.body, nullptr, false);
      if (options.is_discarded() || !options.is_object())
        return Failure(bad_request("couldn't decode DeleteOptions: invalid JSON"));
    }
    std::string kind = string_at(options, {"kind"});
    if (!kind.empty() && kind != "DeleteOptions") return Failure(bad_request("expected DeleteOptions, got " + kind));
  }
  const auto& q = ctx.info.query;
  if (auto p = q.find("propagationPolicy"); p != q.end()) options["propagationPolicy"] = p->second;
  if (auto d = q.find("dryRun"); d != q.end() && d->second == "All") ctx.dry_run = true;
  if (const Json* dr = find(options, "dryRun"); dr && dr->is_array()) {
    for (const auto& v : *dr) {
      if (v != "All") return Failure(bad_request("Invalid dry run value: " + v.dump()));
      ctx.dry_run = true;
    }
  }
  std::string policy = string_at(options, {"propagationPolicy"});
  bool orphan = policy == "Orphan";
  if (const Json* o = find(options, "orphanDependents"); o && o->is_boolean() && o->get<bool>()) orphan = true;
  if (policy == "Foreground") {
    return Failure(
        not_implemented("propagationPolicy=Foreground is not supported by the Sluice test API server "
                        "(use Background or Orphan)"));
  }
  if (!policy.empty() && policy != "Background" && policy != "Orphan") {
    return Failure(bad_request("propagationPolicy: Unsupported value: \"" + policy + "\""));
  }
  const Json* stored = store_.get(t.storage_key(), ctx.ns, ctx.info.name);
  if (!stored) return Failure(not_found_error(t, ctx.info.name));
  Json old = *stored;
  if (const Json* pre = find(options, "preconditions"); pre && pre->is_object()) {
    std::string uid = string_at(*pre, {"uid"}), rv = string_at(*pre, {"resourceVersion"});
    std::string have_uid = string_at(old, {"metadata", "uid"}),
                have_rv = string_at(old, {"metadata", "resourceVersion"});
    if (!uid.empty() && uid != have_uid) {
      return Failure(
          conflict(t.group_resource(), t.group, t.plural, ctx.info.name,
                   "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + have_uid));
    }
    if (!rv.empty() && rv != have_rv) {
      return Failure(conflict(t.group_resource(), t.group, t.plural, ctx.info.name,
                              "Precondition failed: ResourceVersion in precondition: " + rv +
                                  ", ResourceVersion in object meta: " + have_rv));
    }
  }
  if (t.group.empty() && t.plural == "namespaces") {
    for (const char* immortal : {"default", "kube-system", "kube-public"}) {
      if (ctx.info.name == immortal) {
        return Failure(
            forbidden("namespaces \"" + ctx.info.name + "\" is forbidden: this namespace may not be deleted"));
      }
    }
  }
  if (ctx.dry_run) return write_reply(ctx, 200, present(t, old));
  Json result = delete_object(t, old, orphan);
  sweep();
  return write_reply(ctx, 200, present(t, result));
}

// DeleteOptions in the body are not read: each object is deleted in the background.
Api::Reply Api::remove_collection(const HttpRequest& /*req*/, Ctx& ctx) {
  const ResourceType& t = *ctx.type;
  if (t.namespaced && ctx.ns.empty()) return Failure(method_not_allowed("deletecollection needs a namespace"));
  auto labels = LabelSelector::parse(ctx.info.query.count("labelSelector") ? ctx.info.query.at("labelSelector") : "");
  if (!labels.ok()) return Failure(bad_request(labels.error()));
  auto fields = FieldSelector::parse(ctx.info.query.count("fieldSelector") ? ctx.info.query.at("fieldSelector") : "",
                                     t.field_labels);
  if (!fields.ok()) return Failure(bad_request(fields.error()));
  std::vector<Json> victims;
  const std::string* ns = t.namespaced ? &ctx.ns : nullptr;
  for (const Json* o : store_.list(t.storage_key(), ns)) {
    const Json* l = find_path(*o, {"metadata", "labels"});
    if (labels->matches(l ? *l : Json()) && fields->matches(*o)) victims.push_back(*o);
  }
  Json items = Json::array();
  for (const auto& v : victims) items.push_back(present(t, ctx.dry_run ? v : delete_object(t, v, false)));
  if (!ctx.dry_run) sweep();
  return write_reply(ctx, 200,
                     {{"kind", t.kind + "List"},
                      {"apiVersion", t.api_version()},
                      {"metadata", {{"resourceVersion", std::to_string(store_.resource_version())}}},
                      {"items", items}});
}

}  // namespace sluice::test_apiserver
