/**
 * Writes schema/task.schema.json from the task file's zod definition.
 *   node scripts/gen-schema.ts          write the file
 *   node scripts/gen-schema.ts --check  exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SCHEMA_RELATIVE_PATH, taskJsonSchemaText } from "../src/engine/config/index.ts";

const target = fileURLToPath(new URL(`../${SCHEMA_RELATIVE_PATH}`, import.meta.url));
const text = taskJsonSchemaText();

if (process.argv.includes("--check")) {
  const current = readOr(target, "");
  if (current !== text) {
    process.stderr.write(
      `${SCHEMA_RELATIVE_PATH} is out of date; run \`npm run schema\` and commit the result\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${SCHEMA_RELATIVE_PATH} is up to date\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${SCHEMA_RELATIVE_PATH}\n`);
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}
