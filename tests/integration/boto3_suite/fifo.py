"""FIFO queues: order per message group, deduplication, group blocking while in
flight, ReceiveRequestAttemptId, and the parameters FIFO requires or refuses."""

import time

from boto3_suite.sqs_case import SqsCase


class FifoTest(SqsCase):
    def send(self, url, body, group="g", dedup=None, **kw):
        kw = dict(kw, QueueUrl=url, MessageBody=body, MessageGroupId=group)
        if dedup is not None:
            kw["MessageDeduplicationId"] = dedup
        return self.sqs.send_message(**kw)

    def bodies(self, msgs):
        return [m["Body"] for m in msgs]

    def test_order_within_group_and_sequence_numbers(self):
        url = self.queue("order", fifo=True)
        seqs = [int(self.send(url, "m%d" % i, dedup="d%d" % i)["SequenceNumber"]) for i in range(5)]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), 5)
        msgs = self.receive(url, MaxNumberOfMessages=10, **self.sys_attrs("All"))
        self.assertEqual(self.bodies(msgs), ["m0", "m1", "m2", "m3", "m4"])
        a = msgs[0]["Attributes"]
        self.assertEqual((a["MessageGroupId"], a["MessageDeduplicationId"], int(a["SequenceNumber"])),
                         ("g", "d0", seqs[0]))

    def test_batch_keeps_order(self):
        url = self.queue("batchorder", fifo=True, ContentBasedDeduplication=True)
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "e%d" % i, "MessageBody": "b%d" % i, "MessageGroupId": "g"} for i in range(10)])
        self.assertEqual(len(r["Successful"]), 10)
        self.assertTrue(all(e.get("SequenceNumber") for e in r["Successful"]))
        got = []
        while len(got) < 10:
            msgs = self.receive(url, MaxNumberOfMessages=10)
            self.assertTrue(msgs, "received %d of 10" % len(got))
            got += msgs
            self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        self.assertEqual(self.bodies(got), ["b%d" % i for i in range(10)])

    def test_explicit_deduplication_id(self):
        url = self.queue("dedup", fifo=True)
        self.send(url, "first", dedup="same")
        self.send(url, "second", dedup="same")  # accepted, not delivered
        self.send(url, "other", dedup="different")
        self.assertEqual(self.bodies(self.receive(url, MaxNumberOfMessages=10)), ["first", "other"])

    def test_deduplication_outlives_delete(self):
        url = self.queue("dedupdel", fifo=True)
        self.send(url, "once", dedup="k")
        m = self.receive(url)[0]
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.send(url, "once", dedup="k")
        self.assertEqual(self.receive(url), [])

    def test_content_based_deduplication(self):
        url = self.queue("cbd", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "same body")
        self.send(url, "same body")
        self.send(url, "another body")
        self.send(url, "same body", dedup="explicit-wins")
        msgs = self.receive(url, MaxNumberOfMessages=10)
        self.assertEqual(self.bodies(msgs), ["same body", "another body", "same body"])

    def test_deduplication_id_required_without_content_based(self):
        url = self.queue("nodedup", fifo=True)
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="x",
                            MessageGroupId="g")

    def test_group_id_required(self):
        url = self.queue("nogroup", fifo=True, ContentBasedDeduplication=True)
        self.assertAwsError("MissingParameter", self.sqs.send_message, QueueUrl=url, MessageBody="x")

    def test_per_message_delay_refused(self):
        url = self.queue("fifodelay", fifo=True, ContentBasedDeduplication=True)
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="x",
                            MessageGroupId="g", DelaySeconds=1)

    def test_per_message_delay_of_zero_accepted(self):
        url = self.queue("fifodelay0", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "x", DelaySeconds=0)
        self.assertEqual(self.bodies(self.receive(url)), ["x"])

    def test_an_expired_handle_cannot_delete(self):
        url = self.queue("expired", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "e1")
        handle = self.receive(url, VisibilityTimeout=1)[0]["ReceiptHandle"]
        time.sleep(1.3)
        err = self.assertAwsError("InvalidParameterValue", self.sqs.delete_message, QueueUrl=url,
                                  ReceiptHandle=handle)
        self.assertIn("Reason: The receipt handle has expired.", err.response["Error"]["Message"])
        self.assertAwsError("InvalidParameterValue", self.sqs.change_message_visibility, QueueUrl=url,
                            ReceiptHandle=handle, VisibilityTimeout=30)
        self.assertEqual(self.bodies(self.receive(url)), ["e1"], "the message was not deleted")

    def test_purge_forgets_deduplication_ids(self):
        url = self.queue("purgededup", fifo=True)
        first = self.send(url, "p", dedup="same")["MessageId"]
        self.sqs.purge_queue(QueueUrl=url)
        self.assertNotEqual(self.send(url, "p", dedup="same")["MessageId"], first)
        self.assertEqual(self.bodies(self.receive(url)), ["p"])

    def test_group_blocked_while_in_flight(self):
        url = self.queue("blocked", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "a1", group="A")
        self.send(url, "a2", group="A")
        self.send(url, "b1", group="B")
        first = self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual(self.bodies(first), ["a1"])
        self.assertEqual(self.bodies(self.receive(url, MaxNumberOfMessages=10)), ["b1"],
                         "a2 must wait while a1 is in flight")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
        self.assertEqual(self.bodies(self.receive(url, MaxNumberOfMessages=10)), ["a2"])

    def test_expired_visibility_redelivers_head_of_group_first(self):
        url = self.queue("redeliver", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "h1")
        self.send(url, "h2")
        self.assertEqual(self.bodies(self.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=1)), ["h1"])
        time.sleep(1.3)
        self.assertEqual(self.bodies(self.receive(url, MaxNumberOfMessages=10)), ["h1", "h2"])

    def test_receive_request_attempt_id_returns_the_same_messages(self):
        url = self.queue("attempt", fifo=True, ContentBasedDeduplication=True)
        self.send(url, "r1")
        self.send(url, "r2")
        first = self.receive(url, MaxNumberOfMessages=1, ReceiveRequestAttemptId="attempt-1")
        retry = self.receive(url, MaxNumberOfMessages=1, ReceiveRequestAttemptId="attempt-1")
        self.assertEqual(self.bodies(first), ["r1"])
        self.assertEqual([(m["MessageId"], m["ReceiptHandle"]) for m in retry],
                         [(m["MessageId"], m["ReceiptHandle"]) for m in first])
        # A new attempt sees the group blocked by r1.
        self.assertEqual(self.receive(url, MaxNumberOfMessages=10, ReceiveRequestAttemptId="attempt-2"), [])

    def test_fifo_name_and_attribute_must_agree(self):
        self.assertAwsError("InvalidParameterValue", self.sqs.create_queue, QueueName=self.name("nosuffix"),
                            Attributes={"FifoQueue": "true"})
        url = self.queue("attrs", fifo=True, ContentBasedDeduplication=True)
        a = self.attrs(url)
        self.assertEqual((a["FifoQueue"], a["ContentBasedDeduplication"]), ("true", "true"))
