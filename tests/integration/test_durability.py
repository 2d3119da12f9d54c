#!/usr/bin/env python3
"""Nothing acknowledged is lost across kill -9: producers and consumers run against
the sidecar, it is killed mid-traffic, restarted on the same data dir and drained.

At-least-once: every acknowledged send whose delete was not acknowledged comes back;
no acknowledged delete comes back; nothing that was never sent appears; FIFO groups
keep their order across the restart; acknowledged visibility changes survive."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

TRAFFIC_SECONDS = 3.0
PRODUCERS = 3
FIFO_GROUPS = 2


class Ledger:
    """What the clients know: attempted vs acknowledged sends and deletes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = set()
        self.sent = set()
        self.deleted = set()
        self.deleting = set()
        self.received = []
        self.errors = []

    def add(self, field, value):
        with self.lock:
            target = getattr(self, field)
            if isinstance(target, set):
                target.add(value)
            else:
                target.append(value)


class DurabilityTest(unittest.TestCase):
    def setUp(self):
        if harness.is_moto():
            self.skipTest("moto keeps nothing across a restart")
        self.server = harness.Server()
        self.addCleanup(self.server.close)
        self.server.start()
        self.stop = threading.Event()
        self.ledger = Ledger()

    def client(self):
        return harness.boto3_client(self.server.endpoint, connect_timeout=2, read_timeout=10)

    # -- traffic ---------------------------------------------------------------------
    def run_thread(self, fn, *args):
        def guarded():
            try:
                fn(*args)
            except Exception as e:  # the kill ends every thread with a connection error
                self.ledger.add("errors", "%s: %s" % (fn.__name__, e))
        t = threading.Thread(target=guarded, daemon=True)
        t.start()
        return t

    def producer(self, url, tag):
        sqs = self.client()
        i = 0
        while not self.stop.is_set():
            body = "%s-%06d" % (tag, i)
            self.ledger.add("attempted", body)
            sqs.send_message(QueueUrl=url, MessageBody=body)
            self.ledger.add("sent", body)
            i += 1

    def fifo_producer(self, url, group):
        sqs = self.client()
        i = 0
        while not self.stop.is_set():
            body = "%s-%06d" % (group, i)
            self.ledger.add("attempted", body)
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)
            self.ledger.add("sent", body)
            i += 1

    def consumer(self, url):
        sqs = self.client()
        while not self.stop.is_set():
            msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       VisibilityTimeout=2).get("Messages", [])
            for m in msgs:  # in order, so acknowledged FIFO deletes are a prefix per group
                self.ledger.add("received", m["Body"])
                self.ledger.add("deleting", m["Body"])  # may be applied even if never acknowledged
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                self.ledger.add("deleted", m["Body"])

    def drain(self, url, timeout=30.0):
        """Receives and deletes until the queue reports empty; returns bodies in order."""
        sqs = self.client()
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       VisibilityTimeout=30).get("Messages", [])
            for m in msgs:
                got.append(m["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            if not msgs:
                a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
                if all(a[k] == "0" for k in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                                             "ApproximateNumberOfMessagesDelayed")):
                    return got
        self.fail("queue %s not drained within %.0f s" % (url, timeout))

    # -- the test ----------------------------------------------------------------------
    def test_kill_9_mid_traffic_loses_nothing_acknowledged(self):
        sqs = self.client()
        std = sqs.create_queue(QueueName="durable", Attributes={"VisibilityTimeout": "2"})["QueueUrl"]
        fifo = sqs.create_queue(QueueName="durable.fifo", Attributes={"FifoQueue": "true",
                                                                     "VisibilityTimeout": "2"})["QueueUrl"]
        vis = sqs.create_queue(QueueName="durable-visibility")["QueueUrl"]
        hidden, shown = self.visibility_changes(sqs, vis)

        threads = [self.run_thread(self.producer, std, "p%d" % i) for i in range(PRODUCERS)]
        threads += [self.run_thread(self.fifo_producer, fifo, "g%d" % g) for g in range(FIFO_GROUPS)]
        threads += [self.run_thread(self.consumer, std), self.run_thread(self.consumer, fifo)]
        time.sleep(TRAFFIC_SECONDS)
        self.server.kill9()  # mid-traffic: every thread is inside a request or about to be
        self.stop.set()
        for t in threads:
            t.join(15)
            self.assertFalse(t.is_alive(), "a client thread hung after the kill")

        led = self.ledger
        self.assertGreater(len(led.sent), 50, "too little traffic to mean anything: %s" % led.errors[:3])
        self.assertGreater(len(led.deleted), 10, "consumers made no progress: %s" % led.errors[:3])

        self.server.restart()
        after = self.client()
        self.assertEqual(after.get_queue_attributes(QueueUrl=std, AttributeNames=["VisibilityTimeout"])["Attributes"],
                         {"VisibilityTimeout": "2"}, "queue attributes survive")
        self.check_visibility_changes(after, vis, hidden, shown)

        drained_std = self.drain(std)
        drained_fifo = self.drain(fifo)
        drained = drained_std + drained_fifo
        print("\n  acknowledged sends %d, acknowledged deletes %d, unacknowledged deletes %d, drained after restart"
              " %d, client errors %d" % (len(led.sent), len(led.deleted), len(led.deleting - led.deleted),
                                          len(drained), len(led.errors)), file=sys.stderr)
        self.assertEqual(len(drained), len(set(drained)), "duplicates while draining a restarted queue")
        missing = sorted(led.sent - led.deleting - set(drained))
        self.assertEqual(missing, [], "acknowledged sends lost (%d of %d)" % (len(missing), len(led.sent)))
        resurrected = sorted(led.deleted & set(drained))
        self.assertEqual(resurrected, [], "acknowledged deletes came back")
        phantom = sorted(set(drained) - led.attempted)
        self.assertEqual(phantom, [], "messages nobody sent")

        for g in range(FIFO_GROUPS):
            group = "g%d-" % g
            order = [b for b in drained_fifo if b.startswith(group)]
            self.assertEqual(order, sorted(order), "group %s out of order after restart" % group)
            done = [b for b in led.deleted if b.startswith(group)]
            if done and order:
                self.assertGreater(order[0], max(done), "group %s redelivered before a deleted message" % group)

    def visibility_changes(self, sqs, url):
        """Two in-flight messages whose visibility was changed (and acknowledged):
        one hidden for 10 minutes, one released at once."""
        for body in ("hidden", "shown"):
            sqs.send_message(QueueUrl=url, MessageBody=body)
        msgs = {m["Body"]: m for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                          VisibilityTimeout=300, WaitTimeSeconds=1)["Messages"]}
        if len(msgs) < 2:
            msgs.update({m["Body"]: m for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                                   VisibilityTimeout=300)["Messages"]})
        self.assertEqual(set(msgs), {"hidden", "shown"})
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msgs["hidden"]["ReceiptHandle"],
                                      VisibilityTimeout=600)
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msgs["shown"]["ReceiptHandle"],
                                      VisibilityTimeout=0)
        return msgs["hidden"], msgs["shown"]

    def check_visibility_changes(self, sqs, url, hidden, shown):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["shown"], "visibility 0 survived, visibility 600 survived")
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
        self.assertEqual(a["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "2")
        # The receipt handle from before the kill still works.
        sqs.delete_message(QueueUrl=url, ReceiptHandle=hidden["ReceiptHandle"])
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
        self.assertEqual(a["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "1")

    def test_deduplication_and_delays_survive_kill_9(self):
        sqs = self.client()
        fifo = sqs.create_queue(QueueName="dedup.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        std = sqs.create_queue(QueueName="delayed")["QueueUrl"]
        sqs.send_message(QueueUrl=fifo, MessageBody="once", MessageGroupId="g", MessageDeduplicationId="k")
        sqs.send_message(QueueUrl=std, MessageBody="later", DelaySeconds=3)
        sent_at = time.monotonic()
        self.server.kill9()
        self.server.restart()
        sqs = self.client()
        sqs.send_message(QueueUrl=fifo, MessageBody="once", MessageGroupId="g", MessageDeduplicationId="k")
        got = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["once"], "the deduplication id was forgotten")
        early = sqs.receive_message(QueueUrl=std).get("Messages", [])
        if time.monotonic() - sent_at < 2.5:  # only meaningful while the delay lasts
            self.assertEqual(early, [], "the delay was forgotten")
        got = sqs.receive_message(QueueUrl=std, WaitTimeSeconds=5).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["later"])

    def test_sigterm_then_restart_keeps_everything(self):
        sqs = self.client()
        url = sqs.create_queue(QueueName="graceful", Attributes={"DelaySeconds": "0"}, tags={"k": "v"})["QueueUrl"]
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "m%d" % i} for i in range(10)])
        self.server.stop()  # asserts exit status 0
        self.server.restart()
        sqs = self.client()
        self.assertEqual(sqs.list_queue_tags(QueueUrl=url)["Tags"], {"k": "v"})
        got = []
        deadline = time.monotonic() + 5
        while len(got) < 10 and time.monotonic() < deadline:
            got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual(sorted(m["Body"] for m in got), sorted("m%d" % i for i in range(10)))


if __name__ == "__main__":
    print(harness.describe_runtime(), flush=True)
    unittest.main(verbosity=2)
