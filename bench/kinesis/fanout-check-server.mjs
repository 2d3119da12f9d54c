// A minimal in-memory Kinesis for checking kinesis/fanout.mjs itself, not a
// system of the benchmark: CreateStream, DescribeStreamSummary, ListShards,
// RegisterStreamConsumer, DescribeStreamConsumer, PutRecords and
// SubscribeToShard, the last over h2c (prior knowledge) and over HTTP/1.1
// (chunked), on one port. It shows that the scenario works over HTTP/2 against
// a server that streams correctly, and how many records/s the Node generator
// itself can put and take (bench/README.md, Kinesis caveats):
//
//   node kinesis/fanout-check-server.mjs PORT &
//   node kinesis/fanout.mjs --port PORT
//
// Records go to shards by the first byte of the MD5 of their partition key;
// every subscriber gets an `initial-response` event, then one event per turn of
// the event loop with what arrived.
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import zlib from "node:zlib";
import crypto from "node:crypto";

const port = Number(process.argv[2]);
if (!port) {
  console.error("usage: node kinesis/fanout-check-server.mjs PORT  (uses PORT + 1 on 127.0.0.1 for HTTP/2)");
  process.exit(2);
}
const SHARDS = 4;
const shardId = (i) => `shardId-${String(i).padStart(12, "0")}`;
let nextSequence = 49000000000000000000000000000000n;
const streams = new Map();  // name -> { shards: [records[]], subscribers: [Set<fn>] }
const consumers = new Map();  // consumer ARN -> stream name

function stream(name) {
  if (!streams.has(name)) {
    streams.set(name, {
      shards: Array.from({ length: SHARDS }, () => []),
      subscribers: Array.from({ length: SHARDS }, () => new Set()),
    });
  }
  return streams.get(name);
}

// One AWS event-stream message: prelude (total and headers length, CRC32),
// string headers, JSON payload, CRC32 of everything before it.
function eventMessage(eventType, payload) {
  const header = (name, value) => {
    const n = Buffer.from(name), v = Buffer.from(value);
    const b = Buffer.alloc(1 + n.length + 3 + v.length);
    b[0] = n.length;
    n.copy(b, 1);
    b[1 + n.length] = 7;  // string
    b.writeUInt16BE(v.length, 2 + n.length);
    v.copy(b, 4 + n.length);
    return b;
  };
  const headers = Buffer.concat([
    header(":message-type", "event"), header(":event-type", eventType), header(":content-type", "application/json"),
  ]);
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + headers.length + body.length + 4, 0);
  prelude.writeUInt32BE(headers.length, 4);
  prelude.writeUInt32BE(zlib.crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headers, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(message), 0);
  return Buffer.concat([message, crc]);
}

