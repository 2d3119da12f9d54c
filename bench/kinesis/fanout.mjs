// The subscribe scenario of bench/run-kinesis.sh: enhanced fan-out as an
// application sees it, through the AWS SDK for JavaScript v3.
//
//   node kinesis/fanout.mjs --port P [options] [--label key=value]...   one JSON line on stdout
//
// RegisterStreamConsumer on a fresh stream, then SubscribeToShard on every shard
// (HTTP/2 and the AWS event stream, the SDK's default transport for Kinesis). Two
// phases of PutRecords, each record's data starting with a stamp (run tag, phase,
// sequence, send time on this process's monotonic clock):
//   throughput  PutRecords of 100 × 1 KiB on N loops, closed loop, for S seconds;
//               push records/s from the first put until the last push.
//   latency     records put at a paced rate (default half the throughput phase's
//               push rate) for D seconds; put-to-push time of every record.
// Every record acknowledged must be pushed once. A server without
// RegisterStreamConsumer or SubscribeToShard is reported "not-supported" with
// its own answer, not skipped.
//
// Puts and the control calls go over HTTP/1.1 keep-alive (NodeHttpHandler), as
// the C++ generator's do, so that every system takes them; only SubscribeToShard
// needs HTTP/2. The SDK's retries are off: an error is counted, not hidden.

import http from "node:http";
import { randomBytes } from "node:crypto";
import {
  KinesisClient,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  SubscribeToShardCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const usage = `usage: node kinesis/fanout.mjs --port P [options] [--label key=value]...
  --host H                 [127.0.0.1]
  --stream NAME            [bench-fanout]
  --shards N               of the stream made [4]
  --consumer NAME          [bench-fanout]
  --throughput-seconds S   closed-loop phase [5]
  --connections N          closed-loop PutRecords loops [4]
  --batch N                records per PutRecords [100]
  --record-bytes N         [1024]
  --duration S             paced phase [10]
  --rate R                 paced records/s [half the throughput phase's push rate]
  --settle S               a wait for pushes ends after S s without one [5]
  --timeout S              bound on each setup step and each wait [60]`;

// ---- options -----------------------------------------------------------------
const o = {
  host: "127.0.0.1", port: 0, stream: "bench-fanout", shards: 4, consumer: "bench-fanout",
  throughputSeconds: 5, connections: 4, batch: 100, recordBytes: 1024, duration: 10, rate: 0,
  settle: 5, timeout: 60,
};
const labels = {};
{
  const argv = process.argv.slice(2);
  const names = {
    "--host": "host", "--port": "port", "--stream": "stream", "--shards": "shards", "--consumer": "consumer",
    "--throughput-seconds": "throughputSeconds", "--connections": "connections", "--batch": "batch",
    "--record-bytes": "recordBytes", "--duration": "duration", "--rate": "rate", "--settle": "settle",
    "--timeout": "timeout",
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i], value = argv[i + 1];
    if (flag === "-h" || flag === "--help") { console.log(usage); process.exit(0); }
    if (value === undefined) { console.error(`fanout: missing value for ${flag}\n${usage}`); process.exit(2); }
    if (flag === "--label") {
      const eq = value.indexOf("=");
      if (eq < 0) { console.error("fanout: --label wants key=value"); process.exit(2); }
      const v = value.slice(eq + 1);
      labels[value.slice(0, eq)] = v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
    } else if (names[flag]) {
      const key = names[flag];
      o[key] = typeof o[key] === "number" ? Number(value) : value;
      if (Number.isNaN(o[key])) { console.error(`fanout: bad value for ${flag}: ${value}`); process.exit(2); }
    } else {
      console.error(`fanout: unknown option ${flag}\n${usage}`); process.exit(2);
    }
  }
  if (!o.port) { console.error(`fanout: --port is required\n${usage}`); process.exit(2); }
}

