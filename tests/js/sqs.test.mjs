// The AWS SDK for JavaScript v3 against the sidecar, with the SDK's default settings
// (AWS JSON 1.0, body MD5 validation on). Started by tests/integration/test_sdk_js.py,
// which runs the sidecar and passes its endpoint in SLUICE_SQS_ENDPOINT.
//
// The SDK itself only re-checks body digests (MD5OfMessageBody, MD5OfBody); the
// attribute digests are recomputed here, the way the Java and Go SDKs do, so a digest
// bug fails this suite whichever SDK a user runs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import http from "node:http";
import {
  SQSClient,
  CreateQueueCommand,
  SendMessageCommand,
  SendMessageBatchCommand,
  ReceiveMessageCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
} from "@aws-sdk/client-sqs";

const endpoint = process.env.SLUICE_SQS_ENDPOINT;
if (!endpoint) {
  throw new Error("SLUICE_SQS_ENDPOINT is not set: run tests/integration/test_sdk_js.py");
}

const clientFor = (url) =>
  new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
const sqs = clientFor(endpoint);

let counter = 0;
const createQueue = async (tag, attributes) => {
  const name = `js-${tag}-${++counter}`;
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl;
};

// MD5 of message attributes: names sorted; each of name, data type and value
// length-prefixed (4 bytes big-endian), value preceded by 1 (string) or 2 (binary).
const md5OfAttributes = (attrs) => {
  const hash = createHash("md5");
  const field = (buf) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    hash.update(len);
    hash.update(buf);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name];
    field(Buffer.from(name, "utf8"));
    field(Buffer.from(a.DataType, "utf8"));
    if (a.StringValue !== undefined) {
      hash.update(Buffer.from([1]));
      field(Buffer.from(a.StringValue, "utf8"));
    } else {
      hash.update(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue));
    }
  }
  return hash.digest("hex");
};

const normalize = (attrs) =>
  Object.fromEntries(
    Object.entries(attrs ?? {}).map(([k, v]) => [
      k,
      v.BinaryValue !== undefined
        ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue).toString("hex") }
        : { DataType: v.DataType, StringValue: v.StringValue },
    ]),
  );

const ATTRIBUTES = {
  str: { DataType: "String", StringValue: "ünïcødé \u{1F680}" },
  num: { DataType: "Number", StringValue: "-0.000123" },
  bin: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 0xfe, 0xff]) },
  "custom.string": { DataType: "String.label", StringValue: "custom" },
  "custom.number": { DataType: "Number.float", StringValue: "6.02e23" },
  "custom.binary": { DataType: "Binary.png", BinaryValue: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
};
const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

const receiveAll = async (QueueUrl, n, extra = {}) => {
  const got = [];
  const deadline = Date.now() + 10_000;
  while (got.length < n && Date.now() < deadline) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...extra }),
    );
    got.push(...(out.Messages ?? []));
  }
  return got;
};

test("the SDK rejects a wrong body MD5 (so the checks below are live)", async () => {
  const server = http.createServer((req, res) => {
    const target = req.headers["x-amz-target"];
    res.setHeader("content-type", "application/x-amz-json-1.0");
    req.resume();
    req.on("end", () => {
      if (target === "AmazonSQS.SendMessage") {
        res.end(JSON.stringify({ MessageId: "m", MD5OfMessageBody: "0".repeat(32) }));
      } else {
        res.end(JSON.stringify({ Messages: [{ MessageId: "m", ReceiptHandle: "r", Body: "b", MD5OfBody: "0".repeat(32) }] }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const fake = clientFor(`http://127.0.0.1:${server.address().port}`);
    const url = `http://127.0.0.1:${server.address().port}/000000000000/q`;
    await assert.rejects(fake.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })), /Checksum/i);
    await assert.rejects(fake.send(new ReceiveMessageCommand({ QueueUrl: url })), /MD5/);
  } finally {
    server.close();
  }
});

test("send and receive user attributes of every type and AWSTraceHeader", async () => {
  const QueueUrl = await createQueue("attrs");
  const system = { AWSTraceHeader: { DataType: "String", StringValue: TRACE } };
  const body = "body with ünïcødé, \u{1F600}, tabs\tand\nnewlines\r\n";
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: ATTRIBUTES, MessageSystemAttributes: system }),
  );
  assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(ATTRIBUTES));
  assert.equal(sent.MD5OfMessageSystemAttributes, md5OfAttributes(system));

  const [m] = await receiveAll(QueueUrl, 1, { MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] });
  assert.ok(m, "message received");
  assert.equal(m.Body, body);
  assert.equal(m.MessageId, sent.MessageId);
  assert.deepEqual(normalize(m.MessageAttributes), normalize(ATTRIBUTES));
  assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(m.MessageAttributes));
  assert.equal(m.Attributes.AWSTraceHeader, TRACE);
  assert.equal(m.Attributes.ApproximateReceiveCount, "1");
});

