#!/usr/bin/env -S node --max-semi-space-size=8
// A small young generation: planning 10,000 tasks stays well under 200 MB (see docs/benchmarks.md).
import * as nodeModule from "node:module";
import { privateCompileCacheDir } from "./compile-cache.ts";

// Repeated runs (`tick`, `watch`, the MCP server, a shell) start from V8's code cache instead of
// compiling the bundle again (Node ≥ 22.1, a no-op before), kept in this user's own cache folder (see
// compile-cache.ts). The engine loads after this line, so it is cached too.
const cacheDir = privateCompileCacheDir(process.env);
if (cacheDir) nodeModule.enableCompileCache?.(cacheDir);
const { main } = await import("./program.ts");

// `claude-tasks run … | head`: when the reader goes away, further output is dropped; the run itself
// goes on and cleans up after itself instead of dying on EPIPE with its worktrees left behind.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
