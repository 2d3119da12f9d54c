// Checks one SNS envelope the way a Node.js receiver does, with sns-validator (AWS's
// validator for Node.js):
//
//   node sns-validator-check.mjs <envelope.json> <certificate.pem>
//
// Exit status: 0 valid, 1 refused by sns-validator, 2 the check could not run.
// Run by runtime/topic/tests/signing_test.cc.
//
// sns-validator only accepts an https SigningCertURL and fetches it with https.get,
// while the test serves the certificate over plain http on 127.0.0.1. So only the
// transport is replaced: this script serves the PEM over http at the envelope's
// SigningCertURL (host, port and path), hands sns-validator the envelope with that
// URL's scheme set to https (SigningCertURL is not signed), and routes https.get to
// plain http. Everything that decides validity is the package's own code: the
// required keys, the certificate host and ".pem" checks, the string to sign, the
// RSA-SHA1 / RSA-SHA256 verification.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const http = require("node:http");
const https = require("node:https"); // the very object sns-validator calls https.get on
const MessageValidator = require("sns-validator");

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

https.get = (url, ...rest) => http.get(String(url).replace(/^https:/, "http:"), ...rest);

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
  // sns-validator tests the pattern against host:port.
  const validator = new MessageValidator(/^(localhost|127\.0\.0\.1)(:\d+)?$/);
  const message = { ...envelope };
  if (certUrl.protocol === "http:") message.SigningCertURL = "https:" + certUrl.href.slice("http:".length);
  validator.validate(message, (err) => {
    server.close();
    if (err) {
      console.error(`sns-validator refused the message: ${err.message}`);
      process.exit(1);
    }
    process.exit(0);
  });
});
