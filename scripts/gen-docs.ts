/**
 * Writes docs/configuration.md from the task file schema (see scripts/config-docs.ts).
 *   node scripts/gen-docs.ts          write the file
 *   node scripts/gen-docs.ts --check  exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIGURATION_DOC, configurationMarkdown } from "./config-docs.ts";

const target = fileURLToPath(new URL(`../${CONFIGURATION_DOC}`, import.meta.url));
const text = configurationMarkdown();

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing: stale
  }
  if (current !== text) {
    process.stderr.write(`${CONFIGURATION_DOC} is out of date; run \`npm run docs\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(`${CONFIGURATION_DOC} is up to date\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
}