// ---- clients -------------------------------------------------------------------
// The SDK warns on every start that it will want Node 22 from 2027; Debian 12 has 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const endpoint = `http://${o.host}:${o.port}`;
const common = {
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
};
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections + 8 });
const control = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler({ httpAgent: agent }) });
// The SDK's own default for Kinesis: NodeHttp2Handler, h2c with prior knowledge on http://.
const streaming = new KinesisClient(common);
// The fallback for a server whose HTTP/2 fails (below): a connection per subscription.
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: o.shards + 4 });
const streaming1 = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler({ httpAgent: streamAgent }) });

// ---- bookkeeping ---------------------------------------------------------------
const t0 = process.hrtime.bigint();
const nowNs = () => Number(process.hrtime.bigint() - t0);
const runTag = randomBytes(3).toString("hex");  // records of another run are not ours
const STAMP_BYTES = 32;  // "<tag:6><phase:1><seq:10><sent ns:15>"
const padding = randomBytes(o.recordBytes);
const out = { scenario: "subscribe", shards: o.shards, batch: o.batch, record_bytes: o.recordBytes };
const errors = new Map();
let errorCount = 0;
function error(kind) {
  errorCount++;
  const k = String(kind).slice(0, 200);
  errors.set(k, (errors.get(k) ?? 0) + 1);
}
// "Name (HTTP status): message", without the SDK's hint about $response.
const describe = (e) => {
  const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
  const message = String(e?.message ?? e).split("\n")[0];
  return `${e?.name ?? "Error"}${e?.code ? ` ${e.code}` : ""}${status}: ${message}`.slice(0, 300);
};

// One phase's records: which were acknowledged, which pushed, and when.
class Phase {
  constructor(letter) {
    this.letter = letter;
    this.sent = 0;
    this.acked = new Uint8Array(1 << 16);
    this.ackedCount = 0;
    this.pushed = new Uint8Array(1 << 16);
    this.pushedCount = 0;
    this.duplicates = 0;
    this.latencies = [];
    this.firstPutNs = 0;
    this.lastPushNs = 0;
    this.lastPutReplyNs = 0;
  }
  grow(seq) {
    while (seq >= this.acked.length) {
      const a = new Uint8Array(this.acked.length * 2); a.set(this.acked); this.acked = a;
      const p = new Uint8Array(this.pushed.length * 2); p.set(this.pushed); this.pushed = p;
    }
  }
  record(seq, sentNs) {
    const data = Buffer.allocUnsafe(o.recordBytes);
    padding.copy(data);
    data.write(`${runTag}${this.letter}${String(seq).padStart(10, "0")}${String(sentNs).padStart(15, "0")}`, 0, "latin1");
    return data;
  }
}
const phases = { T: new Phase("T"), P: new Phase("P") };
let foreign = 0;

function onPushed(data, atNs) {
  const stamp = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, STAMP_BYTES)).toString("latin1");
  const phase = stamp.startsWith(runTag) ? phases[stamp[6]] : undefined;
  if (!phase || data.length !== o.recordBytes) { foreign++; return; }
  const seq = Number(stamp.slice(7, 17)), sentNs = Number(stamp.slice(17, 32));
  phase.grow(seq);
  if (phase.pushed[seq]) { phase.duplicates++; return; }
  phase.pushed[seq] = 1;
  phase.pushedCount++;
  phase.lastPushNs = atNs;
  phase.latencies.push(atNs - sentNs);
}

