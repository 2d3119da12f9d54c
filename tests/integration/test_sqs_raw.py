#!/usr/bin/env python3
"""What the SDKs hide: exact error bodies and headers of both protocols, the query
API on the queue URL and over GET, XML escaping, unknown actions, malformed input."""

import hashlib
import os
import socket
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import sqs_wire  # noqa: E402
from harness import ACCOUNT  # noqa: E402
from sqs_wire import QUERY_NS, find_all, find_text, json_call, local, query  # noqa: E402

MISSING = "AWS.SimpleQueueService.NonExistentQueue"


class RawCase(harness.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.server.endpoint
        cls.name = "raw-q"
        r = json_call(cls.endpoint, "CreateQueue", {"QueueName": cls.name})
        assert r.status == 200, r
        cls.url = r.json()["QueueUrl"]
        cls.path = "/%s/%s" % (ACCOUNT, cls.name)

    def assertJsonError(self, resp, code, type_suffix=None, status=400):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.headers.get("content-type", "").startswith("application/x-amz-json-1.0"), resp)
        self.assertEqual(resp.headers.get("x-amzn-query-error"), code + ";Sender", resp)
        body = resp.json()
        self.assertIsInstance(body.get("message"), str, resp)
        self.assertTrue(body["message"], resp)
        if type_suffix:
            self.assertTrue(body.get("__type", "").endswith(type_suffix), resp)
        return body

    def assertQueryError(self, resp, code, status=400):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.headers.get("content-type", "").startswith("text/xml"), resp)
        root = resp.xml()
        self.assertEqual(root.tag, "{%s}ErrorResponse" % QUERY_NS, resp)
        error = [e for e in root if local(e.tag) == "Error"]
        self.assertEqual(len(error), 1, resp)
        fields = {local(e.tag): e.text for e in error[0]}
        self.assertEqual((fields.get("Type"), fields.get("Code")), ("Sender", code), resp)
        self.assertTrue(fields.get("Message"), resp)
        self.assertTrue(find_text(root, "RequestId"), resp)


class JsonProtocolTest(RawCase):
    def test_error_shape(self):
        r = json_call(self.endpoint, "GetQueueUrl", {"QueueName": "no-such-queue"})
        body = self.assertJsonError(r, MISSING)
        self.assertEqual(body["__type"], "com.amazonaws.sqs#QueueDoesNotExist")

    def test_success_shape(self):
        r = json_call(self.endpoint, "GetQueueUrl", {"QueueName": self.name})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("application/x-amz-json-1.0"))
        self.assertTrue(r.headers.get("x-amzn-requestid"), r)
        self.assertEqual(r.json(), {"QueueUrl": self.url})

    def test_query_mode_header_optional(self):
        for mode in ({"x-amzn-query-mode": "true"}, {}):
            headers = {"Content-Type": sqs_wire.JSON_CT, "X-Amz-Target": "AmazonSQS.GetQueueUrl"}
            headers.update(mode)
            r = sqs_wire.request(self.endpoint, "POST", "/", headers, '{"QueueName": "%s"}' % self.name)
            self.assertEqual((r.status, r.json()), (200, {"QueueUrl": self.url}), r)

    def test_unknown_operation(self):
        r = json_call(self.endpoint, "Frobnicate", {})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json().get("__type", "").endswith("UnknownOperationException"), r)

    def test_malformed_json(self):
        r = json_call(self.endpoint, "SendMessage", None, raw_body='{"QueueUrl": "%s", "MessageBody": ' % self.url)
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json().get("__type", "").endswith("SerializationException"), r)

    def test_wrong_json_type(self):
        r = json_call(self.endpoint, "ReceiveMessage", {"QueueUrl": self.url, "MaxNumberOfMessages": "ten"})
        self.assertEqual(r.status, 400, r)

    def test_missing_required_parameter(self):
        self.assertJsonError(json_call(self.endpoint, "SendMessage", {"QueueUrl": self.url}), "MissingParameter")
        self.assertJsonError(json_call(self.endpoint, "CreateQueue", {}), "MissingParameter")


