#!/usr/bin/env python3
"""A queue worker, as a pod of the scaled Deployment would run it: receive up to
10 messages, spend --seconds-per-message on each, delete them, repeat."""

import argparse
import time

import boto3
from botocore.config import Config


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--queue-url", required=True)
    p.add_argument("--seconds-per-message", type=float, default=0.02)
    a = p.parse_args()
    sqs = boto3.client("sqs", endpoint_url=a.endpoint, region_name="us-east-1", aws_access_key_id="test",
                       aws_secret_access_key="test", config=Config(retries={"max_attempts": 2}))
    while True:
        got = sqs.receive_message(QueueUrl=a.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in got:
            time.sleep(a.seconds_per_message)
        if got:
            sqs.delete_message_batch(QueueUrl=a.queue_url,
                                     Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])


if __name__ == "__main__":
    main()
