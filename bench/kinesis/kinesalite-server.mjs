// Starts kinesalite on 127.0.0.1 only (its CLI listens on every interface), with
// the CLI's options: --port, --path (LevelDB; in memory without it),
// --createStreamMs, --deleteStreamMs, --updateStreamMs, --shardLimit.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const minimist = require("minimist");
const kinesalite = require("kinesalite");

const argv = minimist(process.argv.slice(2));
const server = kinesalite(argv).listen(argv.port || 4567, "127.0.0.1", () => {
  const address = server.address();
  console.log(`kinesalite listening at http://${address.address}:${address.port}${argv.path ? ` (LevelDB ${argv.path})` : " (in memory)"}`);
});
