// Checks one SNS envelope the way a Node.js receiver does, with sns-validator (AWS's
// validator for Node.js), through sns-validator-http.mjs:
//
//   node sns-validator-check.mjs <envelope.json> <certificate.pem>
//
// Exit status: 0 valid, 1 refused by sns-validator, 2 the check could not run.
// Run by runtime/topic/tests/signing_test.cc, which has no sidecar: this script
// serves the PEM itself, over http at the envelope's SigningCertURL (host, port, path).

import { readFileSync } from "node:fs";
import http from "node:http";

import { validate } from "./sns-validator-http.mjs";

const [envelopePath, certPath] = process.argv.slice(2);
if (!envelopePath || !certPath) {
  console.error("usage: node sns-validator-check.mjs <envelope.json> <certificate.pem>");
  process.exit(2);
}
const envelope = JSON.parse(readFileSync(envelopePath, "utf8"));
const pem = readFileSync(certPath, "utf8");
const certUrl = new URL(envelope.SigningCertURL);

setTimeout(() => {
  console.error("sns-validator-check: timed out");
  process.exit(2);
}, 10_000).unref();

const server = http.createServer((req, res) => {
  if (req.url === certUrl.pathname) {
    res.writeHead(200, { "content-type": "application/x-pem-file" });
    res.end(pem);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.on("error", (err) => {
  console.error(`sns-validator-check: cannot serve the certificate: ${err.message}`);
  process.exit(2);
});

server.listen(Number(certUrl.port), certUrl.hostname, () => {
  validate(envelope).then(
    () => {
      server.close();
      process.exit(0);
    },
    (err) => {
      server.close();
      console.error(`sns-validator refused the message: ${err.message}`);
      process.exit(1);
    },
  );
});
