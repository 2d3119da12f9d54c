#!/usr/bin/env python3
"""Kinesis through /usr/bin/aws (Debian's AWS CLI v2, JSON 1.1) against the real
sidecar, as a shell user types it: create, put (the CLI's base64 blobs), read
with an iterator, reshard, tags, describe, the error exit status and code, delete."""

import base64
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

CLI = "/usr/bin/aws"
SERVICE_ERROR = 254


class KinesisCliTest(harness.ServerTestCase):
    def aws(self, *args):
        cmd = [CLI, "--endpoint-url", self.server.endpoint, "--output", "json", "kinesis"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=harness.client_env(), timeout=60)
        return p.returncode, p.stdout, p.stderr

    def ok(self, *args):
        rc, out, err = self.aws(*args)
        self.assertEqual(rc, 0, "aws kinesis %s failed:\n%s" % (" ".join(args), err[-3000:]))
        return json.loads(out) if out.strip() else None

    def test_a_shell_session(self):
        if not os.access(CLI, os.X_OK):
            self.fail("AWS CLI not found (%s); scripts/setup.sh --test installs it" % CLI)
        self.ok("create-stream", "--stream-name", "cli", "--shard-count", "1")
        self.ok("wait", "stream-exists", "--stream-name", "cli")
        # CLI v2 takes --data as base64 by default (cli_binary_format base64).
        put = self.ok("put-record", "--stream-name", "cli", "--partition-key", "k",
                      "--data", base64.b64encode(b"hello").decode())
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        it = self.ok("get-shard-iterator", "--stream-name", "cli", "--shard-id", "shardId-000000000000",
                     "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        got = self.ok("get-records", "--shard-iterator", it)
        self.assertEqual(base64.b64decode(got["Records"][0]["Data"]), b"hello")
        self.assertEqual(got["Records"][0]["SequenceNumber"], put["SequenceNumber"])
        self.ok("update-shard-count", "--stream-name", "cli", "--target-shard-count", "2",
                "--scaling-type", "UNIFORM_SCALING")
        summary = self.ok("describe-stream-summary", "--stream-name", "cli")["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 2)
        self.ok("add-tags-to-stream", "--stream-name", "cli", "--tags", "team=data")
        self.assertEqual(self.ok("list-tags-for-stream", "--stream-name", "cli")["Tags"],
                         [{"Key": "team", "Value": "data"}])
        rc, _, err = self.aws("describe-stream", "--stream-name", "nope")
        self.assertEqual(rc, SERVICE_ERROR)
        self.assertIn("ResourceNotFoundException", err)
        self.ok("delete-stream", "--stream-name", "cli")
        self.assertEqual(self.ok("list-streams")["StreamNames"], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
