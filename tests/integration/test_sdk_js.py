#!/usr/bin/env python3
"""Runs the AWS SDK for JavaScript v3 suite (tests/js/*.test.mjs: SQS, SNS and Kinesis
over HTTP/2 with SubscribeToShard, `node --test`)
against a sidecar started by the Python harness, so there is one way to start the server."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

JS_DIR = os.path.join(harness.REPO, "tests", "js")


class JavaScriptSdkTest(harness.ServerTestCase):
    def test_node_suite(self):
        node = shutil.which("node")
        self.assertTrue(node, "node is not installed (scripts/setup.sh installs nodejs)")
        for package in ("@aws-sdk/client-sqs", "@aws-sdk/client-sns", "@aws-sdk/client-kinesis", "sns-validator"):
            if not os.path.isdir(os.path.join(JS_DIR, "node_modules", package)):
                self.fail("tests/js/node_modules lacks %s: run scripts/setup.sh --test (npm ci in tests/js)" % package)
        env = harness.client_env({"SLUICE_SQS_ENDPOINT": self.server.endpoint,
                                  "SLUICE_SNS_ENDPOINT": self.server.endpoint,
                                  "SLUICE_KINESIS_ENDPOINT": self.server.endpoint})
        p = subprocess.run([node, "--test", "--test-reporter=spec"], cwd=JS_DIR, env=env,
                           capture_output=True, text=True, timeout=240)
        sys.stdout.write(p.stdout[-20000:])
        sys.stdout.write(p.stderr[-5000:])
        self.assertEqual(p.returncode, 0, "node --test failed (output above)")


if __name__ == "__main__":
    print(harness.describe_runtime(), flush=True)
    unittest.main(verbosity=2)
