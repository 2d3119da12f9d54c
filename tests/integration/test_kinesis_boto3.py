#!/usr/bin/env python3
"""Kinesis through boto3 against the real sidecar: the seed's example (two
consumers reading one stream from their own positions), order per partition
key, a split then a merge while a producer keeps writing with a reader that
follows ChildShards and sees every record exactly once, AWS's errors, and
kill -9 losing no acknowledged record.

CTest runs it with /usr/bin/python3 (Debian's boto3) and with the pip python3
(current boto3); both speak AWS JSON 1.1 to Kinesis.
"""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import harness  # noqa: E402


def client(server):
    return boto3.client("kinesis", endpoint_url=server.endpoint, region_name=harness.REGION,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}))


def wait_active(kinesis, name):
    for _ in range(100):
        if kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise AssertionError("stream %s never became ACTIVE" % name)


def read_shard(kinesis, name, shard_id, iterator_type="TRIM_HORIZON", **kw):
    """Every record of a shard from the position asked, and the children at its end (or None if open)."""
    it = kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id, ShardIteratorType=iterator_type,
                                    **kw)["ShardIterator"]
    out = []
    while it:
        r = kinesis.get_records(ShardIterator=it, Limit=1000)
        out += r["Records"]
        if "NextShardIterator" not in r:
            return out, r.get("ChildShards", [])
        if not r["Records"] and r["MillisBehindLatest"] == 0:
            return out, None
        it = r["NextShardIterator"]
    return out, None


