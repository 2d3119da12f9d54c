// Starts fauxqs on FAUXQS_PORT with request logging off. Its CLI (dist/cli.js)
// passes logger: true, which overrides FAUXQS_LOGGER=false and would make the
// benchmark measure log writing (nginx runs with access_log off likewise).
import { startFauxqs } from "fauxqs";

const port = Number(process.env.FAUXQS_PORT ?? 4566);
const server = await startFauxqs({ port, logger: false });
console.log(`fauxqs listening on ${server.address}`);
