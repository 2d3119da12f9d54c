// Schema validation (node --test): the chart rendered with default and with
// every-feature values, each object against the Kubernetes JSON schemas of
// kubernetes-models (ServiceMonitor: @kubernetes-models/prometheus-operator);
// crds/ as CustomResourceDefinitions; examples/ against the CRDs'
// openAPIV3Schema with ajv, strict about unknown fields as the API server is
// with fieldValidation=Strict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const helm = join(repo, ".cache", "kube-tools", "bin", "helm");
const home = mkdtempSync(join(tmpdir(), "sluice-helm-home-"));

function yamlDocs(text) {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d != null);
}

function render(...args) {
  const env = { ...process.env, HELM_CACHE_HOME: join(home, "c"), HELM_CONFIG_HOME: join(home, "f"),
                HELM_DATA_HOME: join(home, "d") };
  const out = execFileSync(helm, ["template", "sluice", join(repo, "helm", "sluice"), "-n", "sluice-system", ...args],
                           { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return yamlDocs(out);
}

// The kubernetes-models class of an object, by apiVersion and kind.
async function modelOf(obj) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const module = group === "monitoring.coreos.com"
    ? await import(`@kubernetes-models/prometheus-operator/${group}/${version}`)
    : await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  const model = module[obj.kind];
  assert.ok(model, `no schema for ${obj.apiVersion} ${obj.kind}`);
  return model;
}

async function validateObject(obj) {
  const Model = await modelOf(obj);
  new Model(obj).validate();  // throws with the failing paths
}

const renders = {
  "default values": () => render(),
  "every optional feature": () => render("-f", join(here, "values", "full.yaml")),
};

for (const [name, make] of Object.entries(renders)) {
  test(`rendered chart (${name}) matches the Kubernetes schemas`, async () => {
    const docs = make();
    assert.ok(docs.length >= 10, `only ${docs.length} objects rendered`);
    for (const obj of docs) {
      await assert.doesNotReject(validateObject(obj), `${obj.kind} ${obj.metadata?.name}`);
    }
  });
}

test("the validator is not vacuous: a bad Deployment is refused", async () => {
  const deployment = render().find((d) => d.kind === "Deployment");
  deployment.spec.replicas = "two";
  deployment.spec.template.spec.containers[0].securityContext.runAsUser = "root";
  await assert.rejects(validateObject(deployment), /replicas must be integer/);
});

const crds = Object.fromEntries(readdirSync(join(repo, "crds")).filter((f) => f.endsWith(".yaml")).map((f) => {
  const [crd] = yamlDocs(readFileSync(join(repo, "crds", f), "utf8"));
  return [crd.spec.names.kind, crd];
}));

test("crds/ are valid CustomResourceDefinitions", async () => {
  assert.deepEqual(Object.keys(crds).sort(), ["Queue", "Stream", "Subscription", "Topic", "WorkerAutoscaler"]);
  for (const crd of Object.values(crds)) {
    assert.equal(crd.kind, "CustomResourceDefinition");
    await validateObject(crd);
  }
});

// A structural schema (OpenAPI 3.0) as a JSON Schema: nullable, int-or-string,
// boolean exclusiveMinimum/Maximum, and unknown fields refused where the API server would refuse them (no preserve-unknown-fields).
function jsonSchema(s) {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (s === null || typeof s !== "object") return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable") continue;
    out[k] = ["properties", "patternProperties"].includes(k)
      ? Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, jsonSchema(ps)]))
      : jsonSchema(v);
  }
  if (s["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (s.nullable && out.type) out.type = [out.type, "null"];
  for (const [bound, exclusive] of [["minimum", "exclusiveMinimum"], ["maximum", "exclusiveMaximum"]]) {
    if (s[exclusive] === true) {
      out[exclusive] = s[bound];
      delete out[bound];
    } else if (s[exclusive] === false) {
      delete out[exclusive];
    }
  }
  if (out.type === "object" && out.properties && !("additionalProperties" in out) &&
      !s["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ["int32", "int64", "float", "double"]) ajv.addFormat(f, { type: "number", validate: () => true });
const validators = Object.fromEntries(Object.entries(crds).map(([kind, crd]) => {
  const version = crd.spec.versions.find((v) => v.storage);
  const schema = jsonSchema(version.schema.openAPIV3Schema);
  schema.properties.metadata = { type: "object" };  // checked by the API server's own rules, not the CRD's
  return [kind, { apiVersion: `${crd.spec.group}/${version.name}`, validate: ajv.compile(schema) }];
}));

function validateCustom(obj) {
  const v = validators[obj.kind];
  assert.ok(v, `examples/ has a ${obj.kind}, which no CRD defines`);
  assert.equal(obj.apiVersion, v.apiVersion);
  if (!v.validate(obj)) return ajv.errorsText(v.validate.errors);
  return null;
}

test("examples/ match the CRDs' schemas", () => {
  const files = readdirSync(join(repo, "examples")).filter((f) => /\.ya?ml$/.test(f));
  let count = 0;
  for (const f of files) {
    for (const obj of yamlDocs(readFileSync(join(repo, "examples", f), "utf8"))) {
      assert.equal(validateCustom(obj), null, `${f}: ${obj.kind} ${obj.metadata.name}`);
      count++;
    }
  }
  assert.ok(count >= 5, `only ${count} examples`);
});

test("the CRD validation is not vacuous: bad Queues and autoscalers are refused", () => {
  const queue = { apiVersion: "sluice.io/v1alpha1", kind: "Queue", metadata: { name: "q" },
                  spec: { visibilityTimeout: 50000 } };
  assert.match(validateCustom(queue), /visibilityTimeout must be <= 43200/);
  queue.spec = { visibilityTimout: 30 };
  assert.match(validateCustom(queue), /must NOT have additional properties/);
  const wa = { apiVersion: "sluice.io/v1alpha1", kind: "WorkerAutoscaler", metadata: { name: "w" },
               spec: { scaleTargetRef: { name: "x" }, minReplicas: -1, maxReplicas: 2, triggers: [] } };
  assert.match(validateCustom(wa), /minReplicas must be >= 0/);
});
