import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);

// src/engine/node-builtin.ts
async function nodeHttp() {
  return process.getBuiltinModule?.("node:http") ?? (await import("node:http")).default;
}
async function nodeHttps() {
  return process.getBuiltinModule?.("node:https") ?? (await import("node:https")).default;
}

export {
  nodeHttp,
  nodeHttps
};
