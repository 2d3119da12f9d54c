#!/usr/bin/env python3
"""The operator as a process: leader election between two replicas, TLS to the
API server verified against the kubeconfig's CA, health and metrics."""

import json
import os
import shutil
import tempfile
import unittest
import urllib.request

import cluster
from cluster import harness, namespace_yaml, queue_yaml, wait_for

CRDS = os.path.join(cluster.REPO, "crds")


def ready(api, ns, name):
    obj = api.get_json("queue", name, "-n", ns)
    return any(c["type"] == "Ready" and c["status"] == "True" for c in obj.get("status", {}).get("conditions", []))


class LeaderElectionTest(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
        self.api = cluster.ApiServer(self.workdir)
        self.api.kubectl("apply", "-f", CRDS)
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("sluice-system"))
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("team"))
        self.sidecar = harness.Server(extra_args=["--account-per-namespace"]).start()
        args = ["--leader-elect", "--leader-election-namespace", "sluice-system"]
        self.a = cluster.Operator(self.workdir, self.api.kubeconfig, [self.sidecar.admin], args, name="op-a")
        wait_for(lambda: "leading" in self.a.process.output(), 10, "operator a to lead")
        self.b = cluster.Operator(self.workdir, self.api.kubeconfig, [self.sidecar.admin], args, name="op-b")

    def tearDown(self):
        self.a.stop()
        self.b.stop()
        self.sidecar.kill9()
        self.api.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def holder(self):
        lease = self.api.get_json("lease", "sluice-operator", "-n", "sluice-system")
        return lease["spec"].get("holderIdentity", "")

    def test_one_replica_leads_and_the_other_takes_over(self):
        self.assertTrue(self.holder())
        self.assertIn("waiting for the lease", self.b.process.output())
        self.assertNotIn("leading\n", self.b.process.output())
        self.api.kubectl("apply", "-f", "-", input=queue_yaml("q1", "team"))
        wait_for(lambda: ready(self.api, "team", "q1"), 15, "q1 Ready under leader a")
        # The leader steps down (and releases the lease); the standby takes over at once.
        first = self.holder()
        self.assertEqual(self.a.stop(), 0)
        wait_for(lambda: "leading" in self.b.process.output(), 15, "operator b to take over")
        self.assertNotEqual(self.holder(), first)
        self.api.kubectl("apply", "-f", "-", input=queue_yaml("q2", "team"))
        wait_for(lambda: ready(self.api, "team", "q2"), 15, "q2 Ready under leader b")

    def test_health_and_metrics(self):
        url = self.a.metrics_url()
        with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
            self.assertEqual(r.status, 200)
        self.api.kubectl("apply", "-f", "-", input=queue_yaml("q3", "team"))
        wait_for(lambda: ready(self.api, "team", "q3"), 15, "q3 Ready")
        with urllib.request.urlopen(url + "/metrics", timeout=5) as r:
            text = r.read().decode()
        self.assertIn('sluice_operator_reconcile_total{kind="Queue",result="success"}', text)
        self.assertIn("sluice_operator_reconcile_duration_seconds_bucket", text)
        self.assertIn('sluice_operator_workqueue_depth{kind="Queue"}', text)
        self.assertIn("sluice_operator_is_leader 1", text)


class TlsTest(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
        self.api = cluster.ApiServer(self.workdir, tls=True)
        self.api.kubectl("apply", "-f", CRDS)

    def tearDown(self):
        self.api.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def test_the_operator_verifies_the_api_server_certificate(self):
        sidecar = harness.Server().start()
        try:
            op = cluster.Operator(self.workdir, self.api.kubeconfig, [sidecar.admin])
            self.api.kubectl("apply", "-f", "-", input=namespace_yaml("tls"))
            self.api.kubectl("apply", "-f", "-", input=queue_yaml("secure", "tls"))
            wait_for(lambda: ready(self.api, "tls", "secure"), 15, "a queue Ready over TLS")
            op.stop()
        finally:
            sidecar.kill9()
        # The same server with a kubeconfig that trusts another CA: refused.
        import base64
        import subprocess
        key, cert = os.path.join(self.workdir, "other.key"), os.path.join(self.workdir, "other.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-subj", "/CN=another-ca", "-days", "1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        with open(self.api.kubeconfig) as f:
            config = json.load(f)
        with open(cert, "rb") as f:
            config["clusters"][0]["cluster"]["certificate-authority-data"] = base64.b64encode(f.read()).decode()
        other = os.path.join(self.workdir, "wrong-ca.kubeconfig")
        with open(other, "w") as f:
            json.dump(config, f)
        proc = cluster.Process([cluster.binary("SLUICE_OPERATOR", "operator/sluice-operator"), "--kubeconfig", other,
                                "--metrics-port", "0", "--runtime-url", "http://127.0.0.1:1"],
                               os.path.join(self.workdir, "wrong-ca.log"))
        rc = proc.proc.wait(timeout=20)
        self.assertNotEqual(rc, 0)
        self.assertIn("cannot reach the API server", proc.output())


if __name__ == "__main__":
    unittest.main(verbosity=2)
