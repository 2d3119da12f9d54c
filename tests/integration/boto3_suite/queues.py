"""Queue control plane: create/get/list/delete, attributes, tags, permissions, purge."""

import json
import time

from boto3_suite.sqs_case import SqsCase
from harness import ACCOUNT, REGION

DEFAULTS = {
    "VisibilityTimeout": "30",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
}


class QueueLifeTest(SqsCase):
    def test_url_and_get_queue_url(self):
        name = self.name("url")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.assertEqual(url, "%s/%s/%s" % (self.server.endpoint, ACCOUNT, name))
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)
        self.assertEqual(self.sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ACCOUNT)["QueueUrl"], url)

    def test_create_is_idempotent_with_same_attributes(self):
        name = self.name("idem")
        first = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "12"})["QueueUrl"]
        again = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "12"})["QueueUrl"]
        self.assertEqual(first, again)
        self.assertAwsError("QueueAlreadyExists", self.sqs.create_queue, QueueName=name,
                            Attributes={"VisibilityTimeout": "13"}, shape="QueueNameExists")
        self.assertEqual(self.attrs(first, "VisibilityTimeout"), {"VisibilityTimeout": "12"})

    def test_delete_queue(self):
        name = self.name("del")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.sqs.delete_queue(QueueUrl=url)
        self.assertAwsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.get_queue_url, QueueName=name,
                            shape="QueueDoesNotExist")
        self.assertAwsError("AWS.SimpleQueueService.NonExistentQueue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="x", shape="QueueDoesNotExist")
        self.assertNotIn(url, self.sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", []))
        # AWS: wait 60 s before creating a queue of the same name.
        self.assertAwsError("AWS.SimpleQueueService.QueueDeletedRecently", self.sqs.create_queue, QueueName=name,
                            shape="QueueDeletedRecently")

    def test_queue_names(self):
        longest = "n" * 80
        self.assertTrue(self.sqs.create_queue(QueueName=longest)["QueueUrl"].endswith("/" + longest))
        for bad in ["n" * 81, "has space", "dot.dot", "slash/x"]:
            with self.subTest(name=bad):
                self.assertAwsError("InvalidParameterValue", self.sqs.create_queue, QueueName=bad)

    def test_list_queues_prefix_and_pages(self):
        prefix = self.name("listp")
        urls = sorted(self.sqs.create_queue(QueueName="%s-%s" % (prefix, s))["QueueUrl"] for s in "abc")
        self.sqs.create_queue(QueueName=self.name("other"))
        self.assertEqual(sorted(self.sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]), urls)

        page1 = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        self.assertEqual(len(page1["QueueUrls"]), 2)
        self.assertTrue(page1.get("NextToken"))
        page2 = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=page1["NextToken"])
        self.assertEqual(len(page2["QueueUrls"]), 1)
        self.assertNotIn("NextToken", page2)
        self.assertEqual(sorted(page1["QueueUrls"] + page2["QueueUrls"]), urls)

        self.assertEqual(self.sqs.list_queues(QueueNamePrefix=prefix + "-nothing").get("QueueUrls", []), [])
        for bad in (0, 1001):
            with self.subTest(max_results=bad):
                self.assertAwsError("InvalidParameterValue", self.sqs.list_queues, QueueNamePrefix=prefix,
                                    MaxResults=bad)


