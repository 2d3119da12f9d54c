#!/usr/bin/env python3
"""The chart rendered with default and with non-default values (every optional
feature on, replicas > 1, one watched namespace): helm lint, what the manifests
say, the schema's refusals of bad values, and the CRDs it ships being exactly
crds/ (helm/sluice/crds is a symlink; helm package must resolve it)."""

import glob
import json
import os
import re
import tarfile
import tempfile
import unittest

import chart
from chart import find, container, render, values_args

HARDENED = {"runAsNonRoot": True, "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def arg_value(args, flag):
    i = args.index(flag)
    return args[i + 1]


class ChartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        chart.require_tools()
        cls.default = render()
        cls.full = render(*values_args("full.yaml"), release="prod")

    def test_lint(self):
        for extra in ([], values_args("full.yaml")):
            r = chart.helm("lint", chart.CHART, "--strict", *extra)
            self.assertIn("0 chart(s) failed", r.stdout)

    def test_operator_deployment_defaults(self):
        d = find(self.default, "Deployment", "sluice-operator")
        self.assertEqual(d["spec"]["replicas"], 2)
        c = container(d, "operator")
        self.assertNotIn("command", c, "the image's ENTRYPOINT runs sluice-operator")
        self.assertEqual(c["args"], [
            "--leader-elect", "--leader-election-namespace", "sluice-system",
            "--leader-election-id", "sluice-operator",
            "--runtime-service", "sluice-runtime", "--runtime-namespace", "sluice-system",
            "--runtime-admin-port", "admin", "--metrics-port", "8080",
            "--workers", "4", "--status-refresh", "15"])
        self.assertEqual(c["livenessProbe"]["httpGet"], {"path": "/healthz", "port": "metrics"})
        self.assertEqual(c["readinessProbe"]["httpGet"], {"path": "/readyz", "port": "metrics"})
        self.assertEqual(c["ports"], [{"name": "metrics", "containerPort": 8080}])
        self.assertLessEqual(HARDENED.items(), c["securityContext"].items())
        self.assertEqual(c["securityContext"]["runAsUser"], 65532)
        self.assertIn("requests", c["resources"])
        self.assertEqual(d["spec"]["template"]["spec"]["serviceAccountName"], "sluice-operator")
        find(self.default, "ServiceAccount", "sluice-operator")

    def test_runtime_statefulset_defaults(self):
        s = find(self.default, "StatefulSet", "sluice-runtime")
        self.assertEqual(s["spec"]["replicas"], 1)
        self.assertEqual(s["spec"]["serviceName"], "sluice-runtime")
        pod = s["spec"]["template"]["spec"]
        self.assertIs(pod["automountServiceAccountToken"], False)
        self.assertEqual(pod["serviceAccountName"], "sluice-runtime")
        self.assertIs(find(self.default, "ServiceAccount", "sluice-runtime")["automountServiceAccountToken"], False)
        c = container(s, "sidecar")
        self.assertNotIn("command", c)
        self.assertNotIn("env", c, "one runtime advertises the Service, not itself")
        self.assertEqual(c["args"][:11], ["--port", "4566", "--admin-port", "4567", "--bind", "0.0.0.0",
                                          "--data-dir", "/data", "--account-per-namespace",
                                          "--advertise-url", "http://sluice.sluice-system.svc:4566"])
        grace = int(arg_value(c["args"], "--shutdown-grace"))
        self.assertEqual(grace, 25)
        self.assertGreater(pod["terminationGracePeriodSeconds"], grace)
        self.assertEqual(c["readinessProbe"]["httpGet"], {"path": "/readyz", "port": "admin"})
        self.assertEqual(c["livenessProbe"]["httpGet"], {"path": "/healthz", "port": "admin"})
        self.assertEqual(c["volumeMounts"], [{"name": "data", "mountPath": "/data"}])
        claim = s["spec"]["volumeClaimTemplates"][0]
        self.assertEqual(claim["metadata"]["name"], "data")
        self.assertEqual(claim["spec"]["resources"]["requests"]["storage"], "10Gi")
        self.assertNotIn("storageClassName", claim["spec"], "empty: the cluster's default class")
        self.assertLessEqual(HARDENED.items(), c["securityContext"].items())
        self.assertEqual(pod["securityContext"]["fsGroup"], 65532)

    def test_services(self):
        headless = find(self.default, "Service", "sluice-runtime")
        self.assertEqual(headless["spec"]["clusterIP"], "None")
        self.assertEqual([(p["name"], p["port"]) for p in headless["spec"]["ports"]], [("aws", 4566), ("admin", 4567)])
        aws = find(self.default, "Service", "sluice")
        self.assertEqual(aws["spec"]["type"], "ClusterIP")
        self.assertEqual([(p["name"], p["port"]) for p in aws["spec"]["ports"]], [("aws", 4566)])
        pods = find(self.default, "StatefulSet", "sluice-runtime")["spec"]["template"]["metadata"]["labels"]
        for svc in (headless, aws):
            self.assertLessEqual(svc["spec"]["selector"].items(), pods.items())

    def test_default_rbac_is_cluster_wide_plus_a_local_role(self):
        self.assertEqual(find(self.default, "ClusterRole", "sluice-operator")["metadata"].get("namespace"), None)
        binding = find(self.default, "ClusterRoleBinding", "sluice-operator")
        self.assertEqual(binding["subjects"], [{"kind": "ServiceAccount", "name": "sluice-operator",
                                                "namespace": "sluice-system"}])
        local = find(self.default, "Role", "sluice-operator-local")
        self.assertEqual(local["metadata"]["namespace"], "sluice-system")
        for rule in [r for role in find(self.default, "ClusterRole") + find(self.default, "Role")
                     for r in role["rules"]]:
            for field in ("apiGroups", "resources", "verbs"):
                self.assertNotIn("*", rule[field], f"wildcard in {rule}")
        names = {r["resources"][0]: r.get("resourceNames") for r in local["rules"]}
        self.assertEqual(names["endpoints"], ["sluice-runtime"])

    def test_optional_features_off_by_default(self):
        kinds = {d["kind"] for d in self.default}
        self.assertNotIn("ServiceMonitor", kinds)
        self.assertNotIn("ConfigMap", kinds)

    def test_full_values(self):
        d = find(self.full, "Deployment", "prod-sq-operator")
        self.assertEqual(d["spec"]["replicas"], 3)
        c = container(d)
        self.assertEqual(c["image"], "registry.example/sluice/operator:1.2.3")
        self.assertEqual(c["imagePullPolicy"], "Always")
        self.assertEqual(arg_value(c["args"], "--namespace"), "shop")
        self.assertEqual(arg_value(c["args"], "--workers"), "8")
        self.assertEqual(arg_value(c["args"], "--status-refresh"), "5")
        self.assertEqual(c["args"][-2:], ["--unreachable-grace", "120"])
        self.assertEqual(c["securityContext"]["runAsUser"], 10001)
        pod = d["spec"]["template"]["spec"]
        self.assertEqual(pod["imagePullSecrets"], [{"name": "regcred"}])
        self.assertEqual(pod["nodeSelector"], {"kubernetes.io/os": "linux"})
        self.assertIn("podAntiAffinity", pod["affinity"])
        self.assertEqual(d["spec"]["template"]["metadata"]["annotations"], {"example.com/owner": "team-queues"})

        # One watched namespace: a Role there instead of a ClusterRole.
        kinds = {doc["kind"] for doc in self.full}
        self.assertNotIn("ClusterRole", kinds)
        self.assertNotIn("ClusterRoleBinding", kinds)
        role = next(r for r in find(self.full, "Role") if r["metadata"]["name"] == "prod-sq-operator")
        self.assertEqual(role["metadata"]["namespace"], "shop")
        self.assertIn({"apiGroups": ["argoproj.io"], "resources": ["rollouts/scale"], "verbs": ["get", "patch"]},
                      role["rules"])

        s = find(self.full, "StatefulSet", "prod-sq-runtime")
        self.assertEqual(s["spec"]["replicas"], 3)
        c = container(s)
        # More than one runtime: each pod advertises its own DNS name.
        self.assertEqual(c["env"], [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}])
        self.assertEqual(arg_value(c["args"], "--advertise-url"),
                         "http://$(POD_NAME).prod-sq-runtime.sluice-system.svc:4566")
        self.assertEqual(arg_value(c["args"], "--region"), "eu-west-1")
        self.assertEqual(arg_value(c["args"], "--durability"), "periodic")
        self.assertEqual(s["spec"]["template"]["spec"]["terminationGracePeriodSeconds"], 55)
        self.assertEqual(c["securityContext"]["runAsUser"], 10002, "component override over the top-level one")
        self.assertEqual(c["securityContext"]["runAsGroup"], 10001)
        claim = s["spec"]["volumeClaimTemplates"][0]["spec"]
        self.assertEqual((claim["storageClassName"], claim["resources"]["requests"]["storage"], claim["accessModes"]),
                         ("fast-ssd", "50Gi", ["ReadWriteOncePod"]))

        monitors = {m["metadata"]["name"]: m for m in find(self.full, "ServiceMonitor")}
        self.assertEqual(set(monitors), {"prod-sq-runtime", "prod-sq-operator"})
        self.assertEqual(monitors["prod-sq-runtime"]["spec"]["endpoints"][0]["port"], "admin")
        self.assertEqual(monitors["prod-sq-operator"]["spec"]["endpoints"][0]["port"], "metrics")
        self.assertEqual(monitors["prod-sq-runtime"]["metadata"]["labels"]["release"], "prometheus")
        # Each ServiceMonitor selects exactly the Service that has its port.
        services = find(self.full, "Service")
        for m in monitors.values():
            port = m["spec"]["endpoints"][0]["port"]
            selected = [svc for svc in services
                        if m["spec"]["selector"]["matchLabels"].items() <= svc["metadata"]["labels"].items()]
            self.assertEqual(len(selected), 1, m["metadata"]["name"])
            self.assertIn(port, [p["name"] for p in selected[0]["spec"]["ports"]])

        dash = find(self.full, "ConfigMap", "prod-sq-dashboard")
        self.assertEqual(dash["metadata"]["namespace"], "monitoring")
        self.assertEqual(dash["metadata"]["labels"]["grafana_dashboard"], "1")
        self.assertEqual(json.loads(dash["data"]["sluice.json"])["title"], "Sluice")

    def test_advertise_switch(self):
        for advertise, replicas, per_pod in (("auto", 1, False), ("auto", 2, True), ("pod", 1, True),
                                             ("service", 3, False)):
            docs = render("--set", f"runtime.advertise={advertise}", "--set", f"runtime.replicas={replicas}")
            c = container(find(docs, "StatefulSet", "sluice-runtime"))
            url = arg_value(c["args"], "--advertise-url")
            self.assertEqual("$(POD_NAME)" in url, per_pod, (advertise, replicas, url))
            self.assertEqual("env" in c, per_pod)

    def test_former_depth_refresh_value_still_works(self):
        # operator.depthRefreshSeconds was the value's name before statusRefreshSeconds.
        d = find(render("--set", "operator.depthRefreshSeconds=7"), "Deployment", "sluice-operator")
        self.assertEqual(arg_value(container(d)["args"], "--status-refresh"), "7")

    def test_persistence_off_uses_an_empty_dir(self):
        s = find(render("--set", "runtime.persistence.enabled=false"), "StatefulSet", "sluice-runtime")
        self.assertNotIn("volumeClaimTemplates", s["spec"])
        self.assertEqual(s["spec"]["template"]["spec"]["volumes"], [{"name": "data", "emptyDir": {}}])

    def test_bad_values_fail_with_the_schemas_message(self):
        cases = [
            (["--set", "operator.replicas=two"], "operator.replicas: Invalid type. Expected: integer, given: string"),
            (["--set", "runtime.replicas=0"], "runtime.replicas: Must be greater than or equal to 1"),
            (["--set", "operator.replicas=-1"], "operator.replicas: Must be greater than or equal to 0"),
            (["--set", "runtime.persistence.size=-5Gi"], "runtime.persistence.size: Does not match pattern"),
            (["--set", "runtime.durability=fast"], "runtime.durability: runtime.durability must be one of"),
            (["--set", "runtime.advertise=everywhere"], "runtime.advertise must be one of"),
            (["--set", "operator.image.pullPolicy=Sometimes"], "operator.image.pullPolicy must be one of"),
            (["--set", "operator.workers=0"], "operator.workers: Must be greater than or equal to 1"),
            (["--set", "operator.watchNamespace=Not_A_Namespace"], "operator.watchNamespace: Does not match pattern"),
            (["--set", "runtime.shutdownGraceSeconds=-1"], "runtime.shutdownGraceSeconds: Must be greater"),
            (["--set", "serviceMonitor.enabled=yes"], "serviceMonitor.enabled: Invalid type. Expected: boolean"),
            (["--set", "runtime.replica=2"], "runtime: Additional property replica is not allowed"),
        ]
        for args, message in cases:
            # (helm install is refused the same way: test_install.py, against the API server.)
            for command in (["template", "bad", chart.CHART], ["lint", chart.CHART]):
                with self.subTest(args=args, command=command[0]):
                    r = chart.helm(*command, *args, check=False)
                    self.assertNotEqual(r.returncode, 0, f"{args} was accepted")
                    self.assertIn(message, r.stdout + r.stderr)

    def test_crds_are_the_repositorys(self):
        link = os.path.join(chart.CHART, "crds")
        self.assertTrue(os.path.islink(link), "helm/sluice/crds must stay a symlink to crds/ (no copy that can drift)")
        self.assertEqual(os.path.realpath(link), os.path.realpath(chart.CRDS))
        want = {os.path.basename(p): open(p, "rb").read() for p in glob.glob(os.path.join(chart.CRDS, "*.yaml"))}
        self.assertEqual(set(want), {"queues.sluice.io.yaml", "topics.sluice.io.yaml", "subscriptions.sluice.io.yaml",
                                     "streams.sluice.io.yaml", "workerautoscalers.sluice.io.yaml"})

        # helm template --include-crds renders them ...
        rendered = chart.helm("template", "sluice", chart.CHART, "--include-crds").stdout
        crds = [d for d in chart.yaml_docs(rendered) if d.get("kind") == "CustomResourceDefinition"]
        self.assertEqual(sorted(c["metadata"]["name"] for c in crds),
                         ["queues.sluice.io", "streams.sluice.io", "subscriptions.sluice.io", "topics.sluice.io",
                          "workerautoscalers.sluice.io"])
        self.assertEqual(sorted(chart.yaml_docs("---\n".join(t.decode() for t in want.values())),
                                key=lambda c: c["metadata"]["name"]),
                         sorted(crds, key=lambda c: c["metadata"]["name"]))
        # ... and helm package puts the files themselves, byte for byte, into the archive.
        with tempfile.TemporaryDirectory() as out:
            chart.helm("package", chart.CHART, "-d", out)
            archive = glob.glob(os.path.join(out, "sluice-*.tgz"))[0]
            with tarfile.open(archive) as tar:
                packaged = {os.path.basename(m.name): tar.extractfile(m).read()
                            for m in tar.getmembers() if m.name.startswith("sluice/crds/") and m.isfile()}
                names = tar.getnames()
        self.assertEqual(packaged, want)
        self.assertIn("sluice/values.schema.json", names)
        self.assertIn("sluice/dashboards/sluice.json", names)

    def test_dashboard_queries_name_real_metrics(self):
        # The names must be those the code exports; test_install.py also checks them on live /metrics.
        dash = json.load(open(os.path.join(chart.CHART, "dashboards", "sluice.json")))
        exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
        used = {re.sub(r"_(bucket|sum|count)$", "", m) for e in exprs for m in re.findall(r"\bsluice_[a-z_]+", e)}
        sources = ""
        for pattern in ("sidecar/metrics/*.cc", "sidecar/*/*_metrics.cc", "operator/*.cc", "operator/*/*.cc"):
            for path in glob.glob(os.path.join(chart.REPO, pattern)):
                with open(path) as f:
                    sources += f.read()
        for name in sorted(used):
            self.assertIn(f'"{name}"', sources, f"dashboard metric {name} is not exported by the code")
        for want in ("sluice_sqs_approximate_number_of_messages_visible",
                     "sluice_sqs_approximate_number_of_messages_not_visible",
                     "sluice_sqs_approximate_age_of_oldest_message_seconds",
                     "sluice_sqs_number_of_messages_sent_total", "sluice_sqs_number_of_messages_received_total",
                     "sluice_sqs_number_of_messages_deleted_total", "sluice_workerautoscaler_backlog",
                     "sluice_workerautoscaler_desired_replicas", "sluice_request_duration_seconds"):
            self.assertIn(want, used)

    def test_every_value_is_documented(self):
        with open(os.path.join(chart.CHART, "values.yaml")) as f:
            values = chart.yaml_docs(f.read())[0]
        with open(os.path.join(chart.CHART, "README.md")) as f:
            table = f.read()
        with open(os.path.join(chart.CHART, "values.schema.json")) as f:
            schema = json.load(f)
        objects = {"securityContext", "podSecurityContext", "resources", "labels", "annotations", "podAnnotations",
                   "nodeSelector", "affinity"}

        def leaves(d, prefix=""):
            for k, v in d.items():
                path = prefix + k
                if isinstance(v, dict) and v and k not in objects:
                    yield from leaves(v, path + ".")
                else:
                    yield path

        for path in leaves(values):
            self.assertIn(f"| `{path}` |", table, f"{path} is missing from helm/sluice/README.md")
            node = schema
            for part in path.split("."):
                node = node["properties"][part]  # KeyError: no schema for the value


if __name__ == "__main__":
    unittest.main(verbosity=2)
