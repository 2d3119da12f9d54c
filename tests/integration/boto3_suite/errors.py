"""Error codes and HTTP statuses that programs branch on, per operation."""

from boto3_suite.sqs_case import SqsCase

NON_EXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


class NonExistentQueueTest(SqsCase):
    def test_every_queue_operation_on_a_missing_queue(self):
        url = self.server.queue_url("never-created")
        calls = {
            "GetQueueUrl": (self.sqs.get_queue_url, {"QueueName": "never-created"}),
            "SendMessage": (self.sqs.send_message, {"QueueUrl": url, "MessageBody": "x"}),
            "SendMessageBatch": (self.sqs.send_message_batch,
                                 {"QueueUrl": url, "Entries": [{"Id": "a", "MessageBody": "x"}]}),
            "ReceiveMessage": (self.sqs.receive_message, {"QueueUrl": url}),
            "GetQueueAttributes": (self.sqs.get_queue_attributes, {"QueueUrl": url, "AttributeNames": ["All"]}),
            "SetQueueAttributes": (self.sqs.set_queue_attributes,
                                   {"QueueUrl": url, "Attributes": {"DelaySeconds": "1"}}),
            "PurgeQueue": (self.sqs.purge_queue, {"QueueUrl": url}),
            "DeleteQueue": (self.sqs.delete_queue, {"QueueUrl": url}),
            "ListQueueTags": (self.sqs.list_queue_tags, {"QueueUrl": url}),
            "TagQueue": (self.sqs.tag_queue, {"QueueUrl": url, "Tags": {"a": "b"}}),
            "ListDeadLetterSourceQueues": (self.sqs.list_dead_letter_source_queues, {"QueueUrl": url}),
        }
        for op, (call, kw) in calls.items():
            with self.subTest(operation=op):
                self.assertAwsError(NON_EXISTENT, call, shape="QueueDoesNotExist", **kw)


class ReceiptHandleTest(SqsCase):
    def test_invalid_receipt_handle(self):
        url = self.queue("rh")
        self.assertAwsError("ReceiptHandleIsInvalid", self.sqs.delete_message, QueueUrl=url,
                            ReceiptHandle="not-a-receipt-handle", shape="ReceiptHandleIsInvalid")
        self.assertAwsError("ReceiptHandleIsInvalid", self.sqs.change_message_visibility, QueueUrl=url,
                            ReceiptHandle="not-a-receipt-handle", VisibilityTimeout=5, shape="ReceiptHandleIsInvalid")


class ParameterRangeTest(SqsCase):
    def test_out_of_range_parameters(self):
        url = self.queue("ranges")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url, VisibilityTimeout=0)[0]["ReceiptHandle"]
        cases = [
            ("MaxNumberOfMessages=11", self.sqs.receive_message, {"QueueUrl": url, "MaxNumberOfMessages": 11}),
            ("MaxNumberOfMessages=0", self.sqs.receive_message, {"QueueUrl": url, "MaxNumberOfMessages": 0}),
            ("WaitTimeSeconds=21", self.sqs.receive_message, {"QueueUrl": url, "WaitTimeSeconds": 21}),
            ("receive VisibilityTimeout=43201", self.sqs.receive_message,
             {"QueueUrl": url, "VisibilityTimeout": 43201}),
            ("SendMessage DelaySeconds=901", self.sqs.send_message,
             {"QueueUrl": url, "MessageBody": "x", "DelaySeconds": 901}),
            ("SendMessage DelaySeconds=-1", self.sqs.send_message,
             {"QueueUrl": url, "MessageBody": "x", "DelaySeconds": -1}),
            ("ChangeMessageVisibility 43201", self.sqs.change_message_visibility,
             {"QueueUrl": url, "ReceiptHandle": handle, "VisibilityTimeout": 43201}),
        ]
        for what, call, kw in cases:
            with self.subTest(what):
                self.assertAwsError("InvalidParameterValue", call, **kw)
        # The boundaries themselves are fine.
        self.receive(url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=43200)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=0)
