#pragma once
// A toy service module for tests (never shipped): one action, one error, one
// resource kind. It is what docs/adding-an-engine.md walks through: a model, an
// action table, an error map and a kind with its binding, and nothing else.

#include <map>
#include <mutex>
#include <stdexcept>

#include "runtime/common/resource_binding.h"
#include "sidecar/aws/params.h"
#include "sidecar/aws/service.h"

namespace sluice::toy {

// The wire model, as tools/gen_service_model.py would write it for a real service.
inline constexpr const char* kToyModel = R"({
  "service": "toy", "apiVersion": "2026-01-01", "protocol": "json", "protocols": ["json", "query"],
  "signingName": "toy", "targetPrefix": "Toy_20260101", "jsonVersion": "1.1",
  "xmlNamespace": "http://toy.example/doc/2026-01-01/", "errorNamespace": "",
  "operations": {"Ping": {"input": "PingInput", "output": "PingOutput", "resultWrapper": "PingResult"}},
  "shapes": {
    "PingInput": {"type": "structure", "required": ["Name"],
                  "members": {"Name": {"shape": "String"}, "Times": {"shape": "Integer"}}},
    "PingOutput": {"type": "structure", "members": {"Greeting": {"shape": "String"}, "Region": {"shape": "String"},
                                                     "Account": {"shape": "String"}}},
    "String": {"type": "string"}, "Integer": {"type": "integer"},
    "NoSuchToyException": {"type": "structure", "exception": true, "members": {"message": {"shape": "String"}}}
  },
  "errors": {"NoSuchToyException": {"code": "NoSuchToy", "status": 404, "sender": true}}
})";

// The engine: toys by namespace and name.
struct Toys {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, resource::json> specs;
};

struct ToyEnv {
  Toys& toys;
};

inline void ping(ToyEnv&, const aws::CallPtr& call) {
  const std::string name = aws::string_or_empty(call->input(), "Name");
  if (name == "missing") return call->fail(Error{errc::not_found, "Name", "No toy called missing.", std::nullopt});
  if (name == "throw") throw std::runtime_error("a bug in a handler");
  int times = aws::optional_int(call->input(), "Times").value_or(1);
  std::string greeting;
  for (int i = 0; i < times; ++i) greeting += "hello " + name + (i + 1 < times ? " " : "");
  call->succeed({{"Greeting", greeting}, {"Region", call->context().region}, {"Account", call->context().account}});
}

inline constexpr aws::Action<ToyEnv> kToyActions[] = {{"Ping", ping}};

inline const protocol::ServiceModel& toy_model() {
  static const auto model = protocol::ServiceModel::parse(kToyModel);
  return *model;
}

class ToyService final : public aws::TableService<ToyEnv> {
 public:
  explicit ToyService(Toys& toys) : TableService(toy_model(), kToyActions, ToyEnv{toys}) {}
  protocol::AwsError to_aws_error(const Error& e) const override {
    if (e.code == errc::not_found) return {"NoSuchToyException", "NoSuchToy", 404, true, e.message};
    if (e.code == errc::missing_argument) return {"ValidationException", "ValidationException", 400, true, e.message};
    return protocol::internal_error(e.message);
  }
};

// The kind: one spec field with bounds, one with an enum, a rule between them.
inline const resource::KindDef& toy_kind() {
  static const resource::KindDef kind = [] {
    using resource::Field;
    resource::KindDef k;
    k.kind = "Toy";
    k.plural = "toys";
    k.singular = "toy";
    k.short_names = {"ty"};
    k.description = "A toy, for the tests of the seams.";
    k.address_field = "toyName";
    Field loudness{"loudness", Field::Type::integer, "How loud.", 1, 5};
    loudness.default_value = 1;
    Field color{"color", Field::Type::string, "Its color."};
    color.values = {"red", "blue"};
    k.spec = {loudness, color};
    k.spec_rules.push_back({"!has(self.color) || self.color != 'red' || self.loudness <= 3",
                            "a red toy is at most 3 loud", "loudness", [](const resource::json& s, std::string_view) {
                              return s.value("color", "") != "red" || s.value("loudness", 1) <= 3;
                            }});
    k.status = {Field{"toyName", Field::Type::string, "Its name."},
                Field{"loudness", Field::Type::integer, "How loud."}};
    k.columns = {{"Loudness", "integer", ".status.loudness", "How loud"}};
    return k;
  }();
  return kind;
}

class ToyResources final : public resource::Binding {
 public:
  explicit ToyResources(Toys& toys) : toys_(toys) {}
  const resource::KindDef& kind() const override { return toy_kind(); }
  sluice::Status<Error> check(const resource::Placement&, const std::string&, const resource::json&,
                              const resource::PendingLookup&) const override {
    return {};
  }
  void apply(const resource::Placement& where, const std::string& name, const resource::json& spec,
             resource::ApplyDone done) override {
    {
      std::lock_guard lock(toys_.mu);
      toys_.specs[{where.ns, name}] = spec;
    }
    done(*status(where, name));
  }
  std::optional<resource::json> status(const resource::Placement& where, const std::string& name) const override {
    std::lock_guard lock(toys_.mu);
    auto it = toys_.specs.find({where.ns, name});
    if (it == toys_.specs.end()) return std::nullopt;
    return resource::json{{"toyName", name}, {"loudness", it->second.value("loudness", 1)}};
  }
  void remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) override {
    std::lock_guard lock(toys_.mu);
    toys_.specs.erase({where.ns, name});
    done({});
  }
  std::vector<resource::json> list(const std::string&) const override { return {}; }
  size_t size() const override {
    std::lock_guard lock(toys_.mu);
    return toys_.specs.size();
  }

 private:
  Toys& toys_;
};

}  // namespace sluice::toy
