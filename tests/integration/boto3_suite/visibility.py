"""Visibility timeouts (expiry, per-receive override, ChangeMessageVisibility[Batch])
and long polling."""

import threading
import time

from botocore.exceptions import ClientError

from boto3_suite.sqs_case import SqsCase


class VisibilityTest(SqsCase):
    def test_message_returns_after_visibility_timeout(self):
        url = self.queue("vis", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        first = self.receive(url)[0]
        self.assertEqual(self.receive(url), [], "invisible while in flight")
        self.assertEqual(self.counts(url), (0, 1, 0))
        time.sleep(1.3)
        again = self.receive(url, **self.sys_attrs("ApproximateReceiveCount"))
        self.assertEqual([m["MessageId"] for m in again], [first["MessageId"]])
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_receive_visibility_timeout_overrides_queue(self):
        url = self.queue("visovr", VisibilityTimeout=30)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.assertEqual(len(self.receive(url, VisibilityTimeout=1)), 1)
        self.assertEqual(self.receive(url), [])
        time.sleep(1.3)
        self.assertEqual(len(self.receive(url)), 1)

    def test_change_visibility_extends_and_releases(self):
        url = self.queue("chvis", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url)[0]["ReceiptHandle"]
        # The new timeout counts from now: 3 s from here, not from the receive.
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=3)
        time.sleep(1.5)
        self.assertEqual(self.receive(url), [], "extended past the queue's 1 s")
        handle = None
        deadline = time.monotonic() + 4
        while not handle and time.monotonic() < deadline:
            got = self.receive(url, WaitTimeSeconds=1)
            handle = got[0]["ReceiptHandle"] if got else None
        self.assertTrue(handle, "visible again once the extension ran out")
        # Timeout 0 makes it visible at once.
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
        self.assertEqual(len(self.receive(url)), 1)

    def test_change_visibility_beyond_12_hours_from_receive_rejected(self):
        url = self.queue("chvismax")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url)[0]["ReceiptHandle"]
        self.assertAwsError("InvalidParameterValue", self.sqs.change_message_visibility, QueueUrl=url,
                            ReceiptHandle=handle, VisibilityTimeout=43201)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=43000)
        # The 12 hours count from the receive, so a second later 43,200 s is too long.
        time.sleep(1.1)
        self.assertAwsError("InvalidParameterValue", self.sqs.change_message_visibility, QueueUrl=url,
                            ReceiptHandle=handle, VisibilityTimeout=43200)

    def test_change_visibility_batch_with_partial_failure(self):
        url = self.queue("chvisb", VisibilityTimeout=30)
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
        msgs = self.receive_n(url, 3)
        self.assertEqual(len(msgs), 3)
        entries = [{"Id": "e%d" % i, "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                   for i, m in enumerate(msgs[:2])]
        entries.append({"Id": "bad", "ReceiptHandle": "not-a-receipt-handle", "VisibilityTimeout": 0})
        r = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=entries)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["e0", "e1"])
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in r["Failed"]],
                         [("bad", "ReceiptHandleIsInvalid", True)])
        released = self.receive_n(url, 2)
        self.assertEqual(sorted(m["Body"] for m in released), sorted(m["Body"] for m in msgs[:2]))

    def test_latest_handle_hides_a_message_visible_again(self):
        url = self.queue("visibleagain")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url, VisibilityTimeout=1)[0]["ReceiptHandle"]
        time.sleep(1.3)
        # Visible again and nobody received it since: its last handle still hides it.
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=10)
        self.assertEqual(self.receive(url), [], "the message is hidden again")
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
        self.assertEqual(len(self.receive(url)), 1)

    def test_an_earlier_handle_still_changes_visibility(self):
        url = self.queue("earlierhandle")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        first = self.receive(url, VisibilityTimeout=1)[0]["ReceiptHandle"]
        time.sleep(1.3)
        self.assertEqual(len(self.receive(url, VisibilityTimeout=1)), 1)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first, VisibilityTimeout=20)
        time.sleep(1.3)
        self.assertEqual(self.receive(url), [], "the earlier handle extended the visibility")


class LongPollingTest(SqsCase):
    def test_wait_returns_as_soon_as_a_message_arrives(self):
        url = self.queue("longpoll")
        out = {}

        def consumer():
            t = time.monotonic()
            out["msgs"] = self.receive(url, WaitTimeSeconds=10)
            out["done"] = time.monotonic()
            out["took"] = out["done"] - t

        thread = threading.Thread(target=consumer)
        thread.start()
        time.sleep(0.7)  # let the receive start waiting
        sent_at = time.monotonic()
        self.sqs.send_message(QueueUrl=url, MessageBody="wake up")
        thread.join(15)
        self.assertFalse(thread.is_alive())
        self.assertEqual([m["Body"] for m in out["msgs"]], ["wake up"])
        self.assertLess(out["done"] - sent_at, 1.0, "long poll returned %.2f s after the send" % (out["done"] - sent_at))

    def test_wait_returns_when_a_delayed_message_becomes_visible(self):
        url = self.queue("longdelay")
        self.sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=1)
        t = time.monotonic()
        self.assertEqual([m["Body"] for m in self.receive(url, WaitTimeSeconds=10)], ["delayed"])
        self.assertLess(time.monotonic() - t, 2.5, "returned %.2f s after the receive" % (time.monotonic() - t))

    def test_wait_returns_when_a_visibility_timeout_expires(self):
        url = self.queue("longvis")
        self.sqs.send_message(QueueUrl=url, MessageBody="again")
        self.receive(url, VisibilityTimeout=1)
        t = time.monotonic()
        self.assertEqual([m["Body"] for m in self.receive(url, WaitTimeSeconds=10)], ["again"])
        self.assertLess(time.monotonic() - t, 2.5, "returned %.2f s after the receive" % (time.monotonic() - t))

    def test_wait_on_empty_queue_lasts_the_wait_time(self):
        url = self.queue("longempty")
        t = time.monotonic()
        self.assertEqual(self.receive(url, WaitTimeSeconds=1), [])
        took = time.monotonic() - t
        self.assertGreater(took, 0.9)
        self.assertLess(took, 3.0)

    def test_queue_receive_wait_time_applies_when_request_omits_it(self):
        url = self.queue("longdefault", ReceiveMessageWaitTimeSeconds=1)
        t = time.monotonic()
        self.assertEqual(self.receive(url), [])
        self.assertGreater(time.monotonic() - t, 0.9)
        t = time.monotonic()
        self.assertEqual(self.receive(url, WaitTimeSeconds=0), [])
        self.assertLess(time.monotonic() - t, 0.8, "WaitTimeSeconds=0 overrides the queue default")
