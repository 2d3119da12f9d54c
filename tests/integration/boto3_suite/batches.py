"""SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch: ten entries,
partial failures (HTTP 200 with Failed entries) and the whole-request errors."""

from boto3_suite.sqs_case import SqsCase, md5_hex

MIB = 1024 * 1024


class BatchTest(SqsCase):
    def test_send_receive_delete_ten(self):
        url = self.queue("batch10")
        entries = [{"Id": "id-%d" % i, "MessageBody": "body %d" % i} for i in range(10)]
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=entries)
        self.assertEqual(r.get("Failed", []), [])
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), sorted(e["Id"] for e in entries))
        for e in r["Successful"]:
            self.assertEqual(e["MD5OfMessageBody"], md5_hex("body %s" % e["Id"][3:]))
            self.assertTrue(e["MessageId"])

        msgs = self.receive_n(url, 10)
        self.assertEqual(sorted(m["Body"] for m in msgs), sorted(e["MessageBody"] for e in entries))
        self.assertEqual({m["MessageId"] for m in msgs}, {e["MessageId"] for e in r["Successful"]})

        d = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        self.assertEqual(d.get("Failed", []), [])
        self.assertEqual(len(d["Successful"]), 10)
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_send_batch_partial_failure(self):
        url = self.queue("batchpart")
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "good", "MessageBody": "fine"},
            {"Id": "bad", "MessageBody": "nul \x00 inside"},
        ])
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual([e["Id"] for e in r["Successful"]], ["good"])
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in r["Failed"]],
                         [("bad", "InvalidMessageContents", True)])
        self.assertEqual([m["Body"] for m in self.receive_n(url, 1)], ["fine"])

    def test_delete_batch_partial_failure(self):
        url = self.queue("delpart")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url)[0]["ReceiptHandle"]
        r = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "ReceiptHandle": handle},
            {"Id": "bad", "ReceiptHandle": "garbage"},
        ])
        self.assertEqual([e["Id"] for e in r["Successful"]], ["ok"])
        self.assertEqual([(f["Id"], f["Code"], f["SenderFault"]) for f in r["Failed"]],
                         [("bad", "ReceiptHandleIsInvalid", True)])
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_batch_sum_of_exactly_one_mib_accepted(self):
        url = self.queue("batchmib")
        half = MIB // 2
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "a" * half}, {"Id": "b", "MessageBody": "b" * half}])
        self.assertEqual(len(r["Successful"]), 2)

    def test_batch_sum_over_one_mib_rejected(self):
        url = self.queue("batchlong")
        entries = [{"Id": "a", "MessageBody": "a" * (MIB // 2)}, {"Id": "b", "MessageBody": "b" * (MIB // 2 + 1)}]
        self.assertAwsError("AWS.SimpleQueueService.BatchRequestTooLong", self.sqs.send_message_batch,
                            QueueUrl=url, Entries=entries, shape="BatchRequestTooLong")
        self.assertEqual(self.counts(url), (0, 0, 0), "nothing of a refused batch is sent")


class BatchRequestErrorTest(SqsCase):
    """The errors that refuse a whole batch, for each of the three batch actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.url = cls.sqs.create_queue(QueueName="batch-errors")["QueueUrl"]

    def each_batch_action(self, make_entries):
        yield "send", self.sqs.send_message_batch, [dict(e, MessageBody="x") for e in make_entries()]
        yield "delete", self.sqs.delete_message_batch, [dict(e, ReceiptHandle="rh") for e in make_entries()]
        yield "visibility", self.sqs.change_message_visibility_batch, [
            dict(e, ReceiptHandle="rh", VisibilityTimeout=5) for e in make_entries()]

    def check_all(self, code, shape, make_entries):
        for action, call, entries in self.each_batch_action(make_entries):
            with self.subTest(action=action):
                self.assertAwsError(code, call, QueueUrl=self.url, Entries=entries, shape=shape)

    def test_eleven_entries(self):
        self.check_all("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequest",
                       lambda: [{"Id": "e%d" % i} for i in range(11)])

    def test_no_entries(self):
        self.check_all("AWS.SimpleQueueService.EmptyBatchRequest", "EmptyBatchRequest", lambda: [])

    def test_duplicate_ids(self):
        self.check_all("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinct",
                       lambda: [{"Id": "same"}, {"Id": "same"}])

    def test_invalid_entry_id(self):
        for bad in ["has space", "dot.not.allowed", "x" * 81]:
            with self.subTest(id=bad):
                self.check_all("AWS.SimpleQueueService.InvalidBatchEntryId", "InvalidBatchEntryId",
                               lambda: [{"Id": bad}])

    def test_longest_valid_entry_id(self):
        r = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[{"Id": "A-z_0" * 16, "MessageBody": "x"}])
        self.assertEqual([e["Id"] for e in r["Successful"]], ["A-z_0" * 16])