class KinesisBoto3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.kinesis = client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.close()

    def test_two_consumers_read_the_same_stream_independently(self):
        k = self.kinesis
        k.create_stream(StreamName="clicks", ShardCount=2)
        wait_active(k, "clicks")
        puts = [k.put_record(StreamName="clicks", Data=b"click-%d" % i, PartitionKey="user-%d" % (i % 5))
                for i in range(40)]
        shards = [s["ShardId"] for s in k.list_shards(StreamName="clicks")["Shards"]]
        self.assertEqual(len(shards), 2)
        # Consumer A reads everything from the start; consumer B starts after the 20th record of its shard.
        a = [r for s in shards for r in read_shard(k, "clicks", s)[0]]
        self.assertEqual(sorted(r["Data"] for r in a), sorted(b"click-%d" % i for i in range(40)))
        mid = puts[20]
        b, _ = read_shard(k, "clicks", mid["ShardId"], "AFTER_SEQUENCE_NUMBER",
                          StartingSequenceNumber=mid["SequenceNumber"])
        expected = [p for p in puts[21:] if p["ShardId"] == mid["ShardId"]]
        self.assertEqual([r["SequenceNumber"] for r in b], [p["SequenceNumber"] for p in expected])
        # A's reading did not move B, and B's did not move A: read again, same answers.
        self.assertEqual(len([r for s in shards for r in read_shard(k, "clicks", s)[0]]), 40)

    def test_one_partition_key_stays_in_order(self):
        k = self.kinesis
        k.create_stream(StreamName="ordered", ShardCount=4)
        wait_active(k, "ordered")
        entries = [{"Data": b"%05d" % i, "PartitionKey": "order-42"} for i in range(300)]
        for i in range(0, 300, 100):
            r = k.put_records(StreamName="ordered", Records=entries[i:i + 100])
            self.assertEqual(r["FailedRecordCount"], 0)
            self.assertEqual(len({x["ShardId"] for x in r["Records"]}), 1)
        shard = r["Records"][0]["ShardId"]
        got, _ = read_shard(k, "ordered", shard)
        self.assertEqual([x["Data"] for x in got], [e["Data"] for e in entries])
        self.assertEqual([x["SequenceNumber"] for x in got], sorted(x["SequenceNumber"] for x in got))
        self.assertTrue(all(x["PartitionKey"] == "order-42" for x in got))

    def test_split_and_merge_under_load_lose_and_duplicate_nothing(self):
        k = self.kinesis
        k.create_stream(StreamName="reshard", ShardCount=1)
        wait_active(k, "reshard")
        acked, stop = [], threading.Event()
        producer_client = client(self.server)

        def produce():
            i = 0
            while not stop.is_set() or i < 200:
                r = producer_client.put_records(StreamName="reshard", Records=[
                    {"Data": b"%d:%06d" % (j % 7, i + j), "PartitionKey": "key-%d" % (j % 7)} for j in range(10)])
                acked.extend(b"%d:%06d" % (j % 7, i + j) for j, x in enumerate(r["Records"]) if "SequenceNumber" in x)
                i += 10

        t = threading.Thread(target=produce)
        t.start()
        time.sleep(0.3)
        k.split_shard(StreamName="reshard", ShardToSplit="shardId-000000000000",
                      NewStartingHashKey=str(2 ** 127))
        time.sleep(0.3)
        k.merge_shards(StreamName="reshard", ShardToMerge="shardId-000000000001",
                       AdjacentShardToMerge="shardId-000000000002")
        time.sleep(0.3)
        stop.set()
        t.join()
        # Read the way the KCL does: a shard once all its parents are done.
        shards = {s["ShardId"]: s for s in k.list_shards(StreamName="reshard")["Shards"]}
        self.assertEqual(len(shards), 4)
        done, seen, todo = set(), [], ["shardId-000000000000"]
        while todo:
            sid = todo.pop(0)
            parents = [p for p in (shards[sid].get("ParentShardId"), shards[sid].get("AdjacentParentShardId")) if p]
            if any(p not in done for p in parents):
                todo.append(sid)
                continue
            records, children = read_shard(k, "reshard", sid)
            seen += [r["Data"] for r in records]
            done.add(sid)
            for c in children or []:
                if c["ShardId"] not in done and c["ShardId"] not in todo:
                    todo.append(c["ShardId"])
        self.assertEqual(len(seen), len(set(seen)), "no record twice")
        self.assertEqual(sorted(seen), sorted(acked), "every acknowledged record, once")
        for key in range(7):
            mine = [s for s in seen if s.startswith(b"%d:" % key)]
            self.assertEqual(mine, sorted(mine), "key-%d in order across the reshard" % key)

    def test_errors_are_awss(self):
        k = self.kinesis
        with self.assertRaises(ClientError) as e:
            k.describe_stream(StreamName="missing")
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")
        k.create_stream(StreamName="dup", ShardCount=1)
        with self.assertRaises(ClientError) as e:
            k.create_stream(StreamName="dup", ShardCount=1)
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceInUseException")
        with self.assertRaises(ClientError) as e:
            k.get_records(ShardIterator="AAAA")
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidArgumentException")
        with self.assertRaises(ClientError) as e:
            k.put_record(StreamName="dup", Data=b"x" * (1024 * 1024), PartitionKey="k")
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        with self.assertRaises(ClientError) as e:
            k.increase_stream_retention_period(StreamName="dup", RetentionPeriodHours=9000)
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidArgumentException")

    def test_kill9_loses_no_acknowledged_record(self):
        server = harness.Server().start()
        try:
            k = client(server)
            k.create_stream(StreamName="durable", ShardCount=2)
            wait_active(k, "durable")
            acked = []
            for i in range(20):
                r = k.put_records(StreamName="durable", Records=[
                    {"Data": b"%04d" % (i * 10 + j), "PartitionKey": str(j)} for j in range(10)])
                acked += [b"%04d" % (i * 10 + j) for j, x in enumerate(r["Records"]) if "SequenceNumber" in x]
            server.kill9()
            server.restart()
            k = client(server)
            got = []
            for s in k.list_shards(StreamName="durable")["Shards"]:
                got += [r["Data"] for r in read_shard(k, "durable", s["ShardId"])[0]]
            self.assertEqual(sorted(got), sorted(acked))
            # New records go on after the old ones.
            last = k.put_record(StreamName="durable", Data=b"after", PartitionKey="0")
            records, _ = read_shard(k, "durable", last["ShardId"])
            self.assertEqual(records[-1]["Data"], b"after")
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