class QueryProtocolTest(RawCase):
    def test_error_shape(self):
        self.assertQueryError(query(self.endpoint, "GetQueueUrl", {"QueueName": "no-such-queue"}), MISSING)

    def test_success_shape(self):
        r = query(self.endpoint, "GetQueueUrl", {"QueueName": self.name})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("text/xml"), r)
        root = r.xml()
        self.assertEqual(root.tag, "{%s}GetQueueUrlResponse" % QUERY_NS)
        self.assertEqual([local(e.tag) for e in root], ["GetQueueUrlResult", "ResponseMetadata"])
        self.assertEqual(find_text(root, "QueueUrl"), self.url)
        self.assertTrue(find_text(root, "RequestId"))

    def test_action_on_the_queue_url_path(self):
        sent = query(self.endpoint, "SendMessage", {"MessageBody": "via path"}, path=self.path)
        self.assertEqual(sent.status, 200, sent)
        self.assertEqual(find_text(sent.xml(), "MD5OfMessageBody"), hashlib.md5(b"via path").hexdigest())
        got = query(self.endpoint, "ReceiveMessage", {"VisibilityTimeout": "0"}, path=self.path)
        self.assertEqual(got.status, 200, got)
        self.assertIn("via path", [e.text for e in find_all(got.xml(), "Body")])

    def test_get_with_query_string(self):
        r = query(self.endpoint, "ListQueues", {"QueueNamePrefix": self.name}, method="GET")
        self.assertEqual(r.status, 200, r)
        self.assertIn(self.url, [e.text for e in find_all(r.xml(), "QueueUrl")])
        r = query(self.endpoint, "GetQueueAttributes", {"AttributeName.1": "VisibilityTimeout"}, path=self.path,
                  method="GET")
        self.assertEqual(r.status, 200, r)
        attrs = {find_text(a, "Name"): find_text(a, "Value") for a in find_all(r.xml(), "Attribute")}
        self.assertEqual(attrs, {"VisibilityTimeout": "30"})

    def test_flattened_parameters_and_xml_escaping(self):
        body = '<a href="x">&amp; \'quoted\'</a>\r\n]]>'
        r = query(self.endpoint, "CreateQueue", {"QueueName": "raw-escape", "Attribute.1.Name": "VisibilityTimeout",
                                                 "Attribute.1.Value": "0"})
        self.assertEqual(r.status, 200, r)
        path = "/%s/raw-escape" % ACCOUNT
        sent = query(self.endpoint, "SendMessage", {
            "MessageBody": body,
            "MessageAttribute.1.Name": "k_1.x-y",
            "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "v<&>\"",
        }, path=path)
        self.assertEqual(sent.status, 200, sent)
        got = query(self.endpoint, "ReceiveMessage", {"MessageAttributeName.1": "All", "AttributeName.1": "All"},
                    path=path)
        self.assertEqual(got.status, 200, got)
        msg = find_all(got.xml(), "Message")
        self.assertEqual(len(msg), 1, got)
        self.assertEqual(find_text(msg[0], "Body"), body, "body must survive XML (CR as &#xD;)")
        self.assertEqual(find_text(msg[0], "MD5OfBody"), hashlib.md5(body.encode()).hexdigest())
        attr = find_all(msg[0], "MessageAttribute")[0]
        self.assertEqual((find_text(attr, "Name"), find_text(attr, "DataType"), find_text(attr, "StringValue")),
                         ("k_1.x-y", "String", "v<&>\""))
        system = {find_text(a, "Name"): find_text(a, "Value") for a in find_all(msg[0], "Attribute")}
        self.assertEqual(system.get("ApproximateReceiveCount"), "1")

    def test_queue_url_follows_the_host_header(self):
        port = self.endpoint.rsplit(":", 1)[1]
        r = query(self.endpoint, "GetQueueUrl", {"QueueName": self.name}, extra_headers={"Host": "localhost:" + port})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(find_text(r.xml(), "QueueUrl"), "http://localhost:%s%s" % (port, self.path))

    def test_unknown_action(self):
        self.assertQueryError(query(self.endpoint, "Frobnicate"), "InvalidAction")

    def test_missing_action(self):
        r = query(self.endpoint, None, {"QueueName": self.name})
        self.assertEqual(r.status, 400, r)

    def test_missing_required_parameter(self):
        self.assertQueryError(query(self.endpoint, "SendMessage", {}, path=self.path), "MissingParameter")
        self.assertQueryError(query(self.endpoint, "CreateQueue", {}), "MissingParameter")

    def test_out_of_range_parameter(self):
        self.assertQueryError(query(self.endpoint, "ReceiveMessage", {"MaxNumberOfMessages": "11"}, path=self.path),
                              "InvalidParameterValue")


@unittest.skipIf(harness.is_moto(), "Sluice's connection flags")
class ConnectionFlagsTest(harness.ServerTestCase):
    """--idle-timeout, --header-timeout and --max-connections, on a server of their own."""

    @classmethod
    def make_server(cls):
        return harness.Server(extra_args=["--idle-timeout", "1", "--header-timeout", "1", "--max-connections", "4"])

    def connect(self):
        u = urllib.parse.urlsplit(self.server.endpoint)
        s = socket.create_connection((u.hostname, u.port), timeout=5)
        self.addCleanup(s.close)
        return s

    def read_all(self, s):
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk

    def test_an_idle_keep_alive_connection_is_closed(self):
        s = self.connect()
        s.sendall(b"GET /?Action=ListQueues&Version=2012-11-05 HTTP/1.1\r\nHost: x\r\n\r\n")
        first = s.recv(65536)
        self.assertTrue(first.startswith(b"HTTP/1.1 200"), first)
        started = time.monotonic()
        self.read_all(s)  # the rest of the answer, if any, then the close
        self.assertLess(time.monotonic() - started, 4, "closed after about --idle-timeout")

    def test_headers_that_never_end_get_408(self):
        s = self.connect()
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        answer = self.read_all(s)
        self.assertTrue(answer.startswith(b"HTTP/1.1 408"), answer)
        self.assertLess(time.monotonic() - started, 4)

    def test_connections_beyond_the_limit_get_503_and_others_still_work(self):
        held = [self.connect() for _ in range(4)]
        time.sleep(0.2)  # all accepted
        extra = self.connect()
        answer = self.read_all(extra)
        self.assertTrue(answer.startswith(b"HTTP/1.1 503"), answer)
        status, _ = harness.http_get(self.server.admin + "/healthz")
        self.assertEqual(status, 200, "the admin port has its own limit")
        for s in held:
            s.close()
        time.sleep(0.2)
        self.assertEqual(query(self.server.endpoint, "ListQueues").status, 200)


if __name__ == "__main__":
    print(harness.describe_runtime(), flush=True)
    unittest.main(verbosity=2)
