// What built-in kinds do on write in a real cluster, as far as clients can observe it:
// defaults (Deployment replicas, Service clusterIP, Secret stringData, Namespace
// finalizer and phase, CRD status), a few validations charts commonly trip over, and
// the switchable fake Deployment/StatefulSet status writer that stands in for the
// controllers and kubelets (so `kubectl rollout status`, `kubectl wait` and
// `helm install --wait` work). For Deployments it also keeps one ReplicaSet per pod
// template, owned by the Deployment, as the deployment controller does; no Pods exist.
#include <functional>

#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/crd.h"

namespace sluice::test_apiserver {

namespace {

bool is(const ResourceType& t, const char* group, const char* kind) { return t.group == group && t.kind == kind; }

void set_default(Json& obj, const std::string& key, Json value) {
  if (!obj.contains(key) || obj[key].is_null()) obj[key] = std::move(value);
}

// A stable 10-character hash in the alphabet of pod-template-hash.
std::string short_hash(const Json& v) {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  size_t h = std::hash<std::string>{}(v.dump());
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += kAlphabet[h % kAlphabet.size()];
    h /= kAlphabet.size();
    if (h == 0) h = std::hash<std::string>{}(out);
  }
  return out;
}

long long replicas_of(const Json& obj) {
  const Json* r = find_path(obj, {"spec", "replicas"});
  return r && r->is_number_integer() ? r->get<long long>() : 1;
}

// Go's omitempty: zero counts are left out of status.
void set_count(Json& status, const char* key, long long n) {
  if (n == 0) status.erase(key);
  else status[key] = n;
}

Json condition(const Json* old_status, const char* type, const char* reason, const std::string& message,
               const std::string& now) {
  std::string since = now;
  if (old_status) {
    if (const Json* conds = find(*old_status, "conditions"); conds && conds->is_array()) {
      for (const auto& c : *conds) {
        if (string_at(c, {"type"}) == type && string_at(c, {"status"}) == "True")
          since = string_at(c, {"lastTransitionTime"});
      }
    }
  }
  return {{"type", type},       {"status", "True"},        {"reason", reason},
          {"message", message}, {"lastUpdateTime", since}, {"lastTransitionTime", since}};
}

}  // namespace

