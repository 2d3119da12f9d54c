// Kinesis through the AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis) with its default
// transport: every call over HTTP/2 (h2c with prior knowledge to an http:// endpoint), and
// SubscribeToShard as an AWS event stream. Enhanced fan-out pushes each record within
// 100 ms of its put, ContinuationSequenceNumber resumes a subscription without loss, a
// reshard ends a subscription with ChildShards, and a second subscription within 5 s is
// refused. Started by tests/integration/test_sdk_js.py (SLUICE_KINESIS_ENDPOINT).

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  KinesisClient,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  RegisterStreamConsumerCommand,
  PutRecordCommand,
  PutRecordsCommand,
  GetShardIteratorCommand,
  GetRecordsCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-kinesis";

const endpoint = process.env.SLUICE_KINESIS_ENDPOINT;
if (!endpoint) {
  throw new Error("SLUICE_KINESIS_ENDPOINT is not set: run tests/integration/test_sdk_js.py");
}
const kinesis = new KinesisClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

let counter = 0;
const unique = (tag) => `js-kinesis-${tag}-${++counter}`;
const text = (bytes) => Buffer.from(bytes).toString();

// A stream with `shards` shards and one registered consumer, both ACTIVE.
async function streamWithConsumer(tag, shards = 1) {
  const StreamName = unique(tag);
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: shards }));
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
  assert.equal(summary.StreamDescriptionSummary.StreamStatus, "ACTIVE");
  const StreamARN = summary.StreamDescriptionSummary.StreamARN;
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: "app" }));
  assert.equal(Consumer.ConsumerStatus, "ACTIVE");
  return { StreamName, StreamARN, ConsumerARN: Consumer.ConsumerARN };
}

// Reads one subscription's events into `into` until the stream ends or `stop()` is called.
function subscribe(ConsumerARN, ShardId, StartingPosition) {
  const sub = { events: [], records: [], arrivals: [], ended: false, error: null };
  const abort = new AbortController();
  sub.stop = () => abort.abort();
  sub.done = (async () => {
    try {
      const out = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }), {
        abortSignal: abort.signal,
      });
      for await (const event of out.EventStream) {
        const e = event.SubscribeToShardEvent;
        if (!e) continue;
        sub.events.push(e);
        const now = performance.now();
        for (const r of e.Records) {
          sub.records.push(r);
          sub.arrivals.push(now);
        }
      }
    } catch (err) {
      if (err.name !== "AbortError") sub.error = err;
    }
    sub.ended = true;
  })();
  return sub;
}

