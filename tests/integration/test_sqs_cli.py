#!/usr/bin/env python3
"""The AWS CLI against the sidecar: /usr/bin/aws (CLI v2 from Debian, query protocol)
and the `aws` on PATH from pip (CLI v1 with botocore 1.43, JSON protocol). These are the
README's worked example: create-queue, send-message, receive-message, delete-message,
get-queue-attributes with test credentials and --endpoint-url."""

import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

DEBIAN_CLI = "/usr/bin/aws"


def pip_cli():
    """The first `aws` on PATH that is not Debian's."""
    for d in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(d, "aws")
        if os.path.realpath(d) != "/usr/bin" and os.access(path, os.X_OK):
            return path
    return None


class CliCase(harness.ServerTestCase):
    cli = None        # path of the aws executable
    protocol = None   # what it must speak: "query" or "json"

    def setUp(self):
        if not self.cli or not os.access(self.cli, os.X_OK):
            self.fail("AWS CLI not found (%s); scripts/setup.sh --test installs it" % self.cli)

    def aws(self, *args, debug=False):
        # --endpoint-url, not AWS_ENDPOINT_URL: CLI 2.9 predates it, and CLI v1 overrides it
        # for sqs with its own regional endpoint (awscli/customizations/overridesslcommonname.py).
        cmd = [self.cli, "--endpoint-url", self.server.endpoint, "--output", "json"]
        cmd += (["--debug"] if debug else []) + ["sqs"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=harness.client_env(), timeout=60)
        return p.returncode, p.stdout, p.stderr

    def ok(self, *args, debug=False):
        rc, out, err = self.aws(*args, debug=debug)
        self.assertEqual(rc, 0, "aws sqs %s failed:\n%s" % (" ".join(args), err[-3000:]))
        return (json.loads(out) if out.strip() else None), err

    def test_readme_example(self):
        name = "demo"
        created, debug_log = self.ok("create-queue", "--queue-name", name, debug=True)
        url = created["QueueUrl"]
        self.assertEqual(url, self.server.queue_url(name))
        # The debug log shows the request botocore built.
        marker = "AmazonSQS.CreateQueue" if self.protocol == "json" else "'Action': 'CreateQueue'"
        self.assertTrue(marker in debug_log, "%s should speak %s (no %r in its --debug log)"
                        % (self.cli, self.protocol, marker))

        sent, _ = self.ok("send-message", "--queue-url", url, "--message-body", "hello",
                          "--message-attributes", '{"kind":{"DataType":"String","StringValue":"greeting"}}')
        self.assertEqual(sent["MD5OfMessageBody"], "5d41402abc4b2a76b9719d911017c592")
        self.assertTrue(sent["MessageId"])

        got, _ = self.ok("receive-message", "--queue-url", url, "--attribute-names", "All",
                         "--message-attribute-names", "All", "--wait-time-seconds", "1")
        [msg] = got["Messages"]
        self.assertEqual((msg["MessageId"], msg["Body"]), (sent["MessageId"], "hello"))
        self.assertEqual(msg["MessageAttributes"], {"kind": {"DataType": "String", "StringValue": "greeting"}})
        self.assertEqual(msg["Attributes"]["ApproximateReceiveCount"], "1")

        attrs, _ = self.ok("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")
        a = attrs["Attributes"]
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]), ("0", "1"))
        self.assertEqual(a["QueueArn"], "arn:aws:sqs:%s:%s:%s" % (harness.REGION, harness.ACCOUNT, name))

        deleted, _ = self.ok("delete-message", "--queue-url", url, "--receipt-handle", msg["ReceiptHandle"])
        self.assertIsNone(deleted, "delete-message prints nothing")
        attrs, _ = self.ok("get-queue-attributes", "--queue-url", url, "--attribute-names",
                           "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
        self.assertEqual(attrs["Attributes"], {"ApproximateNumberOfMessages": "0",
                                               "ApproximateNumberOfMessagesNotVisible": "0"})

    def test_missing_queue_error(self):
        rc, out, err = self.aws("get-queue-url", "--queue-name", "no-such-queue")
        self.assertNotEqual(rc, 0)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", err)


class DebianCliV2Test(CliCase):
    cli = DEBIAN_CLI
    protocol = "query"


class PipCliV1Test(CliCase):
    cli = pip_cli()
    protocol = "json"


del CliCase  # only the concrete classes run

if __name__ == "__main__":
    print(harness.describe_runtime(), "| clis:", DEBIAN_CLI, pip_cli(), shutil.which("aws"), flush=True)
    unittest.main(verbosity=2)
