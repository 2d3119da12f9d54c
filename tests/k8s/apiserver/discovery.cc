#include "tests/k8s/apiserver/discovery.h"

namespace sluice::test_apiserver {

namespace {

const Json kVerbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};

Json subresources(const ResourceType& t) {
  Json subs = Json::array();
  if (t.scale) {
    subs.push_back({{"subresource", "scale"},
                    {"responseKind", {{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}}},
                    {"verbs", {"get", "patch", "update"}}});
  }
  if (t.status_subresource) {
    subs.push_back({{"subresource", "status"},
                    {"responseKind", {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
                    {"verbs", {"get", "patch", "update"}}});
  }
  if (t.finalize_subresource) {
    subs.push_back({{"subresource", "finalize"},
                    {"responseKind", {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
                    {"verbs", {"update"}}});
  }
  return subs;
}

Json aggregated_resource(const ResourceType& t) {
  Json r = {{"resource", t.plural},
            {"responseKind", {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
            {"scope", t.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", t.singular},
            {"verbs", kVerbs}};
  if (!t.short_names.empty()) r["shortNames"] = t.short_names;
  if (!t.categories.empty()) r["categories"] = t.categories;
  Json subs = subresources(t);
  if (!subs.empty()) r["subresources"] = subs;
  return r;
}

Json group_item(const Registry& registry, const std::string& group) {
  Json versions = Json::array();
  for (const auto& v : registry.versions_of_group(group)) {
    Json resources = Json::array();
    for (const auto& t : registry.all()) {
      if (t->group == group && t->version == v) resources.push_back(aggregated_resource(*t));
    }
    versions.push_back({{"version", v}, {"resources", resources}, {"freshness", "Current"}});
  }
  Json meta = Json::object();
  if (!group.empty()) meta["name"] = group;
  return {{"metadata", meta}, {"versions", versions}};
}

Json group_version_for(const std::string& group, const std::string& version) {
  return {{"groupVersion", group + "/" + version}, {"version", version}};
}

}  // namespace

bool wants_aggregated_discovery(const std::string& accept) {
  return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         accept.find("g=apidiscovery.k8s.io") != std::string::npos && accept.find("v=v2") != std::string::npos;
}

Json aggregated_discovery(const Registry& registry, bool core) {
  Json items = Json::array();
  if (core) {
    items.push_back(group_item(registry, ""));
  } else {
    for (const auto& g : registry.groups()) items.push_back(group_item(registry, g));
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", Json::object()},
          {"items", items}};
}

Json legacy_api_versions() {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}}}};
}

std::optional<Json> legacy_group(const Registry& registry, const std::string& group) {
  auto versions = registry.versions_of_group(group);
  if (versions.empty()) return std::nullopt;
  Json vs = Json::array();
  for (const auto& v : versions) vs.push_back(group_version_for(group, v));
  return Json{{"kind", "APIGroup"},
              {"apiVersion", "v1"},
              {"name", group},
              {"versions", vs},
              {"preferredVersion", group_version_for(group, versions.front())}};
}

Json legacy_group_list(const Registry& registry) {
  Json groups = Json::array();
  for (const auto& g : registry.groups()) {
    Json item = *legacy_group(registry, g);
    item.erase("kind");
    item.erase("apiVersion");
    groups.push_back(item);
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<Json> legacy_resource_list(const Registry& registry, const std::string& group,
                                         const std::string& version) {
  Json resources = Json::array();
  for (const auto& t : registry.all()) {
    if (t->group != group || t->version != version) continue;
    Json r = {{"name", t->plural},
              {"singularName", t->singular},
              {"namespaced", t->namespaced},
              {"kind", t->kind},
              {"verbs", kVerbs}};
    if (!t->short_names.empty()) r["shortNames"] = t->short_names;
    if (!t->categories.empty()) r["categories"] = t->categories;
    resources.push_back(r);
    for (const auto& s : subresources(*t)) {
      const Json& rk = s["responseKind"];
      Json sub = {{"name", t->plural + "/" + s["subresource"].get<std::string>()},
                  {"singularName", ""},
                  {"namespaced", t->namespaced},
                  {"kind", rk["kind"]},
                  {"verbs", s["verbs"]}};
      if (rk["group"] != t->group) {
        sub["group"] = rk["group"];
        sub["version"] = rk["version"];
      }
      resources.push_back(sub);
    }
  }
  if (resources.empty()) return std::nullopt;
  return Json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", resources}};
}

}  // namespace sluice::test_apiserver
