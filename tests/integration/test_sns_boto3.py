#!/usr/bin/env python3
"""SNS through boto3 against the real sidecar: fan-out into real queues,
filters, raw delivery, FIFO order, HTTP/S subscribers (confirmation, signature,
downtime, dead-letter queue) and kill -9 during fan-out.

CTest runs it with /usr/bin/python3 (Debian's boto3) and with the pip python3
(current boto3); SNS speaks the query protocol in both.
"""

import base64
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import harness  # noqa: E402

ACCOUNT, REGION = harness.ACCOUNT, harness.REGION


def clients(server):
    kw = dict(endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id="test",
              aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
    return boto3.client("sns", **kw), boto3.client("sqs", **kw)


def drain(sqs, url, expect, timeout=10.0):
    """Receives (and deletes) until `expect` messages came, or the timeout."""
    out, deadline = [], time.monotonic() + timeout
    while len(out) < expect and time.monotonic() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                MessageAttributeNames=["All"], AttributeNames=["All"])
        for m in r.get("Messages", []):
            out.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return out


def settle(sqs, url):
    """Nothing more arrives within a second."""
    return drain(sqs, url, 1, timeout=1.5)


class Receiver:
    """A small HTTP/S subscriber: records what SNS posts, confirms by visiting
    SubscribeURL, and can go down and come back on the same port."""

    def __init__(self):
        self.port = harness.free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.httpd = None
        self.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/sns" % self.port

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                with receiver.lock:
                    receiver.messages.append((dict((k.lower(), v) for k, v in self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if self.headers.get("x-amz-sns-message-type") == "SubscriptionConfirmation":
                    url = json.loads(body)["SubscribeURL"]
                    threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=5).read()).start()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def of_type(self, kind):
        with self.lock:
            return [(h, json.loads(b) if h.get("x-amz-sns-rawdelivery") != "true" else b)
                    for h, b in self.messages if h.get("x-amz-sns-message-type") == kind]

    def wait(self, kind, count, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.of_type(kind)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        return self.of_type(kind)


def canonical(m):
    if m["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join("%s\n%s\n" % (k, m[k]) for k in keys if k in m)


def verify_signature(m):
    """Checks the envelope's signature against the certificate at SigningCertURL with openssl."""
    with urllib.request.urlopen(m["SigningCertURL"], timeout=5) as r:
        pem = r.read()
    digest = "-sha1" if m["SignatureVersion"] == "1" else "-sha256"
    with tempfile.TemporaryDirectory() as d:
        cert, key, sig, data = (os.path.join(d, n) for n in ("cert.pem", "key.pem", "sig", "data"))
        open(cert, "wb").write(pem)
        open(sig, "wb").write(base64.b64decode(m["Signature"]))
        open(data, "w").write(canonical(m))
        pub = subprocess.run(["openssl", "x509", "-in", cert, "-pubkey", "-noout"], capture_output=True, check=True)
        open(key, "wb").write(pub.stdout)
        r = subprocess.run(["openssl", "dgst", digest, "-verify", key, "-signature", sig, data], capture_output=True)
        return r.returncode == 0


class SnsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.sns, cls.sqs = clients(cls.server)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.close()

    def queue(self, name, **attributes):
        url = self.sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def code(self, fn, **kw):
        with self.assertRaises(ClientError) as e:
            fn(**kw)
        return e.exception.response["Error"]["Code"]

    # -- the seed's fan-out ------------------------------------------------------------
    def test_fanout_with_filters(self):
        topic = self.sns.create_topic(Name="orders")["TopicArn"]
        self.assertEqual(topic, "arn:aws:sns:%s:%s:orders" % (REGION, ACCOUNT))
        queues = {n: self.queue("fan-" + n) for n in ("all", "premium", "us", "us-body")}
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["all"][1])
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["premium"][1],
                           Attributes={"FilterPolicy": json.dumps({"orderType": ["premium"]}),
                                       "RawMessageDelivery": "true"})
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["us"][1],
                           Attributes={"FilterPolicy": json.dumps({"region": ["US"]})})
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["us-body"][1],
                           Attributes={"FilterPolicy": json.dumps({"region": ["US"]}),
                                       "FilterPolicyScope": "MessageBody", "RawMessageDelivery": "true"})
        orders = [(1, "premium", "US"), (2, "standard", "EU"), (3, "standard", "US"), (4, "premium", "EU")]
        for oid, kind, region in orders:
            self.sns.publish(TopicArn=topic, Message=json.dumps({"id": oid, "region": region}),
                             MessageAttributes={"orderType": {"DataType": "String", "StringValue": kind},
                                                "region": {"DataType": "String", "StringValue": region}})

        def ids(name, expect, raw):
            got = drain(self.sqs, queues[name][0], expect)
            got += settle(self.sqs, queues[name][0])
            bodies = [json.loads(m["Body"]) for m in got]
            return sorted((b if raw else json.loads(b["Message"]))["id"] for b in bodies)

        self.assertEqual(ids("all", 4, False), [1, 2, 3, 4])
        self.assertEqual(ids("premium", 2, True), [1, 4])
        self.assertEqual(ids("us", 2, False), [1, 3])
        self.assertEqual(ids("us-body", 2, True), [1, 3])

    def test_envelope_and_raw_attributes(self):
        topic = self.sns.create_topic(Name="envelopes")["TopicArn"]
        url, arn = self.queue("envelopes")
        raw_url, raw_arn = self.queue("envelopes-raw")
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"})
        msg_id = self.sns.publish(TopicArn=topic, Message="hello", Subject="Greeting",
                                  MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"},
                                                     "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})["MessageId"]
        env = json.loads(drain(self.sqs, url, 1)[0]["Body"])
        self.assertEqual(env["Type"], "Notification")
        self.assertEqual(env["MessageId"], msg_id)
        self.assertEqual(env["Subject"], "Greeting")
        self.assertEqual(env["Message"], "hello")
        self.assertEqual(env["MessageAttributes"]["n"], {"Type": "Number", "Value": "7"})
        self.assertEqual(env["MessageAttributes"]["b"], {"Type": "Binary", "Value": "AAE="})
        self.assertTrue(verify_signature(env), "the envelope's signature verifies against SigningCertURL")
        raw = drain(self.sqs, raw_url, 1)[0]
        self.assertEqual(raw["Body"], "hello")
        self.assertEqual(raw["MessageAttributes"]["n"]["StringValue"], "7")
        self.assertEqual(raw["MessageAttributes"]["b"]["BinaryValue"], b"\x00\x01")

    def test_fifo_topic_keeps_order(self):
        topic = self.sns.create_topic(Name="ledger.fifo", Attributes={"FifoTopic": "true",
                                                                       "ContentBasedDeduplication": "true"})["TopicArn"]
        url, arn = self.queue("ledger.fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        seqs = []
        for i in range(30):
            r = self.sns.publish(TopicArn=topic, Message="entry-%d" % i, MessageGroupId="g%d" % (i % 3))
            seqs.append(r["SequenceNumber"])
        self.assertEqual(seqs, sorted(seqs))
        dup = self.sns.publish(TopicArn=topic, Message="entry-0", MessageGroupId="g0")
        self.assertEqual(dup["SequenceNumber"], seqs[0], "a duplicate within 5 minutes is the first message")
        got = drain(self.sqs, url, 30) + settle(self.sqs, url)
        by_group = {}
        for m in got:
            by_group.setdefault(m["Attributes"]["MessageGroupId"], []).append(int(m["Body"].split("-")[1]))
        self.assertEqual(by_group, {"g%d" % g: list(range(g, 30, 3)) for g in range(3)})
        self.assertEqual(self.code(self.sns.publish, TopicArn=topic, Message="x"), "InvalidParameter")

    def test_http_subscriber_confirms_verifies_and_survives_downtime(self):
        topic = self.sns.create_topic(Name="webhooks", Attributes={"SignatureVersion": "2"})["TopicArn"]
        receiver = Receiver()
        try:
            policy = {"healthyRetryPolicy": {"numRetries": 20, "minDelayTarget": 1, "maxDelayTarget": 1}}
            r = self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url,
                                   Attributes={"DeliveryPolicy": json.dumps(policy)})
            self.assertEqual(r["SubscriptionArn"], "pending confirmation")
            confirmation = receiver.wait("SubscriptionConfirmation", 1)[0][1]
            self.assertTrue(verify_signature(confirmation))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                subs = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
                if subs and subs[0]["SubscriptionArn"].startswith("arn:"):
                    break
                time.sleep(0.05)
            arn = subs[0]["SubscriptionArn"]
            self.assertTrue(arn.startswith(topic + ":"), subs)
            self.sns.publish(TopicArn=topic, Message="one")
            headers, first = receiver.wait("Notification", 1)[0]
            self.assertEqual(first["Message"], "one")
            self.assertEqual(headers["x-amz-sns-subscription-arn"], arn)
            self.assertEqual(headers["x-amz-sns-topic-arn"], topic)
            self.assertEqual(first["SignatureVersion"], "2")
            self.assertTrue(verify_signature(first))
            receiver.stop()  # down: deliveries fail and are retried every second
            for m in ("two", "three"):
                self.sns.publish(TopicArn=topic, Message=m)
            time.sleep(1.5)
            receiver.start()  # back on the same port
            got = {n["Message"] for _, n in receiver.wait("Notification", 3)}
            self.assertEqual(got, {"one", "two", "three"})
            attrs = self.sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
            self.assertEqual(attrs["PendingConfirmation"], "false")
            self.assertEqual(json.loads(attrs["EffectiveDeliveryPolicy"])["healthyRetryPolicy"]["numRetries"], 20)
        finally:
            receiver.stop()

    def test_unreachable_endpoint_goes_to_the_dead_letter_queue(self):
        topic = self.sns.create_topic(Name="doomed")["TopicArn"]
        dlq_url, dlq_arn = self.queue("doomed-dlq")
        receiver = Receiver()
        policy = {"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1}}
        self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url,
                           Attributes={"DeliveryPolicy": json.dumps(policy),
                                       "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})})
        receiver.wait("SubscriptionConfirmation", 1)
        time.sleep(0.5)
        receiver.stop()
        self.sns.publish(TopicArn=topic, Message="never delivered")
        got = drain(self.sqs, dlq_url, 1, timeout=15)
        self.assertEqual(len(got), 1)
        self.assertEqual(json.loads(got[0]["Body"])["Message"], "never delivered")
        self.assertIn("ErrorCode", got[0]["MessageAttributes"])

    def test_publish_batch_and_errors(self):
        topic = self.sns.create_topic(Name="batches")["TopicArn"]
        r = self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "ok"}, {"Id": "b", "Message": ""}, {"Id": "c", "Message": "ok too"}])
        self.assertEqual(sorted(s["Id"] for s in r["Successful"]), ["a", "c"])
        self.assertEqual([f["Id"] for f in r["Failed"]], ["b"])
        self.assertTrue(r["Failed"][0]["SenderFault"])
        self.assertEqual(self.code(self.sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": str(i), "Message": "m"} for i in range(11)]), "TooManyEntriesInBatchRequest")
        self.assertEqual(self.code(self.sns.publish, TopicArn=topic + "-missing", Message="m"), "NotFound")
        self.assertEqual(self.code(self.sns.publish, TopicArn=topic, Message="x" * (256 * 1024 + 1)),
                         "InvalidParameter")
        self.assertEqual(self.code(self.sns.subscribe, TopicArn=topic, Protocol="email", Endpoint="a@b.c"),
                         "InvalidParameter")
        _, arn = self.queue("batches")
        self.assertEqual(self.code(self.sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=arn,
                                   Attributes={"FilterPolicy": '{"a": "not-a-list"}'}), "InvalidParameter")

    def test_list_topics_pages(self):
        for i in range(120):
            self.sns.create_topic(Name="page-%03d" % i)
        names, token = [], None
        while True:
            r = self.sns.list_topics(**({"NextToken": token} if token else {}))
            names += [t["TopicArn"].rsplit(":", 1)[1] for t in r["Topics"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual([n for n in names if n.startswith("page-")], ["page-%03d" % i for i in range(120)])


class CrashTest(unittest.TestCase):
    """kill -9 during fan-out loses nothing that Publish acknowledged."""

    def test_kill9_during_fanout(self):
        server = harness.Server().start()
        try:
            sns, sqs = clients(server)
            topic = sns.create_topic(Name="crash")["TopicArn"]
            urls = []
            for i in range(3):
                url = sqs.create_queue(QueueName="crash-%d" % i)["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
                urls.append(url)
            acked = set()
            for i in range(0, 300, 10):
                r = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                    {"Id": str(j), "Message": "m-%d" % (i + j)} for j in range(10)])
                acked |= {"m-%d" % (i + int(s["Id"])) for s in r["Successful"]}
            server.kill9()
            server.restart()
            sns, sqs = clients(server)
            for url in urls:
                # At-least-once: deliveries in flight at the kill come again, so count distinct bodies.
                got, deadline = set(), time.monotonic() + 20
                while not acked <= got and time.monotonic() < deadline:
                    got |= {m["Body"] for m in drain(sqs, url, 10, timeout=2)}
                self.assertEqual(acked - got, set(), "acknowledged messages lost in " + url)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
