// `npm run bench`: the reliability suite's fuzzing, longer (each property × FACTOR of its CI runs).
// Prints one JSON line: { inputs, ms, failures, failed: ["B-Z01: …"] }.
import { fuzz, PROPERTIES } from "../../tests/reliability/support/fuzz.ts";

const factor = Number(process.argv[2] ?? 20);
let inputs = 0;
let ms = 0;
const failed: string[] = [];
for (const p of PROPERTIES) {
  const r = fuzz(p.property, p.runs * factor, { id: p.id });
  inputs += r.runs;
  ms += r.ms;
  if (r.failure) failed.push(`${p.id}: ${r.failure}`);
}
console.log(JSON.stringify({ inputs, ms, failures: failed.length, failed }));
