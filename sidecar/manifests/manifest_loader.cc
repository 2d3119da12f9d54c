#include "sidecar/manifests/manifest_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <set>

#include "sidecar/manifests/yaml_json.h"

namespace sluice::manifests {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct Doc {
  LoadedResource where;
  resource::Binding* binding = nullptr;
  json spec;
  std::string engine_name;
  resource::Placement placement;
};

// Kubernetes object names: DNS-1123 subdomains (lower case alphanumerics, '-', '.').
bool valid_object_name(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(s.front())) && std::isalnum(static_cast<unsigned char>(s.back()));
}

std::string text_of(const json& object, const char* a, const char* b = nullptr) {
  const json* v = object.contains(a) ? &object[a] : nullptr;
  if (v && b) v = v->is_object() && v->contains(b) ? &(*v)[b] : nullptr;
  return v && v->is_string() ? v->get<std::string>() : "";
}

// The engine's refusal, as the loader words it.
std::string describe(const Error& e) { return e.field.rfind("spec.", 0) == 0 ? e.field + ": " + e.message : e.message; }

}  // namespace

LoadResult load_manifests(const std::string& dir, const std::vector<resource::Binding*>& kinds,
                          const LoadOptions& options) {
  LoadResult result;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    result.errors.push_back(dir + ": not a directory");
    return result;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  auto binding_of = [&](const std::string& kind) -> resource::Binding* {
    for (auto* b : kinds)
      if (b->kind().kind == kind) return b;
    return nullptr;
  };
  std::string served;
  for (auto* b : kinds) served += (served.empty() ? "" : ", ") + b->kind().kind;

  std::vector<Doc> docs;
  for (const auto& path : files) {
    const std::string file = path.string();
    std::vector<json> objects;
    try {
      for (const auto& node : YAML::LoadAllFromFile(file)) objects.push_back(to_json(node));
    } catch (const std::exception& e) {
      result.errors.push_back(file + ": invalid YAML: " + e.what());
      continue;
    }
    for (size_t index = 0; index < objects.size(); ++index) {
      const json& object = objects[index];
      if (object.is_null()) continue;  // an empty document between "---"
      const std::string at = file + " (document " + std::to_string(index + 1) + ")";
      if (!object.is_object()) {
        result.errors.push_back(at + ": not a mapping");
        continue;
      }
      const std::string api = text_of(object, "apiVersion"), kind = text_of(object, "kind");
      if (api != resource::kApiVersion) {
        result.errors.push_back(at + ": apiVersion must be " + std::string(resource::kApiVersion) + ", got '" + api +
                                "'");
        continue;
      }
      const std::string name = text_of(object, "metadata", "name");
      const std::string ns_given = text_of(object, "metadata", "namespace");
      const std::string ns = ns_given.empty() ? "default" : ns_given;
      LoadedResource where{file, kind, ns, name, kind + " " + ns + "/" + name, ""};
      if (std::find(options.operator_only.begin(), options.operator_only.end(), kind) != options.operator_only.end()) {
        where.detail = "reconciled by the operator";
        result.skipped.push_back(where);
        continue;
      }
      resource::Binding* binding = binding_of(kind);
      if (!binding) {
        result.errors.push_back(at + ": unsupported kind '" + kind + "' (this sidecar serves: " + served + ")");
        continue;
      }
      if (!valid_object_name(name)) {
        result.errors.push_back(at + ": metadata.name '" + name + "' must be a lower-case DNS name" +
                                (binding->kind().name_field.empty()
                                     ? ""
                                     : " (use spec." + binding->kind().name_field + " for other names)"));
        continue;
      }
      const json spec = object.contains("spec") ? object["spec"] : json::object();
      auto errors = resource::validate(binding->kind(), spec, name);
      for (const auto& e : errors) result.errors.push_back(file + ": " + where.resource + ": " + e.str());
      for (const auto& [key, value] : object.items())
        if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "spec" && key != "status")
          result.errors.push_back(file + ": " + where.resource + ": unknown field " + key);
      if (!errors.empty()) continue;
      docs.push_back(
          {where, binding, spec, binding->kind().engine_name(spec, name), admin::placement_for(options.placement, ns)});
    }
  }

  // Duplicates and references, checked before anything is applied. A reference
  // names a resource by metadata.name or by its engine name, in the same account
  // (with one fixed account, namespaces share it, as they share its engine names).
  std::map<std::tuple<std::string, std::string, std::string>, Doc*> by_engine_name;  // kind, account, name
  for (auto& d : docs) {
    auto [it, inserted] = by_engine_name.emplace(std::make_tuple(d.where.kind, d.placement.account, d.engine_name), &d);
    if (!inserted)
      result.errors.push_back(d.where.file + ": " + d.where.resource + ": " + d.where.kind + " " + d.engine_name +
                              " is also defined by " + it->second->where.file + " (" + it->second->where.resource +
                              ")");
  }
  auto in_set = [&](const std::string& kind, const std::string& account, const std::string& name) -> Doc* {
    for (auto& d : docs)
      if (d.where.kind == kind && d.placement.account == account && (d.where.name == name || d.engine_name == name))
        return &d;
    return nullptr;
  };
  for (auto& d : docs) {
    const auto& refs = d.binding->kind().references;
    for (const auto& ref : refs ? refs(d.spec, d.where.name) : std::vector<resource::Reference>{}) {
      auto* target_kind = binding_of(ref.kind);
      if (in_set(ref.kind, d.placement.account, ref.name) ||
          (target_kind && target_kind->status(d.placement, ref.name)))
        continue;
      result.errors.push_back(d.where.file + ": " + d.where.resource + ": " + ref.field + ": " + ref.kind + " " +
                              ref.name + " is not defined in these manifests and does not exist");
    }
    const std::string account = d.placement.account;
    auto s = d.binding->check(d.placement, d.engine_name, d.spec, [&](std::string_view kind, std::string_view name) {
      Doc* other = in_set(std::string(kind), account, std::string(name));
      return other ? &other->spec : nullptr;
    });
    if (!s) result.errors.push_back(d.where.file + ": " + d.where.resource + ": " + describe(s.error()));
  }
  if (!result.errors.empty()) return result;

  // Each resource after the ones it refers to.
  std::vector<Doc*> order;
  std::set<Doc*> placed, visiting;
  std::function<void(Doc*)> place = [&](Doc* d) {
    if (placed.count(d) || visiting.count(d)) return;
    visiting.insert(d);
    const auto& refs = d->binding->kind().references;
    for (const auto& ref : refs ? refs(d->spec, d->where.name) : std::vector<resource::Reference>{})
      if (Doc* t = in_set(ref.kind, d->placement.account, ref.name)) place(t);
    visiting.erase(d);
    placed.insert(d);
    order.push_back(d);
  };
  for (auto& d : docs) place(&d);

  // Start-up: nothing is served yet, so waiting for each commit here blocks no one.
  for (Doc* d : order) {
    std::promise<resource::StatusResult> applied;
    d->binding->apply(d->placement, d->engine_name, d->spec,
                      [&applied](resource::StatusResult r) { applied.set_value(std::move(r)); });
    auto r = applied.get_future().get();
    if (!r.ok()) {
      result.errors.push_back(d->where.file + ": " + d->where.resource + ": " + describe(r.error()));
      return result;
    }
    if (const auto& field = d->binding->kind().address_field; r->contains(field)) d->where.detail = (*r)[field];
    result.loaded.push_back(d->where);
  }
  return result;
}

}  // namespace sluice::manifests