class QueueAttributeTest(SqsCase):
    def test_get_all_attributes_of_a_new_queue(self):
        t0 = int(time.time())
        url = self.queue("all")
        a = self.attrs(url)
        for k, v in DEFAULTS.items():
            self.assertEqual(a.get(k), v, k)
        self.assertEqual(a["QueueArn"], "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, url.rsplit("/", 1)[1]))
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
                          a["ApproximateNumberOfMessagesDelayed"]), ("0", "0", "0"))
        created = int(a["CreatedTimestamp"])
        self.assertLess(abs(created - t0), 60, "CreatedTimestamp is epoch seconds")
        self.assertGreaterEqual(int(a["LastModifiedTimestamp"]), created)
        self.assertNotIn("FifoQueue", a, "FIFO-only attributes are not reported on standard queues")

    def test_specific_attributes_only(self):
        url = self.queue("some")
        self.assertEqual(set(self.attrs(url, "VisibilityTimeout", "QueueArn")), {"VisibilityTimeout", "QueueArn"})

    def test_approximate_counts(self):
        url = self.queue("counts")
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="v%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="d", DelaySeconds=60)
        self.receive(url, MaxNumberOfMessages=1)
        self.assertEqual(self.counts(url), (2, 1, 1))

    def test_set_attributes_and_last_modified(self):
        url = self.queue("set")
        before = self.attrs(url)
        time.sleep(1.1)  # timestamps are whole seconds
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "VisibilityTimeout": "45", "MessageRetentionPeriod": "60", "MaximumMessageSize": "1024",
            "DelaySeconds": "3", "ReceiveMessageWaitTimeSeconds": "20"})
        after = self.attrs(url)
        self.assertEqual({k: after[k] for k in DEFAULTS}, {
            "VisibilityTimeout": "45", "MessageRetentionPeriod": "60", "MaximumMessageSize": "1024",
            "DelaySeconds": "3", "ReceiveMessageWaitTimeSeconds": "20"})
        self.assertEqual(after["CreatedTimestamp"], before["CreatedTimestamp"])
        self.assertGreater(int(after["LastModifiedTimestamp"]), int(before["LastModifiedTimestamp"]))

    def test_create_with_attributes(self):
        url = self.queue("created", VisibilityTimeout=7, MessageRetentionPeriod=1209600, MaximumMessageSize=2048)
        self.assertEqual(self.attrs(url, "VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize"),
                         {"VisibilityTimeout": "7", "MessageRetentionPeriod": "1209600", "MaximumMessageSize": "2048"})

    def test_out_of_range_attribute_values(self):
        url = self.queue("range")
        bad = [("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "abc"),
               ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
               ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
               ("DelaySeconds", "901"), ("ReceiveMessageWaitTimeSeconds", "21")]
        for name, value in bad:
            with self.subTest(attribute=name, value=value):
                self.assertAwsError("InvalidAttributeValue", self.sqs.create_queue, QueueName=self.name("bad"),
                                    Attributes={name: value})
                self.assertAwsError("InvalidAttributeValue", self.sqs.set_queue_attributes, QueueUrl=url,
                                    Attributes={name: value})
        self.assertEqual({k: v for k, v in self.attrs(url).items() if k in DEFAULTS}, DEFAULTS)

    def test_unknown_attribute_names(self):
        url = self.queue("unknown")
        self.assertAwsError("InvalidAttributeName", self.sqs.get_queue_attributes, QueueUrl=url,
                            AttributeNames=["NoSuchAttribute"], shape="InvalidAttributeName")
        self.assertAwsError("InvalidAttributeName", self.sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={"NoSuchAttribute": "1"}, shape="InvalidAttributeName")
        self.assertAwsError("InvalidAttributeName", self.sqs.create_queue, QueueName=self.name("unk"),
                            Attributes={"NoSuchAttribute": "1"}, shape="InvalidAttributeName")
        # FIFO-only attributes do not exist on standard queues.
        self.assertAwsError("InvalidAttributeName", self.sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={"ContentBasedDeduplication": "true"}, shape="InvalidAttributeName")


class TagTest(SqsCase):
    def test_tags(self):
        name = self.name("tags")
        url = self.sqs.create_queue(QueueName=name, tags={"team": "core", "env": "test"})["QueueUrl"]
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core", "env": "test"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "prod", "cost": "42"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "core", "env": "prod", "cost": "42"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team", "cost", "absent"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "prod"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["env"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}), {})


class PermissionTest(SqsCase):
    def statements(self, url):
        policy = self.attrs(url).get("Policy")
        return json.loads(policy)["Statement"] if policy else []

    def test_add_and_remove_permission(self):
        url = self.queue("perm")
        arn = self.arn(url)
        self.sqs.add_permission(QueueUrl=url, Label="producers", AWSAccountIds=["111122223333"],
                                Actions=["SendMessage"])
        self.sqs.add_permission(QueueUrl=url, Label="consumers", AWSAccountIds=["444455556666"],
                                Actions=["ReceiveMessage", "DeleteMessage"])
        by_sid = {s["Sid"]: s for s in self.statements(url)}
        self.assertEqual(set(by_sid), {"producers", "consumers"})
        producers = by_sid["producers"]
        self.assertEqual(producers["Effect"], "Allow")
        self.assertEqual(producers["Resource"], arn)
        self.assertIn("111122223333", json.dumps(producers["Principal"]))
        action = producers["Action"]
        self.assertEqual([action] if isinstance(action, str) else action, ["SQS:SendMessage"])

        self.assertAwsError("InvalidParameterValue", self.sqs.add_permission, QueueUrl=url, Label="producers",
                            AWSAccountIds=["111122223333"], Actions=["SendMessage"])
        self.sqs.remove_permission(QueueUrl=url, Label="producers")
        self.assertEqual([s["Sid"] for s in self.statements(url)], ["consumers"])
        self.assertAwsError("InvalidParameterValue", self.sqs.remove_permission, QueueUrl=url, Label="producers")
        self.sqs.remove_permission(QueueUrl=url, Label="consumers")
        self.assertEqual(self.statements(url), [])


class PurgeTest(SqsCase):
    def test_purge_removes_visible_and_in_flight(self):
        url = self.queue("purge")
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="p%d" % i)
        self.receive(url)
        self.sqs.purge_queue(QueueUrl=url)
        deadline = time.monotonic() + 5
        while self.counts(url) != (0, 0, 0) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.counts(url), (0, 0, 0))
        self.assertEqual(self.receive(url, VisibilityTimeout=0), [])

    def test_second_purge_within_60_seconds(self):
        url = self.queue("purge2")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertAwsError("AWS.SimpleQueueService.PurgeQueueInProgress", self.sqs.purge_queue, QueueUrl=url,
                            status=403, shape="PurgeQueueInProgress")
