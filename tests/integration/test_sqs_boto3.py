#!/usr/bin/env python3
"""The SQS API through boto3 against the real sidecar.

CTest runs this twice: with /usr/bin/python3 (Debian boto3 1.26, query protocol) and
with the pyenv python3 (boto3 1.43, AWS JSON 1.0); SLUICE_EXPECT_PROTOCOL says which
one the run must be using. Run one test with e.g.
  python3 test_sqs_boto3.py -k test_send_receive_delete
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from boto3_suite import batches, errors, fifo, messages, queues, redrive, visibility  # noqa: E402
from boto3_suite import sqs_case  # noqa: E402

SUITES = [messages, visibility, batches, fifo, queues, redrive, errors]


class ProtocolTest(sqs_case.SqsCase):
    """The two CTest runs must really speak different protocols."""

    def test_wire_protocol(self):
        expected = os.environ.get("SLUICE_EXPECT_PROTOCOL")
        model = sqs_case.protocol()
        if expected:
            self.assertEqual(model, expected, harness.describe_runtime())
        seen = []

        def capture(request, **_):
            seen.append((dict(request.headers), request.body))

        self.sqs.meta.events.register("before-send.sqs.ListQueues", capture)
        try:
            self.sqs.list_queues()
        finally:
            self.sqs.meta.events.unregister("before-send.sqs.ListQueues", capture)
        headers, body = seen[0]
        headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()}
        body = body.decode() if isinstance(body, bytes) else (body or "")
        if model == "json":
            self.assertEqual(headers.get("x-amz-target"), "AmazonSQS.ListQueues")
            self.assertTrue(headers.get("content-type", "").startswith("application/x-amz-json-1.0"))
        else:
            self.assertIn("Action=ListQueues", body)
            self.assertNotIn("x-amz-target", headers)


class OperationCoverageTest(sqs_case.SqsCase):
    """Runs last: every one of the 23 SQS actions answered 2xx at least once."""

    def test_all_23_operations_were_exercised(self):
        modeled = set(self.sqs.meta.service_model.operation_names)
        self.assertLessEqual(modeled, sqs_case.ALL_OPERATIONS, "the installed model has actions we do not know")
        missing = sorted(sqs_case.ALL_OPERATIONS - sqs_case.SUCCEEDED)
        self.assertEqual(missing, [], "operations no test completed successfully")


def load_tests(loader, standard_tests, pattern):
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(ProtocolTest))
    for module in SUITES:
        suite.addTests(loader.loadTestsFromModule(module))
    # Only meaningful after the full run, so skipped when tests were selected.
    if not loader.testNamePatterns:
        suite.addTests(loader.loadTestsFromTestCase(OperationCoverageTest))
    return suite


def main():
    print(harness.describe_runtime(), flush=True)
    prog = unittest.main(module="__main__", verbosity=2, exit=False)
    ok = prog.result.wasSuccessful()
    try:
        sqs_case.shutdown()  # SIGTERM must end the sidecar with status 0
    except AssertionError as e:
        print("FAIL: shutdown: %s" % e, flush=True)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
