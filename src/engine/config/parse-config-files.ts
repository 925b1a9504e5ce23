/**
 * The task directory, from file contents to effective tasks and problems. Pure: the caller reads
 * the files (see `readConfig`) and may pass a `statFile` for the `prompt_file` check.
 * parse (YAML → value) → merge `_defaults` → validate (zod) → rules → normalise.
 *
 * Two tiers: each file is first read by the fast path (`fast-yaml.ts`) and checked; a file the fast
 * path cannot read, or that has any problem, is read and checked again by the precise path (yaml's
 * Document), which locates every problem. A valid file's Document is only built when `locate` is
 * asked about it.
 */
import { posix } from "node:path";
import { type Locate, type Location, type Problem, problemAt } from "../errors.ts";
import { compareCodeUnits } from "../order.ts";
import { agentEnv } from "./agent-env.ts";
import { deepMerge, isPlainObject, type PlainObject } from "./deep-merge.ts";
import type { Env } from "./env-template.ts";
import { issuesToProblems } from "./issue-messages.ts";
import { locateIn, type TaskSources } from "./locate-in-sources.ts";
import { toTask } from "./normalise.ts";
import { finishProblems } from "./problem-list.ts";
import { repoPathProblem } from "./repo-path.ts";
import {
  actionRule,
  branchRule,
  type Claim,
  defaultsRule,
  type FileKind,
  type LocateValue,
  promptFileRule,
  taskNameOf,
  uniqueRule,
} from "./rules.ts";
import { type Task, type TaskFileOutput, taskFileSchema } from "./schema.ts";
import { didYouMean } from "./suggest.ts";
import { readYamlFile, type YamlReads, type YamlSource } from "./yaml-source.ts";

export const DEFAULT_CONFIG_DIR = ".github/claude-tasks";
const DEFAULTS_FILES = ["_defaults.yml", "_defaults.yaml"];

export interface ConfigFile {
  /** Repository-relative posix path; problems name files by it. */
  path: string;
  text: string;
}

export interface ParseOptions {
  /** Repository-relative task directory, for messages. Default `.github/claude-tasks`. */
  configDir?: string;
  /** Variables for `{{ env.NAME }}` in `agent.env`. Default: none (every placeholder is missing). */
  env?: Env;
  /** How to report a `{{ env.NAME }}` whose variable is not set. Default `error`. */
  missingEnv?: "error" | "warning";
  /** What a repository path is, for the `prompt_file` check; the check is skipped without it. */
  statFile?: (repoPath: string) => FileKind;
  /**
   * Read each file with the fast path first (see `fast-yaml.ts`). Default true; `false` reads every
   * file with yaml's Document, which gives the same result more slowly (tests compare the two).
   */
  fastPath?: boolean;
}

export interface LoadedConfig {
  /** Valid tasks, sorted by file; a task with any error is left out (see `invalidTasks`). */
  tasks: Task[];
  /** Every problem of every file, sorted by file and position. */
  problems: Problem[];
  /** Where a value of a task is written (see `Locate`). */
  locate: Locate;
  /** Names of task files that have errors, so that `needs: [x]` on them is not "unknown task x". */
  invalidTasks: string[];
}

interface Context {
  opts: Required<Pick<ParseOptions, "configDir" | "env" | "missingEnv" | "fastPath">> &
    Pick<ParseOptions, "statFile">;
  defaults?: { source: YamlSource; value: PlainObject } | undefined;
  problems: Problem[];
  /** Strings the files have in common, shared rather than copied (see `fastParse`). */
  strings: Map<string, string>;
}

interface TaskResult {
  /** The task's name as far as it is known (the file stem when the file could not be read). */
  name?: string | undefined;
  /** Whether `name` is known for sure, and so must be unique. */
  claimsName: boolean;
  file: string;
  sources: TaskSources;
  task?: Task | undefined;
  /** Whether the name is written in the file (`name:`), rather than taken from the file name. */
  nameInFile: boolean;
}

export function parseConfigFiles(files: readonly ConfigFile[], opts: ParseOptions = {}): LoadedConfig {
  const ctx: Context = {
    opts: { configDir: DEFAULT_CONFIG_DIR, env: {}, missingEnv: "error", fastPath: true, ...opts },
    problems: [],
    strings: new Map(),
  };
  const { defaultsFiles, taskFiles } = classify(files, ctx);
  ctx.defaults = loadDefaults(defaultsFiles, ctx);
  const results = taskFiles.map((file) => loadTask(file, ctx));
  if (taskFiles.length === 0) ctx.problems.push(noTasks(ctx.opts.configDir));
  ctx.problems.push(...crossFileProblems(results));
  return assemble(results, ctx);
}

