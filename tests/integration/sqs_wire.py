"""Hand-made SQS requests (http.client), signed with SigV4 like a real client.

For what the SDKs hide (error body shapes, headers, the query API on the queue URL)
and for the message-move-task actions, which Debian's botocore 1.29 does not model.
Signing uses botocore when it is importable (both test Pythons have it); the bodies,
paths and headers are built here by hand.
"""

import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET

from harness import REGION

QUERY_NS = "http://queue.amazonaws.com/doc/2012-11-05/"
JSON_CT = "application/x-amz-json-1.0"
FORM_CT = "application/x-www-form-urlencoded; charset=utf-8"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def xml(self):
        return ET.fromstring(self.body)

    def __repr__(self):
        return "<HTTP %s %s %s>" % (self.status, self.headers, self.text[:500])


def _sign(method, url, headers, body):
    try:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
    except ImportError:
        return headers
    req = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(Credentials("test", "test"), "sqs", REGION).add_auth(req)
    return dict(req.headers.items())


def request(endpoint, method, path, headers=None, body=b"", sign=True):
    """One HTTP request to endpoint ("http://127.0.0.1:port"); returns a Response."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = dict(headers or {})
    if sign:
        headers = _sign(method, endpoint + path, headers, body)
    parsed = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def query(endpoint, action, params=None, path="/", method="POST", version=True, extra_headers=None):
    """A query-protocol call: form-encoded POST (or GET with a query string)."""
    fields = [("Action", action)] if action else []
    if version:
        fields.append(("Version", "2012-11-05"))
    fields += list((params or {}).items())
    encoded = urllib.parse.urlencode(fields)
    headers = dict(extra_headers or {})
    if method == "GET":
        return request(endpoint, "GET", path + "?" + encoded, headers)
    headers["Content-Type"] = FORM_CT
    return request(endpoint, "POST", path, headers, encoded)


def json_call(endpoint, operation, payload, raw_body=None, extra_headers=None, target=None):
    """An AWS JSON 1.0 call (X-Amz-Target: AmazonSQS.<operation>)."""
    headers = {"Content-Type": JSON_CT, "X-Amz-Target": target or "AmazonSQS." + operation,
               "x-amzn-query-mode": "true"}
    headers.update(extra_headers or {})
    body = raw_body if raw_body is not None else json.dumps(payload)
    return request(endpoint, "POST", "/", headers, body)


# -- reading query XML without caring about the namespace prefix ----------------------

def local(tag):
    return tag.rsplit("}", 1)[-1]


def find_all(root, name):
    return [e for e in root.iter() if local(e.tag) == name]


def find_text(root, name):
    found = find_all(root, name)
    return found[0].text if found else None


def query_error(resp):
    """(Type, Code, Message, RequestId) of a query XML error response."""
    root = resp.xml()
    return (find_text(root, "Type"), find_text(root, "Code"), find_text(root, "Message"),
            find_text(root, "RequestId"))
