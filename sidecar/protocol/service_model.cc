#include "sidecar/protocol/service_model.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

Shape::Type parse_type(const std::string& t) {
  static const std::map<std::string, Shape::Type> kTypes = {
      {"structure", Shape::Type::structure}, {"list", Shape::Type::list},       {"map", Shape::Type::map},
      {"string", Shape::Type::string},       {"integer", Shape::Type::integer}, {"long", Shape::Type::long_},
      {"boolean", Shape::Type::boolean},     {"blob", Shape::Type::blob},       {"timestamp", Shape::Type::timestamp},
      {"double", Shape::Type::double_},      {"float", Shape::Type::float_},
  };
  auto it = kTypes.find(t);
  if (it == kTypes.end()) throw std::runtime_error("service model: unknown shape type " + t);
  return it->second;
}

}  // namespace

const ShapeRef* Shape::find_member(std::string_view name) const {
  for (const auto& [n, ref] : members)
    if (n == name) return &ref;
  return nullptr;
}

std::unique_ptr<ServiceModel> ServiceModel::parse(std::string_view json_text) {
  json doc = json::parse(json_text);
  auto model = std::make_unique<ServiceModel>();
  model->service_ = doc.at("service");
  model->api_version_ = doc.at("apiVersion");
  model->signing_name_ = doc.value("signingName", model->service_);
  model->target_prefix_ = doc.value("targetPrefix", "");
  model->json_version_ = doc.value("jsonVersion", "");
  model->xml_namespace_ = doc.value("xmlNamespace", "");
  model->error_namespace_ = doc.value("errorNamespace", "");
  model->query_compatible_ = doc.value("awsQueryCompatible", false);
  static const std::map<std::string, Protocol> kProtocols = {{"query", Protocol::query},
                                                             {"json", Protocol::json},
                                                             {"rest-json", Protocol::rest_json},
                                                             {"rest-xml", Protocol::rest_xml},
                                                             {"smithy-rpc-v2-cbor", Protocol::cbor}};
  for (const auto& p : doc.value("protocols", std::vector<std::string>{doc.value("protocol", "")})) {
    auto it = kProtocols.find(p);
    if (it == kProtocols.end()) throw std::runtime_error("service model: unknown protocol " + p);
    model->protocols_.push_back(it->second);
  }

  // Two passes: create every shape, then resolve references between them.
  for (auto& [name, s] : doc.at("shapes").items()) {
    auto shape = std::make_unique<Shape>();
    shape->name = name;
    shape->type = parse_type(s.at("type"));
    shape->flattened = s.value("flattened", false);
    shape->location_name = s.value("locationName", "");
    model->shapes_[name] = std::move(shape);
  }
  auto resolve = [&](const json& r) {
    ShapeRef ref;
    auto it = model->shapes_.find(r.at("shape").get<std::string>());
    if (it == model->shapes_.end()) throw std::runtime_error("service model: unknown shape " + r.at("shape").dump());
    ref.shape = it->second.get();
    ref.location_name = r.value("locationName", "");
    ref.flattened = r.value("flattened", false);
    return ref;
  };
  for (auto& [name, s] : doc.at("shapes").items()) {
    Shape& shape = *model->shapes_[name];
    if (s.contains("members"))
      for (auto& [m, r] : s["members"].items()) shape.members.emplace_back(m, resolve(r));
    if (s.contains("required")) shape.required = s["required"].get<std::vector<std::string>>();
    if (s.contains("member")) shape.member = resolve(s["member"]);
    if (s.contains("key")) shape.key = resolve(s["key"]);
    if (s.contains("value")) shape.value = resolve(s["value"]);
  }
  for (auto& [name, o] : doc.at("operations").items()) {
    Operation op;
    op.name = name;
    if (o.contains("input")) op.input = model->shapes_.at(o["input"].get<std::string>()).get();
    if (o.contains("output")) op.output = model->shapes_.at(o["output"].get<std::string>()).get();
    op.result_wrapper = o.value("resultWrapper", name + "Result");
    model->operations_[name] = std::move(op);
  }
  for (auto& [name, e] : doc.at("errors").items())
    model->errors_[name] = ErrorInfo{e.at("code"), e.at("status"), e.at("sender")};
  return model;
}

bool ServiceModel::speaks(Protocol p) const {
  for (auto q : protocols_)
    if (q == p) return true;
  return false;
}

const Operation* ServiceModel::operation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const ErrorInfo* ServiceModel::error(std::string_view shape_name) const {
  auto it = errors_.find(shape_name);
  return it == errors_.end() ? nullptr : &it->second;
}

}  // namespace sluice::protocol
