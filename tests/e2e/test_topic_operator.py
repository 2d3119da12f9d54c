#!/usr/bin/env python3
"""Topics and Subscriptions end to end: the shop's fan-out (examples/) applied
with real kubectl against the Kubernetes API test server, reconciled by the real
operator into a real sidecar, then used with boto3 on the ARNs from status."""

import json
import os
import shutil
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

import cluster
from cluster import harness, namespace_yaml, wait_for

EXAMPLES = os.path.join(cluster.REPO, "examples")
CRDS = os.path.join(cluster.REPO, "crds")


def ready(api, kind, ns, name):
    obj = api.get_json(kind, name, "-n", ns)
    for c in obj.get("status", {}).get("conditions", []):
        if c["type"] == "Ready":
            return c["status"] == "True" and c.get("observedGeneration") == obj["metadata"]["generation"]
    return False


def client(service, endpoint):
    return boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test",
                                 region_name=harness.REGION).client(
        service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 0}))


def drain(sqs, url, expect, timeout=10.0):
    out, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in r.get("Messages", []):
            out.append(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if len(out) >= expect and not r.get("Messages"):
            break
    return out


class TopicOperatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
        cls.api = cluster.ApiServer(cls.workdir)
        cls.api.kubectl("apply", "-f", CRDS)
        cls.sidecar = harness.Server(extra_args=["--account-per-namespace"]).start()
        cls.operator = cluster.Operator(cls.workdir, cls.api.kubeconfig, [cls.sidecar.admin])
        cls.sns = client("sns", cls.sidecar.endpoint)
        cls.sqs = client("sqs", cls.sidecar.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.operator.stop()
        cls.sidecar.close()
        cls.api.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def queue_url(self, ns, name):
        return self.api.get_json("queue", name, "-n", ns)["status"]["queueUrl"]

    def test_the_shop_fanout(self):
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("shop"))
        self.api.kubectl("apply", "-f", os.path.join(EXAMPLES, "shop-queues.yaml"),
                         "-f", os.path.join(EXAMPLES, "shop-fanout.yaml"))
        for kind in ("queue", "topic", "subscription"):
            self.api.kubectl("wait", "--for=condition=Ready", kind, "--all", "-n", "shop", "--timeout=30s")
        topic = self.api.get_json("topic", "order-events", "-n", "shop")["status"]
        self.assertRegex(topic["topicArn"], r"^arn:aws:sns:us-east-1:\d{12}:order-events$")
        self.assertEqual(topic["subscriptionsConfirmed"], 3)
        sub = self.api.get_json("subscription", "premium-orders", "-n", "shop")["status"]
        self.assertTrue(sub["subscriptionArn"].startswith(topic["topicArn"] + ":"))
        self.assertEqual(sub["protocol"], "sqs")
        self.assertFalse(sub["pendingConfirmation"])
        listing = self.api.kubectl("get", "sluice", "-n", "shop").stdout
        self.assertIn("topic.sluice.io/order-events", listing)
        self.assertIn("subscription.sluice.io/premium-orders", listing)

        orders = [(1, "premium", "US"), (2, "standard", "EU"), (3, "standard", "US"), (4, "premium", "EU")]
        for oid, kind, region in orders:
            self.sns.publish(TopicArn=topic["topicArn"], Message=json.dumps({"id": oid, "region": region}),
                             MessageAttributes={"orderType": {"DataType": "String", "StringValue": kind}})
        audit = drain(self.sqs, self.queue_url("shop", "order-audit"), 4)
        self.assertEqual(sorted(json.loads(json.loads(b)["Message"])["id"] for b in audit), [1, 2, 3, 4])
        premium = drain(self.sqs, self.queue_url("shop", "premium-orders"), 2)
        self.assertEqual(sorted(json.loads(b)["id"] for b in premium), [1, 4])
        us = drain(self.sqs, self.queue_url("shop", "us-fulfilment"), 2)
        self.assertEqual(sorted(json.loads(b)["id"] for b in us), [1, 3])
        wait_for(lambda: self.api.get_json("subscription", "premium-orders", "-n", "shop")["status"]
                 .get("notificationsDelivered") == 2, 10, "delivered count in status")

        # A filter changed with kubectl applies to the same subscription.
        self.api.kubectl("patch", "subscription", "premium-orders", "-n", "shop", "--type=merge",
                         "-p", json.dumps({"spec": {"filterPolicy": {"orderType": ["standard"]}}}))
        wait_for(lambda: ready(self.api, "subscription", "shop", "premium-orders"), 10, "the new generation Ready")
        after = self.api.get_json("subscription", "premium-orders", "-n", "shop")["status"]
        self.assertEqual(after["subscriptionArn"], sub["subscriptionArn"])
        self.sns.publish(TopicArn=topic["topicArn"], Message=json.dumps({"id": 5, "region": "EU"}),
                         MessageAttributes={"orderType": {"DataType": "String", "StringValue": "standard"}})
        self.assertEqual([json.loads(b)["id"] for b in drain(self.sqs, self.queue_url("shop", "premium-orders"), 1)],
                         [5])

        # Deleting a Subscription unsubscribes; deleting the Topic removes it.
        self.api.kubectl("delete", "subscription", "premium-orders", "-n", "shop", "--timeout=20s")
        arns = [s["SubscriptionArn"] for s in
                self.sns.list_subscriptions_by_topic(TopicArn=topic["topicArn"])["Subscriptions"]]
        self.assertNotIn(sub["subscriptionArn"], arns)
        self.assertEqual(len(arns), 2)
        self.api.kubectl("delete", "subscription", "--all", "-n", "shop", "--timeout=20s")
        self.api.kubectl("delete", "topic", "order-events", "-n", "shop", "--timeout=20s")
        with self.assertRaises(Exception) as e:
            self.sns.get_topic_attributes(TopicArn=topic["topicArn"])
        self.assertIn("NotFound", str(e.exception))

    def test_an_invalid_subscription_is_rejected_by_the_api_server(self):
        self.api.kubectl("apply", "-f", "-", input=namespace_yaml("e2e-bad-sub"))
        bad = {"apiVersion": "sluice.io/v1alpha1", "kind": "Subscription",
               "metadata": {"name": "both", "namespace": "e2e-bad-sub"},
               "spec": {"topic": "t", "queue": "q", "url": "http://x"}}
        r = self.api.kubectl("apply", "-f", "-", input=json.dumps(bad), check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("exactly one of queue, queueArn and url", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