function noTasks(configDir: string): Problem {
  const message = `no task files in ${configDir}; add one or run \`claude-tasks init\``;
  return problemAt({ file: configDir, line: 1, col: 1 }, message, "warning", "no-task-files");
}

function classify(files: readonly ConfigFile[], ctx: Context) {
  const yaml = [...files]
    .filter((f) => /\.ya?ml$/.test(f.path))
    .sort((a, b) => compareCodeUnits(a.path, b.path));
  const defaultsFiles: ConfigFile[] = [];
  const taskFiles: ConfigFile[] = [];
  for (const file of yaml) {
    const base = posix.basename(file.path);
    if (DEFAULTS_FILES.includes(base)) defaultsFiles.push(file);
    else if (!base.startsWith("_")) taskFiles.push(file);
    else warnIgnored(file.path, base, ctx);
  }
  return { defaultsFiles, taskFiles };
}

function warnIgnored(path: string, base: string, ctx: Context): void {
  const meant = didYouMean(base.replace(/\.ya?ml$/, ""), ["_defaults"]);
  if (!meant) return;
  const message = `\`${base}\` is ignored (files starting with \`_\` are not tasks); did you mean \`_defaults.yml\`?`;
  ctx.problems.push(problemAt({ file: path, line: 1, col: 1 }, message, "warning"));
}

function loadDefaults(files: ConfigFile[], ctx: Context): Context["defaults"] {
  const [file, ...extra] = files;
  for (const other of extra) {
    const message = `both ${file!.path} and ${other.path} exist; keep one of them`;
    ctx.problems.push(problemAt({ file: other.path, line: 1, col: 1 }, message));
  }
  if (!file) return undefined;
  return twoTier(readFile(file, ctx), ctx.problems, checkDefaults);
}

function readFile(file: ConfigFile, ctx: Context): YamlReads {
  return readYamlFile(file.path, file.text, ctx.opts.fastPath ? ctx.strings : undefined);
}

/**
 * Checks the fast read of a file if there is one, and keeps it if it has no problem at all;
 * otherwise checks the precise read, whose problems are the ones reported.
 */
function twoTier<T>(
  reads: YamlReads,
  problems: Problem[],
  check: (source: YamlSource, problems: Problem[]) => T,
): T {
  if (reads.fast) {
    const found: Problem[] = [];
    const result = check(reads.fast, found);
    if (found.length === 0) return result;
  }
  return check(reads.precise(), problems);
}

function checkDefaults(source: YamlSource, problems: Problem[]): Context["defaults"] {
  problems.push(...source.problems);
  if (!source.usable) return { source, value: {} };
  if (source.value === undefined) return { source, value: {} };
  if (!isPlainObject(source.value)) {
    problems.push(notAMapping(source, "_defaults"));
    return { source, value: {} };
  }
  const locate: LocateValue = (path, what = "value") => locateIn({ task: source.file }, path, what);
  problems.push(...defaultsRule(source.value, locate));
  problems.push(...validate(source.value, locate).problems);
  return { source, value: source.value };
}

function loadTask(file: ConfigFile, ctx: Context): TaskResult {
  const reads = readFile(file, ctx);
  return twoTier(reads, ctx.problems, (source, problems) => checkTaskFile(file, source, ctx, problems));
}

function checkTaskFile(file: ConfigFile, source: YamlSource, ctx: Context, problems: Problem[]): TaskResult {
  const sources: TaskSources = {
    task: source.file,
    defaults: ctx.defaults?.source.usable ? ctx.defaults.source.file : undefined,
  };
  // Until the file is read, the stem is the best guess at the name (for `invalidTasks` and `locate`).
  const stemName = taskNameOf({}, file.path).name;
  const result: TaskResult = {
    file: file.path,
    sources,
    name: stemName,
    claimsName: false,
    nameInFile: false,
  };
  problems.push(...source.problems);
  const value = taskMapping(source, problems);
  if (value) checkTask(value, result, ctx, problems);
  return result;
}

/** The task file's mapping, or undefined (with a problem) when the file is broken, empty or not one. */
function taskMapping(source: YamlSource, problems: Problem[]): PlainObject | undefined {
  if (!source.usable) return undefined;
  if (source.value === undefined) {
    const message = "empty task file; a task needs `prompt`, `prompt_file` or `run`";
    problems.push(problemAt({ file: source.path, line: 1, col: 1 }, message));
    return undefined;
  }
  if (isPlainObject(source.value)) return source.value;
  problems.push(notAMapping(source, "task"));
  return undefined;
}

