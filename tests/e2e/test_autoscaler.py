#!/usr/bin/env python3
"""WorkerAutoscaler end to end: a test "node" runs as many real worker processes
as the Deployment asks for, consuming from the real sidecar; a producer floods
the queue; the operator scales the Deployment out, the queue drains, and the
Deployment goes back to zero. kubectl shows the autoscaler throughout."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import cluster
from cluster import harness, namespace_yaml, queue_yaml, wait_for

CRDS = os.path.join(cluster.REPO, "crds")
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")


class Node(threading.Thread):
    """Keeps the number of worker processes equal to the Deployment's spec.replicas."""

    def __init__(self, api, ns, deployment, endpoint, queue_url):
        super().__init__(daemon=True)
        self.api, self.ns, self.deployment = api, ns, deployment
        self.cmd = [sys.executable, WORKER, "--endpoint", endpoint, "--queue-url", queue_url]
        self.workers = []
        self.history = []  # (time, replicas) whenever it changed
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.is_set():
            r = self.api.kubectl("get", "deployment", self.deployment, "-n", self.ns, "-o",
                                 "jsonpath={.spec.replicas}", check=False)
            if r.returncode == 0 and r.stdout.strip().isdigit():
                want = int(r.stdout.strip())
                if not self.history or self.history[-1][1] != want:
                    self.history.append((time.time(), want))
                while len(self.workers) < want:
                    self.workers.append(subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                while len(self.workers) > want:
                    w = self.workers.pop()
                    w.send_signal(signal.SIGTERM)
                    w.wait()
            time.sleep(0.3)
        for w in self.workers:
            w.kill()
            w.wait()

    def running(self):
        return len(self.workers)


class AutoscalerTest(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
        self.api = cluster.ApiServer(self.workdir)
        self.api.kubectl("apply", "-f", CRDS)
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("media"))
        self.sidecar = harness.Server(extra_args=["--account-per-namespace"]).start()
        self.operator = cluster.Operator(self.workdir, self.api.kubeconfig, [self.sidecar.admin])
        self.node = None

    def tearDown(self):
        if self.node:
            self.node.stop_event.set()
            self.node.join(10)
        self.operator.stop()
        self.sidecar.kill9()
        self.api.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def autoscaler(self):
        return self.api.get_json("workerautoscaler", "workers", "-n", "media")

    def test_a_flood_scales_out_drains_and_returns_to_zero(self):
        deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": {"name": "workers", "namespace": "media"},
                      "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "workers"}},
                               "template": {"metadata": {"labels": {"app": "workers"}},
                                            "spec": {"containers": [{"name": "worker", "image": "busybox"}]}}}}
        self.api.kubectl("apply", "-f", "-", input=json.dumps(deployment))
        self.api.kubectl("apply", "-f", "-", input=queue_yaml("jobs", "media"))
        self.api.kubectl("wait", "--for=condition=Ready", "queue/jobs", "-n", "media", "--timeout=20s")
        url = self.api.get_json("queue", "jobs", "-n", "media")["status"]["queueUrl"]
        wa = {"apiVersion": "sluice.io/v1alpha1", "kind": "WorkerAutoscaler",
              "metadata": {"name": "workers", "namespace": "media"},
              "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "workers"},
                       "minReplicas": 0, "maxReplicas": 6,
                       "triggers": [{"queue": {"name": "jobs", "targetBacklogPerReplica": 50}}],
                       "behavior": {"pollingIntervalSeconds": 1,
                                    "scaleUp": {"podsPerPeriod": 4, "periodSeconds": 1},
                                    "scaleDown": {"stabilizationWindowSeconds": 3, "percentPerPeriod": 100,
                                                  "periodSeconds": 1},
                                    "scaleToZeroCooldownSeconds": 3}}}
        self.api.kubectl("apply", "-f", "-", input=json.dumps(wa))
        wait_for(lambda: any(c["type"] == "Ready" and c["status"] == "True"
                             for c in self.autoscaler().get("status", {}).get("conditions", [])),
                 10, "the autoscaler to poll")
        self.node = Node(self.api, "media", "workers", self.sidecar.endpoint, url)
        self.node.start()

        snapshots = []
        sqs = harness.boto3_client(self.sidecar.endpoint)
        self.api.testing("DELETE", "/testing/requests")
        flood_started = time.time()
        for b in range(150):  # 1,500 messages: 30 replicas' worth at 50 per replica
            sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"job {b}-{i}"}
                                                          for i in range(10)])
        flood_done = time.time()

        def drained():
            snapshots.append(self.api.kubectl("get", "workerautoscalers", "-n", "media", "--no-headers").stdout)
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            return attrs["ApproximateNumberOfMessages"] == "0" and attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
        wait_for(drained, 90, "the workers to drain the queue", interval=0.5)
        peak = max(r for _, r in self.node.history)
        self.assertGreaterEqual(peak, 4, f"scaled out only to {peak}: {self.node.history}")
        self.assertLessEqual(peak, 6)
        wait_for(lambda: self.node.history[-1][1] == 0, 30, "the Deployment to return to zero")

        # The first scale request came within one polling interval (+1 s) of the backlog passing the target.
        scales = [r for r in self.api.testing("GET", "/testing/requests")["items"]
                  if r["method"] == "PATCH" and r["subresource"] == "scale" and r["name"] == "workers"]
        self.assertTrue(scales, "no PATCH of deployments/workers/scale recorded")
        first = scales[0]["time"]
        # Request times are RFC 3339 UTC; the backlog passed 50 messages within the flood's first batches.
        import datetime
        t = datetime.datetime.strptime(first[:19], "%Y-%m-%dT%H:%M:%S").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        self.assertLessEqual(t - flood_started, 1 + 1 + 1, f"first scale at {first}, flood began {flood_started}")
        # kubectl showed the autoscaler working throughout: active with a backlog, then idle at zero.
        self.assertTrue(any(" True " in s and " 0 " not in s.split()[3:4] for s in snapshots), snapshots[:3])
        final = self.api.kubectl("get", "workerautoscalers", "-n", "media").stdout
        print("\n" + final + "node history:", [(round(at - flood_started, 1), r) for at, r in self.node.history],
              f"\nflood took {flood_done - flood_started:.1f} s")
        status = self.autoscaler()["status"]
        self.assertEqual(status["currentReplicas"], 0)
        self.assertIn("lastActiveTime", status)
        self.assertIn("lastScaleTime", status)
        events = self.api.kubectl("get", "events", "-n", "media", "--field-selector", "reason=Scaled").stdout
        self.assertIn("Scaled Deployment workers from 0 to", events)


if __name__ == "__main__":
    unittest.main(verbosity=2)