async function until(what, predicate, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("SubscribeToShard pushes every record within 100 ms of its put, once and in order", async () => {
  const s = await streamWithConsumer("push");
  const sub = subscribe(s.ConsumerARN, "shardId-000000000000", { Type: "LATEST" });
  await until("the first event", () => sub.events.length > 0);
  const sent = [];
  for (let i = 0; i < 50; ++i) {
    const t = performance.now();
    await kinesis.send(new PutRecordCommand({ StreamName: s.StreamName, PartitionKey: "k", Data: Buffer.from(`r${i}`) }));
    sent.push(t);
    await until(`record ${i}`, () => sub.records.length > i);
  }
  sub.stop();
  await sub.done;
  assert.equal(sub.error, null);
  assert.deepEqual(sub.records.map((r) => text(r.Data)), sent.map((_, i) => `r${i}`));
  const delays = sub.arrivals.map((t, i) => t - sent[i]).sort((a, b) => a - b);
  assert.ok(delays[delays.length - 1] < 100, `slowest put-to-push ${delays[delays.length - 1].toFixed(1)} ms`);
  for (const e of sub.events) assert.equal(typeof e.ContinuationSequenceNumber, "string");
});

test("ContinuationSequenceNumber resumes a subscription where it stopped", async () => {
  const s = await streamWithConsumer("resume");
  const put = (i) => kinesis.send(new PutRecordCommand({ StreamName: s.StreamName, PartitionKey: "k", Data: Buffer.from(`r${i}`) }));
  for (let i = 0; i < 5; ++i) await put(i);
  const first = subscribe(s.ConsumerARN, "shardId-000000000000", { Type: "TRIM_HORIZON" });
  await until("five records", () => first.records.length === 5);
  first.stop();
  await first.done;
  const checkpoint = first.events.at(-1).ContinuationSequenceNumber;
  for (let i = 5; i < 8; ++i) await put(i);

  // Within 5 s of the first, the same consumer and shard are refused.
  await assert.rejects(
    kinesis.send(new SubscribeToShardCommand({ ConsumerARN: s.ConsumerARN, ShardId: "shardId-000000000000", StartingPosition: { Type: "LATEST" } })),
    ResourceInUseException,
  );
  await new Promise((r) => setTimeout(r, 5_100));
  const second = subscribe(s.ConsumerARN, "shardId-000000000000", { Type: "AFTER_SEQUENCE_NUMBER", SequenceNumber: checkpoint });
  await until("three more records", () => second.records.length === 3);
  second.stop();
  await second.done;
  assert.deepEqual([...first.records, ...second.records].map((r) => text(r.Data)), ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
});

test("a split ends the parent's subscription with ChildShards, and the children carry on", async () => {
  const s = await streamWithConsumer("split");
  const parent = subscribe(s.ConsumerARN, "shardId-000000000000", { Type: "TRIM_HORIZON" });
  await until("the first event", () => parent.events.length > 0);
  const keys = ["a", "b", "c", "d", "e", "f"];
  const putAll = (round) =>
    kinesis.send(new PutRecordsCommand({
      StreamName: s.StreamName,
      Records: keys.map((k) => ({ PartitionKey: k, Data: Buffer.from(`${k}${round}`) })),
    }));
  await putAll(0);
  await kinesis.send(new SplitShardCommand({
    StreamName: s.StreamName, ShardToSplit: "shardId-000000000000", NewStartingHashKey: (2n ** 127n).toString(),
  }));
  await putAll(1);
  await until("the parent's end", () => parent.ended);
  assert.equal(parent.error, null);
  const last = parent.events.at(-1);
  assert.equal(last.ContinuationSequenceNumber, undefined);
  assert.deepEqual(last.ChildShards.map((c) => c.ShardId).sort(), ["shardId-000000000001", "shardId-000000000002"]);
  for (const c of last.ChildShards) assert.deepEqual(c.ParentShards, ["shardId-000000000000"]);

  const children = last.ChildShards.map((c) => subscribe(s.ConsumerARN, c.ShardId, { Type: "TRIM_HORIZON" }));
  await until("the second round", () => children.reduce((n, c) => n + c.records.length, 0) === keys.length);
  for (const c of children) c.stop();
  await Promise.all(children.map((c) => c.done));
  const seen = [...parent.records, ...children.flatMap((c) => c.records)].map((r) => text(r.Data));
  assert.deepEqual(seen.sort(), keys.flatMap((k) => [`${k}0`, `${k}1`]).sort(), "every record once");

  const shards = await kinesis.send(new ListShardsCommand({ StreamName: s.StreamName }));
  assert.equal(shards.Shards.length, 3);
});

test("GetRecords works over the same HTTP/2 client, and an unknown consumer is not found", async () => {
  const s = await streamWithConsumer("h2");
  await kinesis.send(new PutRecordCommand({ StreamName: s.StreamName, PartitionKey: "k", Data: Buffer.from("over h2") }));
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
    StreamName: s.StreamName, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON",
  }));
  const got = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  assert.deepEqual(got.Records.map((r) => text(r.Data)), ["over h2"]);
  await assert.rejects(
    kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: `${s.StreamARN}/consumer/nobody:1`, ShardId: "shardId-000000000000", StartingPosition: { Type: "LATEST" },
    })),
    ResourceNotFoundException,
  );
});
