// Structural schema validation of custom resources: pruning, defaults, limits, CEL rules,
// and the CRD registration refusals.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/crd.h"
#include "tests/k8s/apiserver/schema_validation.h"

namespace sluice::test_apiserver {
namespace {

Json J(const char* text) { return Json::parse(text); }

std::shared_ptr<const Schema> compile(const char* schema) {
  auto s = compile_schema(J(schema), "schema");
  if (!s.ok()) throw std::runtime_error(s.error().error.text());
  return *s;
}

const char* kQueueSchema = R"J({
  "type":"object",
  "properties":{
    "spec":{"type":"object","required":["queueName"],
      "x-kubernetes-validations":[{"rule":"self.queueName == oldSelf.queueName","message":"queueName is immutable"}],
      "properties":{
        "queueName":{"type":"string","minLength":1,"maxLength":8,"pattern":"^[a-z]+$"},
        "visibilityTimeout":{"type":"integer","minimum":0,"maximum":43200,"default":30},
        "ratio":{"type":"number","exclusiveMaximum":true,"maximum":1},
        "mode":{"type":"string","enum":["a","b"]},
        "fifo":{"type":"boolean","default":false},
        "tags":{"type":"object","additionalProperties":{"type":"string"}},
        "list":{"type":"array","maxItems":2,"items":{"type":"integer"}},
        "port":{"x-kubernetes-int-or-string":true},
        "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
        "opt":{"type":"string","nullable":true}}},
    "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}})J";

ValidationResult run(const Schema& s, Json& obj, const Json* old = nullptr) {
  return validate_custom_resource(s, obj, old);
}

TEST(SchemaValidation, DefaultsPrunesAndKeepsPreservedFields) {
  auto s = compile(kQueueSchema);
  Json obj = J(R"J({"apiVersion":"sluice.io/v1","kind":"Queue","metadata":{"name":"q"},
                   "spec":{"queueName":"orders","unknown":1,"free":{"x":[1]},"opt":null,"mode":null},"bogus":true})J");
  ValidationResult r = run(*s, obj);
  EXPECT_TRUE(r.errors.empty()) << r.errors[0].text();
  EXPECT_EQ(r.unknown_fields, (std::vector<std::string>{"bogus", "spec.unknown"}));
  EXPECT_EQ(obj["spec"]["visibilityTimeout"], 30);
  EXPECT_EQ(obj["spec"]["fifo"], false);
  EXPECT_EQ(obj["spec"]["free"], J(R"J({"x":[1]})J"));
  EXPECT_TRUE(obj["spec"].contains("opt"));    // nullable keeps null
  EXPECT_FALSE(obj["spec"].contains("mode"));  // nulls of non-nullable fields are pruned
  EXPECT_FALSE(obj.contains("bogus"));
}

TEST(SchemaValidation, KubectlLikeMessages) {
  auto s = compile(kQueueSchema);
  Json obj = J(R"J({"spec":{"queueName":"Orders-Too-Long","visibilityTimeout":50000,"ratio":1,"mode":"c",
                           "tags":{"a":1},"list":[1,2,3],"port":true,"fifo":"yes"}})J");
  ValidationResult r = run(*s, obj);
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.text());
  auto has = [&](const std::string& t) { return std::find(texts.begin(), texts.end(), t) != texts.end(); };
  EXPECT_TRUE(
      has("spec.visibilityTimeout: Invalid value: 50000: spec.visibilityTimeout in body should be less than or equal "
          "to 43200"));
  EXPECT_TRUE(has("spec.queueName: Too long: may not be more than 8 bytes"));
  EXPECT_TRUE(
      has("spec.queueName: Invalid value: \"Orders-Too-Long\": spec.queueName in body should match '^[a-z]+$'"));
  EXPECT_TRUE(has("spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1"));
  EXPECT_TRUE(has("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\""));
  EXPECT_TRUE(
      has("spec.tags[a]: Invalid value: \"integer\": spec.tags[a] in body must be of type string: \"integer\""));
  EXPECT_TRUE(has("spec.list: Too many: 3: must have at most 2 items"));
  EXPECT_TRUE(
      has("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""));
  EXPECT_TRUE(has("spec.fifo: Invalid value: \"string\": spec.fifo in body must be of type boolean: \"string\""));
  EXPECT_EQ(r.errors[0].reason.empty(), false);
}

TEST(SchemaValidation, RequiredAndMinLength) {
  auto s = compile(kQueueSchema);
  Json missing = J(R"J({"spec":{}})J");
  ValidationResult r = run(*s, missing);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].text(), "spec.queueName: Required value");
  EXPECT_EQ(r.errors[0].reason, "FieldValueRequired");
  Json empty = J(R"J({"spec":{"queueName":""}})J");
  r = run(*s, empty);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].text(),
            "spec.queueName: Invalid value: \"\": spec.queueName in body should be at least 1 chars long");
}

TEST(SchemaValidation, TransitionRulesRunOnUpdateOnly) {
  auto s = compile(kQueueSchema);
  Json created = J(R"J({"spec":{"queueName":"a"}})J");
  EXPECT_TRUE(run(*s, created).errors.empty());
  Json old = created;
  Json renamed = J(R"J({"spec":{"queueName":"b"}})J");
  ValidationResult r = run(*s, renamed, &old);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].text(), "spec: Invalid value: \"object\": queueName is immutable");
}

TEST(SchemaValidation, CombinatorsValidateWithoutPruning) {
  auto s = compile(R"J({"type":"object","properties":{"spec":{"type":"object",
      "properties":{"a":{"type":"string"},"b":{"type":"string"}},
      "oneOf":[{"required":["a"]},{"required":["b"]}]}}})J");
  Json one = J(R"J({"spec":{"a":"x"}})J");
  EXPECT_TRUE(run(*s, one).errors.empty());
  Json both = J(R"J({"spec":{"a":"x","b":"y"}})J");
  ValidationResult r = run(*s, both);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("oneOf"), std::string::npos);
}

