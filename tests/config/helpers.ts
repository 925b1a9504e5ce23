import { type LoadedConfig, type ParseOptions, parseConfigFiles } from "../../src/engine/config/index.ts";
import { formatProblem, type Problem } from "../../src/engine/errors.ts";

export const DIR = ".github/claude-tasks";

/** Loads task files given as `{ "name.yml": "yaml text" }`, relative to the task directory. */
export function load(files: Record<string, string>, opts: ParseOptions = {}): LoadedConfig {
  const list = Object.entries(files).map(([name, text]) => ({ path: `${DIR}/${name}`, text }));
  return parseConfigFiles(list, { env: {}, ...opts });
}

/** Problems as `file:line:col: message`, with the task directory left out of the file. */
export function problemLines(problems: readonly Problem[]): string[] {
  return problems.map((p) => formatProblem(p).replace(`${DIR}/`, ""));
}

/** Joins lines with newlines, for inline YAML in tests. */
export const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;
