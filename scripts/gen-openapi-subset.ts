/**
 * Writes tests/support/openapi/github-subset.json: the operations in src/engine/github/operations.ts, cut
 * out of GitHub's official OpenAPI description (as published in `@octokit/openapi`), with every component
 * they `$ref` (transitively). The fake GitHub in the tests validates every request and response against it.
 *
 *   node scripts/gen-openapi-subset.ts [--from <dir of @octokit/openapi>] [--check]
 *
 * `@octokit/openapi` is ~400 MB, so it is not a dependency; install it elsewhere:
 *   npm i --prefix /tmp/octokit-openapi @octokit/openapi
 * The package is looked up in `--from`, then `$OCTOKIT_OPENAPI_DIR`, then that prefix, then node_modules.
 * `--check` regenerates in memory and exits 1 when the committed file is stale; when the package is not
 * installed it prints a notice and exits 0 (CI need not download it).
 * Media-type `examples` are dropped (they are documentation, never needed to validate).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GITHUB_OPERATIONS } from "../src/engine/github/operations.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SUBSET_PATH = join(ROOT, "tests/support/openapi/github-subset.json");
const DESCRIPTION_FILE = "generated/api.github.com.json";
const DEFAULT_PREFIX = "/tmp/octokit-openapi/node_modules/@octokit/openapi";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The directory of an installed @octokit/openapi, or null. An explicit `--from` or `$OCTOKIT_OPENAPI_DIR`
 * is the only place looked at; otherwise the default prefix, then the repo's node_modules.
 */
export function findOpenApiPackage(explicit?: string): string | null {
  const chosen = explicit ?? process.env.OCTOKIT_OPENAPI_DIR;
  const candidates = chosen ? [chosen] : [DEFAULT_PREFIX];
  if (!chosen) {
    try {
      const req = createRequire(join(ROOT, "package.json"));
      candidates.push(dirname(req.resolve("@octokit/openapi/package.json")));
    } catch {
      // not installed in the repo: that is the normal case
    }
  }
  return candidates.find((dir) => existsSync(join(dir, DESCRIPTION_FILE))) ?? null;
}

/** Removes `examples` from media-type objects (and nowhere else: a schema may have a property called so). */
function stripExamples(node: Json, key = ""): Json {
  if (Array.isArray(node)) return node.map((v) => stripExamples(v));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "examples" && key === "media") continue;
    // children of `content` are media-type objects
    out[k] = stripExamples(v, key === "content" ? "media" : k);
  }
  return out;
}

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const v of node) collectRefs(v, into);
  } else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") into.add(v);
      else collectRefs(v, into);
    }
  }
}

function sortKeys(obj: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Builds the subset document from the full description. Pure, deterministic. */
export function buildSubset(full: JsonObject, operationIds: readonly string[], source: string): JsonObject {
  const wanted = new Set(operationIds);
  const found = new Set<string>();
  const paths: JsonObject = {};
  const fullPaths = full.paths as JsonObject;
  for (const [path, item] of Object.entries(fullPaths)) {
    if (!isObject(item)) continue;
    const kept: JsonObject = {};
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.includes(method)) {
        if (isObject(op) && typeof op.operationId === "string" && wanted.has(op.operationId)) {
          kept[method] = stripExamples(op);
          found.add(op.operationId);
        }
      }
    }
    if (Object.keys(kept).length === 0) continue;
    if (item.parameters) kept.parameters = item.parameters;
    paths[path] = kept;
  }
  const missing = operationIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`operations not in the description: ${missing.join(", ")}`);

  const fullComponents = full.components as JsonObject;
  const components: Record<string, JsonObject> = {};
  const seen = new Set<string>();
  const queue = new Set<string>();
  collectRefs(paths, queue);
  while (queue.size > 0) {
    const ref = queue.values().next().value as string;
    queue.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!m) throw new Error(`unsupported $ref ${ref}`);
    const [, kind, name] = m as unknown as [string, string, string];
    const target = (fullComponents[kind] as JsonObject | undefined)?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    const value = stripExamples(target, kind === "responses" ? "response" : "");
    components[kind] ??= {};
    components[kind][name] = value;
    const more = new Set<string>();
    collectRefs(value, more);
    for (const r of more) if (!seen.has(r)) queue.add(r);
  }
  const sortedComponents: JsonObject = {};
  for (const kind of Object.keys(components).sort()) sortedComponents[kind] = sortKeys(components[kind]!);

  const info = full.info as JsonObject;
  return {
    openapi: full.openapi ?? "3.0.3",
    info: {
      title: "GitHub REST API: the operations claude-tasks uses",
      version: info.version ?? "unknown",
      description: `Generated by scripts/gen-openapi-subset.ts from ${source}; do not edit.`,
    },
    "x-subset": {
      source,
      description: "api.github.com",
      generator: "scripts/gen-openapi-subset.ts",
      operations: [...operationIds].sort(),
    },
    servers: full.servers ?? [],
    paths,
    components: sortedComponents,
  };
}

export function renderSubset(subset: JsonObject): string {
  return `${JSON.stringify(subset, null, 2)}\n`;
}

function generate(pkgDir: string): string {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const full = JSON.parse(readFileSync(join(pkgDir, DESCRIPTION_FILE), "utf8")) as JsonObject;
  const source = `${pkg.name}@${pkg.version} (${DESCRIPTION_FILE})`;
  return renderSubset(buildSubset(full, Object.keys(GITHUB_OPERATIONS), source));
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const fromIdx = argv.indexOf("--from");
  const from = fromIdx >= 0 ? argv[fromIdx + 1] : undefined;
  const pkgDir = findOpenApiPackage(from);
  if (!pkgDir) {
    const hint = "npm i --prefix /tmp/octokit-openapi @octokit/openapi";
    if (check) {
      console.log(`notice: @octokit/openapi is not installed; skipping the subset check (${hint})`);
      return 0;
    }
    console.error(`error: @octokit/openapi not found; install it outside the repo: ${hint}`);
    return 1;
  }
  const text = generate(pkgDir);
  if (check) {
    const current = existsSync(SUBSET_PATH) ? readFileSync(SUBSET_PATH, "utf8") : "";
    if (current !== text) {
      console.error(`error: ${SUBSET_PATH} is stale; run: node scripts/gen-openapi-subset.ts`);
      return 1;
    }
    console.log("github-subset.json is up to date");
    return 0;
  }
  writeFileSync(SUBSET_PATH, text);
  console.log(`wrote ${SUBSET_PATH} (${Object.keys(GITHUB_OPERATIONS).length} operations)`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
