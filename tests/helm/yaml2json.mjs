// Reads multi-document YAML on stdin and prints the non-empty documents as one
// JSON array, so the Python tests need no YAML library.
import { parseAllDocuments } from "yaml";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const docs = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length) {
    console.error(doc.errors.map((e) => e.message).join("\n"));
    process.exit(1);
  }
  const value = doc.toJS();
  if (value != null) docs.push(value);
}
process.stdout.write(JSON.stringify(docs));
