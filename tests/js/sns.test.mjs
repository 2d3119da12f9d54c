// SNS through the AWS SDK for JavaScript v3 (@aws-sdk/client-sns, query protocol) against
// the sidecar, read back with @aws-sdk/client-sqs: fan-out with attribute and body
// filters, raw delivery of every attribute type, a FIFO topic into a FIFO queue,
// PublishBatch, and an HTTP subscriber that confirms, receives and checks signatures
// with sns-validator. The scenarios are tests/integration/test_sns_boto3.py's. Started by
// tests/integration/test_sdk_js.py, which passes the endpoint in SLUICE_SNS_ENDPOINT.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import http from "node:http";
import {
  SNSClient,
  CreateTopicCommand,
  SubscribeCommand,
  PublishCommand,
  PublishBatchCommand,
  ListSubscriptionsByTopicCommand,
  GetSubscriptionAttributesCommand,
  NotFoundException,
  InvalidParameterException,
  TooManyEntriesInBatchRequestException,
  BatchEntryIdsNotDistinctException,
} from "@aws-sdk/client-sns";
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from "@aws-sdk/client-sqs";
import { validate } from "./sns-validator-http.mjs";

const endpoint = process.env.SLUICE_SNS_ENDPOINT;
if (!endpoint) {
  throw new Error("SLUICE_SNS_ENDPOINT is not set: run tests/integration/test_sdk_js.py");
}
const ACCOUNT = "000000000000";
const REGION = "us-east-1";
const config = {
  endpoint,
  region: REGION,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
};
const sns = new SNSClient(config);
const sqs = new SQSClient(config);

let counter = 0;
const unique = (tag) => `js-sns-${tag}-${++counter}`;

const createTopic = async (name, Attributes) =>
  (await sns.send(new CreateTopicCommand({ Name: name, Attributes }))).TopicArn;

