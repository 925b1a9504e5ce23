#!/usr/bin/env -S node --max-semi-space-size=8
import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import "./chunks/chunk-MTYGN2KO.js";

// src/cli/main.ts
import * as nodeModule from "node:module";

// src/cli/compile-cache.ts
import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
function privateCompileCacheDir(env) {
  if (env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return void 0;
  let home = "";
  try {
    home = homedir();
  } catch {
  }
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : home && join(home, ".cache");
  if (!base) return void 0;
  const dir = join(base, "claude-tasks", "node-compile-cache");
  try {
    mkdirSync(dir, { recursive: true, mode: 448 });
    const uid = process.getuid?.();
    for (const d of [join(base, "claude-tasks"), dir]) {
      const s = statSync(d);
      if (!s.isDirectory() || uid !== void 0 && s.uid !== uid || (s.mode & 18) !== 0)
        return void 0;
    }
  } catch {
    return void 0;
  }
  return dir;
}

// src/cli/main.ts
var cacheDir = privateCompileCacheDir(process.env);
if (cacheDir) nodeModule.enableCompileCache?.(cacheDir);
var { main } = await import("./chunks/program-22Y2DZTE.js");
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
  });
}
process.exitCode = await main(process.argv.slice(2));
