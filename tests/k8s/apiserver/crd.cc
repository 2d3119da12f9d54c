#include "tests/k8s/apiserver/crd.h"

#include <algorithm>
#include <cctype>

#include "tests/k8s/apiserver/jsonpath.h"
#include "tests/k8s/apiserver/schema_validation.h"

namespace sluice::test_apiserver {

namespace {

ApiError invalid_crd(const std::string& name, std::vector<FieldError> errors) {
  return invalid("CustomResourceDefinition.apiextensions.k8s.io", "apiextensions.k8s.io", "CustomResourceDefinition",
                 name, errors);
}

ApiError unsupported(const std::string& name, const FieldError& e) {
  return bad_request("CustomResourceDefinition \"" + name +
                     "\" is not supported by the Sluice test API server: " + e.text());
}

std::vector<std::string> strings(const Json* list) {
  std::vector<std::string> out;
  if (list && list->is_array()) {
    for (const auto& v : *list) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string crd_storage_key(const Json& crd) {
  return string_at(crd, {"spec", "group"}) + "/" + string_at(crd, {"spec", "names", "plural"});
}

Result<std::vector<ResourceType>, ApiError> crd_resource_types(const Json& crd) {
  std::string name = string_at(crd, {"metadata", "name"});
  const Json* spec = find(crd, "spec");
  if (!spec || !spec->is_object()) return Failure(invalid_crd(name, {field_required("spec")}));
  std::string group = string_at(*spec, {"group"});
  std::string plural = string_at(*spec, {"names", "plural"});
  std::string kind = string_at(*spec, {"names", "kind"});
  std::string singular = string_at(*spec, {"names", "singular"});
  std::string scope = string_at(*spec, {"scope"});
  std::vector<FieldError> errors;
  if (group.empty()) errors.push_back(field_required("spec.group"));
  else if (group.find('.') == std::string::npos)
    errors.push_back(field_invalid("spec.group", group, "should be a domain with at least one dot"));
  if (plural.empty()) errors.push_back(field_required("spec.names.plural"));
  if (kind.empty()) errors.push_back(field_required("spec.names.kind"));
  if (scope != "Namespaced" && scope != "Cluster")
    errors.push_back(field_not_supported("spec.scope", scope, {"Cluster", "Namespaced"}));
  if (!plural.empty() && !group.empty() && name != plural + "." + group) {
    errors.push_back(field_invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
  }
  if (const Json* p = find(*spec, "preserveUnknownFields"); p && p->is_boolean() && p->get<bool>()) {
    errors.push_back(
        field_invalid("spec.preserveUnknownFields", true, "must be false in order to use defaults in the schema"));
  }
  std::string conversion = string_at(*spec, {"conversion", "strategy"});
  if (!conversion.empty() && conversion != "None") {
    return Failure(unsupported(name, field_forbidden("spec.conversion.strategy", "conversion strategy \"" + conversion +
                                                                                     "\" (only None is supported)")));
  }
  const Json* versions = find(*spec, "versions");
  if (!versions || !versions->is_array() || versions->empty()) {
    errors.push_back(field_invalid("spec.versions", versions ? *versions : Json(),
                                   "must have exactly one version marked as storage version"));
  }
  if (!errors.empty()) return Failure(invalid_crd(name, errors));

  if (singular.empty()) singular = lower(kind);
  int storage = 0;
  std::vector<ResourceType> out;
  for (size_t i = 0; i < versions->size(); ++i) {
    const Json& v = (*versions)[i];
    std::string vpath = "spec.versions[" + std::to_string(i) + "]";
    std::string vname = string_at(v, {"name"});
    if (vname.empty()) return Failure(invalid_crd(name, {field_required(vpath + ".name")}));
    const Json* served = find(v, "served");
    const Json* is_storage = find(v, "storage");
    if (is_storage && is_storage->is_boolean() && is_storage->get<bool>()) ++storage;
    ResourceType t;
    t.group = group;
    t.version = vname;
    t.plural = plural;
    t.singular = singular;
    t.kind = kind;
    t.namespaced = scope == "Namespaced";
    t.short_names = strings(find_path(*spec, {"names", "shortNames"}));
    t.categories = strings(find_path(*spec, {"names", "categories"}));
    t.builtin = false;
    t.crd_name = name;
    const Json* schema = find_path(v, {"schema", "openAPIV3Schema"});
    if (!schema)
      return Failure(invalid_crd(name, {field_required(vpath + ".schema.openAPIV3Schema", "schemas are required")}));
    if (string_at(*schema, {"type"}) != "object") {
      return Failure(invalid_crd(
          name, {field_invalid(vpath + ".schema.openAPIV3Schema.type",
                               find(*schema, "type") ? (*schema)["type"] : Json(""), "must be object at the root")}));
    }
    auto compiled = compile_schema(*schema, vpath + ".schema.openAPIV3Schema");
    if (!compiled.ok()) {
      if (compiled.error().unsupported) return Failure(unsupported(name, compiled.error().error));
      return Failure(invalid_crd(name, {compiled.error().error}));
    }
    t.schema = *compiled;
    t.openapi_schema = schema->dump();
    if (const Json* subs = find(v, "subresources"); subs && subs->is_object()) {
      for (auto it = subs->begin(); it != subs->end(); ++it) {
        if (it.key() != "status" && it.key() != "scale") {
          return Failure(invalid_crd(
              name, {field_not_supported(vpath + ".subresources." + it.key(), it.key(), {"scale", "status"})}));
        }
      }
      t.status_subresource = find(*subs, "status") != nullptr;
      if (const Json* scale = find(*subs, "scale")) {
        ScaleSubresource s;
        s.spec_replicas_path = string_at(*scale, {"specReplicasPath"});
        s.status_replicas_path = string_at(*scale, {"statusReplicasPath"});
        s.label_selector_path = string_at(*scale, {"labelSelectorPath"});
        std::vector<FieldError> serr;
        auto check = [&](const std::string& p, const char* field, const char* prefix, bool required) {
          std::string fp = vpath + ".subresources.scale." + field;
          if (p.empty()) {
            if (required) serr.push_back(field_required(fp));
            return;
          }
          auto jp = JsonPath::parse(p);
          if (!jp.ok() || !jp->simple()) serr.push_back(field_invalid(fp, p, "should be a valid path (.a.b.c)"));
          else if (p.rfind(prefix, 0) != 0)
            serr.push_back(field_invalid(fp, p, std::string("should be a json path under ") + prefix));
        };
        check(s.spec_replicas_path, "specReplicasPath", ".spec.", true);
        check(s.status_replicas_path, "statusReplicasPath", ".status.", true);
        check(s.label_selector_path, "labelSelectorPath", ".", false);
        if (!serr.empty()) return Failure(invalid_crd(name, serr));
        t.scale = s;
      }
    }
    const Json* columns = find(v, "additionalPrinterColumns");
    if (columns && columns->is_array() && !columns->empty()) {
      for (size_t c = 0; c < columns->size(); ++c) {
        const Json& col = (*columns)[c];
        std::string cpath = vpath + ".additionalPrinterColumns[" + std::to_string(c) + "]";
        PrinterColumn pc;
        pc.name = string_at(col, {"name"});
        pc.type = string_at(col, {"type"});
        pc.format = string_at(col, {"format"});
        pc.description = string_at(col, {"description"});
        pc.json_path = string_at(col, {"jsonPath"});
        if (const Json* pr = find(col, "priority"); pr && pr->is_number_integer()) pc.priority = pr->get<int>();
        if (pc.name.empty()) return Failure(invalid_crd(name, {field_required(cpath + ".name")}));
        static const std::vector<Json> kTypes = {"boolean", "date", "integer", "number", "string"};
        if (std::find(kTypes.begin(), kTypes.end(), Json(pc.type)) == kTypes.end()) {
          return Failure(invalid_crd(name, {field_not_supported(cpath + ".type", pc.type, kTypes)}));
        }
        auto jp = JsonPath::parse(pc.json_path);
        if (!jp.ok()) {
          return Failure(unsupported(name, field_invalid(cpath + ".jsonPath", pc.json_path, jp.error())));
        }
        t.columns.push_back(pc);
      }
    } else {
      t.columns.push_back({.name = "Age", .type = "date", .json_path = ".metadata.creationTimestamp"});
    }
    if (const Json* sel = find(v, "selectableFields"); sel && sel->is_array()) {
      for (const auto& f : *sel) {
        std::string p = string_at(f, {"jsonPath"});
        auto jp = JsonPath::parse(p);
        if (!jp.ok() || !jp->simple()) {
          return Failure(
              invalid_crd(name, {field_invalid(vpath + ".selectableFields", p, "must be a simple field path")}));
        }
        t.field_labels.push_back(p.substr(1));
      }
    }
    if (served && served->is_boolean() && served->get<bool>()) out.push_back(std::move(t));
  }
  if (storage != 1) {
    return Failure(invalid_crd(
        name, {field_invalid("spec.versions", *versions, "must have exactly one version marked as storage version")}));
  }
  return out;
}

void set_crd_status(Json& crd, const Json* old_status, const std::string& now) {
  const Json& spec = crd["spec"];
  Json names = {{"plural", string_at(spec, {"names", "plural"})},
                {"kind", string_at(spec, {"names", "kind"})},
                {"listKind", string_at(spec, {"names", "listKind"})},
                {"singular", string_at(spec, {"names", "singular"})}};
  if (names["listKind"] == "") names["listKind"] = names["kind"].get<std::string>() + "List";
  if (names["singular"] == "") names["singular"] = lower(names["kind"].get<std::string>());
  if (const Json* s = find_path(spec, {"names", "shortNames"})) names["shortNames"] = *s;
  if (const Json* c = find_path(spec, {"names", "categories"})) names["categories"] = *c;

  std::string since = now;
  if (old_status) {
    if (const Json* conds = find(*old_status, "conditions"); conds && conds->is_array() && !conds->empty()) {
      since = string_at((*conds)[0], {"lastTransitionTime"});
    }
  }
  Json stored = Json::array();
  if (old_status) {
    if (const Json* sv = find(*old_status, "storedVersions"); sv && sv->is_array()) stored = *sv;
  }
  if (const Json* versions = find(spec, "versions"); versions && versions->is_array()) {
    for (const auto& v : *versions) {
      const Json* st = find(v, "storage");
      if (st && st->is_boolean() && st->get<bool>() &&
          std::find(stored.begin(), stored.end(), v["name"]) == stored.end()) {
        stored.push_back(v["name"]);
      }
    }
  }
  crd["status"] = {{"acceptedNames", names},
                   {"conditions",
                    {{{"type", "NamesAccepted"},
                      {"status", "True"},
                      {"reason", "NoConflicts"},
                      {"message", "no conflicts found"},
                      {"lastTransitionTime", since}},
                     {{"type", "Established"},
                      {"status", "True"},
                      {"reason", "InitialNamesAccepted"},
                      {"message", "the initial names have been accepted"},
                      {"lastTransitionTime", since}}}},
                   {"storedVersions", stored}};
}

}  // namespace sluice::test_apiserver
