#!/usr/bin/env python3
"""The admin port: health, readiness and the CloudWatch-named Prometheus metrics
that dashboards and the autoscaler read; SIGTERM ends the sidecar with status 0."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from harness import ACCOUNT, http_get, metric  # noqa: E402

P = "sluice_sqs_"


class AdminTest(harness.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        if harness.is_moto():
            raise unittest.SkipTest("moto has no admin port")
        super().setUpClass()
        cls.sqs = harness.boto3_client(cls.server.endpoint)

    def test_health_and_readiness(self):
        for path in ("/healthz", "/readyz"):
            with self.subTest(path):
                self.assertEqual(http_get(self.server.admin + path)[0], 200)

    def wait_metrics(self, expected, timeout=5.0):
        """Polls /metrics until every (name, labels) -> value in expected holds."""
        deadline = time.monotonic() + timeout
        while True:
            samples = self.server.metrics()
            got = {k: metric(samples, k[0], **dict(k[1])) for k in expected}
            if got == expected or time.monotonic() > deadline:
                return got, samples

    def test_queue_metrics(self):
        url = self.sqs.create_queue(QueueName="metrics-q")["QueueUrl"]
        empty = self.sqs.create_queue(QueueName="metrics-empty")["QueueUrl"]
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=600)
        handle = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"][0]["ReceiptHandle"]
        self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)  # a second one stays in flight
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
        self.sqs.receive_message(QueueUrl=empty, WaitTimeSeconds=0)

        q = (("account", ACCOUNT), ("queue", "metrics-q"))
        e = (("account", ACCOUNT), ("queue", "metrics-empty"))
        expected = {
            (P + "approximate_number_of_messages_visible", q): 1.0,
            (P + "approximate_number_of_messages_not_visible", q): 1.0,
            (P + "approximate_number_of_messages_delayed", q): 1.0,
            (P + "number_of_messages_sent_total", q): 4.0,
            (P + "number_of_messages_received_total", q): 2.0,
            (P + "number_of_messages_deleted_total", q): 1.0,
            (P + "number_of_empty_receives_total", e): 1.0,
        }
        got, samples = self.wait_metrics(expected)
        names = sorted({n for n, _ in samples if n.startswith("sluice_")})
        self.assertEqual(got, expected, "metric names present: %s" % names)

    def test_request_counter(self):
        url = self.sqs.create_queue(QueueName="metrics-requests")["QueueUrl"]
        before = metric(self.server.metrics(), "sluice_requests_total", service="sqs", action="SendMessage") or 0
        for i in range(5):
            self.sqs.send_message(QueueUrl=url, MessageBody="r%d" % i)
        after = metric(self.server.metrics(), "sluice_requests_total", service="sqs", action="SendMessage")
        self.assertIsNotNone(after, "sluice_requests_total{service=\"sqs\",action=\"SendMessage\"} missing")
        self.assertEqual(after - before, 5)


class GracefulStopTest(unittest.TestCase):
    def setUp(self):
        if harness.is_moto():
            self.skipTest("moto's shutdown is not under test")
        self.server = harness.Server()
        self.addCleanup(self.server.close)
        self.server.start()

    def test_sigterm_releases_long_polls_and_exits_0(self):
        sqs = harness.boto3_client(self.server.endpoint)
        url = sqs.create_queue(QueueName="stopping")["QueueUrl"]
        out = {}

        def poll():
            try:
                out["messages"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
            except Exception as e:  # a closed connection is acceptable too; hanging is not
                out["error"] = e
            out["at"] = time.monotonic()

        thread = threading.Thread(target=poll)
        thread.start()
        time.sleep(0.5)
        stopped_at = time.monotonic()
        self.server.stop()  # asserts exit status 0
        self.assertLess(time.monotonic() - stopped_at, 5.0, "a 20 s long poll held up the shutdown")
        thread.join(5)
        self.assertFalse(thread.is_alive(), "the long-polling client was left hanging")
        self.assertEqual(out.get("messages", []), [])


if __name__ == "__main__":
    print(harness.describe_runtime(), flush=True)
    unittest.main(verbosity=2)
