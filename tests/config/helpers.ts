import { isDeepStrictEqual } from "node:util";
import { expect } from "vitest";
import { type LoadedConfig, type ParseOptions, parseConfigFiles } from "../../src/engine/config/index.ts";
import { formatProblem, type Problem } from "../../src/engine/errors.ts";

export const DIR = ".github/claude-tasks";

/**
 * Loads task files given as `{ "name.yml": "yaml text" }`, relative to the task directory. Every
 * load also runs without the fast path and checks that the result is the same.
 */
export function load(files: Record<string, string>, opts: ParseOptions = {}): LoadedConfig {
  const list = Object.entries(files).map(([name, text]) => ({ path: `${DIR}/${name}`, text }));
  return loadBothWays(list, { env: {}, ...opts });
}

/** `parseConfigFiles` with and without the fast path; fails the test if the two differ. */
export function loadBothWays(files: { path: string; text: string }[], opts: ParseOptions): LoadedConfig {
  const fast = parseConfigFiles(files, { ...opts, fastPath: true });
  const precise = parseConfigFiles(files, { ...opts, fastPath: false });
  expectSameLoad(fast, precise);
  return fast;
}

export function expectSameLoad(fast: LoadedConfig, precise: LoadedConfig): void {
  const { locate: _f, ...a } = fast;
  const { locate: _p, ...b } = precise;
  expect(a).toStrictEqual(b);
  expect(isDeepStrictEqual(a, b), "deep strict equal (-0, NaN)").toBe(true);
}

/** Problems as `file:line:col: message`, with the task directory left out of the file. */
export function problemLines(problems: readonly Problem[]): string[] {
  return problems.map((p) => formatProblem(p).replace(`${DIR}/`, ""));
}

/** Joins lines with newlines, for inline YAML in tests. */
export const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;