TEST(SchemaValidation, ListTypeMapRejectsDuplicateKeys) {
  auto s = compile(R"J({"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-type":"map",
      "x-kubernetes-list-map-keys":["name"],"items":{"type":"object","properties":{"name":{"type":"string"}}}}}})J");
  Json obj = J(R"J({"l":[{"name":"a"},{"name":"a"}]})J");
  ValidationResult r = run(*s, obj);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].text(), "l[1]: Duplicate value: {\"name\":\"a\"}");
}

TEST(SchemaCompile, RefusesWhatItCannotHonour) {
  auto ref = compile_schema(J(R"J({"type":"object","properties":{"a":{"$ref":"#/x"}}})J"), "s");
  ASSERT_FALSE(ref.ok());
  EXPECT_TRUE(ref.error().unsupported);
  auto cel = compile_schema(J(R"J({"type":"object","properties":{"l":{"type":"array","items":{"type":"string"}}},
      "x-kubernetes-validations":[{"rule":"self.l.all(x, x != '')"}]})J"),
                            "s");
  ASSERT_FALSE(cel.ok());
  EXPECT_TRUE(cel.error().unsupported);
  EXPECT_NE(cel.error().error.message.find("not supported by the Sluice test API server"), std::string::npos);
  auto msg_expr = compile_schema(
      J(R"J({"type":"object","x-kubernetes-validations":[{"rule":"true","messageExpression":"'x'"}]})J"), "s");
  ASSERT_FALSE(msg_expr.ok());
  EXPECT_TRUE(msg_expr.error().unsupported);
  auto undefined = compile_schema(J(R"J({"type":"object","properties":{"a":{"type":"string"}},
      "x-kubernetes-validations":[{"rule":"self.b == 'x'"}]})J"),
                                  "s");
  ASSERT_FALSE(undefined.ok());
  EXPECT_NE(undefined.error().error.message.find("undefined field 'b'"), std::string::npos);
  auto bad_default =
      compile_schema(J(R"J({"type":"object","properties":{"n":{"type":"integer","maximum":5,"default":9}}})J"), "s");
  ASSERT_FALSE(bad_default.ok());
  EXPECT_FALSE(bad_default.error().unsupported);
}

Json crd(const char* version_extra) {
  Json c = J(R"J({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
      "metadata":{"name":"queues.sluice.io"},
      "spec":{"group":"sluice.io","scope":"Namespaced",
              "names":{"plural":"queues","kind":"Queue","shortNames":["sq"],"categories":["sluice"]},
              "versions":[{"name":"v1alpha1","served":true,"storage":true,
                           "schema":{"openAPIV3Schema":{"type":"object"}}}]}})J");
  Json extra = J(version_extra);
  for (auto it = extra.begin(); it != extra.end(); ++it) c["spec"]["versions"][0][it.key()] = it.value();
  return c;
}

TEST(CrdRegistration, TypesFromServedVersions) {
  auto types = crd_resource_types(crd(R"J({"subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas",
      "statusReplicasPath":".status.replicas"}},
      "additionalPrinterColumns":[{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}]})J"));
  ASSERT_TRUE(types.ok()) << types.error().message;
  ASSERT_EQ(types->size(), 1u);
  const ResourceType& t = (*types)[0];
  EXPECT_EQ(t.group_resource(), "queues.sluice.io");
  EXPECT_EQ(t.singular, "queue");
  EXPECT_TRUE(t.status_subresource);
  ASSERT_TRUE(t.scale.has_value());
  EXPECT_EQ(t.columns.size(), 1u);
  EXPECT_EQ(t.categories, std::vector<std::string>{"sluice"});
  EXPECT_FALSE(t.builtin);
}

TEST(CrdRegistration, DefaultAgeColumnAndRefusals) {
  auto plain = crd_resource_types(crd("{}"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*plain)[0].columns[0].name, "Age");
  Json webhook = crd("{}");
  webhook["spec"]["conversion"] = {{"strategy", "Webhook"}};
  auto w = crd_resource_types(webhook);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, 400);
  Json misnamed = crd("{}");
  misnamed["metadata"]["name"] = "other.sluice.io";
  auto m = crd_resource_types(misnamed);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, 422);
  auto badpath =
      crd_resource_types(crd(R"J({"additionalPrinterColumns":[{"name":"X","type":"string","jsonPath":".a[1:2]"}]})J"));
  ASSERT_FALSE(badpath.ok());
  EXPECT_EQ(badpath.error().code, 400);
  auto scale = crd_resource_types(
      crd(R"J({"subresources":{"scale":{"specReplicasPath":".status.x","statusReplicasPath":".status.r"}}})J"));
  ASSERT_FALSE(scale.ok());
  EXPECT_EQ(scale.error().code, 422);
}

TEST(CrdStatus, EstablishedAtOnce) {
  Json c = crd("{}");
  set_crd_status(c, nullptr, "2026-01-01T00:00:00Z");
  EXPECT_EQ(c["status"]["conditions"][0]["type"], "NamesAccepted");
  EXPECT_EQ(c["status"]["conditions"][1]["type"], "Established");
  EXPECT_EQ(c["status"]["conditions"][1]["status"], "True");
  EXPECT_EQ(c["status"]["acceptedNames"]["listKind"], "QueueList");
  EXPECT_EQ(c["status"]["storedVersions"], J(R"J(["v1alpha1"])J"));
}

}  // namespace
}  // namespace sluice::test_apiserver
