import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  assertValid,
  loadProject
} from "./chunk-DUTI55RA.js";

// src/cli/context.ts
function globals(cmd) {
  return cmd.optsWithGlobals();
}
async function validProject(cmd) {
  const g = globals(cmd);
  return assertValid(await loadProject({ cwd: g.cwd, configDir: g.configDir }));
}

// src/cli/output.ts
import { styleText } from "node:util";
function paint(format, text, stream = process.stdout) {
  return styleText(format, text, { stream });
}
function print(text = "") {
  process.stdout.write(`${text}
`);
}
function printJson(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}
`);
}
function printErr(text) {
  process.stderr.write(`${text}
`);
}

export {
  globals,
  validProject,
  paint,
  print,
  printJson,
  printErr
};
