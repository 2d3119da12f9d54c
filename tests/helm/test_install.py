#!/usr/bin/env python3
"""The chart on the Kubernetes API test server, with the real operator and
sidecar started exactly as the chart configures them.

- `helm template | kubectl apply` of the chart, and a refused install of bad values.
- `helm install`; the runtime pod = the sidecar with the StatefulSet's args,
  reached through an Endpoints object for the rendered headless Service (the
  test server runs no pods); the operator = two replicas with the Deployment's
  args and env, in-cluster: KUBERNETES_SERVICE_HOST/PORT and the service
  account's token and CA at /var/run/secrets/kubernetes.io/serviceaccount.
- examples/ applied: Queues Ready and served (boto3 through the advertised
  endpoint), WorkerAutoscalers scaling a Deployment and a StatefulSet, leader
  failover, /metrics has every metric the dashboard plots.
- `helm upgrade` to two runtimes (each pod advertising itself) and one watched
  namespace: queues spread over both pods, each served at its placement endpoint.
- Deleting Queues with the runtime up and with it gone; `helm uninstall`
  leaves nothing behind; the CRDs are removed by hand.
- RBAC: every request the operator's service account made is allowed by the
  chart's Roles/ClusterRoles, and every granted permission was used (deliberate
  extras are warnings).

Runs inside its own network and mount namespaces (sandbox.py)."""

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import warnings

import sandbox

sandbox.reexec_inside()

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import chart  # noqa: E402
import cluster  # noqa: E402  (tests/e2e: processes, the API test server, wait_for)
import pods  # noqa: E402
import rbac  # noqa: E402
from cluster import harness, wait_for  # noqa: E402

NS = "sluice-system"
RELEASE = "sluice"
SA = "sluice-operator"
SA_USER = f"system:serviceaccount:{NS}:{SA}"
ADMIN_TOKEN = "sluice-helm-admin"
SA_TOKEN = "sluice-helm-operator-sa"
ENDPOINT = f"http://sluice.{NS}.svc:4566"  # the ClusterIP Service, as NOTES.txt prints it
POD_IPS = {"sluice-runtime-0": "127.0.0.1", "sluice-runtime-1": "127.0.0.2"}

# Granted on purpose although a test run may not use them.
DELIBERATE_EXTRAS = {
    ("patch", "", "events"): "the event recorder patches an Event only when it repeats within 10 minutes",
}


def http(url, timeout=5):
    return harness.http_get(url, timeout)[0]