// Answers one call through `reply` ({head(status, type), write(bytes), end(bytes)});
// returns a function that ends a subscription, if it started one.
function serve(target, req, reply) {
  const json = (o, status = 200) => {
    reply.head(status, "application/x-amz-json-1.1");
    reply.end(JSON.stringify(o));
  };
  const arnOf = (name) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  switch (String(target).split(".")[1]) {
    case "CreateStream":
      stream(req.StreamName);
      return json({});
    case "DescribeStreamSummary":
      stream(req.StreamName);
      return json({ StreamDescriptionSummary: { StreamName: req.StreamName, StreamARN: arnOf(req.StreamName), StreamStatus: "ACTIVE", OpenShardCount: SHARDS } });
    case "ListShards":
      return json({ Shards: Array.from({ length: SHARDS }, (_, i) => ({ ShardId: shardId(i) })) });
    case "RegisterStreamConsumer": {
      const arn = `${req.StreamARN}/consumer/${req.ConsumerName}:1`;
      consumers.set(arn, req.StreamARN.split("/")[1]);
      return json({ Consumer: { ConsumerName: req.ConsumerName, ConsumerARN: arn, ConsumerStatus: "ACTIVE" } });
    }
    case "DescribeStreamConsumer":
      return json({ ConsumerDescription: { ConsumerARN: req.ConsumerARN, ConsumerStatus: "ACTIVE" } });
    case "PutRecords": {
      const s = stream(req.StreamName);
      const entries = req.Records.map((r) => {
        const shard = crypto.createHash("md5").update(r.PartitionKey).digest()[0] % SHARDS;
        const record = { SequenceNumber: String(nextSequence++), Data: r.Data, PartitionKey: r.PartitionKey, ApproximateArrivalTimestamp: Date.now() / 1000 };
        s.shards[shard].push(record);
        for (const push of s.subscribers[shard]) push(record);
        return { SequenceNumber: record.SequenceNumber, ShardId: shardId(shard) };
      });
      return json({ FailedRecordCount: 0, Records: entries });
    }
    case "SubscribeToShard": {
      const s = stream(consumers.get(req.ConsumerARN));
      const shard = Number(req.ShardId.slice(-12));
      reply.head(200, "application/vnd.amazon.eventstream");
      reply.write(eventMessage("initial-response", {}));
      let pending = req.StartingPosition?.Type === "TRIM_HORIZON" ? [...s.shards[shard]] : [];
      let scheduled = null, continuation = String(nextSequence);
      const flush = () => {
        scheduled = null;
        const records = pending;
        pending = [];
        if (records.length) continuation = records[records.length - 1].SequenceNumber;
        reply.write(eventMessage("SubscribeToShardEvent", { Records: records, ContinuationSequenceNumber: continuation, MillisBehindLatest: 0 }));
      };
      const push = (record) => {
        pending.push(record);
        scheduled ??= setImmediate(flush);
      };
      flush();
      s.subscribers[shard].add(push);
      return () => s.subscribers[shard].delete(push);
    }
    default:
      return json({ __type: "UnknownOperationException" }, 400);
  }
}

function readJson(source, done) {
  const chunks = [];
  source.on("data", (c) => chunks.push(c));
  source.on("end", () => done(JSON.parse(Buffer.concat(chunks).toString() || "{}")));
}

const http1 = http.createServer((req, res) => readJson(req, (body) => {
  const cancel = serve(req.headers["x-amz-target"], body, {
    head: (status, type) => res.writeHead(status, { "content-type": type }),
    write: (b) => res.write(b),
    end: (b) => res.end(b),
  });
  if (cancel) res.on("close", cancel);
}));

const h2 = http2.createServer();
h2.on("stream", (s, headers) => readJson(s, (body) => {
  const cancel = serve(headers["x-amz-target"], body, {
    head: (status, type) => s.respond({ ":status": status, "content-type": type }),
    write: (b) => s.write(b),
    end: (b) => s.end(b),
  });
  if (cancel) s.on("close", cancel);
}));
h2.on("sessionError", () => {});

// One port for both: an HTTP/2 connection (its preface starts "PRI") is relayed
// to the HTTP/2 server's own port, since Node's http2 reads a socket's handle
// directly and would miss bytes already read from it.
h2.listen(port + 1, "127.0.0.1");
net.createServer((socket) => {
  socket.on("error", () => {});
  socket.once("data", (first) => {
    if (first.toString("latin1", 0, 3) === "PRI") {
      const upstream = net.connect(port + 1, "127.0.0.1", () => {
        upstream.write(first);
        socket.pipe(upstream);
        upstream.pipe(socket);
      });
      upstream.on("error", () => socket.destroy());
      upstream.on("close", () => socket.destroy());
      socket.on("close", () => upstream.destroy());
    } else {
      socket.pause();
      socket.unshift(first);
      http1.emit("connection", socket);
      socket.resume();
    }
  });
}).listen(port, "127.0.0.1", () => console.log(`fanout check server on http://127.0.0.1:${port} (HTTP/1.1 and h2c)`));
