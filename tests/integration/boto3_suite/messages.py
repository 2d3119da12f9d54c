"""A message's life, its attributes, size and character limits, and delays."""

import time

from boto3_suite.sqs_case import SqsCase, md5_hex, md5_of_attributes

MIB = 1024 * 1024

USER_ATTRIBUTES = {
    "attr.string": {"DataType": "String", "StringValue": "héllo wörld"},
    "attr.number": {"DataType": "Number", "StringValue": "-12.5e3"},
    "attr.binary": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff binary"},
    "custom.string": {"DataType": "String.custom-label", "StringValue": "labelled"},
    "custom.number": {"DataType": "Number.int", "StringValue": "42"},
    "custom.binary": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a"},
}


class MessageLifeTest(SqsCase):
    def test_send_receive_delete(self):
        url = self.queue("life")
        body = "hello, sluice"
        t0 = time.time()
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=USER_ATTRIBUTES)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(USER_ATTRIBUTES))
        self.assertTrue(sent["MessageId"])

        msgs = self.receive(url, MessageAttributeNames=["All"], **self.sys_attrs("All"))
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual((m["MessageId"], m["Body"], m["MD5OfBody"]), (sent["MessageId"], body, md5_hex(body)))
        self.assertTrue(m["ReceiptHandle"])
        self.assertEqual(m["MessageAttributes"], USER_ATTRIBUTES)
        self.assertEqual(m["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        a = m["Attributes"]
        self.assertEqual(a["ApproximateReceiveCount"], "1")
        self.assertTrue(a["SenderId"])
        sent_ms = int(a["SentTimestamp"])
        self.assertLess(abs(sent_ms - t0 * 1000), 60_000, "SentTimestamp is epoch milliseconds")
        self.assertGreaterEqual(int(a["ApproximateFirstReceiveTimestamp"]), sent_ms)

        self.assertEqual(self.counts(url), (0, 1, 0))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(self.counts(url), (0, 0, 0))
        self.assertEqual(self.receive(url, VisibilityTimeout=0), [])

    def test_receive_count_and_new_receipt_handle_on_each_receive(self):
        url = self.queue("count")
        self.sqs.send_message(QueueUrl=url, MessageBody="again")
        first = self.receive(url, VisibilityTimeout=0, **self.sys_attrs("ApproximateReceiveCount"))[0]
        second = self.receive(url, **self.sys_attrs("ApproximateReceiveCount"))[0]
        self.assertEqual(first["MessageId"], second["MessageId"])
        self.assertEqual(second["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(first["ReceiptHandle"], second["ReceiptHandle"])
        # The newest receipt handle deletes the message.
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"])
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_deleting_twice_with_the_same_handle_succeeds(self):
        url = self.queue("twice")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        handle = self.receive(url)[0]["ReceiptHandle"]
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)  # AWS: idempotent
        self.assertEqual(self.counts(url), (0, 0, 0))


class MessageAttributeTest(SqsCase):
    def send_one(self):
        url = self.queue("mattr")
        self.sqs.send_message(QueueUrl=url, MessageBody="with attributes", MessageAttributes=USER_ATTRIBUTES)
        return url

    def receive_again(self, url, **kw):
        msgs = self.receive(url, VisibilityTimeout=0, **kw)
        self.assertEqual(len(msgs), 1)
        return msgs[0]

    def test_attributes_only_when_requested(self):
        url = self.send_one()
        m = self.receive_again(url)
        self.assertNotIn("MessageAttributes", m)
        self.assertNotIn("Attributes", m)

    def test_all_returns_every_attribute_with_exact_values(self):
        url = self.send_one()
        m = self.receive_again(url, MessageAttributeNames=["All"])
        self.assertEqual(m["MessageAttributes"], USER_ATTRIBUTES)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(USER_ATTRIBUTES))

    def test_named_attribute(self):
        url = self.send_one()
        m = self.receive_again(url, MessageAttributeNames=["custom.number"])
        self.assertEqual(m["MessageAttributes"], {"custom.number": USER_ATTRIBUTES["custom.number"]})
        # SDKs that verify digests check them against what was returned.
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(m["MessageAttributes"]))

    def test_prefix_wildcard(self):
        url = self.send_one()
        m = self.receive_again(url, MessageAttributeNames=["attr.*"])
        want = {k: v for k, v in USER_ATTRIBUTES.items() if k.startswith("attr.")}
        self.assertEqual(m["MessageAttributes"], want)
        self.assertEqual(m["MD5OfMessageAttributes"], md5_of_attributes(want))

    def test_dot_star_means_all(self):
        url = self.send_one()
        m = self.receive_again(url, MessageAttributeNames=[".*"])
        self.assertEqual(m["MessageAttributes"], USER_ATTRIBUTES)

    def test_eleven_attributes_rejected(self):
        url = self.queue("mattr11")
        attrs = {"a%d" % i: {"DataType": "String", "StringValue": "v"} for i in range(11)}
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="x",
                            MessageAttributes=attrs)
        attrs.pop("a10")
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attrs)

    def test_unknown_data_type_rejected(self):
        url = self.queue("mattrtype")
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="x",
                            MessageAttributes={"a": {"DataType": "Float", "StringValue": "1"}})


