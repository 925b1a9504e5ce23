import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { errorMessage, type ProblemCode, problemAt } from "../errors.ts";
import type { Env } from "./env-template.ts";
import {
  type ConfigFile,
  DEFAULT_CONFIG_DIR,
  type LoadedConfig,
  type ParseOptions,
  parseConfigFiles,
} from "./parse-config-files.ts";
import type { FileKind } from "./rules.ts";

export interface ReadConfigOptions {
  /** Absolute path of the repository's work tree. */
  repoRoot: string;
  /** Task directory, relative to `repoRoot` (or absolute inside it). Default `.github/claude-tasks`. */
  configDir?: string;
  /** Variables for `{{ env.NAME }}` in `agent.env`. Default `process.env`. */
  env?: Env;
  /** How to report a `{{ env.NAME }}` whose variable is not set. Default `error`. */
  missingEnv?: ParseOptions["missingEnv"];
}

/**
 * Reads every `*.yml` / `*.yaml` of the task directory (not recursive) and returns the effective
 * tasks and every problem. The only function of the config module that touches the file system.
 * Bad input comes back as problems; nothing is thrown for it.
 */
export async function readConfig(opts: ReadConfigOptions): Promise<LoadedConfig> {
  const repoRoot = resolve(opts.repoRoot);
  const dirAbs = resolve(repoRoot, opts.configDir ?? DEFAULT_CONFIG_DIR);
  const configDir = toPosix(relative(repoRoot, dirAbs)) || ".";
  const parseOpts: ParseOptions = {
    configDir,
    env: opts.env ?? process.env,
    statFile: (p) => statRepoFile(repoRoot, p),
    ...(opts.missingEnv ? { missingEnv: opts.missingEnv } : {}),
  };
  const listed = listTaskFiles(dirAbs, configDir, repoRoot);
  if ("problem" in listed) {
    const problem = problemAt(listed.at, listed.problem, "error", listed.code);
    return { ...parseConfigFiles([], parseOpts), problems: [problem] };
  }
  const loaded = parseConfigFiles(listed.files, parseOpts);
  return { ...loaded, problems: [...listed.unreadable, ...loaded.problems] };
}

type Listing =
  | { files: ConfigFile[]; unreadable: ReturnType<typeof problemAt>[] }
  | { problem: string; code?: ProblemCode; at: { file: string; line: number; col: number } };

function listTaskFiles(dirAbs: string, configDir: string, repoRoot: string): Listing {
  const at = { file: configDir, line: 1, col: 1 };
  if (configDir.startsWith("..") || isAbsolute(configDir)) {
    return { problem: `the task directory ${dirAbs} is outside the repository ${repoRoot}`, at };
  }
  let entries: Dirent[];
  try {
    if (!statSync(dirAbs).isDirectory())
      return { problem: `${configDir} is a file, not a task directory`, at };
    entries = readdirSync(dirAbs, { withFileTypes: true }).filter((e) => /\.ya?ml$/.test(e.name));
  } catch (err) {
    if (isNotFound(err)) {
      return { problem: `no task directory ${configDir}; run claude-tasks init`, code: "no-task-dir", at };
    }
    return { problem: `cannot read the task directory ${configDir}: ${errorMessage(err)}`, at };
  }
  const files: ConfigFile[] = [];
  const unreadable = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = entry.name;
    const path = configDir === "." ? name : `${configDir}/${name}`;
    // `dirAbs` is resolved and `name` a plain entry name, so this is `join` without its cost.
    const abs = dirAbs.endsWith(sep) ? dirAbs + name : dirAbs + sep + name;
    try {
      // The directory entry says what a file is; only a symlink needs a stat (of its target).
      const isFile = entry.isFile() || (entry.isSymbolicLink() && statSync(abs).isFile());
      if (!isFile) continue;
      // A link out of the repository would have anything on the machine read (and quoted in problems).
      if (entry.isSymbolicLink() && statRepoFile(repoRoot, relative(repoRoot, abs)) === "outside") {
        unreadable.push(
          problemAt(
            { file: path, line: 1, col: 1 },
            "the task file is a symlink to a file outside the repository; task files must be in the repository",
          ),
        );
        continue;
      }
      files.push({ path, text: readFileSync(abs, "utf8") });
    } catch (err) {
      unreadable.push(
        problemAt({ file: path, line: 1, col: 1 }, `cannot read the file: ${errorMessage(err)}`),
      );
    }
  }
  return { files, unreadable };
}

/** What `repoPath` is, following symlinks, and whether it stays inside the repository. */
export function statRepoFile(repoRoot: string, repoPath: string): FileKind {
  const abs = resolve(repoRoot, repoPath);
  try {
    const real = realpathSync(abs);
    const root = realpathSync(repoRoot);
    if (real !== root && !real.startsWith(root + sep)) return "outside";
    return statSync(real).isDirectory() ? "directory" : "file";
  } catch {
    return "missing";
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function toPosix(p: string): string {
  return p.split(sep).join("/");
}