test("a subset of attributes comes with the digest of that subset", async () => {
  const QueueUrl = await createQueue("subset");
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "s", MessageAttributes: ATTRIBUTES }));
  const [m] = await receiveAll(QueueUrl, 1, { MessageAttributeNames: ["custom.*", "bin"] });
  assert.deepEqual(Object.keys(m.MessageAttributes).sort(), ["bin", "custom.binary", "custom.number", "custom.string"]);
  assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(m.MessageAttributes));
});

test("SendMessageBatch and ReceiveMessage of 10 with attributes", async () => {
  const QueueUrl = await createQueue("batch");
  const bodies = ["plain", "   ", "ünïcødé", "\u{1F4A9}\u{1F4A9}", "<xml>&amp;</xml>", "line1\nline2", "x".repeat(100_000), "\t", "9", "end"];
  const entries = bodies.map((MessageBody, i) => ({
    Id: `e${i}`,
    MessageBody,
    MessageAttributes: {
      index: { DataType: "Number", StringValue: String(i) },
      ...(i % 2 ? { blob: { DataType: "Binary.raw", BinaryValue: new Uint8Array([i, 255 - i]) } } : {}),
      ...(i % 3 ? { tag: { DataType: "String.t", StringValue: `tag-${i}` } } : {}),
    },
  }));
  const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  assert.equal(sent.Failed?.length ?? 0, 0);
  assert.equal(sent.Successful.length, 10);
  for (const s of sent.Successful) {
    const entry = entries.find((e) => e.Id === s.Id);
    assert.equal(s.MD5OfMessageAttributes, md5OfAttributes(entry.MessageAttributes), `entry ${s.Id}`);
  }

  const got = await receiveAll(QueueUrl, 10, { MessageAttributeNames: ["All"] });
  assert.equal(got.length, 10);
  assert.deepEqual(got.map((m) => m.Body).sort(), [...bodies].sort());
  for (const m of got) {
    assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(m.MessageAttributes), `message ${m.Body.slice(0, 20)}`);
    const i = Number(m.MessageAttributes.index.StringValue);
    assert.deepEqual(normalize(m.MessageAttributes), normalize(entries[i].MessageAttributes));
  }
  const deleted = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
    }),
  );
  assert.equal(deleted.Successful.length, 10);
});

test("FIFO: order within a group, sequence numbers, group attributes", async () => {
  const name = `js-order-${++counter}.fifo`;
  const fifo = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } }))).QueueUrl;
  const seqs = [];
  for (let i = 0; i < 5; i++) {
    const out = await sqs.send(
      new SendMessageCommand({ QueueUrl: fifo, MessageBody: `m${i}`, MessageGroupId: "g", MessageDeduplicationId: `d${i}` }),
    );
    seqs.push(BigInt(out.SequenceNumber));
  }
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], "sequence numbers increase");
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: fifo, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }),
  );
  assert.deepEqual(out.Messages.map((m) => m.Body), ["m0", "m1", "m2", "m3", "m4"]);
  assert.equal(out.Messages[0].Attributes.MessageGroupId, "g");
  assert.equal(BigInt(out.Messages[0].Attributes.SequenceNumber), seqs[0]);
});

test("errors map to the modeled exceptions", async () => {
  const missing = `${endpoint}/000000000000/js-no-such-queue`;
  for (const call of [
    () => sqs.send(new GetQueueUrlCommand({ QueueName: "js-no-such-queue" })),
    () => sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: "x" })),
  ]) {
    await assert.rejects(call, (err) => {
      assert.ok(err instanceof QueueDoesNotExist, `got ${err.name}: ${err.message}`);
      assert.equal(err.name, "QueueDoesNotExist");
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(err.Code, "AWS.SimpleQueueService.NonExistentQueue");
      return true;
    });
  }
  const QueueUrl = await createQueue("errors");
  await assert.rejects(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), (err) => {
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.Code, "InvalidParameterValue");
    return true;
  });
});
