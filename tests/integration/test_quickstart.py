#!/usr/bin/env python3
"""The README's first command, `scripts/run.sh`, as a new user runs it: it checks the
packages, builds the sidecar into build/ and serves examples/, printing what it
loaded; the AWS API answers on the queues it printed; SIGTERM stops it with exit 0.

Runs only when this test belongs to the repository's own build/ (the directory
run.sh builds), so that a build elsewhere never starts a second build here."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

BUILD_DIR = os.environ.get("SLUICE_BUILD_DIR", "")


@unittest.skipUnless(os.path.realpath(BUILD_DIR) == os.path.realpath(os.path.join(harness.REPO, "build")),
                     f"this build ({BUILD_DIR or 'unknown'}) is not the repository's build/, which run.sh uses")
class QuickStartTest(unittest.TestCase):
    def test_run_script_serves_the_examples(self):
        data = tempfile.mkdtemp(prefix="sluice-quickstart-")
        self.addCleanup(shutil.rmtree, data, True)
        port, admin = harness.free_port(), harness.free_port()
        log = open(os.path.join(data, "run.log"), "w+")
        proc = subprocess.Popen([os.path.join(harness.REPO, "scripts", "run.sh"), "--port", str(port),
                                 "--admin-port", str(admin)],
                                cwd=harness.REPO, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, SLUICE_DATA_DIR=os.path.join(data, "data")))
        self.addCleanup(lambda: proc.poll() is None and proc.kill())

        def output():
            log.seek(0)
            return log.read()

        deadline = time.monotonic() + 240  # a build, if anything is out of date
        while harness.http_get(f"http://127.0.0.1:{admin}/readyz")[0] != 200:
            self.assertIsNone(proc.poll(), f"run.sh exited early:\n{output()}")
            self.assertLess(time.monotonic(), deadline, f"run.sh never became ready:\n{output()}")
            time.sleep(0.2)

        printed = output()
        self.assertIn("loaded 12 resources from examples/", printed)
        self.assertIn("Queue shop/resize-jobs -> ", printed)
        self.assertIn("Topic shop/order-events -> arn:aws:sns:us-east-1:000000000000:order-events", printed)
        self.assertIn("Subscription shop/premium-orders -> arn:aws:sns:", printed)
        self.assertIn("WorkerAutoscaler shop/resize-workers: skipped", printed)
        self.assertIn("Stream shop/clickstream -> arn:aws:kinesis:us-east-1:000000000000:stream/clickstream", printed)
        sqs = harness.boto3_client(f"http://127.0.0.1:{port}")
        url = sqs.get_queue_url(QueueName="Resize_Jobs")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="first job")
        got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["first job"])
        # The example's fan-out: a premium order published once reaches the premium queue.
        sns = harness.boto3_client(f"http://127.0.0.1:{port}", service="sns")
        sns.publish(TopicArn="arn:aws:sns:us-east-1:000000000000:order-events", Message='{"id": 1, "region": "EU"}',
                    MessageAttributes={"orderType": {"DataType": "String", "StringValue": "premium"}})
        premium = sqs.get_queue_url(QueueName="premium-orders")["QueueUrl"]
        got = sqs.receive_message(QueueUrl=premium, WaitTimeSeconds=5)["Messages"]
        self.assertEqual([m["Body"] for m in got], ['{"id": 1, "region": "EU"}'])

        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), 0, output())
        self.assertIn("sluice-sidecar: stopped", output())


if __name__ == "__main__":
    unittest.main(verbosity=2)