def sqs(endpoint):
    import boto3
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        chart.require_tools()
        sandbox.setup()
        sandbox.set_hosts({f"sluice.{NS}.svc": "127.0.0.1",
                           **{f"{pod}.sluice-runtime.{NS}.svc": ip for pod, ip in POD_IPS.items()}})
        cls.workdir = tempfile.mkdtemp(prefix="sluice-helm-")
        cls.api = cluster.ApiServer(cls.workdir, tls=True,
                                    extra=["--token", f"admin={ADMIN_TOKEN}", "--token", f"{SA_USER}={SA_TOKEN}"])
        cls.processes = []
        cls.failed = False

    @classmethod
    def tearDownClass(cls):
        for p in reversed(cls.processes):
            p.stop(signal.SIGKILL)
        cls.api.stop()
        if cls.failed:
            print(f"logs and recorded requests kept in {cls.workdir}", file=sys.stderr)
        else:
            shutil.rmtree(cls.workdir, ignore_errors=True)

    def tearDown(self):
        result = self._outcome.result
        if result.failures or result.errors:
            type(self).failed = True

    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)  # boto3 clients keep their connections open

    # -- helpers ---------------------------------------------------------------
    def kubectl(self, *args, **kw):
        return self.api.kubectl(*args, **kw)

    def helm(self, *args, check=True):
        return chart.helm("--kubeconfig", self.api.kubeconfig, *args, check=check)

    def get(self, *args):
        return self.api.get_json(*args)

    def requests(self, clear=False):
        def call(method):
            req = urllib.request.Request(self.api.url + "/testing/requests", method=method,
                                         headers={"Authorization": "Bearer " + ADMIN_TOKEN})
            with urllib.request.urlopen(req, timeout=10, context=cluster._insecure()) as r:
                body = r.read()
                return json.loads(body) if body else None
        items = [r for r in call("GET")["items"] if r["user"] == SA_USER]
        if clear:
            call("DELETE")
        return items

    def manifest(self):
        return chart.yaml_docs(self.helm("get", "manifest", RELEASE, "-n", NS).stdout)

    def start(self, name, argv, env):
        """A pod's process: the container's env only, as a kubelet gives it (the image's PATH)."""
        log = os.path.join(self.workdir, name + ".log")
        p = cluster.Process(argv, log, env={"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                            **env})
        self.processes.append(p)
        return p

    def start_runtime(self, docs, pod, data_dir):
        """The runtime pod `pod`: the StatefulSet's container, its volume at data_dir."""
        sts = chart.find(docs, "StatefulSet", "sluice-runtime")
        argv, env = pods.command(chart.container(sts, "sidecar"), "sidecar.Dockerfile",
                                 cluster.binary("SLUICE_SIDECAR", "sidecar/sluice-sidecar"),
                                 {"metadata.name": pod}, {"data": data_dir})
        # Each pod has its own network namespace in a cluster; here they share one,
        # so a pod's "0.0.0.0" is its pod IP.
        argv = [POD_IPS[pod] if a == "0.0.0.0" else a for a in argv]
        p = self.start(pod, argv, env)
        admin = f"http://{POD_IPS[pod]}:4567"
        wait_for(lambda: http(admin + "/readyz") == 200 or not p.alive(), 20, f"{pod} /readyz")
        self.assertTrue(p.alive(), p.output())
        return p

    def set_endpoints(self, docs, ready_pods):
        """What the endpoints controller would write for the headless Service."""
        svc = chart.find(docs, "Service", "sluice-runtime")
        ports = {p["name"]: p["containerPort"] for p in chart.container(chart.find(docs, "StatefulSet",
                                                                                   "sluice-runtime"))["ports"]}
        subsets = []
        if ready_pods:
            subsets = [{"addresses": [{"ip": POD_IPS[p], "hostname": p,
                                       "targetRef": {"kind": "Pod", "name": p, "namespace": NS}} for p in ready_pods],
                        "ports": [{"name": p["name"], "port": ports[p["targetPort"]], "protocol": "TCP"}
                                  for p in svc["spec"]["ports"]]}]
        endpoints = {"apiVersion": "v1", "kind": "Endpoints",
                     "metadata": {"name": svc["metadata"]["name"], "namespace": NS, "labels": svc["metadata"]["labels"]},
                     "subsets": subsets}
        self.kubectl("apply", "-f", "-", input=json.dumps(endpoints))

    def start_operator(self, docs, name, metrics_port=8080):
        deployment = chart.find(docs, "Deployment", "sluice-operator")
        c = chart.container(deployment, "operator")
        self.assertEqual(deployment["spec"]["template"]["spec"]["serviceAccountName"], SA)
        argv, env = pods.command(c, "operator.Dockerfile", cluster.binary("SLUICE_OPERATOR", "operator/sluice-operator"),
                                 {}, {})
        if metrics_port != 8080:  # a second replica in the same network namespace
            i = argv.index("--metrics-port")
            argv[i + 1] = str(metrics_port)
        env.update(KUBERNETES_SERVICE_HOST="127.0.0.1", KUBERNETES_SERVICE_PORT=self.api.url.rsplit(":", 1)[1])
        p = self.start(name, argv, env)
        wait_for(lambda: "metrics and probes" in p.output() or not p.alive(), 15, f"{name} to start")
        self.assertTrue(p.alive(), p.output())
        self.assertIn("in-cluster service account", p.output())
        return p

    def run_notes(self, install_output):
        """The shell lines of NOTES.txt from `kubectl create namespace` to the in-cluster send-message."""
        lines = [l[2:] for l in install_output[install_output.index("NOTES:"):].splitlines() if l.startswith("  ")]
        first = lines.index("kubectl create namespace shop")
        last = next(i for i, l in enumerate(lines) if l.startswith("aws --endpoint-url " + ENDPOINT))
        script = "\n".join(l for l in lines[first:last + 1])
        home = os.path.join(self.workdir, "home")
        os.makedirs(home, exist_ok=True)
        env = dict(os.environ, PATH=chart.TOOLS + os.pathsep + os.environ["PATH"], KUBECONFIG=self.api.kubeconfig,
                   HOME=home, **harness.CREDENTIALS_ENV)
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, env=env,
                           timeout=60)
        self.assertEqual(r.returncode, 0, f"NOTES.txt commands failed:\n{script}\n{r.stdout}{r.stderr}")
        self.assertIn("MessageId", r.stdout)

    def wait_ready(self, kind, names, ns="shop", timeout=40):
        self.kubectl("wait", "--for=condition=Ready", *[f"{kind}/{n}" for n in names], "-n", ns,
                     f"--timeout={timeout}s", timeout=timeout + 10)

    def replicas(self, kind, name):
        return self.get(kind, name, "-n", "shop")["spec"].get("replicas")

    # -- the tests -------------------------------------------------------------
    def test_1_template_kubectl_apply_and_a_refused_install(self):
        ns = "applied-system"
        self.kubectl("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Namespace",
                                                           "metadata": {"name": ns}}))
        rendered = chart.helm("template", "applied", chart.CHART, "-n", ns).stdout
        for _ in range(2):  # create, then an update of every object (strategic merge patches)
            out = self.kubectl("apply", "-f", "-", input=rendered).stdout
        self.assertIn("deployment.apps/applied-sluice-operator unchanged", out)
        self.assertEqual(self.get("statefulset", "applied-sluice-runtime", "-n", ns)["status"]["readyReplicas"], 1)
        self.kubectl("delete", "-f", "-", "--wait=false", input=rendered)

        r = self.helm("install", "bad", chart.CHART, "-n", "bad-system", "--create-namespace",
                      "--set", "operator.replicas=two", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("operator.replicas: Invalid type. Expected: integer, given: string", r.stderr)
        self.assertEqual(self.kubectl("get", "secrets,deployments", "-n", "bad-system", "-o", "name").stdout, "")

    def test_2_install_operate_upgrade_uninstall(self):
        requests = []  # (phase, requests of the operator's service account)

        # -- install: CRDs from crds/, and the release ------------------------------------------
        out = self.helm("install", RELEASE, chart.CHART, "-n", NS, "--create-namespace", "--wait",
                        "--timeout", "60s").stdout
        self.assertIn(ENDPOINT, out, "NOTES.txt prints the AWS endpoint")
        self.assertIn("aws --endpoint-url " + ENDPOINT + " sqs send-message", out)
        self.assertIn("kubectl apply -f -", out)
        for crd in ("queues.sluice.io", "topics.sluice.io", "subscriptions.sluice.io", "streams.sluice.io",
                    "workerautoscalers.sluice.io"):
            self.kubectl("get", "crd", crd)
        docs = self.manifest()

        # -- the runtime pod and the operator, as the chart runs them -------------------------
        data0 = os.path.join(self.workdir, "pvc-data-sluice-runtime-0")
        os.makedirs(data0)
        runtime0 = self.start_runtime(docs, "sluice-runtime-0", data0)
        self.set_endpoints(docs, ["sluice-runtime-0"])
        with open(self.api.kubeconfig) as f:
            ca = base64.b64decode(json.load(f)["clusters"][0]["cluster"]["certificate-authority-data"]).decode()
        sandbox.write_service_account(SA_TOKEN, ca, NS)
        leader = self.start_operator(docs, "operator-a")
        wait_for(lambda: "leading" in leader.output(), 15, "operator-a to lead")
        standby = self.start_operator(docs, "operator-b", metrics_port=8081)
        wait_for(lambda: "waiting for the lease" in standby.output(), 10, "operator-b to wait")
        wait_for(lambda: http("http://127.0.0.1:8080/readyz") == 200, 10, "the leader's /readyz")
        # A standby replica is Ready too, or a rolling update of the chart's Deployment would stall.
        self.assertEqual(http("http://127.0.0.1:8081/healthz"), 200)
        self.assertEqual(http("http://127.0.0.1:8081/readyz"), 200)

        # -- NOTES.txt's first queue, its commands run as printed (kubectl, then the AWS CLI) -------
        self.run_notes(out)
        client = sqs(ENDPOINT)
        url = self.get("queue", "orders", "-n", "shop")["status"]["queueUrl"]
        self.assertEqual([m["Body"] for m in client.receive_message(QueueUrl=url)["Messages"]], ["hello"])

        # -- examples/: Queues Ready and served through the advertised endpoint -------------------
        self.kubectl("apply", "-f", chart.EXAMPLES)
        self.wait_ready("queue", ["orders", "orders-dlq", "ledger.fifo", "resize-jobs"])
        self.wait_ready("topic", ["order-events"])
        self.wait_ready("subscription", ["order-audit", "premium-orders", "us-fulfilment"])
        orders = self.get("queue", "orders", "-n", "shop")["status"]
        self.assertEqual(orders["placement"], {"runtime": "sluice-runtime-0", "endpoint": ENDPOINT})
        self.assertTrue(orders["queueUrl"].startswith(ENDPOINT + "/"), orders["queueUrl"])
        client.send_message(QueueUrl=orders["queueUrl"], MessageBody="hello from helm")
        got = client.receive_message(QueueUrl=orders["queueUrl"], WaitTimeSeconds=5)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["hello from helm"])
        client.delete_message(QueueUrl=orders["queueUrl"], ReceiptHandle=got[0]["ReceiptHandle"])
        # Through a port-forward the endpoint is localhost; the queue URL from status still works.
        sqs("http://127.0.0.1:4566").send_message(QueueUrl=orders["queueUrl"], MessageBody="via port-forward")

        # -- WorkerAutoscalers scale a Deployment and a StatefulSet --------------------------------
        workloads = [
            {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": "shop"},
             "spec": {"replicas": 0, "selector": {"matchLabels": {"app": name}},
                      **({"serviceName": name} if kind == "StatefulSet" else {}),
                      "template": {"metadata": {"labels": {"app": name}},
                                   "spec": {"containers": [{"name": "w", "image": "worker:1"}]}}}}
            for kind, name in (("Deployment", "resize-worker"), ("StatefulSet", "ledger-worker"))]
        ledger_wa = {"apiVersion": "sluice.io/v1alpha1", "kind": "WorkerAutoscaler",
                     "metadata": {"name": "ledger-workers", "namespace": "shop"},
                     "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "ledger-worker"},
                              "minReplicas": 1, "maxReplicas": 2, "behavior": {"pollingIntervalSeconds": 1},
                              "triggers": [{"queue": {"name": "ledger.fifo", "targetBacklogPerReplica": 10}}]}}
        self.kubectl("apply", "-f", "-", input="\n".join(json.dumps(o) for o in [*workloads, ledger_wa]))
        self.kubectl("patch", "workerautoscaler", "resize-workers", "-n", "shop", "--type=merge",
                     "-p", '{"spec":{"behavior":{"pollingIntervalSeconds":1}}}')
        resize_url = self.get("queue", "resize-jobs", "-n", "shop")["status"]["queueUrl"]
        for batch in range(25):  # 250 messages at 100 per replica: 3 replicas
            client.send_message_batch(QueueUrl=resize_url, Entries=[
                {"Id": str(i), "MessageBody": f"image {batch * 10 + i}"} for i in range(10)])
        wait_for(lambda: self.replicas("deployment", "resize-worker") == 3, 20, "resize-worker scaled to 3")
        wait_for(lambda: self.replicas("statefulset", "ledger-worker") == 1, 20, "ledger-worker scaled to 1")
        self.wait_ready("workerautoscaler", ["resize-workers", "ledger-workers"])
        wa = self.get("workerautoscaler", "resize-workers", "-n", "shop")["status"]
        self.assertEqual((wa["desiredReplicas"], wa["backlog"]), (3, 250))

        # -- /metrics has every series the dashboard plots ------------------------------------------
        dashboard = json.load(open(os.path.join(chart.CHART, "dashboards", "sluice.json")))
        wanted = {m for p in dashboard["panels"] for t in p["targets"]
                  for m in re.findall(r"\bsluice_[a-z_]+", t["expr"])}
        exported = harness.http_get("http://127.0.0.1:4567/metrics")[1] + harness.http_get(
            "http://127.0.0.1:8080/metrics")[1]
        for metric in sorted(wanted):
            self.assertRegex(exported, rf"(?m)^{metric}[{{ ]", f"{metric} is not on /metrics")

        # -- leader failover: SIGTERM releases the Lease, the standby takes over -------------------
        self.assertEqual(leader.stop(), 0)
        wait_for(lambda: "leading" in standby.output(), 10, "operator-b to take over")
        self.kubectl("patch", "queue", "orders", "-n", "shop", "--type=merge", "-p", '{"spec":{"delaySeconds":1}}')
        def reconciled(name):
            q = self.get("queue", name, "-n", "shop")
            return q["status"].get("observedGeneration") == q["metadata"]["generation"]
        wait_for(lambda: reconciled("orders"), 15, "the new leader to reconcile orders")
        self.assertEqual(standby.stop(), 0)
        requests.append(("install", docs, self.requests(clear=True)))

        # -- upgrade: two runtime pods, each advertising itself; one watched namespace -------------
        self.helm("upgrade", RELEASE, chart.CHART, "-n", NS, "--wait", "--timeout", "60s",
                  "--set", "runtime.replicas=2", "--set", "operator.watchNamespace=shop",
                  "--set", "operator.workers=2", "--set", "operator.statusRefreshSeconds=5")
        docs = self.manifest()
        self.assertEqual({d["kind"] for d in docs} & {"ClusterRole", "ClusterRoleBinding"}, set(),
                         "helm upgrade removed the ClusterRole")
        self.kubectl("get", "role", "sluice-operator", "-n", "shop")
        self.assertEqual(self.get("statefulset", "sluice-runtime", "-n", NS)["spec"]["replicas"], 2)
        # The rollout: runtime-0 restarts on its volume, runtime-1 starts on a new one.
        runtime0.stop()
        runtime0 = self.start_runtime(docs, "sluice-runtime-0", data0)
        data1 = os.path.join(self.workdir, "pvc-data-sluice-runtime-1")
        os.makedirs(data1)
        runtime1 = self.start_runtime(docs, "sluice-runtime-1", data1)
        self.set_endpoints(docs, ["sluice-runtime-0", "sluice-runtime-1"])
        operator = self.start_operator(docs, "operator-c")
        wait_for(lambda: "leading" in operator.output(), 20, "operator-c to lead")
        self.assertIn("watching: shop", operator.output())

        def placement(name):
            return self.get("queue", name, "-n", "shop").get("status", {}).get("placement", {})

        # orders was recovered from runtime-0's volume; it now advertises the pod's own address.
        pod0 = "http://sluice-runtime-0.sluice-runtime.sluice-system.svc:4566"
        wait_for(lambda: placement("orders").get("endpoint") == pod0, 20, "orders to report runtime-0's address")
        names = [f"spread-{i}" for i in range(8)]
        self.kubectl("apply", "-f", "-", input="\n".join(cluster.queue_yaml(n, "shop") for n in names))
        self.wait_ready("queue", names)
        hosts = {}
        for n in names:
            p = placement(n)
            self.assertEqual(p["endpoint"], f"http://{p['runtime']}.sluice-runtime.sluice-system.svc:4566")
            hosts.setdefault(p["runtime"], []).append(n)
            url = self.get("queue", n, "-n", "shop")["status"]["queueUrl"]
            c = sqs(p["endpoint"])
            c.send_message(QueueUrl=url, MessageBody=n)
            self.assertEqual(c.receive_message(QueueUrl=url)["Messages"][0]["Body"], n)
        self.assertEqual(set(hosts), {"sluice-runtime-0", "sluice-runtime-1"}, "queues are spread over both pods")
        # The other pod does not serve it: clients must use the placement endpoint.
        with self.assertRaises(Exception) as refused:
            sqs("http://sluice-runtime-1.sluice-runtime.sluice-system.svc:4566").get_queue_url(
                QueueName=hosts["sluice-runtime-0"][0])
        self.assertIn("NonExistentQueue", str(refused.exception))

        # -- deleting Queues: with the runtime up the queue goes; with it gone nothing is stuck ----
        self.kubectl("delete", "workerautoscalers", "--all", "-n", "shop", "--timeout=20s")
        self.kubectl("delete", "subscriptions,topics,streams", "--all", "-n", "shop", "--timeout=20s")
        self.assertEqual(http("http://127.0.0.1:4567/v1/namespaces/shop/topics/order-events"), 404)
        self.assertEqual(http("http://127.0.0.1:4567/v1/namespaces/shop/streams/clickstream"), 404)
        self.kubectl("delete", "queue", "orders", "-n", "shop", "--timeout=20s")
        self.assertEqual(http("http://127.0.0.1:4567/v1/namespaces/shop/queues/orders"), 404)
        runtime0.stop()
        runtime1.stop()
        self.set_endpoints(docs, [])  # the StatefulSet is gone: no endpoints
        self.kubectl("delete", "queues", "--all", "-n", "shop", "--timeout=30s")
        self.assertEqual(self.get("queues", "-A")["items"], [])
        self.assertEqual(operator.stop(), 0)
        requests.append(("upgrade", docs, self.requests(clear=True)))

        # -- uninstall: nothing of the release is left; the CRDs stay until removed by hand --------
        self.kubectl("delete", "endpoints", "sluice-runtime", "-n", NS)  # the endpoints controller's job
        self.helm("uninstall", RELEASE, "-n", NS, "--wait", "--timeout", "30s")
        left = self.kubectl("get", "all,serviceaccounts,roles,rolebindings,secrets,configmaps", "-n", NS,
                            "-o", "name").stdout.split()
        self.assertEqual([o for o in left if "sluice" in o], [])
        self.assertEqual([o for o in self.kubectl("get", "clusterroles,clusterrolebindings", "-o", "name").stdout.split()
                          if "sluice" in o], [])
        self.assertEqual(self.kubectl("get", "roles", "-n", "shop", "-o", "name").stdout, "")
        self.kubectl("get", "crd", "queues.sluice.io")  # kept, by design
        self.kubectl("delete", "-f", chart.CRDS, "--timeout=20s")
        self.kubectl("delete", "namespace", "shop", NS, "--timeout=20s")

        self.check_rbac(requests)

    def check_rbac(self, phases):
        with open(os.path.join(self.workdir, "operator-requests.json"), "w") as f:
            json.dump({phase: reqs for phase, _, reqs in phases}, f, indent=1)
        granted, used, denied = set(), set(), []
        for phase, docs, reqs in phases:
            grants = rbac.grants_for(docs, NS, SA)
            for g in grants:
                granted |= g.permissions()
            bad, ok = rbac.check(reqs, grants)
            used |= ok
            denied += [f"{phase}: {rbac.describe(r)}" for r in bad]
            print(f"rbac: {phase}: {len(reqs)} requests of {SA_USER}, {len(bad)} denied", file=sys.stderr)
        self.assertTrue(phases[0][2], "no requests recorded for the operator's service account")
        self.assertEqual(len(rbac.check(phases[0][2], [])[0]), len(phases[0][2]) - sum(
            1 for r in phases[0][2] if not r["resourceRequest"]), "with no grants every resource request is denied")
        counts = {}
        for _, _, reqs in phases:
            for r in reqs:
                if r["resourceRequest"]:
                    key = (r["verb"], r["apiGroup"], rbac.resource_of(r))
                    counts[key] = counts.get(key, 0) + 1
        for (verb, group, resource), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
            print(f"rbac: used {verb:6} {group or 'core'}/{resource}: {n}", file=sys.stderr)
        distinct = sorted({d: denied.count(d) for d in denied}.items())
        self.assertEqual(distinct, [], "requests the chart's RBAC does not allow:\n" +
                         "\n".join(f"{d}  (x{n})" for d, n in distinct))
        unused = granted - used
        for perm in sorted(unused & DELIBERATE_EXTRAS.keys()):
            print(f"rbac: warning: {perm} granted, not used in this run: {DELIBERATE_EXTRAS[perm]}", file=sys.stderr)
        self.assertEqual(sorted(unused - DELIBERATE_EXTRAS.keys()), [],
                         "granted but never used (remove, or list in DELIBERATE_EXTRAS with the reason)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