// ---- setup ---------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn) {
  const deadline = Date.now() + o.timeout * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${o.timeout} s`);
    await sleep(20);
  }
}

// A server's answer that means it has no such operation (as opposed to a failure of one it has).
function meansUnsupported(e) {
  const text = `${e?.name ?? ""} ${e?.message ?? ""} ${e?.Code ?? ""}`;
  const status = e?.$metadata?.httpStatusCode;
  return /UnknownOperation|InvalidAction|NotImplemented|not (yet |been )?implemented|not supported|unsupported/i.test(text) ||
    status === 404 || status === 405 || status === 501;
}

async function createStream() {
  try {
    await control.send(new CreateStreamCommand({ StreamName: o.stream, ShardCount: o.shards }));
  } catch (e) {
    if (e?.name !== "ResourceInUseException") throw new Error(`CreateStream: ${describe(e)}`);
  }
  const summary = await until("stream ACTIVE", async () => {
    const r = await control.send(new DescribeStreamSummaryCommand({ StreamName: o.stream }));
    return r.StreamDescriptionSummary?.StreamStatus === "ACTIVE" ? r.StreamDescriptionSummary : null;
  });
  const shards = [];
  let token;
  do {
    const r = await control.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: o.stream }));
    for (const s of r.Shards ?? []) shards.push(s.ShardId);
    token = r.NextToken;
  } while (token);
  return { arn: summary.StreamARN, shards };
}

async function registerConsumer(streamArn, name) {
  const r = await control.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }));
  const arn = r.Consumer?.ConsumerARN;
  if (!arn) throw new Error("RegisterStreamConsumer returned no ConsumerARN");
  await until("consumer ACTIVE", async () => {
    const d = await control.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn }));
    return d.ConsumerDescription?.ConsumerStatus === "ACTIVE";
  });
  return arn;
}

// ---- subscriptions -------------------------------------------------------------
let stopping = false;
const subscriptions = [];

// A failure below HTTP: refused, reset, or an HTTP/2 protocol error.
function isTransport(e) {
  const text = `${e?.code ?? ""} ${e?.name ?? ""} ${e?.message ?? ""}`;
  return !e?.$metadata?.httpStatusCode || /ERR_HTTP2|Protocol error|ECONNRESET|ECONNREFUSED|socket hang up|aborted/i.test(text);
}

// One shard's subscription: SubscribeToShard, read its events, and subscribe
// again from the ContinuationSequenceNumber when the server ends it (AWS does
// after 5 minutes) while the run goes on. `ready` settles with the first event,
// or fails if the stream fails before one.
class Subscription {
  constructor(client, consumerArn, shardId) {
    this.client = client;
    this.consumerArn = consumerArn;
    this.shardId = shardId;
    this.continuation = null;
    this.events = 0;
    this.subscribes = 0;
    this.abort = new AbortController();
    this.ready = new Promise((resolve, reject) => { this.onReady = resolve; this.onEarlyError = reject; });
    this.ready.catch(() => {});
  }

  // Resolves once the server has answered SubscribeToShard (its response headers).
  async open() {
    const stream = await this.subscribe();
    this.read(stream);
  }

  async subscribe() {
    this.subscribes++;
    // TRIM_HORIZON on a fresh stream: nothing put after the subscription is
    // missed, however long the server takes to start pushing.
    const position = this.continuation
      ? { Type: "AFTER_SEQUENCE_NUMBER", SequenceNumber: this.continuation }
      : { Type: "TRIM_HORIZON" };
    const connectTimer = setTimeout(() => this.abort.abort(), o.timeout * 1000);
    try {
      const r = await this.client.send(
        new SubscribeToShardCommand({ ConsumerARN: this.consumerArn, ShardId: this.shardId, StartingPosition: position }),
        { abortSignal: this.abort.signal });
      return r.EventStream;
    } finally {
      clearTimeout(connectTimer);
    }
  }

  async read(stream) {
    for (;;) {
      try {
        for await (const event of stream) {
          const e = event.SubscribeToShardEvent;
          if (!e) {
            error(`SubscribeToShard event: ${JSON.stringify(event).slice(0, 160)}`);
            continue;
          }
          if (this.events++ === 0) this.onReady();
          const at = nowNs();
          for (const rec of e.Records ?? []) onPushed(rec.Data, at);
          if (e.ContinuationSequenceNumber) this.continuation = e.ContinuationSequenceNumber;
        }
      } catch (err) {
        if (stopping) return;
        if (this.events === 0) return this.onEarlyError(err);
        error(`SubscribeToShard stream: ${describe(err)}`);
      }
      if (stopping) return;
      try {
        stream = await this.subscribe();
      } catch (err) {
        if (!stopping) error(`SubscribeToShard again: ${describe(err)}`);
        return;
      }
    }
  }

  close() { this.abort.abort(); }
}

// Subscribes every shard over HTTP/2, as the SDK does by default; if that fails
// below HTTP, over HTTP/1.1 (the SDK with NodeHttpHandler reads an event stream
// from a chunked body too), so that a server whose HTTP/2 is the trouble is
// measured and says so. Returns {transport, subs} or {unsupported: reason};
// throws on a failure that is the server's answer to a call it has.
async function subscribeAll(streamArn, consumerArn, shards) {
  const failures = [];
  for (const [transport, client] of [["HTTP/2", streaming], ["HTTP/1.1", streaming1]]) {
    const subs = [];
    try {
      // A consumer of its own for the second try: the server may still hold the
      // first one's failed subscriptions (ResourceInUseException, as AWS would).
      if (failures.length) consumerArn = await registerConsumer(streamArn, `${o.consumer}-http1`);
      for (const shard of shards) {
        const s = new Subscription(client, consumerArn, shard);
        subs.push(s);
        await s.open();
      }
      // AWS sends a first event at once. Wait for it (a while), so that a stream
      // that fails at once is caught here and the throughput phase does not time
      // the subscriptions' start.
      await Promise.race([Promise.all(subs.map((s) => s.ready)), sleep(5000)]);
      return { transport, subs, failures };
    } catch (e) {
      stopping = true;
      for (const s of subs) s.close();
      await sleep(50);
      stopping = false;
      failures.push(`over ${transport}: ${describe(e)}`);
      // Over HTTP/2, the SDK's way, a server's error answer to a call it has is a
      // failure of the run; after HTTP/2 failed below HTTP, any failure over
      // HTTP/1.1 too means the server cannot serve it to this SDK at all.
      if (transport === "HTTP/2" && !isTransport(e) && !meansUnsupported(e)) {
        throw new Error(`SubscribeToShard ${failures.join("; ")}`);
      }
      if (!isTransport(e)) break;
    }
  }
  return { unsupported: `SubscribeToShard ${failures.join("; ")}` };
}

// ---- producers -----------------------------------------------------------------
// Spread over the shards like random keys (the servers hash them with MD5), for
// less than crypto.randomBytes costs per record.
let keyState = Number.parseInt(runTag, 16) | 1;
function partitionKey() {
  keyState = (Math.imul(keyState, 1103515245) + 12345) >>> 0;
  return keyState.toString(16).padStart(8, "0");
}

async function putBatch(phase, count) {
  const seqs = [], records = [];
  const sentNs = nowNs();
  if (!phase.firstPutNs) phase.firstPutNs = sentNs;
  for (let i = 0; i < count; i++) {
    const seq = phase.sent++;
    phase.grow(seq);
    seqs.push(seq);
    records.push({ Data: phase.record(seq, sentNs), PartitionKey: partitionKey() });
  }
  try {
    const r = await control.send(new PutRecordsCommand({ StreamName: o.stream, Records: records }));
    const entries = r.Records ?? [];
    if (entries.length !== count) error(`PutRecords answered ${entries.length} entries for ${count}`);
    entries.forEach((entry, i) => {
      if (entry.SequenceNumber && i < seqs.length) {
        phase.acked[seqs[i]] = 1;
        phase.ackedCount++;
      } else if (entry.ErrorCode) {
        error(`PutRecords record: ${entry.ErrorCode}`);
      }
    });
  } catch (e) {
    error(`PutRecords: ${describe(e)}`);
  }
  phase.lastPutReplyNs = nowNs();
}

async function closedLoop(phase, seconds) {
  const end = Date.now() + seconds * 1000;
  const loop = async () => { while (Date.now() < end) await putBatch(phase, o.batch); };
  await Promise.all(Array.from({ length: o.connections }, loop));
}

// Open loop: every 5 ms, puts what is due by then at `rate` records/s, with at
// most 16 PutRecords in flight, so a slow reply does not hold back the schedule.
async function pacedLoop(phase, rate, seconds) {
  const start = Date.now(), end = start + seconds * 1000;
  const inflight = new Set();
  let waits = 0;  // times the schedule was behind with every slot taken
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - phase.sent;
    if (due > 0) {
      if (inflight.size >= 16) { waits++; await Promise.race(inflight); continue; }
      const p = putBatch(phase, Math.min(due, 500)).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await sleep(5);
  }
  await Promise.all(inflight);
  return waits;
}

// Waits until every acknowledged record of `phase` was pushed, or nothing came
// for o.settle seconds, or o.timeout passed.
async function awaitPushes(phase) {
  const deadline = Date.now() + o.timeout * 1000;
  let last = phase.pushedCount, lastChange = Date.now();
  while (phase.pushedCount < phase.ackedCount && Date.now() < deadline) {
    await sleep(10);
    if (phase.pushedCount !== last) { last = phase.pushedCount; lastChange = Date.now(); }
    if (Date.now() - lastChange > o.settle * 1000) break;
  }
}

function percentile(sorted, q) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
}

// ---- the run -------------------------------------------------------------------
function finish(status) {
  out.status = status;
  out.errors = errorCount;
  out.error_samples = [...errors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([e, count]) => ({ count, error: e }));
  const cpu = process.cpuUsage();
  out.generator_cpu_seconds = (cpu.user + cpu.system) / 1e6;
  Object.assign(out, labels);
  process.stdout.write(JSON.stringify(out) + "\n");
  const f = (v) => (v === undefined ? "-" : typeof v === "number" ? v.toFixed(v < 100 ? 2 : 0) : v);
  let line = `  subscribe   ${String(labels.system ?? "").padEnd(18)} rep ${String(labels.rep ?? "-").padEnd(3)}`;
  if (status === "not-supported") line += ` not supported: ${out.unsupported_reason}`;
  else {
    line += ` push ${f(out.rate)} records/s, paced ${f(out.paced_rate)}/s p50 ${f((out.p50_us ?? 0) / 1000)} ms`;
    line += ` p99 ${f((out.p99_us ?? 0) / 1000)} ms  errors ${out.errors}  ${status}  verify ${out.verify ?? "-"}`;
  }
  if (out.error_samples.length && status !== "not-supported") line += `\n    first error: ${out.error_samples[0].error}`;
  process.stderr.write(line + "\n");
  stopping = true;
  for (const s of subscriptions) s.abort.abort();
  agent.destroy();
  streamAgent.destroy();
  streaming.destroy();
  streaming1.destroy();
  control.destroy();
  // Open HTTP/2 sessions would keep the process alive.
  setTimeout(() => process.exit(0), 50);
}

function phaseFigures(phase, prefix) {
  const lat = Float64Array.from(phase.latencies).sort();
  const span = phase.lastPushNs > phase.firstPutNs ? (phase.lastPushNs - phase.firstPutNs) / 1e9 : 0;
  out[`${prefix}_sent`] = phase.sent;
  out[`${prefix}_acknowledged`] = phase.ackedCount;
  out[`${prefix}_pushed`] = phase.pushedCount;
  out[`${prefix}_duplicates`] = phase.duplicates;
  out[`${prefix}_push_seconds`] = span;
  out[`${prefix}_push_rate`] = span > 0 ? phase.pushedCount / span : 0;
  out[`${prefix}_p50_us`] = percentile(lat, 0.5) / 1000;
  out[`${prefix}_p99_us`] = percentile(lat, 0.99) / 1000;
  out[`${prefix}_max_us`] = lat.length ? lat[lat.length - 1] / 1000 : 0;
  let missing = 0, extra = 0;
  for (let s = 0; s < phase.sent; s++) {
    if (phase.acked[s] && !phase.pushed[s]) missing++;
    if (!phase.acked[s] && phase.pushed[s]) extra++;
  }
  return { missing, extra };
}

try {
  out.stream = o.stream;
  const { arn, shards } = await createStream();
  out.shards = shards.length;

  let consumerArn;
  try {
    consumerArn = await registerConsumer(arn, o.consumer);
  } catch (e) {
    if (meansUnsupported(e)) {
      out.unsupported_reason = `RegisterStreamConsumer: ${describe(e)}`;
      finish("not-supported");
    } else {
      throw new Error(`RegisterStreamConsumer: ${describe(e)}`);
    }
  }

  if (consumerArn) {
    const opened = await subscribeAll(arn, consumerArn, shards);
    if (opened.unsupported) {
      out.unsupported_reason = opened.unsupported;
      finish("not-supported");
    } else {
      subscriptions.push(...opened.subs);
      out.transport = opened.transport;
      if (opened.failures.length) out.transport_note = `SubscribeToShard ${opened.failures.join("; ")}`;
      out.subscriptions_with_first_event = subscriptions.filter((s) => s.events > 0).length;

      const T = phases.T;
      out.throughput_connections = o.connections;
      out.throughput_put_seconds = o.throughputSeconds;
      const putStart = nowNs();
      await closedLoop(T, o.throughputSeconds);
      out.throughput_put_rate = T.ackedCount / ((T.lastPutReplyNs - putStart) / 1e9);
      await awaitPushes(T);
      const t = phaseFigures(T, "throughput");
      out.rate = out.throughput_push_rate;
      out.rate_unit = "records/s";
      out.saturated_p50_us = out.throughput_p50_us;
      out.saturated_p99_us = out.throughput_p99_us;

      const P = phases.P;
      const rate = o.rate > 0 ? o.rate : Math.max(1, Math.round(out.rate / 2));
      out.paced_rate_given = o.rate;
      out.paced_rate_target = rate;
      out.paced_seconds = o.duration;
      out.paced_waits_for_slot = await pacedLoop(P, rate, o.duration);
      out.paced_put_rate = P.ackedCount / o.duration;
      await awaitPushes(P);
      const p = phaseFigures(P, "paced");
      out.paced_rate = out.paced_push_rate;
      out.p50_us = out.paced_p50_us;
      out.p99_us = out.paced_p99_us;
      out.max_us = out.paced_max_us;
      out.foreign_records = foreign;
      out.subscribes = subscriptions.reduce((n, s) => n + s.subscribes, 0);
      out.events = subscriptions.reduce((n, s) => n + s.events, 0);

      const problems = [];
      if (T.ackedCount === 0) problems.push("no record acknowledged in the throughput phase");
      if (t.missing) problems.push(`throughput: ${t.missing} of ${T.ackedCount} not pushed`);
      if (p.missing) problems.push(`paced: ${p.missing} of ${P.ackedCount} not pushed`);
      if (T.duplicates + P.duplicates) problems.push(`${T.duplicates + P.duplicates} pushed twice`);
      if (t.extra + p.extra) out.pushed_unacknowledged = t.extra + p.extra;  // a failed put can still land
      out.verify = problems.length ? "FAIL" : "ok";
      if (problems.length) {
        out.verify_detail = problems.join("; ");
        process.stderr.write(`subscribe: FAIL: ${out.verify_detail}\n`);
      }
      finish(problems.length ? "FAIL" : errorCount ? "errors" : "ok");
    }
  }
} catch (e) {
  error(e?.message ?? String(e));
  finish("error");
}
