#!/usr/bin/env python3
"""SNS through /usr/bin/aws (Debian's AWS CLI v2, query protocol) against the real
sidecar: standard and FIFO topics, fan-out into three SQS queues with attribute and
body filters read back with `aws sqs receive-message`, topic attributes, tags,
publish-batch partial failure, the error exit status and codes, unsubscribe and
delete-topic. The scenarios are test_sns_boto3.py's, as a shell user types them."""

import json
import os
import subprocess
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

CLI = "/usr/bin/aws"
ACCOUNT, REGION = harness.ACCOUNT, harness.REGION
SERVICE_ERROR = 254  # CLI v2's exit status when the service answered with an error


class SnsCliTest(harness.ServerTestCase):
    def setUp(self):
        if not os.access(CLI, os.X_OK):
            self.fail("AWS CLI not found (%s); scripts/setup.sh --test installs it" % CLI)

    def aws(self, service, *args):
        # --endpoint-url, not AWS_ENDPOINT_URL: CLI 2.9 predates it (see test_sqs_cli.py).
        cmd = [CLI, "--endpoint-url", self.server.endpoint, "--output", "json", service] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=harness.client_env(), timeout=60)
        return p.returncode, p.stdout, p.stderr

    def ok(self, service, *args):
        rc, out, err = self.aws(service, *args)
        self.assertEqual(rc, 0, "aws %s %s failed:\n%s" % (service, " ".join(args), err[-3000:]))
        return json.loads(out) if out.strip() else None

    def fails(self, service, *args):
        """The exit status and stderr of a call the service must refuse."""
        rc, out, err = self.aws(service, *args)
        self.assertEqual(rc, SERVICE_ERROR, "aws %s %s: exit %d, stdout %r, stderr %r"
                         % (service, " ".join(args), rc, out[:500], err[-1000:]))
        return err

    def each(self, fn, *arg_lists):
        """fn over the argument lists, side by side (each CLI call is ~0.6 s of start-up)."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(fn, *arg_lists))

    def queue(self, name):
        url = self.ok("sqs", "create-queue", "--queue-name", name)["QueueUrl"]
        # The documented ARN form (test_sqs_cli.py checks it): one CLI call less per queue.
        return url, "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, name)

    def topic(self, name, *args):
        return self.ok("sns", "create-topic", "--name", name, *args)["TopicArn"]

    def subscribe_queue(self, topic, queue_arn, attributes=None):
        args = ["subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", queue_arn,
                "--return-subscription-arn"]
        if attributes:
            args += ["--attributes", json.dumps(attributes)]
        return self.ok("sns", *args)["SubscriptionArn"]

    def receive(self, url, expect, timeout=10.0):
        """Everything the queue holds: receives until `expect` messages came, then once
        more to see that nothing else arrives. Received messages stay invisible."""
        got, deadline = [], time.monotonic() + timeout
        while len(got) < expect and time.monotonic() < deadline:
            got += self._receive_once(url, wait=2)
        return got + self._receive_once(url, wait=1)

    def _receive_once(self, url, wait):
        out = self.ok("sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                      "--visibility-timeout", "120", "--wait-time-seconds", str(wait),
                      "--message-attribute-names", "All", "--attribute-names", "All")
        return (out or {}).get("Messages", [])

    def publish(self, topic, message, attributes=None, *args):
        cmd = ["publish", "--topic-arn", topic, "--message", message]
        if attributes:
            cmd += ["--message-attributes", json.dumps(attributes)]
        return self.ok("sns", *(cmd + list(args)))

    # ---------------------------------------------------------------------------------
    def test_create_standard_and_fifo_topics(self):
        std = self.topic("cli-plain")
        self.assertEqual(std, "arn:aws:sns:%s:%s:cli-plain" % (REGION, ACCOUNT))
        self.assertEqual(self.topic("cli-plain"), std, "create-topic of an existing name returns its ARN")
        fifo = self.topic("cli-ledger.fifo", "--attributes", "FifoTopic=true,ContentBasedDeduplication=true")
        self.assertEqual(fifo, "arn:aws:sns:%s:%s:cli-ledger.fifo" % (REGION, ACCOUNT))

        a = self.ok("sns", "get-topic-attributes", "--topic-arn", fifo)["Attributes"]
        self.assertEqual((a["FifoTopic"], a["ContentBasedDeduplication"]), ("true", "true"))
        self.assertEqual(a["TopicArn"], fifo)

        first = self.publish(fifo, "entry-1", None, "--message-group-id", "g")
        second = self.publish(fifo, "entry-2", None, "--message-group-id", "g")
        self.assertLess(int(first["SequenceNumber"]), int(second["SequenceNumber"]))
        self.assertIn("(InvalidParameter)", self.fails("sns", "publish", "--topic-arn", fifo, "--message", "no group"))

    def test_fanout_with_filters(self):
        topic = self.topic("cli-orders")
        names = ("all", "premium", "us-body")
        queues = dict(zip(names, self.each(self.queue, ["cli-fan-" + n for n in names])))
        policies = {
            "all": None,
            "premium": {"FilterPolicy": json.dumps({"orderType": ["premium"]})},
            "us-body": {"FilterPolicy": json.dumps({"region": ["US"]}), "FilterPolicyScope": "MessageBody",
                        "RawMessageDelivery": "true"},
        }
        subs = dict(zip(names, self.each(lambda n: self.subscribe_queue(topic, queues[n][1], policies[n]), names)))
        for name, arn in subs.items():
            self.assertTrue(arn.startswith(topic + ":"), "%s: %s" % (name, arn))

        # Order 2 carries a region *attribute* of US while its body says EU: the body-scoped
        # filter must look at the body only.
        orders = [(1, "premium", "US"), (2, "standard", "EU"), (3, "standard", "US"), (4, "premium", "EU")]

        def publish(order):
            oid, kind, region = order
            attrs = {"orderType": {"DataType": "String", "StringValue": kind},
                     "quantity": {"DataType": "Number", "StringValue": str(oid * 10)}}
            if oid == 2:
                attrs["region"] = {"DataType": "String", "StringValue": "US"}
            return oid, self.publish(topic, json.dumps({"id": oid, "region": region}), attrs)["MessageId"]

        ids = dict(self.each(publish, orders))
        got = dict(zip(names, self.each(self.receive, [queues[n][0] for n in names], [4, 2, 2])))

        envelopes = [json.loads(m["Body"]) for m in got["all"]]
        self.assertEqual(sorted(json.loads(e["Message"])["id"] for e in envelopes), [1, 2, 3, 4])
        for e in envelopes:
            oid = json.loads(e["Message"])["id"]
            self.assertEqual((e["Type"], e["TopicArn"], e["MessageId"]), ("Notification", topic, ids[oid]))
            self.assertEqual(e["MessageAttributes"]["orderType"]["Type"], "String")
            self.assertEqual(e["MessageAttributes"]["quantity"], {"Type": "Number", "Value": str(oid * 10)})

        premium = [json.loads(m["Body"]) for m in got["premium"]]
        self.assertEqual(sorted(json.loads(e["Message"])["id"] for e in premium), [1, 4])
        self.assertTrue(all(e["MessageAttributes"]["orderType"]["Value"] == "premium" for e in premium))

        raw = got["us-body"]
        self.assertEqual(sorted(json.loads(m["Body"])["id"] for m in raw), [1, 3])
        for m in raw:  # raw delivery: the body as published, attributes as SQS attributes
            self.assertEqual(m["MessageAttributes"]["orderType"]["DataType"], "String")
            self.assertEqual(m["MessageAttributes"]["quantity"]["StringValue"],
                             str(json.loads(m["Body"])["id"] * 10))

        a = self.ok("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"]
        self.assertEqual((a["SubscriptionsConfirmed"], a["SubscriptionsPending"]), ("3", "0"))

        listed = self.ok("sns", "list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"]
        self.assertEqual(sorted((s["SubscriptionArn"], s["Protocol"], s["Endpoint"], s["TopicArn"], s["Owner"])
                                for s in listed),
                         sorted((subs[n], "sqs", queues[n][1], topic, ACCOUNT) for n in subs))
        attrs = self.ok("sns", "get-subscription-attributes", "--subscription-arn", subs["us-body"])["Attributes"]
        self.assertEqual(json.loads(attrs["FilterPolicy"]), {"region": ["US"]})
        self.assertEqual((attrs["FilterPolicyScope"], attrs["RawMessageDelivery"]), ("MessageBody", "true"))

    def test_topic_attributes_and_tags(self):
        topic = self.topic("cli-attrs")
        a = self.ok("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"]
        self.assertEqual((a["TopicArn"], a["Owner"], a["SubscriptionsConfirmed"]), (topic, ACCOUNT, "0"))
        self.assertIsNone(self.ok("sns", "set-topic-attributes", "--topic-arn", topic,
                                  "--attribute-name", "DisplayName", "--attribute-value", "Shop orders"))
        a = self.ok("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"]
        self.assertEqual(a["DisplayName"], "Shop orders")

        self.assertIsNone(self.ok("sns", "tag-resource", "--resource-arn", topic,
                                  "--tags", "Key=team,Value=shop", "Key=env,Value=test"))
        tags = self.ok("sns", "list-tags-for-resource", "--resource-arn", topic)["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("env", "test"), ("team", "shop")])

    def test_publish_batch_partial_failure(self):
        topic = self.topic("cli-batches")
        url, arn = self.queue("cli-batches")
        self.subscribe_queue(topic, arn, {"RawMessageDelivery": "true"})
        entries = [{"Id": "a", "Message": "ok"}, {"Id": "b", "Message": ""}, {"Id": "c", "Message": "ok too"}]
        out = self.ok("sns", "publish-batch", "--topic-arn", topic, "--publish-batch-request-entries",
                      json.dumps(entries))
        self.assertEqual(sorted(s["Id"] for s in out["Successful"]), ["a", "c"])
        self.assertTrue(all(s["MessageId"] for s in out["Successful"]))
        [failed] = out["Failed"]
        self.assertEqual(failed["Id"], "b")
        self.assertTrue(failed["SenderFault"])
        self.assertTrue(failed["Code"])
        self.assertEqual(sorted(m["Body"] for m in self.receive(url, 2)), ["ok", "ok too"])

        eleven = json.dumps([{"Id": str(i), "Message": "m"} for i in range(11)])
        err = self.fails("sns", "publish-batch", "--topic-arn", topic, "--publish-batch-request-entries", eleven)
        self.assertIn("(TooManyEntriesInBatchRequest)", err)

    def test_errors_exit_status_and_code(self):
        missing = "arn:aws:sns:%s:%s:cli-no-such-topic" % (REGION, ACCOUNT)
        err = self.fails("sns", "publish", "--topic-arn", missing, "--message", "m")
        self.assertIn("An error occurred (NotFound) when calling the Publish operation", err)
        err = self.fails("sns", "get-topic-attributes", "--topic-arn", missing)
        self.assertIn("(NotFound)", err)
        topic = self.topic("cli-errors")
        err = self.fails("sns", "subscribe", "--topic-arn", topic, "--protocol", "email",
                         "--notification-endpoint", "someone@example.com")
        self.assertIn("An error occurred (InvalidParameter) when calling the Subscribe operation", err)

    def test_unsubscribe_and_delete_topic(self):
        topic = self.topic("cli-short-lived")
        (keep_url, keep_arn), (gone_url, gone_arn) = self.each(self.queue, ["cli-keep", "cli-gone"])
        keep, gone = self.each(lambda arn: self.subscribe_queue(topic, arn, {"RawMessageDelivery": "true"}),
                               [keep_arn, gone_arn])
        self.assertIsNone(self.ok("sns", "unsubscribe", "--subscription-arn", gone))
        listed = self.ok("sns", "list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"]
        self.assertEqual([s["SubscriptionArn"] for s in listed], [keep])
        self.assertEqual(self.ok("sns", "get-topic-attributes", "--topic-arn", topic)
                         ["Attributes"]["SubscriptionsConfirmed"], "1")
        self.publish(topic, "after unsubscribe")
        kept, gone_got = self.each(self.receive, [keep_url, gone_url], [1, 0])
        self.assertEqual([m["Body"] for m in kept], ["after unsubscribe"])
        self.assertEqual(gone_got, [])

        self.assertIsNone(self.ok("sns", "delete-topic", "--topic-arn", topic))
        self.assertIn("(NotFound)", self.fails("sns", "get-topic-attributes", "--topic-arn", topic))
        arns = [t["TopicArn"] for t in self.ok("sns", "list-topics")["Topics"]]
        self.assertNotIn(topic, arns)


if __name__ == "__main__":
    print(harness.describe_runtime(), "| cli:", CLI, flush=True)
    unittest.main(verbosity=2)