function checkTask(value: PlainObject, result: TaskResult, ctx: Context, problems: Problem[]): void {
  const locate: LocateValue = (path, what = "value") => locateIn(result.sources, path, what);
  const named = taskNameOf(value, result.file);
  if (named.problem) problems.push(named.problem);
  result.name = named.name ?? (Object.hasOwn(value, "name") ? undefined : result.name);
  result.claimsName = named.name !== undefined;
  result.nameInFile = Object.hasOwn(value, "name");
  problems.push(...actionRule(value, locate));
  const merged = ctx.defaults ? deepMerge(ctx.defaults.value, value) : value;
  const validated = validate(merged, locate);
  problems.push(...validated.problems, ...promptFileProblems(merged, locate, ctx));
  const { problems: envProblems, ...env } = agentEnv(merged, locate, ctx.opts);
  problems.push(...envProblems);
  if (validated.output && named.name) {
    result.task = toTask(validated.output, { name: named.name, file: result.file, ...env });
    problems.push(...branchRule(result.task, locate));
  }
}

function validate(value: PlainObject, locate: LocateValue): { output?: TaskFileOutput; problems: Problem[] } {
  const parsed = taskFileSchema.safeParse(value);
  if (parsed.success) return { output: parsed.data, problems: [] };
  return {
    problems: issuesToProblems(parsed.error.issues, { schema: taskFileSchema, input: value, locate }),
  };
}

/** Checked on the raw value, so that it is reported even when other values of the file are wrong. */
function promptFileProblems(task: PlainObject, locate: LocateValue, ctx: Context): Problem[] {
  const file = task.prompt_file;
  const { statFile } = ctx.opts;
  if (typeof file !== "string" || !file || repoPathProblem(file) || !statFile) return [];
  return promptFileRule(file, statFile(file), locate);
}

function notAMapping(source: YamlSource, what: "task" | "_defaults"): Problem {
  const got = Array.isArray(source.value) ? "a list" : "a single value";
  const file = what === "task" ? "a task file" : "_defaults";
  const location = locateIn({ task: source.file }, []);
  return problemAt(
    location,
    `${file} must be a mapping of keys such as \`prompt:\` and \`schedule:\`, got ${got}`,
  );
}

function crossFileProblems(results: readonly TaskResult[]): Problem[] {
  const named = results.filter((r) => r.name !== undefined && r.claimsName);
  // Locations are only worked out for a name or branch that is claimed twice.
  const names: Claim[] = named.map((r) => ({ value: r.name!, location: () => nameLocation(r) }));
  const count = new Map<string, number>();
  for (const { value } of names) count.set(value, (count.get(value) ?? 0) + 1);
  // Two tasks of the same name share a branch too; that is the same mistake, reported once.
  const branches: Claim[] = named
    .filter((r) => r.task && count.get(r.name!) === 1)
    .map((r) => ({ value: r.task!.branch, location: () => locateIn(r.sources, ["branch"]) }));
  return [
    ...uniqueRule(names, (name) => `duplicate task name \`${name}\``),
    ...uniqueRule(
      branches,
      (branch) => `branch \`${branch}\` is used by another task too; use \`{task}\` in it`,
    ),
  ];
}

function nameLocation(r: TaskResult): Location {
  return r.nameInFile ? locateIn(r.sources, ["name"]) : { file: r.file, line: 1, col: 1 };
}

function assemble(results: readonly TaskResult[], ctx: Context): LoadedConfig {
  const problems = finishProblems(ctx.problems);
  const failed = new Set(problems.filter((p) => p.severity === "error").map((p) => p.file));
  const defaultsBroken = ctx.defaults !== undefined && failed.has(ctx.defaults.source.path);
  const ok = (r: TaskResult) => r.task !== undefined && !failed.has(r.file) && !defaultsBroken;
  const tasks = results.filter(ok).map((r) => r.task!);
  const invalidTasks = results.filter((r) => !ok(r) && r.name !== undefined).map((r) => r.name!);
  return { tasks, problems, locate: locateTask(results, ctx.opts.configDir), invalidTasks };
}

function locateTask(results: readonly TaskResult[], configDir: string): Locate {
  const byName = new Map<string, TaskSources>();
  for (const r of results) if (r.name && !byName.has(r.name)) byName.set(r.name, r.sources);
  return (task, path) => {
    const sources = byName.get(task);
    return sources ? locateIn(sources, path) : { file: configDir, line: 1, col: 1 };
  };
}
