// sns-validator (AWS's validator for Node.js) for envelopes whose SigningCertURL is
// plain http on a loopback host, as the sidecar serves it:
//
//   import { validate } from "./sns-validator-http.mjs";
//   await validate(envelope);  // rejects with sns-validator's error
//
// sns-validator only accepts an https SigningCertURL and fetches it with https.get.
// Only the transport is replaced: the envelope is handed
// to sns-validator with SigningCertURL's scheme set to https (SigningCertURL is not
// signed), and https.get of a loopback host goes to plain http. Everything that decides
// validity is the package's own code: the required keys, the certificate host and
// ".pem" checks, the string to sign, the RSA-SHA1 / RSA-SHA256 verification.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const http = require("node:http");
const https = require("node:https"); // the very object sns-validator calls https.get on
const MessageValidator = require("sns-validator");

// sns-validator tests the pattern against host:port.
export const LOOPBACK_HOSTS = /^(localhost|127\.0\.0\.1)(:\d+)?$/;

const httpsGet = https.get;
https.get = (url, ...rest) => {
  const target = new URL(String(url));
  if (target.protocol !== "https:" || !LOOPBACK_HOSTS.test(target.host)) return httpsGet.call(https, url, ...rest);
  return http.get("http:" + target.href.slice("https:".length), ...rest);
};

export function validate(envelope) {
  const message = { ...envelope };
  if (typeof message.SigningCertURL === "string" && message.SigningCertURL.startsWith("http:")) {
    message.SigningCertURL = "https:" + message.SigningCertURL.slice("http:".length);
  }
  const validator = new MessageValidator(LOOPBACK_HOSTS);
  return new Promise((resolve, reject) => validator.validate(message, (err) => (err ? reject(err) : resolve())));
}
