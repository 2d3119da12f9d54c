"""Dead-letter queues (RedrivePolicy, ListDeadLetterSourceQueues) and message move
tasks (Start/List/CancelMessageMoveTask), including the move back to each
message's original source when no destination is given."""

import json
import time

from boto3_suite.sqs_case import SqsCase, models


class RedriveCase(SqsCase):
    def source_of(self, dlq, max_receive_count, tag="src"):
        policy = json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": max_receive_count})
        return self.queue(tag, RedrivePolicy=policy)

    def exhaust(self, src, dlq, n, timeout=5.0):
        """Receives from src with visibility 0 until n messages sit in the DLQ."""
        deadline = time.monotonic() + timeout
        while self.counts(dlq)[0] < n and time.monotonic() < deadline:
            self.receive(src, MaxNumberOfMessages=10, VisibilityTimeout=0)
        self.assertEqual(self.counts(dlq)[0], n, "messages in the dead-letter queue")


class DeadLetterTest(RedriveCase):
    def test_moved_after_max_receive_count(self):
        dlq = self.queue("dlq")
        src = self.source_of(dlq, 2)
        policy = json.loads(self.attrs(src, "RedrivePolicy")["RedrivePolicy"])
        self.assertEqual((policy["deadLetterTargetArn"], int(policy["maxReceiveCount"])), (self.arn(dlq), 2))

        sent = self.sqs.send_message(QueueUrl=src, MessageBody="doomed")
        for count in ("1", "2"):
            m = self.receive(src, VisibilityTimeout=0, **self.sys_attrs("ApproximateReceiveCount"))
            self.assertEqual([x["Attributes"]["ApproximateReceiveCount"] for x in m], [count])
        self.assertEqual(self.receive(src, VisibilityTimeout=0), [], "a third receive moves it instead")
        self.assertEqual(self.counts(src), (0, 0, 0))

        # The move may complete just after the receive that caused it: wait for it.
        dead = self.receive(dlq, VisibilityTimeout=0, WaitTimeSeconds=2)
        self.assertEqual([(m["MessageId"], m["Body"]) for m in dead], [(sent["MessageId"], "doomed")])
        if models("ReceiveMessage", "MessageSystemAttributeNames"):  # the newer model names this attribute
            again = self.receive(dlq, VisibilityTimeout=0, MessageSystemAttributeNames=["DeadLetterQueueSourceArn"])
            self.assertEqual([m["Attributes"] for m in again], [{"DeadLetterQueueSourceArn": self.arn(src)}])

    def test_list_dead_letter_source_queues(self):
        dlq = self.queue("dlqlist")
        sources = sorted([self.source_of(dlq, 3), self.source_of(dlq, 5)])
        self.queue("unrelated")
        self.assertEqual(sorted(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]), sources)
        page1 = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1)
        self.assertEqual(len(page1["queueUrls"]), 1)
        page2 = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1, NextToken=page1["NextToken"])
        self.assertEqual(sorted(page1["queueUrls"] + page2["queueUrls"]), sources)
        self.assertNotIn("NextToken", page2)
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=sources[0]).get("queueUrls", []), [])

    def test_redrive_policy_out_of_range(self):
        dlq = self.queue("dlqrange")
        for count in (0, 1001):
            with self.subTest(maxReceiveCount=count):
                policy = json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": count})
                self.assertAwsError("InvalidParameterValue", self.sqs.create_queue, QueueName=self.name("bad"),
                                    Attributes={"RedrivePolicy": policy})


class MoveTaskTest(RedriveCase):
    def wait_task(self, source_arn, statuses, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            results = self.move_task("ListMessageMoveTasks", SourceArn=source_arn, MaxResults=10)["Results"]
            if results and results[0]["Status"] in statuses or time.monotonic() > deadline:
                return results

    def test_move_back_to_original_sources(self):
        dlq = self.queue("mvdlq")
        s1, s2 = self.source_of(dlq, 1, "mvs1"), self.source_of(dlq, 1, "mvs2")
        self.sqs.send_message(QueueUrl=s1, MessageBody="from s1")
        self.sqs.send_message(QueueUrl=s2, MessageBody="from s2")
        self.exhaust(s1, dlq, 1)
        self.exhaust(s2, dlq, 2)

        dlq_arn = self.arn(dlq)
        handle = self.move_task("StartMessageMoveTask", SourceArn=dlq_arn)["TaskHandle"]
        self.assertTrue(handle)
        results = self.wait_task(dlq_arn, {"COMPLETED", "FAILED"})
        task = results[0]
        self.assertEqual((task["Status"], task["SourceArn"], int(task["ApproximateNumberOfMessagesMoved"])),
                         ("COMPLETED", dlq_arn, 2))
        self.assertFalse(task.get("DestinationArn"), "no destination was given")
        self.assertEqual([m["Body"] for m in self.receive_n(s1, 1)], ["from s1"])
        self.assertEqual([m["Body"] for m in self.receive_n(s2, 1)], ["from s2"])
        self.assertEqual(self.counts(dlq), (0, 0, 0))

    def test_move_to_explicit_destination(self):
        dlq = self.queue("mvdlq")
        src = self.source_of(dlq, 1)
        dest = self.queue("mvdest")
        self.sqs.send_message(QueueUrl=src, MessageBody="redriven")
        self.exhaust(src, dlq, 1)
        dlq_arn, dest_arn = self.arn(dlq), self.arn(dest)
        self.move_task("StartMessageMoveTask", SourceArn=dlq_arn, DestinationArn=dest_arn)
        task = self.wait_task(dlq_arn, {"COMPLETED", "FAILED"})[0]
        self.assertEqual((task["Status"], task.get("DestinationArn")), ("COMPLETED", dest_arn))
        self.assertEqual([m["Body"] for m in self.receive_n(dest, 1)], ["redriven"])
        self.assertEqual(self.counts(src), (0, 0, 0))

    def test_cancel_running_task(self):
        dlq = self.queue("mvcancel")
        src = self.source_of(dlq, 1)
        for i in range(5):
            self.sqs.send_message(QueueUrl=src, MessageBody="c%d" % i)
        self.exhaust(src, dlq, 5)
        dlq_arn = self.arn(dlq)
        handle = self.move_task("StartMessageMoveTask", SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
        running = self.move_task("ListMessageMoveTasks", SourceArn=dlq_arn)["Results"]
        self.assertEqual([(t["Status"], t.get("TaskHandle"), int(t["MaxNumberOfMessagesPerSecond"])) for t in running],
                         [("RUNNING", handle, 1)])
        moved = self.move_task("CancelMessageMoveTask", TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
        self.assertLess(int(moved), 5)
        task = self.wait_task(dlq_arn, {"CANCELLED"}, timeout=5)[0]
        self.assertEqual(task["Status"], "CANCELLED")
        time.sleep(1.2)
        self.assertGreaterEqual(self.counts(dlq)[0] + self.counts(dlq)[1], 3, "a cancelled task stops moving")
