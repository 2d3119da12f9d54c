"""Shared fixture of the boto3 suites: one server per process, one client, helpers.

The same tests run under Debian's boto3 1.26 (SQS over the query protocol) and the
pip boto3 1.43 (AWS JSON 1.0). Error codes are asserted as AWS's query codes in both
runs: botocore reports the x-amzn-query-error code on JSON, the XML <Code> on query.
"""

import base64
import hashlib
import itertools
import struct
import time
import unittest
import xml.etree.ElementTree as ET

from botocore.exceptions import ClientError

import harness
import sqs_wire

# The 23 actions of SQS API version 2012-11-05 (Debian's botocore models only 20).
ALL_OPERATIONS = frozenset([
    "AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
    "CreateQueue", "DeleteMessage", "DeleteMessageBatch", "DeleteQueue", "GetQueueAttributes",
    "GetQueueUrl", "ListDeadLetterSourceQueues", "ListMessageMoveTasks", "ListQueueTags", "ListQueues",
    "PurgeQueue", "ReceiveMessage", "RemovePermission", "SendMessage", "SendMessageBatch",
    "SetQueueAttributes", "StartMessageMoveTask", "TagQueue", "UntagQueue",
])

SUCCEEDED = set()  # operations that returned 2xx at least once in this process
_server = None
_client = None
_names = itertools.count(1)


def server():
    global _server
    if _server is None:
        _server = harness.Server()
        _server.start()
    return _server


def shutdown():
    """SIGTERM the shared server (asserts exit 0) and clean up."""
    global _server
    if _server is not None:
        try:
            _server.stop()
        finally:
            _server.close()
            _server = None


def _record(http_response, model, **_):
    if http_response is not None and http_response.status_code < 300:
        SUCCEEDED.add(model.name)


def client():
    global _client
    if _client is None:
        _client = harness.boto3_client(server().endpoint)
        _client.meta.events.register("after-call.sqs", _record)
    return _client


def protocol():
    return client().meta.service_model.protocol


def models(operation, member=None):
    """Whether the installed botocore models `operation` (and its input `member`)."""
    sm = client().meta.service_model
    if operation not in sm.operation_names:
        return False
    return member is None or member in sm.operation_model(operation).input_shape.members


def md5_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def md5_of_attributes(attrs):
    """The SQS digest of message attributes (what the SDKs that check recompute)."""
    def field(b):
        return struct.pack(">I", len(b)) + b

    h = hashlib.md5()
    for name in sorted(attrs):
        a = attrs[name]
        h.update(field(name.encode("utf-8")))
        h.update(field(a["DataType"].encode("utf-8")))
        if "StringValue" in a:
            h.update(b"\x01" + field(a["StringValue"].encode("utf-8")))
        else:
            value = a["BinaryValue"]
            if isinstance(value, str):
                value = base64.b64decode(value)
            h.update(b"\x02" + field(value))
    return h.hexdigest()


class SqsCase(unittest.TestCase):
    """Base class: self.sqs is the client, self.server the running server."""

    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = server()
        cls.sqs = client()

    # -- queues ------------------------------------------------------------------
    def name(self, tag="q", fifo=False):
        n = "%s-%d" % (tag, next(_names))
        return n + ".fifo" if fifo else n

    def queue(self, tag="q", fifo=False, **attrs):
        """Creates a queue with string-valued attributes; returns its URL."""
        attributes = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in attrs.items()}
        if fifo:
            attributes.setdefault("FifoQueue", "true")
        kw = {"QueueName": self.name(tag, fifo)}
        if attributes:
            kw["Attributes"] = attributes
        return self.sqs.create_queue(**kw)["QueueUrl"]

    def attrs(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]

    def arn(self, url):
        return self.attrs(url, "QueueArn")["QueueArn"]

    def counts(self, url):
        a = self.attrs(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                       "ApproximateNumberOfMessagesDelayed")
        return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
                int(a["ApproximateNumberOfMessagesDelayed"]))

    # -- messages ------------------------------------------------------------------
    def receive(self, url, **kw):
        return self.sqs.receive_message(QueueUrl=url, **kw).get("Messages", [])

    def receive_n(self, url, n, timeout=5.0, **kw):
        """Receives until n messages arrived or timeout (short polls may return subsets)."""
        got = []
        deadline = time.monotonic() + timeout
        kw.setdefault("MaxNumberOfMessages", 10)
        while len(got) < n and time.monotonic() < deadline:
            got += self.receive(url, WaitTimeSeconds=1, **kw)
        return got

    def sys_attrs(self, *names):
        """Receive kwargs asking for message system attributes in the newest spelling
        the installed model knows (MessageSystemAttributeNames replaced AttributeNames)."""
        if models("ReceiveMessage", "MessageSystemAttributeNames"):
            return {"MessageSystemAttributeNames": list(names)}
        return {"AttributeNames": list(names)}

    # -- errors ----------------------------------------------------------------------
    def assertAwsError(self, code, call, *args, status=400, shape=None, **kw):
        """Asserts call(*args, **kw) fails with AWS query error code `code` and HTTP
        `status`; with `shape` (the modeled exception), that botocore maps it to that
        exception class, which on JSON checks the __type too."""
        with self.assertRaises(ClientError, msg="expected %s" % code) as cm:
            call(*args, **kw)
        err = cm.exception
        e = err.response.get("Error", {})
        got = (e.get("Code"), err.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertEqual(got, (code, status), "error response: %r" % (err.response,))
        self.assertEqual(e.get("Type"), "Sender", "fault type of %r" % (err.response,))
        if shape:
            cls = getattr(self.sqs.exceptions, shape, None)
            if cls is not None:
                self.assertIsInstance(err, cls)
            if protocol() == "json":
                self.assertEqual(e.get("QueryErrorCode"), shape, "__type of %r" % (err.response,))
        return err

    # -- actions Debian's botocore does not model -------------------------------------
    def move_task(self, operation, **params):
        """StartMessageMoveTask/ListMessageMoveTasks/CancelMessageMoveTask through boto3
        when modeled, else as a signed query request parsed into boto3's shape."""
        if models(operation):
            method = getattr(self.sqs, _snake(operation))
            return method(**params)
        fields = {k: str(v) for k, v in params.items()}
        resp = sqs_wire.query(self.server.endpoint, operation, fields)
        if resp.status != 200:
            try:
                _, code, message, _ = sqs_wire.query_error(resp)
            except ET.ParseError:
                code, message = str(resp.status), resp.text[:300]
            raise ClientError({"Error": {"Code": code, "Message": message, "Type": "Sender"},
                               "ResponseMetadata": {"HTTPStatusCode": resp.status}}, operation)
        SUCCEEDED.add(operation)
        root = resp.xml()
        if operation == "StartMessageMoveTask":
            return {"TaskHandle": sqs_wire.find_text(root, "TaskHandle")}
        if operation == "CancelMessageMoveTask":
            return {"ApproximateNumberOfMessagesMoved": int(sqs_wire.find_text(root, "ApproximateNumberOfMessagesMoved"))}
        results = []
        for entry in root.iter():
            children = {sqs_wire.local(c.tag): c.text for c in entry}
            if "Status" in children and "SourceArn" in children:
                for k in ("ApproximateNumberOfMessagesMoved", "ApproximateNumberOfMessagesToMove",
                          "MaxNumberOfMessagesPerSecond", "StartedTimestamp"):
                    if k in children:
                        children[k] = int(children[k])
                results.append(children)
        return {"Results": results}


def _snake(name):
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out += "_"
        out += ch.lower()
    return out
