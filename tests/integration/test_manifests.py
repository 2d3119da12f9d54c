#!/usr/bin/env python3
"""Standalone manifests: `--manifests DIR` serves the Queue resources described there
(attributes, tags, dead-letter wiring as the YAML says), and a bad manifest stops the
start with exit status 2 and a message naming the file and the field."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

try:
    import yaml  # python3-yaml / PyYAML, present with both AWS CLIs
except ImportError:  # pragma: no cover
    yaml = None

EXAMPLES = os.path.join(harness.REPO, "examples")

# spec fields that are queue attributes: the AWS name is the field with a capital first letter.
ATTRIBUTE_FIELDS = {
    "visibilityTimeout", "messageRetentionPeriod", "receiveMessageWaitTimeSeconds", "delaySeconds",
    "maximumMessageSize", "fifoQueue", "contentBasedDeduplication", "deduplicationScope",
    "fifoThroughputLimit", "kmsMasterKeyId", "kmsDataKeyReusePeriodSeconds", "sqsManagedSseEnabled",
}


def queue_docs(directory):
    """Every Queue document of every *.yaml/*.yml directly in directory."""
    docs = []
    for name in sorted(os.listdir(directory)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(directory, name)) as f:
                docs += [d for d in yaml.safe_load_all(f) if d and d.get("kind") == "Queue"]
    return docs


def queue_name(doc):
    return (doc.get("spec") or {}).get("queueName") or doc["metadata"]["name"]


def aws_value(v):
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


class ManifestCase(harness.ServerTestCase):
    manifests = None

    @classmethod
    def make_server(cls):
        return harness.Server(manifests=cls.manifests)

    @classmethod
    def setUpClass(cls):
        if harness.is_moto():
            raise unittest.SkipTest("moto has no manifests")
        if yaml is None:
            raise AssertionError("PyYAML is needed to read the manifests (python3-yaml)")
        super().setUpClass()
        cls.sqs = harness.boto3_client(cls.server.endpoint)

    def url(self, name):
        return self.sqs.get_queue_url(QueueName=name)["QueueUrl"]

    def arn(self, name):
        return self.sqs.get_queue_attributes(QueueUrl=self.url(name), AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def check_served_as_described(self, docs):
        listed = set(self.sqs.list_queues().get("QueueUrls", []))
        for doc in docs:
            name, spec = queue_name(doc), doc.get("spec") or {}
            with self.subTest(queue=name):
                url = self.url(name)
                self.assertIn(url, listed)
                attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
                for field, value in spec.items():
                    if field in ATTRIBUTE_FIELDS:
                        aws = field[0].upper() + field[1:]
                        self.assertEqual(attrs.get(aws), aws_value(value), "spec.%s" % field)
                if "redrivePolicy" in spec:
                    rp = spec["redrivePolicy"]
                    got = json.loads(attrs["RedrivePolicy"])
                    target = rp.get("deadLetterTargetArn") or self.arn(rp["deadLetterTargetQueue"])
                    self.assertEqual((got["deadLetterTargetArn"], int(got["maxReceiveCount"])),
                                     (target, int(rp["maxReceiveCount"])))
                if "redriveAllowPolicy" in spec:
                    rap = spec["redriveAllowPolicy"]
                    got = json.loads(attrs["RedriveAllowPolicy"])
                    sources = rap.get("sourceQueueArns") or [self.arn(q) for q in rap.get("sourceQueues", [])]
                    self.assertEqual((got["redrivePermission"], sorted(got.get("sourceQueueArns", []))),
                                     (rap["redrivePermission"], sorted(sources)))
                if "tags" in spec:
                    self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}),
                                     {k: str(v) for k, v in (spec["tags"] or {}).items()})

    def check_dead_letter_wiring(self, docs):
        for doc in docs:
            spec = doc.get("spec") or {}
            rp = spec.get("redrivePolicy")
            if not rp or "deadLetterTargetQueue" not in rp:
                continue
            src, dlq = self.url(queue_name(doc)), self.url(rp["deadLetterTargetQueue"])
            with self.subTest(source=src):
                self.assertIn(src, self.sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []))
                send = {"QueueUrl": src, "MessageBody": "dead-letter probe %s" % time.time()}
                if spec.get("fifoQueue"):
                    if spec.get("delaySeconds"):
                        continue  # FIFO messages cannot override the queue's delay
                    send.update(MessageGroupId="probe", MessageDeduplicationId=str(time.time()))
                else:
                    send["DelaySeconds"] = 0
                self.sqs.send_message(**send)
                for _ in range(int(rp["maxReceiveCount"])):
                    got = self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0, WaitTimeSeconds=2)
                    self.assertEqual([m["Body"] for m in got.get("Messages", [])], [send["MessageBody"]])
                self.assertEqual(self.sqs.receive_message(QueueUrl=src, WaitTimeSeconds=0).get("Messages", []), [])
                moved = self.sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=2).get("Messages", [])
                self.assertEqual([m["Body"] for m in moved], [send["MessageBody"]])


class ExamplesTest(ManifestCase):
    """The repository's examples/ directory, as the README starts the sidecar."""

    manifests = EXAMPLES

    def test_examples_are_served_as_described(self):
        docs = queue_docs(EXAMPLES)
        self.assertTrue(docs, "examples/ has no Queue manifests")
        self.check_served_as_described(docs)

    def test_examples_dead_letter_wiring(self):
        self.check_dead_letter_wiring(queue_docs(EXAMPLES))


GOOD = """\
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: orders-dlq, namespace: shop}
spec:
  messageRetentionPeriod: 1209600
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: orders, namespace: shop}
spec:
  visibilityTimeout: 45
  receiveMessageWaitTimeSeconds: 5
  delaySeconds: 2
  maximumMessageSize: 2048
  redrivePolicy: {deadLetterTargetQueue: orders-dlq, maxReceiveCount: 2}
  tags: {team: shop, tier: "1"}
---
"""

GOOD_FIFO = """\
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: payments, namespace: shop}
spec:
  queueName: Payments_Main.fifo
  fifoQueue: true
  contentBasedDeduplication: true
  redrivePolicy: {deadLetterTargetQueue: payments-dlq.fifo, maxReceiveCount: 1}
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: payments-dlq.fifo}
spec:
  fifoQueue: true
"""


class WrittenManifestsTest(ManifestCase):
    """A directory written here: multi-document files, .yml, queueName, FIFO, and a
    file that is not YAML by extension (ignored)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sluice-manifests-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, ignore_errors=True)
        for name, text in (("shop.yaml", GOOD), ("payments.yml", GOOD_FIFO), ("README.md", "not: [yaml")):
            with open(os.path.join(cls.dir, name), "w") as f:
                f.write(text)
        cls.manifests = cls.dir
        super().setUpClass()

    def test_served_as_described(self):
        docs = queue_docs(self.dir)
        self.assertEqual(sorted(queue_name(d) for d in docs),
                         ["Payments_Main.fifo", "orders", "orders-dlq", "payments-dlq.fifo"])
        self.check_served_as_described(docs)

    def test_dead_letter_wiring(self):
        self.check_dead_letter_wiring(queue_docs(self.dir))

    def test_messages_survive_restart_with_the_same_manifests(self):
        url = self.url("orders-dlq")
        self.sqs.send_message(QueueUrl=url, MessageBody="kept")
        self.server.stop()
        self.server.restart()
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["kept"])


HEADER = "apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata: {name: broken}\n"

BAD = {
    # case: (file text, *what the message must name besides the file)
    "wrong_type": (HEADER + "spec: {visibilityTimeout: thirty}\n", "spec.visibilityTimeout"),
    "out_of_range": (HEADER + "spec: {visibilityTimeout: 43201}\n", "spec.visibilityTimeout"),
    "unknown_field": (HEADER + "spec: {visibilityTimout: 30}\n", "spec.visibilityTimout"),
    "bad_max_receive_count": (
        "apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata: {name: dlq}\n---\n"
        + HEADER + "spec: {redrivePolicy: {deadLetterTargetQueue: dlq, maxReceiveCount: 0}}\n",
        "spec.redrivePolicy.maxReceiveCount"),
    "missing_dlq": (HEADER + "spec: {redrivePolicy: {deadLetterTargetQueue: nowhere, maxReceiveCount: 3}}\n",
                    "spec.redrivePolicy.deadLetterTargetQueue"),
    "unknown_kind": ("apiVersion: sluice.io/v1alpha1\nkind: Queu\nmetadata: {name: broken}\nspec: {}\n", "kind", "Queu"),
    "second_document_bad": ("apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata: {name: fine}\n---\n"
                            + HEADER + "spec: {delaySeconds: 901}\n", "spec.delaySeconds"),
    "invalid_yaml": (HEADER + "spec: {visibilityTimeout: [30\n",),
}


class BadManifestTest(unittest.TestCase):
    def setUp(self):
        if harness.is_moto():
            self.skipTest("moto has no manifests")

    def start_with(self, text):
        """Starts the sidecar on a directory holding one bad file; returns (status,
        stderr, whether it ever answered /readyz)."""
        d = tempfile.mkdtemp(prefix="sluice-bad-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, "bad-queue.yaml")
        with open(path, "w") as f:
            f.write(text)
        server = harness.Server(manifests=d)
        self.addCleanup(server.close)
        stderr_path = os.path.join(server.tmp, "stderr")
        with open(stderr_path, "wb") as err:
            proc = subprocess.Popen(server.command(), stdout=subprocess.DEVNULL, stderr=err,
                                    stdin=subprocess.DEVNULL, preexec_fn=harness._die_with_parent)
        served = False
        deadline = time.monotonic() + harness.READY_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            served |= harness.http_get(server.admin + "/readyz", timeout=0.5)[0] == 200
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            self.fail("the sidecar kept running with a bad manifest")
        with open(stderr_path, "rb") as f:
            return proc.returncode, f.read().decode("utf-8", "replace"), served, path

    def test_bad_manifests_stop_the_start(self):
        for case, (text, *names) in BAD.items():
            with self.subTest(case):
                status, stderr, served, path = self.start_with(text)
                self.assertEqual(status, 2, "exit status; stderr:\n" + stderr)
                self.assertFalse(served, "it answered /readyz before exiting")
                for name in [os.path.basename(path)] + names:
                    self.assertIn(name, stderr)


if __name__ == "__main__":
    print(harness.describe_runtime(), flush=True)
    unittest.main(verbosity=2)