// A queue and its ARN (the documented form; test_sqs_cli.py checks it).
const createQueue = async (name, Attributes) => {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl;
  return { url, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` };
};

const subscribeQueue = async (TopicArn, queue, Attributes) => {
  const input = { TopicArn, Protocol: "sqs", Endpoint: queue.arn, Attributes, ReturnSubscriptionArn: true };
  return (await sns.send(new SubscribeCommand(input))).SubscriptionArn;
};

// Everything the queue holds: receives (and deletes) until `expect` messages came, then
// once more to see that nothing else arrives.
const drain = async (QueueUrl, expect, timeoutMs = 10_000) => {
  const got = [];
  const once = async (WaitTimeSeconds) => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length) {
      const Entries = messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
    }
    got.push(...messages);
  };
  const deadline = Date.now() + timeoutMs;
  while (got.length < expect && Date.now() < deadline) await once(1);
  await once(1);
  return got;
};

// MD5 of SQS message attributes, as in sqs.test.mjs (the SDK only checks body digests).
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

// SNS answers NotFound with HTTP 404 and the other client errors with 400.
const rejectsWith = (promise, cls) =>
  assert.rejects(promise, (err) => {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, cls === NotFoundException ? 404 : 400);
    return true;
  });

test("fan-out: three queues, attribute and body filters, exactly who got what", async () => {
  const TopicArn = await createTopic(unique("orders"));
  const all = await createQueue(unique("all"));
  const premium = await createQueue(unique("premium"));
  const usBody = await createQueue(unique("us-body"));
  await subscribeQueue(TopicArn, all);
  await subscribeQueue(TopicArn, premium, { FilterPolicy: JSON.stringify({ orderType: ["premium"] }) });
  await subscribeQueue(TopicArn, usBody, {
    FilterPolicy: JSON.stringify({ region: ["US"] }),
    FilterPolicyScope: "MessageBody",
    RawMessageDelivery: "true",
  });

  // Order 2 carries a region *attribute* of US while its body says EU: the body-scoped
  // filter must look at the body only.
  const orders = [
    [1, "premium", "US"],
    [2, "standard", "EU"],
    [3, "standard", "US"],
    [4, "premium", "EU"],
  ];
  const ids = {};
  for (const [id, kind, region] of orders) {
    const MessageAttributes = { orderType: { DataType: "String", StringValue: kind } };
    if (id === 2) MessageAttributes.region = { DataType: "String", StringValue: "US" };
    const Message = JSON.stringify({ id, region });
    const out = await sns.send(new PublishCommand({ TopicArn, Message, MessageAttributes }));
    ids[id] = out.MessageId;
  }

  const envelopes = (await drain(all.url, 4)).map((m) => JSON.parse(m.Body));
  assert.deepEqual(envelopes.map((e) => JSON.parse(e.Message).id).sort(), [1, 2, 3, 4]);
  for (const e of envelopes) {
    const { id } = JSON.parse(e.Message);
    assert.equal(e.Type, "Notification");
    assert.equal(e.TopicArn, TopicArn);
    assert.equal(e.MessageId, ids[id]);
    assert.equal(e.MessageAttributes.orderType.Type, "String");
  }
  assert.equal(envelopes[0].SignatureVersion, "1");
  await validate(envelopes[0]); // the envelope an SQS consumer receives is signed too (SHA1)
  const premiumIds = (await drain(premium.url, 2)).map((m) => JSON.parse(JSON.parse(m.Body).Message).id);
  assert.deepEqual(premiumIds.sort(), [1, 4]);
  const usIds = (await drain(usBody.url, 2)).map((m) => JSON.parse(m.Body).id);
  assert.deepEqual(usIds.sort(), [1, 3]);

  const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.deepEqual(Subscriptions.map((s) => s.Endpoint).sort(), [all.arn, premium.arn, usBody.arn].sort());
});

test("raw delivery carries String, Number, Binary and String.Array attributes", async () => {
  const TopicArn = await createTopic(unique("typed"));
  const raw = await createQueue(unique("typed-raw"));
  const wrapped = await createQueue(unique("typed-envelope"));
  await subscribeQueue(TopicArn, raw, { RawMessageDelivery: "true" });
  await subscribeQueue(TopicArn, wrapped);
  const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
  const MessageAttributes = {
    text: { DataType: "String", StringValue: "ünïcødé \u{1F680}" },
    amount: { DataType: "Number", StringValue: "-12.5e3" },
    blob: { DataType: "Binary", BinaryValue: bytes },
    tags: { DataType: "String.Array", StringValue: '["red", 7, true, null]' },
  };
  const body = "raw body with ünïcødé\nand a newline";
  await sns.send(new PublishCommand({ TopicArn, Message: body, MessageAttributes }));

  const [m, ...more] = await drain(raw.url, 1);
  assert.equal(more.length, 0);
  assert.equal(m.Body, body);
  const a = m.MessageAttributes;
  assert.deepEqual(Object.keys(a).sort(), ["amount", "blob", "tags", "text"]);
  assert.deepEqual([a.text.DataType, a.text.StringValue], ["String", MessageAttributes.text.StringValue]);
  assert.deepEqual([a.amount.DataType, a.amount.StringValue], ["Number", "-12.5e3"]);
  assert.equal(a.blob.DataType, "Binary");
  assert.deepEqual(Buffer.from(a.blob.BinaryValue), Buffer.from(bytes));
  // The array arrives as its JSON text, typed String.Array: to SQS a String labelled "Array".
  assert.equal(a.tags.StringValue, '["red", 7, true, null]');
  assert.equal(a.tags.DataType, "String.Array");
  assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(a));

  const [w] = await drain(wrapped.url, 1);
  const e = JSON.parse(w.Body);
  assert.equal(e.Message, body);
  assert.deepEqual(e.MessageAttributes, {
    text: { Type: "String", Value: MessageAttributes.text.StringValue },
    amount: { Type: "Number", Value: "-12.5e3" },
    blob: { Type: "Binary", Value: Buffer.from(bytes).toString("base64") },
    tags: { Type: "String.Array", Value: '["red", 7, true, null]' },
  });
});

test("a FIFO topic into a FIFO queue keeps the order within each group", async () => {
  const TopicArn = await createTopic(`${unique("ledger")}.fifo`, { FifoTopic: "true" });
  const queue = await createQueue(`${unique("ledger")}.fifo`, { FifoQueue: "true" });
  await subscribeQueue(TopicArn, queue, { RawMessageDelivery: "true" });
  const seqs = [];
  for (let i = 0; i < 15; i++) {
    const out = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: `entry-${i}`,
        MessageGroupId: `g${i % 3}`,
        MessageDeduplicationId: `d${i}`,
      }),
    );
    seqs.push(BigInt(out.SequenceNumber));
  }
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], "SNS sequence numbers increase");
  const dup = await sns.send(
    new PublishCommand({ TopicArn, Message: "entry-0 again", MessageGroupId: "g0", MessageDeduplicationId: "d0" }),
  );
  assert.equal(BigInt(dup.SequenceNumber), seqs[0], "a duplicate within 5 minutes is the first message");

  const got = await drain(queue.url, 15);
  const byGroup = {};
  for (const m of got) (byGroup[m.Attributes.MessageGroupId] ??= []).push(Number(m.Body.split("-")[1]));
  assert.deepEqual(byGroup, { g0: [0, 3, 6, 9, 12], g1: [1, 4, 7, 10, 13], g2: [2, 5, 8, 11, 14] });
  await rejectsWith(sns.send(new PublishCommand({ TopicArn, Message: "no group" })), InvalidParameterException);
});

test("PublishBatch: per-entry results, delivery of the successes, batch errors", async () => {
  const TopicArn = await createTopic(unique("batch"));
  const queue = await createQueue(unique("batch"));
  await subscribeQueue(TopicArn, queue, { RawMessageDelivery: "true" });
  const out = await sns.send(
    new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: "a", Message: "first", MessageAttributes: { n: { DataType: "Number", StringValue: "1" } } },
        { Id: "b", Message: "" },
        { Id: "c", Message: "third", MessageAttributes: { n: { DataType: "Number", StringValue: "3" } } },
      ],
    }),
  );
  assert.deepEqual(out.Successful.map((s) => s.Id).sort(), ["a", "c"]);
  assert.ok(out.Successful.every((s) => s.MessageId));
  assert.equal(out.Failed.length, 1);
  assert.equal(out.Failed[0].Id, "b");
  assert.equal(out.Failed[0].SenderFault, true);
  assert.ok(out.Failed[0].Code);

  const got = await drain(queue.url, 2);
  assert.deepEqual(got.map((m) => [m.Body, m.MessageAttributes.n.StringValue]).sort(), [
    ["first", "1"],
    ["third", "3"],
  ]);

  const entries = (n) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: "m" }));
  const batch = (arn, PublishBatchRequestEntries) =>
    sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries }));
  await rejectsWith(batch(TopicArn, entries(11)), TooManyEntriesInBatchRequestException);
  const twins = [
    { Id: "x", Message: "1" },
    { Id: "x", Message: "2" },
  ];
  await rejectsWith(batch(TopicArn, twins), BatchEntryIdsNotDistinctException);
  await rejectsWith(batch(`${TopicArn}-missing`, entries(1)), NotFoundException);
});

// An HTTP endpoint subscribed to a topic: records every POST; confirms by fetching SubscribeURL.
const startSubscriber = async () => {
  const posts = [];
  const confirmations = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const post = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      posts.push(post);
      res.writeHead(200, { "content-length": "0" });
      res.end();
      if (req.headers["x-amz-sns-message-type"] === "SubscriptionConfirmation") {
        const confirm = fetch(JSON.parse(post.body).SubscribeURL);
        confirmations.push(confirm.then(async (r) => ({ status: r.status, text: await r.text() })));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const waitFor = async (type, n, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = posts.filter((p) => p.headers["x-amz-sns-message-type"] === type);
      if (found.length >= n || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const url = `http://127.0.0.1:${server.address().port}/sns`;
  return { url, posts, confirmations, waitFor, close: () => server.close() };
};

test("an HTTP subscriber confirms, receives a Notification, and sns-validator accepts both", async () => {
  const TopicArn = await createTopic(unique("webhook"), { SignatureVersion: "2" });
  const subscriber = await startSubscriber();
  try {
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: subscriber.url }));
    assert.equal(sub.SubscriptionArn, "pending confirmation");

    const [confirmation] = await subscriber.waitFor("SubscriptionConfirmation", 1);
    assert.ok(confirmation, "a SubscriptionConfirmation was posted");
    const c = JSON.parse(confirmation.body);
    assert.equal(c.Type, "SubscriptionConfirmation");
    assert.equal(c.TopicArn, TopicArn);
    assert.equal(confirmation.headers["x-amz-sns-topic-arn"], TopicArn);
    await validate(c);
    const confirmed = await subscriber.confirmations[0];
    assert.equal(confirmed.status, 200, confirmed.text);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(confirmed.text)?.[1];
    assert.ok(arn?.startsWith(`${TopicArn}:`), `ConfirmSubscription answered ${confirmed.text}`);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(
      Subscriptions.map((s) => [s.SubscriptionArn, s.Protocol, s.Endpoint]),
      [[arn, "http", subscriber.url]],
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    assert.equal(Attributes.PendingConfirmation, "false");

    const published = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: "hello over http",
        Subject: "Greeting",
        MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } },
      }),
    );
    const [notification] = await subscriber.waitFor("Notification", 1);
    assert.ok(notification, "a Notification was posted");
    assert.equal(notification.headers["x-amz-sns-message-id"], published.MessageId);
    assert.equal(notification.headers["x-amz-sns-topic-arn"], TopicArn);
    assert.equal(notification.headers["x-amz-sns-subscription-arn"], arn);
    assert.match(notification.headers["content-type"], /^text\/plain/);
    const n = JSON.parse(notification.body);
    assert.deepEqual(
      [n.Type, n.MessageId, n.TopicArn, n.Subject, n.Message],
      ["Notification", published.MessageId, TopicArn, "Greeting", "hello over http"],
    );
    assert.deepEqual(n.MessageAttributes, { kind: { Type: "String", Value: "greeting" } });
    assert.equal(n.SignatureVersion, "2");
    assert.ok(n.UnsubscribeURL, "the envelope has an UnsubscribeURL");
    await validate(n);
    // The check is live: sns-validator refuses an envelope whose signed text changed.
    await assert.rejects(validate({ ...n, Message: "tampered" }), /signature is invalid/);
  } finally {
    subscriber.close();
  }
});

test("errors map to the modeled exceptions", async () => {
  const missing = `arn:aws:sns:${REGION}:${ACCOUNT}:js-sns-no-such-topic`;
  await rejectsWith(sns.send(new PublishCommand({ TopicArn: missing, Message: "m" })), NotFoundException);
  const TopicArn = await createTopic(unique("errors"));
  const email = new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "someone@example.com" });
  await rejectsWith(sns.send(email), InvalidParameterException);
  const tooLarge = "x".repeat(256 * 1024 + 1);
  await rejectsWith(sns.send(new PublishCommand({ TopicArn, Message: tooLarge })), InvalidParameterException);
});