class SystemAttributeTest(SqsCase):
    def test_trace_header_round_trip_and_digest(self):
        url = self.queue("trace")
        trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        system = {"AWSTraceHeader": {"DataType": "String", "StringValue": trace}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="traced", MessageSystemAttributes=system)
        self.assertEqual(sent["MD5OfMessageSystemAttributes"], md5_of_attributes(system))
        m = self.receive(url, **self.sys_attrs("AWSTraceHeader"))[0]
        self.assertEqual(m["Attributes"], {"AWSTraceHeader": trace})

    def test_only_requested_system_attributes(self):
        url = self.queue("sysattr")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive(url, VisibilityTimeout=0, **self.sys_attrs("SentTimestamp"))[0]
        self.assertEqual(set(m["Attributes"]), {"SentTimestamp"})
        m = self.receive(url, VisibilityTimeout=0, **self.sys_attrs("SenderId", "ApproximateReceiveCount"))[0]
        self.assertEqual(set(m["Attributes"]), {"SenderId", "ApproximateReceiveCount"})
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "2")

    def test_deprecated_attribute_names_parameter_still_works(self):
        url = self.queue("attrnames")
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        m = self.receive(url, AttributeNames=["ApproximateReceiveCount"])[0]
        self.assertEqual(m["Attributes"], {"ApproximateReceiveCount": "1"})


class SizeAndContentTest(SqsCase):
    def test_one_mib_accepted_one_more_byte_rejected(self):
        url = self.queue("mib")
        body = "m" * MIB
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        m = self.receive(url)[0]
        self.assertEqual(len(m["Body"]), MIB)
        self.assertEqual(m["MD5OfBody"], md5_hex(body))
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody=body + "m")

    def test_size_counts_utf8_bytes(self):
        url = self.queue("utf8size", MaximumMessageSize=1024)
        self.sqs.send_message(QueueUrl=url, MessageBody="é" * 512)  # 1024 bytes
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url,
                            MessageBody="é" * 512 + "x")

    def test_maximum_message_size_attribute(self):
        url = self.queue("maxsize", MaximumMessageSize=1024)
        self.sqs.send_message(QueueUrl=url, MessageBody="s" * 1024)
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="s" * 1025)
        # Message attributes count toward the size (name + type + value).
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="s" * 1000,
                            MessageAttributes={"a": {"DataType": "String", "StringValue": "v" * 20}})

    def test_allowed_characters_round_trip(self):
        url = self.queue("chars")
        body = "tab\tnl\ncr\r plane1 \U0001F600 cjk \u4e2d bmp-edge \ufffd end"
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(sent["MD5OfMessageBody"], md5_hex(body))
        m = self.receive(url)[0]
        self.assertEqual(m["Body"], body)
        self.assertEqual(m["MD5OfBody"], md5_hex(body))

    def test_invalid_characters_rejected(self):
        url = self.queue("badchars")
        for body in ["nul\x00", "bell\x07", "esc\x1b", "bad\ufffe"]:
            with self.subTest(body=body):
                self.assertAwsError("InvalidMessageContents", self.sqs.send_message, QueueUrl=url,
                                    MessageBody=body, shape="InvalidMessageContents")
        self.assertEqual(self.counts(url), (0, 0, 0))


class DelayTest(SqsCase):
    def test_queue_delay(self):
        url = self.queue("qdelay", DelaySeconds=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="later")
        self.assertEqual(self.receive(url), [])
        self.assertEqual(self.counts(url), (0, 0, 1))
        time.sleep(1.3)
        self.assertEqual([m["Body"] for m in self.receive(url)], ["later"])

    def test_message_delay_overrides_queue_delay(self):
        url = self.queue("mdelay", DelaySeconds=5)
        self.sqs.send_message(QueueUrl=url, MessageBody="now", DelaySeconds=0)
        self.sqs.send_message(QueueUrl=url, MessageBody="soon", DelaySeconds=1)
        self.assertEqual([m["Body"] for m in self.receive(url, MaxNumberOfMessages=10)], ["now"])
        self.assertEqual(self.counts(url)[2], 1)
        time.sleep(1.3)
        self.assertEqual([m["Body"] for m in self.receive(url, MaxNumberOfMessages=10)], ["soon"])

    def test_delay_over_900_rejected(self):
        url = self.queue("delay901")
        self.assertAwsError("InvalidParameterValue", self.sqs.send_message, QueueUrl=url, MessageBody="x",
                            DelaySeconds=901)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=900)
        self.assertAwsError("InvalidAttributeValue", self.sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={"DelaySeconds": "901"})
