#!/usr/bin/env python3
"""End-to-end test of the Kubernetes API test server driven by the real kubectl and helm.

Starts the sluice-test-apiserver binary on a free port and runs kubectl 1.32 / helm 3.17
(from .cache/kube-tools/bin, installed by scripts/setup.sh --test) against it, each kubectl
call with a fresh --cache-dir. Python 3 standard library only.

Environment: SLUICE_TEST_APISERVER (the server binary), SLUICE_REPO_ROOT (the checkout).
"""
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

REPO = os.environ.get("SLUICE_REPO_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
SERVER = os.environ.get("SLUICE_TEST_APISERVER") or os.path.join(REPO, "build/tests/k8s/sluice-test-apiserver")
TOOLS = os.path.join(REPO, ".cache/kube-tools/bin")
KUBECTL = os.path.join(TOOLS, "kubectl")
HELM = os.path.join(TOOLS, "helm")
TESTDATA = os.path.join(REPO, "tests/k8s/testdata")
OPERATOR_TOKEN = "operator-token-e2e"


def testdata(name):
    return os.path.join(TESTDATA, name)


class KubectlE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in (KUBECTL, HELM):
            if not os.access(tool, os.X_OK):
                raise RuntimeError(f"{tool} is missing: run scripts/setup.sh --test "
                                   "(it installs the pinned kubectl and helm into .cache/kube-tools/bin)")
        if not os.access(SERVER, os.X_OK):
            raise RuntimeError(f"server binary {SERVER} is missing: build the sluice-test-apiserver target")
        cls.tmp = tempfile.TemporaryDirectory(prefix="sluice-k8s-e2e-")
        cls.kubeconfig = os.path.join(cls.tmp.name, "kubeconfig")
        cls.server, cls.url = cls.start_server(cls.kubeconfig)
        cls.calls = 0
        # CRDs first: applying a CRD and its CR from one file fails on real clusters too.
        cls.kubectl_cls("apply", "-f", testdata("queue-crd.yaml"), "-f", testdata("workerautoscaler-crd.yaml"))

    @classmethod
    def tearDownClass(cls):
        code = cls.stop_server(cls.server)
        cls.tmp.cleanup()
        assert code == 0, f"server exited with {code} on SIGTERM"

    @classmethod
    def start_server(cls, kubeconfig, *extra):
        log = open(kubeconfig + ".log", "w")
        server = subprocess.Popen(
            [SERVER, "--port", "0", "--kubeconfig-out", kubeconfig, "--token", "admin=admin-token-e2e",
             "--token", "operator=" + OPERATOR_TOKEN, "--bookmark-interval-ms", "1000", *extra],
            stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        url = server.stdout.readline().strip()
        if not url.startswith(("http://127.0.0.1:", "https://127.0.0.1:")):
            server.kill()
            with open(kubeconfig + ".log") as f:
                raise RuntimeError("server did not start: " + url + f.read())
        return server, url

    @staticmethod
    def stop_server(server):
        server.terminate()
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
        finally:
            server.stdout.close()
        return code

    # ---- helpers ----

    @classmethod
    def kubectl_cmd(cls, *args, context=None):
        cls.calls += 1
        cache = os.path.join(cls.tmp.name, f"cache-{cls.calls}")  # a fresh discovery cache per call
        cmd = [KUBECTL, "--kubeconfig", cls.kubeconfig, "--cache-dir", cache]
        if context:
            cmd += ["--context", context]
        return cmd + list(args)

    @classmethod
    def kubectl_cls(cls, *args, input=None, check=True, timeout=60, context=None):
        p = subprocess.run(cls.kubectl_cmd(*args, context=context), input=input, capture_output=True, text=True,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def kubectl(self, *args, **kw):
        return self.kubectl_cls(*args, **kw)

    def kubectl_bg(self, *args):
        return subprocess.Popen(self.kubectl_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def helm(self, *args, check=True):
        env = dict(os.environ, HELM_CACHE_HOME=os.path.join(self.tmp.name, "helm-cache"),
                   HELM_CONFIG_HOME=os.path.join(self.tmp.name, "helm-config"),
                   HELM_DATA_HOME=os.path.join(self.tmp.name, "helm-data"))
        p = subprocess.run([HELM, "--kubeconfig", self.kubeconfig] + list(args), capture_output=True, text=True,
                           timeout=120, env=env)
        if check and p.returncode != 0:
            raise AssertionError(f"helm {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def http(self, method, path, token=None):
        req = urllib.request.Request(self.url + path, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def requests(self, **match):
        items = self.http("GET", "/testing/requests")[1]["items"]
        return [r for r in items if all(r.get(k) == v if not callable(v) else v(r.get(k)) for k, v in match.items())]

    def get_json(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def namespace(self, name):
        # `kubectl create namespace` sends protobuf: it exercises the decoder.
        self.kubectl("create", "namespace", name)
        return name

    def apply_yaml(self, text, *args, check=True):
        return self.kubectl("apply", "-f", "-", *args, input=text, check=check)

    def wait_until(self, predicate, timeout=10, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        self.fail(f"timed out waiting for {what}")

    @staticmethod
    def queue_yaml(name, ns, extra_spec="", finalizers=None):
        meta = f"  finalizers: {json.dumps(finalizers)}\n" if finalizers else ""
        return (f"apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata:\n  name: {name}\n  namespace: {ns}\n{meta}"
                f"spec:\n  queueName: {name}\n{extra_spec}")

    def set_ready(self, name, ns, status="True"):
        patch = {"status": {"conditions": [{"type": "Ready", "status": status, "reason": "Test",
                                            "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}
        self.kubectl("patch", "queue", name, "-n", ns, "--subresource=status", "--type=merge", "-p", json.dumps(patch))

    # ---- tests ----

    def test_discovery_crd_established_and_categories(self):
        out = self.kubectl("api-resources", "--api-group=sluice.io").stdout
        self.assertIn("queues", out)
        self.assertIn("workerautoscalers", out)
        self.kubectl("wait", "--for=condition=Established", "crd/queues.sluice.io", "--timeout=5s")
        ns = self.namespace("categories")
        self.apply_yaml(self.queue_yaml("orders", ns))
        self.apply_yaml(f"apiVersion: sluice.io/v1alpha1\nkind: WorkerAutoscaler\nmetadata:\n  name: w\n  namespace: {ns}\n"
                        "spec:\n  target: worker\n")
        out = self.kubectl("get", "sluice", "-n", ns).stdout
        self.assertIn("queue.sluice.io/orders", out)
        self.assertIn("workerautoscaler.sluice.io/w", out)
        self.assertIn("v1.32.0-sluice-test", self.kubectl("version").stdout)

    def test_apply_get_table_yaml_and_reapply(self):
        ns = self.namespace("apply")
        q = self.queue_yaml("orders", ns, "  visibilityTimeout: 60\n  tags: {team: payments}\n")
        self.assertIn("created", self.apply_yaml(q).stdout)
        table = self.kubectl("get", "queues", "-n", ns).stdout.splitlines()
        self.assertEqual(table[0].split(), ["NAME", "READY", "VISIBILITY", "FIFO", "AGE"])
        self.assertEqual(table[1].split()[:4], ["orders", "60", "false", table[1].split()[3]])
        wide = self.kubectl("get", "sq", "-A", "--show-labels").stdout
        self.assertIn(ns, wide)  # rows[].object fills the NAMESPACE column
        yaml_out = self.kubectl("get", "queue", "orders", "-n", ns, "-o", "yaml").stdout
        self.assertIn("visibilityTimeout: 60", yaml_out)
        self.assertIn("fifoQueue: false", yaml_out)  # schema default
        self.assertIn("generation: 1", yaml_out)
        self.http("DELETE", "/testing/requests")
        out = self.apply_yaml(q.replace("60", "120")).stdout
        self.assertIn("configured", out)
        patches = self.requests(method="PATCH", resource="queues", name="orders")
        self.assertEqual([p["contentType"] for p in patches], ["application/merge-patch+json"])
        obj = self.get_json("queue", "orders", "-n", ns)
        self.assertEqual(obj["spec"]["visibilityTimeout"], 120)
        self.assertEqual(obj["metadata"]["generation"], 2)

    def test_server_side_apply(self):
        ns = self.namespace("ssa")
        first = self.queue_yaml("payments", ns, "  delaySeconds: 5\n  tags: {a: b}\n")
        self.assertIn("serverside-applied", self.apply_yaml(first, "--server-side").stdout)
        obj = self.get_json("queue", "payments", "-n", ns, "--show-managed-fields")
        self.assertEqual(obj["metadata"]["managedFields"][0]["manager"], "kubectl")
        self.assertEqual(obj["metadata"]["managedFields"][0]["operation"], "Apply")
        self.apply_yaml(self.queue_yaml("payments", ns, "  delaySeconds: 5\n"), "--server-side")
        obj = self.get_json("queue", "payments", "-n", ns)
        self.assertNotIn("tags", obj["spec"])  # the manager stopped applying it
        clash = self.apply_yaml(self.queue_yaml("payments", ns, "  delaySeconds: 7\n"), "--server-side",
                                "--field-manager=other", check=False)
        self.assertNotEqual(clash.returncode, 0)
        self.assertIn("conflict", clash.stderr.lower())
        self.apply_yaml(self.queue_yaml("payments", ns, "  delaySeconds: 7\n"), "--server-side",
                        "--field-manager=other", "--force-conflicts")
        self.assertEqual(self.get_json("queue", "payments", "-n", ns)["spec"]["delaySeconds"], 7)

    def test_invalid_resources_are_rejected_with_useful_messages(self):
        ns = self.namespace("invalid")
        bad = self.apply_yaml(self.queue_yaml("orders", ns, "  visibilityTimeout: 50000\n"), check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn('The Queue "orders" is invalid: spec.visibilityTimeout: Invalid value: 50000: '
                      "spec.visibilityTimeout in body should be less than or equal to 43200", bad.stderr)
        unknown = self.apply_yaml(self.queue_yaml("orders", ns, "  foo: 1\n"), check=False)
        self.assertIn('strict decoding error: unknown field "spec.foo"', unknown.stderr)
        fifo = self.apply_yaml(self.queue_yaml("jobs", ns, "  fifoQueue: true\n"), check=False)
        self.assertIn("a FIFO queue's name must end in .fifo", fifo.stderr)
        self.apply_yaml(self.queue_yaml("orders", ns))
        renamed = self.kubectl("patch", "queue", "orders", "-n", ns, "--type=merge", "-p",
                               '{"spec":{"queueName":"other"}}', check=False)
        self.assertIn("queueName is immutable", renamed.stderr)

    def test_wait_for_ready_after_status_write(self):
        ns = self.namespace("wait")
        self.apply_yaml(self.queue_yaml("orders", ns))
        waiter = self.kubectl_bg("wait", "--for=condition=Ready", "queue/orders", "-n", ns, "--timeout=30s")
        self.wait_until(lambda: self.requests(verb="watch", namespace=ns, resource="queues"), what="kubectl wait's watch")
        self.set_ready("orders", ns)
        out, err = waiter.communicate(timeout=30)
        self.assertEqual(waiter.returncode, 0, err)
        self.assertIn("condition met", out)
        self.assertEqual(self.kubectl("get", "queue", "orders", "-n", ns).stdout.splitlines()[1].split()[1], "True")

    def test_forced_410_during_wait_relists_and_rewatches(self):
        ns = self.namespace("expired")
        self.apply_yaml(self.queue_yaml("orders", ns))
        watches = lambda: self.requests(verb="watch", namespace=ns, resource="queues")
        waiter = self.kubectl_bg("wait", "--for=condition=Ready", "queue/orders", "-n", ns, "--timeout=60s")
        self.wait_until(lambda: len(watches()) == 1, what="the first watch")
        status, body = self.http("POST", "/testing/compact")
        self.assertEqual(status, 200, body)
        # client-go answers the 410 Expired ERROR event with a relist and a new watch.
        self.wait_until(lambda: len(watches()) >= 2, timeout=20, what="the watch after 410")
        self.set_ready("orders", ns)
        out, err = waiter.communicate(timeout=30)
        self.assertEqual(waiter.returncode, 0, err)
        relists = self.requests(verb="list", namespace=ns, resource="queues")
        self.assertGreaterEqual(len(relists), 2)

    def test_delete_with_finalizer_waits_for_its_removal(self):
        ns = self.namespace("finalizers")
        self.apply_yaml(self.queue_yaml("orders", ns, finalizers=["sluice.io/engine-cleanup"]))
        deleter = self.kubectl_bg("delete", "queue", "orders", "-n", ns, "--timeout=30s")
        self.wait_until(lambda: "deletionTimestamp" in self.get_json("queue", "orders", "-n", ns)["metadata"],
                        what="deletionTimestamp")
        self.assertIsNone(deleter.poll())  # kubectl delete keeps waiting for the finalizer
        added = self.kubectl("patch", "queue", "orders", "-n", ns, "--type=merge", "-p",
                             '{"metadata":{"finalizers":["sluice.io/engine-cleanup","x.io/late"]}}', check=False)
        self.assertIn("no new finalizers can be added if the object is being deleted", added.stderr)
        self.kubectl("patch", "queue", "orders", "-n", ns, "--type=json", "-p",
                     '[{"op":"remove","path":"/metadata/finalizers"}]')
        out, err = deleter.communicate(timeout=30)
        self.assertEqual(deleter.returncode, 0, err)
        gone = self.kubectl("get", "queue", "orders", "-n", ns, check=False)
        self.assertIn("NotFound", gone.stderr)

    def test_deployment_apply_scale_and_rollout(self):
        ns = self.namespace("workers")
        with open(testdata("worker-deployment.yaml")) as f:
            manifest = f.read()
        self.apply_yaml(manifest, "-n", ns)
        self.kubectl("rollout", "status", "deployment/worker", "-n", ns, "--timeout=20s")
        self.http("DELETE", "/testing/requests")
        changed = manifest.replace("busybox:1", "busybox:2").replace('{name: BATCH, value: "10"}', "{name: LIMIT, value: \"5\"}")
        self.apply_yaml(changed, "-n", ns)
        patches = self.requests(method="PATCH", resource="deployments")
        self.assertEqual([p["contentType"] for p in patches], ["application/strategic-merge-patch+json"])
        d = self.get_json("deployment", "worker", "-n", ns)
        app = d["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(app["image"], "busybox:2")
        self.assertEqual([e["name"] for e in app["env"]], ["QUEUE", "LIMIT"])
        self.assertEqual(d["spec"]["template"]["spec"]["containers"][1]["name"], "sluice")
        self.kubectl("rollout", "status", "deployment/worker", "-n", ns, "--timeout=20s")
        self.kubectl("scale", "deployment", "worker", "-n", ns, "--replicas=3")
        self.kubectl("rollout", "status", "deployment/worker", "-n", ns, "--timeout=20s")
        self.kubectl("wait", "--for=condition=Available", "deployment/worker", "-n", ns, "--timeout=20s")
        row = self.kubectl("get", "deploy", "worker", "-n", ns).stdout.splitlines()[1].split()
        self.assertEqual(row[:4], ["worker", "3/3", "3", "3"])
        self.kubectl("scale", "deployment", "worker", "-n", ns, "--current-replicas=3", "--replicas=1")
        self.assertEqual(self.get_json("deployment", "worker", "-n", ns)["spec"]["replicas"], 1)
        # A custom resource's scale subresource, mapped through specReplicasPath.
        self.apply_yaml(f"apiVersion: sluice.io/v1alpha1\nkind: WorkerAutoscaler\nmetadata:\n  name: wa\n  namespace: {ns}\n"
                        "spec:\n  target: worker\n  replicas: 1\n")
        self.kubectl("scale", "workerautoscaler/wa", "-n", ns, "--replicas=4")
        self.assertEqual(self.get_json("workerautoscaler", "wa", "-n", ns)["spec"]["replicas"], 4)

    def test_get_watch_streams_table_rows(self):
        ns = self.namespace("watching")
        self.apply_yaml(self.queue_yaml("orders", ns, "  visibilityTimeout: 60\n"))
        watcher = self.kubectl_bg("get", "queues", "-n", ns, "-w")
        self.wait_until(lambda: self.requests(verb="watch", namespace=ns, resource="queues"), what="kubectl get -w")
        self.kubectl("patch", "queue", "orders", "-n", ns, "--type=merge", "-p", '{"spec":{"visibilityTimeout":99}}')
        time.sleep(1)
        watcher.terminate()
        out, _ = watcher.communicate(timeout=10)
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:3], ["NAME", "READY", "VISIBILITY"])
        self.assertTrue(any(l.split()[:2] == ["orders", "99"] for l in lines[1:]), out)

    def test_namespace_deletion_never_hangs(self):
        ns = self.namespace("doomed")
        self.apply_yaml(self.queue_yaml("held", ns, finalizers=["sluice.io/engine-cleanup"]))
        self.apply_yaml(self.queue_yaml("plain", ns))
        self.kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=a=b")
        self.kubectl("delete", "namespace", ns, "--wait=false")
        status = self.get_json("namespace", ns)["status"]
        self.assertEqual(status["phase"], "Terminating")
        self.assertIn("sluice.io/engine-cleanup in 1 resource instances", json.dumps(status["conditions"]))
        self.assertIn("NotFound", self.kubectl("get", "queue", "plain", "-n", ns, check=False).stderr)
        late = self.kubectl("create", "configmap", "late", "-n", ns, check=False)
        self.assertIn("because it is being terminated", late.stderr)
        self.kubectl("patch", "queue", "held", "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
        self.kubectl("wait", "--for=delete", f"namespace/{ns}", "--timeout=10s")

    def test_typed_generators_send_protobuf(self):
        ns = self.namespace("generators")
        self.kubectl("create", "secret", "generic", "creds", "-n", ns, "--from-literal=token=s3cr3t")
        self.kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast")
        self.assertEqual(self.get_json("secret", "creds", "-n", ns)["data"]["token"], "czNjcjN0")
        self.assertEqual(self.get_json("configmap", "settings", "-n", ns)["data"]["mode"], "fast")
        proto = self.requests(method="POST", namespace=ns, contentType="application/vnd.kubernetes.protobuf")
        self.assertEqual(len(proto), 2)
        refused = self.kubectl("create", "deployment", "d", "-n", ns, "--image=x", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("not supported by the Sluice test API server", refused.stderr)

    def test_helm_template_install_upgrade_uninstall(self):
        chart = testdata("chart")
        rendered = self.helm("template", "r1", chart, "--set", "replicas=2").stdout
        self.assertIn("kind: Deployment", rendered)
        ns = self.namespace("helm")
        # --wait: the fake status writer makes the Deployment (and its ReplicaSet) ready.
        self.helm("install", "r1", chart, "-n", ns, "--wait", "--timeout", "30s")
        self.assertIn("deployed", self.helm("list", "-n", ns).stdout)
        self.assertEqual(len(self.get_json("replicasets", "-n", ns)["items"]), 1)
        self.assertEqual(self.get_json("secret", "r1-credentials", "-n", ns)["data"]["token"], "bm90LWEtcmVhbC10b2tlbg==")
        self.assertTrue(self.get_json("service", "r1-sidecar", "-n", ns)["spec"]["clusterIP"])
        self.helm("upgrade", "r1", chart, "-n", ns, "--set", "image=busybox:2", "--set", "replicas=2", "--wait",
                  "--timeout", "30s")
        d = self.get_json("deployment", "r1-operator", "-n", ns)
        self.assertEqual(d["spec"]["template"]["spec"]["containers"][0]["image"], "busybox:2")
        self.assertEqual(d["spec"]["replicas"], 2)
        releases = self.get_json("secrets", "-n", ns, "-l", "owner=helm")["items"]
        self.assertEqual(sorted(s["metadata"]["name"] for s in releases),
                         ["sh.helm.release.v1.r1.v1", "sh.helm.release.v1.r1.v2"])
        self.helm("uninstall", "r1", "-n", ns)
        left = self.get_json("all,secrets,configmaps,serviceaccounts,roles,rolebindings", "-n", ns)["items"]
        self.assertEqual([i["metadata"]["name"] for i in left], [])

    def test_requests_are_recorded_per_identity(self):
        # A client that sends its token over plain HTTP (as the operator may) is recorded by name...
        self.http("GET", "/apis/sluice.io/v1alpha1/namespaces/default/queues", token=OPERATOR_TOKEN)
        mine = self.requests(user="operator", resource="queues")
        self.assertEqual([(r["verb"], r["apiGroup"], r["namespace"]) for r in mine], [("list", "sluice.io", "default")])
        self.assertEqual(self.http("GET", "/api/v1/namespaces", token="not-a-token")[0], 401)
        # ...but client-go sends tokens over TLS only: over HTTP kubectl is anonymous.
        self.kubectl("get", "configmaps", "-n", "kube-system", context="operator")
        self.assertTrue(self.requests(user="system:anonymous", resource="configmaps", namespace="kube-system"))
        # With --tls, kubectl's identity (one kubeconfig context per --token) is recorded.
        kubeconfig = os.path.join(self.tmp.name, "tls-kubeconfig")
        server, url = self.start_server(kubeconfig, "--tls")
        try:
            cmd = [KUBECTL, "--kubeconfig", kubeconfig, "--cache-dir", os.path.join(self.tmp.name, "tls-cache"),
                   "--context", "operator", "get", "configmaps", "-n", "kube-system"]
            subprocess.run(cmd, check=True, capture_output=True, timeout=60)
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            with urllib.request.urlopen(url + "/testing/requests?user=operator", context=ctx, timeout=10) as r:
                items = json.loads(r.read())["items"]
            self.assertIn(("list", "configmaps", "kube-system"),
                          [(i["verb"], i["resource"], i["namespace"]) for i in items])
        finally:
            self.assertEqual(self.stop_server(server), 0)

    def test_unsupported_requests_fail_loudly(self):
        ns = self.namespace("loud")
        self.apply_yaml(self.queue_yaml("orders", ns))
        fg = self.kubectl("delete", "queue", "orders", "-n", ns, "--cascade=foreground", check=False)
        self.assertIn("propagationPolicy=Foreground is not supported", fg.stderr)
        smp = self.kubectl("patch", "queue", "orders", "-n", ns, "--type=strategic", "-p", '{"spec":{}}', check=False)
        self.assertIn("application/strategic-merge-patch+json is not supported by sluice.io/v1alpha1, Kind=Queue",
                      smp.stderr)
        self.assertEqual(self.http("GET", "/openapi/v2")[0], 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)
