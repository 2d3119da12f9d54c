#!/usr/bin/env python3
"""Queue resources end to end: real kubectl against the Kubernetes API test
server, the real operator, a real sidecar, and boto3 on the URL from status."""

import os
import shutil
import tempfile
import time
import unittest

import cluster
from cluster import harness, namespace_yaml, queue_yaml, wait_for

EXAMPLES = os.path.join(cluster.REPO, "examples")
CRDS = os.path.join(cluster.REPO, "crds")


def ready(api, ns, name):
    obj = api.get_json("queue", name, "-n", ns)
    for c in obj.get("status", {}).get("conditions", []):
        if c["type"] == "Ready":
            return c["status"] == "True" and c.get("observedGeneration") == obj["metadata"]["generation"]
    return False


def start_stack():
    """The API test server with the CRDs, a sidecar, and the operator pointed at both."""
    workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
    api = cluster.ApiServer(workdir)
    api.kubectl("apply", "-f", CRDS)
    sidecar = harness.Server(extra_args=["--account-per-namespace"]).start()
    operator = cluster.Operator(workdir, api.kubeconfig, [sidecar.admin], extra=["--unreachable-grace", "3"])
    return workdir, api, sidecar, operator


class QueueOperatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir, cls.api, cls.sidecar, cls.operator = start_stack()
        cls.sqs = harness.boto3_client(cls.sidecar.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.operator.stop()
        cls.sidecar.close() if hasattr(cls.sidecar, "close") else cls.sidecar.stop()
        cls.api.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def apply(self, text):
        return self.api.kubectl("apply", "-f", "-", input=text)

    def make_namespace(self, ns):
        self.apply(namespace_yaml(ns))

    def make_ready_queue(self, ns, name, spec=None):
        self.apply(queue_yaml(name, ns, spec))
        wait_for(lambda: ready(self.api, ns, name), 20, f"queue {ns}/{name} Ready")
        return self.api.get_json("queue", name, "-n", ns)

    # -------------------------------------------------------------------------------
    def test_examples_become_ready_and_serve_the_aws_api(self):
        self.make_namespace("shop")
        started = time.monotonic()
        self.api.kubectl("apply", "-f", EXAMPLES)
        self.api.kubectl("wait", "--for=condition=Ready", "queue", "--all", "-n", "shop", "--timeout=30s")
        # orders comes before its dead-letter queue in the file: it is refused first, and
        # must be retried as soon as orders-dlq is Ready, not after the 10 s retry.
        self.assertLess(time.monotonic() - started, 5)
        orders = self.api.get_json("queue", "orders", "-n", "shop")
        status = orders["status"]
        self.assertTrue(status["queueUrl"].endswith("/orders"))
        self.assertTrue(status["queueArn"].startswith("arn:aws:sqs:us-east-1:"))
        self.assertEqual(status["placement"]["runtime"], self.sidecar.admin)
        # The name Kubernetes cannot hold is the SQS name.
        self.assertEqual(self.api.get_json("queue", "resize-jobs", "-n", "shop")["status"]["queueName"],
                         "Resize_Jobs")
        # The URL from status works with an unmodified SDK.
        url = status["queueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="from e2e")
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"]
        self.assertEqual(got[0]["Body"], "from e2e")
        # The dead-letter wiring from the manifest is in place.
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]
        self.assertIn("orders-dlq", attrs["RedrivePolicy"])
        # kubectl get sluice shows state and depth (visible + in flight).
        def shows_depth():
            out = self.api.kubectl("get", "sluice", "-n", "shop").stdout
            # With several kinds in the category, names carry their kind: queue.sluice.io/orders.
            line = next((l for l in out.splitlines() if l.split()[:1] in (["orders"], ["queue.sluice.io/orders"])), "")
            return line.split()[1:4] == ["True", "0", "1"] and line
        wait_for(shows_depth, 10, "kubectl get sluice to show orders with one message in flight")

    def test_an_invalid_manifest_is_rejected_with_the_field_and_limit(self):
        self.make_namespace("e2e-invalid")
        r = self.api.kubectl("apply", "-f", "-", check=False,
                             input=queue_yaml("slow", "e2e-invalid", {"visibilityTimeout": 50000}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.visibilityTimeout", r.stderr)
        self.assertIn("43200", r.stderr)
        r = self.api.kubectl("apply", "-f", "-", check=False,
                             input=queue_yaml("typed", "e2e-invalid", {"delaySeconds": "5"}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.delaySeconds", r.stderr)
        r = self.api.kubectl("apply", "-f", "-", check=False,
                             input=queue_yaml("plain", "e2e-invalid", {"fifoQueue": True}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(".fifo", r.stderr)

    def test_a_spec_change_is_applied_in_place(self):
        self.make_namespace("e2e-update")
        obj = self.make_ready_queue("e2e-update", "jobs", {"visibilityTimeout": 30})
        url = obj["status"]["queueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="kept")
        self.api.kubectl("patch", "queue", "jobs", "-n", "e2e-update", "--type=merge",
                         "-p", '{"spec":{"visibilityTimeout":45}}')
        wait_for(lambda: ready(self.api, "e2e-update", "jobs"), 10, "the new generation to be Ready")
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "1")

    def test_delete_removes_the_queue_and_retain_keeps_it(self):
        self.make_namespace("e2e-delete")
        gone = self.make_ready_queue("e2e-delete", "gone")["status"]["queueUrl"]
        kept = self.make_ready_queue("e2e-delete", "kept", {"deletionPolicy": "Retain"})["status"]["queueUrl"]
        self.sqs.send_message(QueueUrl=kept, MessageBody="survives")
        self.api.kubectl("delete", "queue", "gone", "kept", "-n", "e2e-delete", "--timeout=20s")
        with self.assertRaises(Exception) as e:
            self.sqs.get_queue_attributes(QueueUrl=gone)
        self.assertIn("NonExistentQueue", str(e.exception))
        attrs = self.sqs.get_queue_attributes(QueueUrl=kept, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "1")
        self.assertEqual(self.api.kubectl("get", "queue", "-n", "e2e-delete", "-o", "name").stdout.strip(), "")

    def test_the_operator_restarted_mid_way_converges(self):
        self.make_namespace("e2e-restart")
        self.operator.stop()
        try:
            self.apply(queue_yaml("while-down", "e2e-restart"))
            time.sleep(1)
            self.assertFalse(ready(self.api, "e2e-restart", "while-down"))
        finally:
            self.operator.start()
        wait_for(lambda: ready(self.api, "e2e-restart", "while-down"), 20, "the queue created while the operator was down")

    def test_a_runtime_that_comes_back_empty_is_repopulated(self):
        self.make_namespace("e2e-repopulate")
        url = self.make_ready_queue("e2e-repopulate", "lost")["status"]["queueUrl"]
        self.sidecar.kill9()
        shutil.rmtree(self.sidecar.data_dir)
        os.makedirs(self.sidecar.data_dir)
        self.sidecar.restart()

        def exists():
            try:
                self.sqs.get_queue_attributes(QueueUrl=url)
                return True
            except Exception:
                return False
        wait_for(exists, 20, "the operator to recreate the queue on the restarted, empty runtime")

    def test_a_watch_that_gets_410_gone_recovers(self):
        self.make_namespace("e2e-gone")
        self.api.testing("DELETE", "/testing/requests")
        self.api.testing("POST", "/testing/compact")
        # The operator's next watch (at most --watch-timeout later) is answered 410 and must relist.
        def relisted():
            reqs = self.api.testing("GET", "/testing/requests")["items"]
            return any(r["verb"] == "list" and r["resource"] == "queues" for r in reqs)
        wait_for(relisted, 30, "the operator to relist after 410 Gone", interval=0.5)
        self.make_ready_queue("e2e-gone", "after-gone")


class RuntimeGoneTest(unittest.TestCase):
    """Deleting the runtime first must not leave Queues (and namespaces) stuck."""

    def setUp(self):
        self.workdir, self.api, self.sidecar, self.operator = start_stack()

    def tearDown(self):
        self.operator.stop()
        self.sidecar.kill9()
        self.api.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def test_namespace_deletion_completes_when_the_runtime_is_gone(self):
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("orphan"))
        self.api.kubectl("apply", "-f", "-", input=queue_yaml("q1", "orphan"))
        wait_for(lambda: ready(self.api, "orphan", "q1"), 20, "q1 Ready")
        self.sidecar.kill9()
        started = time.time()
        self.api.kubectl("delete", "namespace", "orphan", "--timeout=40s", timeout=60)
        self.assertLess(time.time() - started, 40)
        r = self.api.kubectl("get", "namespace", "orphan", check=False)
        self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