void Api::prepare_builtin(const ResourceType& t, Json& obj, const Json* old) {
  if (is(t, "", "Namespace")) {
    object_member(object_member(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] =
        string_at(obj, {"metadata", "name"});
    Json& spec = object_member(obj, "spec");
    if (old) {
      // spec.finalizers change only through /finalize.
      const Json* f = find_path(*old, {"spec", "finalizers"});
      spec["finalizers"] = f ? *f : Json::array();
    } else {
      set_default(spec, "finalizers", Json::array({"kubernetes"}));
      obj["status"] = {{"phase", "Active"}};
    }
  } else if (is(t, "", "Service")) {
    Json& spec = object_member(obj, "spec");
    set_default(spec, "type", "ClusterIP");
    set_default(spec, "sessionAffinity", "None");
    if (spec["type"] != "ExternalName") {
      if (!spec.contains("clusterIP") || spec["clusterIP"] == "") {
        const Json* before = old ? find_path(*old, {"spec", "clusterIP"}) : nullptr;
        spec["clusterIP"] = before ? *before
                                   : Json("10.96." + std::to_string(next_cluster_ip_ / 250) + "." +
                                          std::to_string(next_cluster_ip_ % 250 + 1));
        if (!before) ++next_cluster_ip_;
      }
      spec["clusterIPs"] = Json::array({spec["clusterIP"]});
    }
    if (Json* ports = find(spec, "ports"); ports && ports->is_array()) {
      for (auto& p : *ports) {
        set_default(p, "protocol", "TCP");
        if (p.contains("port")) set_default(p, "targetPort", p["port"]);
      }
    }
    if (!old) obj["status"] = {{"loadBalancer", Json::object()}};
  } else if (is(t, "", "Secret")) {
    set_default(obj, "type", "Opaque");
    if (const Json* sd = find(obj, "stringData"); sd && sd->is_object()) {
      Json& data = object_member(obj, "data");
      for (auto it = sd->begin(); it != sd->end(); ++it) {
        if (it.value().is_string()) data[it.key()] = base64_encode(it.value().get<std::string>());
      }
    }
    obj.erase("stringData");
  } else if (is(t, "", "Pod")) {
    if (!old) obj["status"] = {{"phase", "Pending"}};
  } else if (is(t, "apps", "Deployment")) {
    Json& spec = object_member(obj, "spec");
    set_default(spec, "replicas", 1);
    set_default(spec, "revisionHistoryLimit", 10);
    set_default(spec, "progressDeadlineSeconds", 600);
    set_default(spec, "strategy",
                {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", "25%"}, {"maxSurge", "25%"}}}});
  } else if (is(t, "apps", "ReplicaSet")) {
    set_default(object_member(obj, "spec"), "replicas", 1);
  } else if (is(t, "apps", "StatefulSet")) {
    Json& spec = object_member(obj, "spec");
    set_default(spec, "replicas", 1);
    set_default(spec, "revisionHistoryLimit", 10);
    set_default(spec, "podManagementPolicy", "OrderedReady");
    set_default(spec, "updateStrategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}});
  } else if (is(t, "apiextensions.k8s.io", "CustomResourceDefinition")) {
    Json& names = object_member(object_member(obj, "spec"), "names");
    if (names.contains("kind") && names["kind"].is_string()) {
      std::string kind = names["kind"];
      std::string lower = kind;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      set_default(names, "singular", lower);
      set_default(names, "listKind", kind + "List");
    }
    const Json* old_status = old ? find(*old, "status") : nullptr;
    set_crd_status(obj, old_status, now_string());
  }
}

void Api::validate_builtin(const ResourceType& t, const Json& obj, const Json* old, std::vector<FieldError>& errors) {
  if (is(t, "apps", "Deployment") || is(t, "apps", "StatefulSet") || is(t, "apps", "ReplicaSet")) {
    const Json* selector = find_path(obj, {"spec", "selector"});
    if (!selector || !selector->is_object() || selector->empty()) {
      errors.push_back(field_required("spec.selector"));
    } else if (const Json* ml = find(*selector, "matchLabels"); ml && ml->is_object()) {
      const Json* labels = find_path(obj, {"spec", "template", "metadata", "labels"});
      for (auto it = ml->begin(); it != ml->end(); ++it) {
        const Json* v = labels ? find(*labels, it.key()) : nullptr;
        if (!v || *v != it.value()) {
          errors.push_back(field_invalid("spec.template.metadata.labels", labels ? *labels : Json::object(),
                                         "`selector` does not match template `labels`"));
          break;
        }
      }
    }
    if (old && selector) {
      const Json* before = find_path(*old, {"spec", "selector"});
      if (before && *before != *selector)
        errors.push_back(field_invalid("spec.selector", *selector, "field is immutable"));
    }
    if (const Json* r = find_path(obj, {"spec", "replicas"});
        r && (!r->is_number_integer() || r->get<long long>() < 0)) {
      errors.push_back(field_invalid("spec.replicas", *r, "must be greater than or equal to 0"));
    }
  }
  if ((is(t, "", "ConfigMap") || is(t, "", "Secret")) && old) {
    const Json* imm = find(*old, "immutable");
    if (imm && imm->is_boolean() && imm->get<bool>()) {
      for (const char* f : {"data", "binaryData"}) {
        const Json* a = find(*old, f);
        const Json* b = find(obj, f);
        if ((a ? *a : Json()) != (b ? *b : Json())) {
          errors.push_back(field_forbidden(f, "field is immutable when `immutable` is set"));
        }
      }
      const Json* now_imm = find(obj, "immutable");
      if (!now_imm || *now_imm != *imm)
        errors.push_back(field_forbidden("immutable", "field is immutable when `immutable` is set"));
    }
  }
  if (t.group == "rbac.authorization.k8s.io" && (t.kind == "RoleBinding" || t.kind == "ClusterRoleBinding")) {
    const Json* ref = find(obj, "roleRef");
    if (!ref) errors.push_back(field_required("roleRef"));
    if (old && ref) {
      const Json* before = find(*old, "roleRef");
      if (before && *before != *ref) errors.push_back(field_invalid("roleRef", *ref, "cannot change roleRef"));
    }
  }
}

void Api::schedule_fake_status(const ResourceType& type, const Json& object) {
  if (!options_.fake_status) return;
  pending_status_.push_back({Clock::now() + options_.fake_status_delay, type.storage_key(),
                             string_at(object, {"metadata", "namespace"}), string_at(object, {"metadata", "name"})});
  status_cv_.notify_all();
}

void Api::fake_status_loop() {
  std::unique_lock lock(mu_);
  while (!shutting_down_) {
    if (pending_status_.empty()) {
      status_cv_.wait(lock);
      continue;
    }
    PendingStatus next = pending_status_.front();
    if (Clock::now() < next.due) {
      status_cv_.wait_until(lock, next.due);
      continue;
    }
    pending_status_.pop_front();
    const Json* stored = store_.get(next.storage_key, next.ns, next.name);
    TypePtr type = registry_.find_any_version(next.storage_key);
    if (!stored || !type || find_path(*stored, {"metadata", "deletionTimestamp"})) continue;
    Json obj = *stored;
    long long replicas = replicas_of(obj);
    const Json* old_status = find(*stored, "status");
    Json& status = object_member(obj, "status");
    status["observedGeneration"] = obj["metadata"]["generation"];
    set_count(status, "replicas", replicas);
    set_count(status, "updatedReplicas", replicas);
    set_count(status, "readyReplicas", replicas);
    set_count(status, "availableReplicas", replicas);
    std::string hash = short_hash(find_path(obj, {"spec", "template"}) ? obj["spec"]["template"] : Json());
    std::string now = now_string();
    if (type->kind == "Deployment") {
      status["conditions"] = Json::array(
          {condition(old_status, "Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", now),
           condition(old_status, "Progressing", "NewReplicaSetAvailable",
                     "ReplicaSet \"" + next.name + "-" + hash + "\" has successfully progressed.", now)});
    } else {
      set_count(status, "currentReplicas", replicas);
      status["currentRevision"] = next.name + "-" + hash;
      status["updateRevision"] = next.name + "-" + hash;
      status["collisionCount"] = 0;
    }
    if (type->kind == "Deployment") sync_fake_replica_sets(obj, hash);
    if (obj != *stored) {
      store_.update(next.storage_key, std::move(obj));
      changed_.notify_all();
    }
  }
}

void Api::sync_fake_replica_sets(const Json& deployment, const std::string& hash) {
  constexpr const char* kKey = "apps/replicasets";
  std::string ns = string_at(deployment, {"metadata", "namespace"});
  std::string uid = string_at(deployment, {"metadata", "uid"});
  std::string name = string_at(deployment, {"metadata", "name"}) + "-" + hash;
  long long replicas = replicas_of(deployment);
  auto controlled = [&](const Json& rs) {
    if (const Json* refs = find_path(rs, {"metadata", "ownerReferences"}); refs && refs->is_array()) {
      for (const auto& r : *refs) {
        if (string_at(r, {"uid"}) == uid && find(r, "controller") && r["controller"] == true) return true;
      }
    }
    return false;
  };
  auto with_status = [](Json rs, long long n) {
    Json& status = object_member(rs, "status");
    status["replicas"] = n;
    set_count(status, "fullyLabeledReplicas", n);
    set_count(status, "readyReplicas", n);
    set_count(status, "availableReplicas", n);
    status["observedGeneration"] = rs["metadata"]["generation"];
    return rs;
  };
  std::vector<Json> owned;
  for (const Json* rs : store_.list(kKey, &ns)) {
    if (controlled(*rs)) owned.push_back(*rs);
  }
  bool found = false;
  for (const Json& rs : owned) {
    bool current = string_at(rs, {"metadata", "name"}) == name;
    found |= current;
    long long want = current ? replicas : 0;  // older templates are scaled down
    const Json* have = find_path(rs, {"spec", "replicas"});
    if (have && *have == want) continue;
    Json next = rs;
    next["spec"]["replicas"] = want;
    next["metadata"]["generation"] = next["metadata"]["generation"].get<long long>() + 1;
    store_.update(kKey, with_status(next, want));
    changed_.notify_all();
  }
  if (found) return;
  Json labels = Json::object();
  if (const Json* l = find_path(deployment, {"spec", "template", "metadata", "labels"})) labels = *l;
  labels["pod-template-hash"] = hash;
  Json selector = find_path(deployment, {"spec", "selector"}) ? deployment["spec"]["selector"] : Json::object();
  object_member(selector, "matchLabels")["pod-template-hash"] = hash;
  Json tmpl = find_path(deployment, {"spec", "template"}) ? deployment["spec"]["template"] : Json::object();
  object_member(object_member(tmpl, "metadata"), "labels") = labels;
  Json rs = {{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"metadata",
              {{"name", name},
               {"namespace", ns},
               {"uid", random_uid()},
               {"creationTimestamp", now_string()},
               {"generation", 1},
               {"labels", labels},
               {"ownerReferences",
                {{{"apiVersion", "apps/v1"},
                  {"kind", "Deployment"},
                  {"name", deployment["metadata"]["name"]},
                  {"uid", uid},
                  {"controller", true},
                  {"blockOwnerDeletion", true}}}}}},
             {"spec", {{"replicas", replicas}, {"selector", selector}, {"template", tmpl}}}};
  store_.create(kKey, with_status(rs, replicas));
  changed_.notify_all();
}

}  // namespace sluice::test_apiserver
