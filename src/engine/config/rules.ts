/**
 * Rules that need more than one value, more than one file, or the file system. Each takes what
 * it checks plus a way to locate values, and returns problems.
 */
import { posix } from "node:path";
import { type Location, type Problem, problemAt } from "../errors.ts";
import type { PlainObject } from "./deep-merge.ts";
import { ACTION_KEYS } from "./schema.ts";
import { isTaskName, slugifyTaskName, TASK_NAME_RULE } from "./task-name.ts";

type Segment = string | number;
export type LocateValue = (path: readonly Segment[], what?: "value" | "key") => Location;

/** What a path inside the repository is, for `prompt_file`. */
export type FileKind = "file" | "directory" | "missing" | "outside";

const ACTIONS = `\`prompt\`, \`prompt_file\` or \`run\``;

/** A task file has exactly one of `prompt`, `prompt_file` and `run`. */
export function actionRule(task: PlainObject, locate: LocateValue): Problem[] {
  // In the order they are written, so that the later one is the one reported.
  const present = Object.keys(task).filter((k) => (ACTION_KEYS as readonly string[]).includes(k));
  if (present.length === 0) {
    return [
      problemAt(locate([]), `a task needs one of ${ACTIONS}: what Claude should do, or a command to run`),
    ];
  }
  const [first, ...others] = present;
  return others.map((k) =>
    problemAt(
      locate([k], "key"),
      `\`${k}\` cannot be combined with \`${first}\`; a task has exactly one of ${ACTIONS}`,
    ),
  );
}

/** Keys `_defaults` cannot set: they say which task a file is and what it does. */
export function defaultsRule(defaults: PlainObject, locate: LocateValue): Problem[] {
  return (["name", ...ACTION_KEYS] as const)
    .filter((k) => Object.hasOwn(defaults, k))
    .map((k) =>
      problemAt(
        locate([k], "key"),
        k === "name"
          ? "`name` cannot be set in _defaults: every task has its own name"
          : `\`${k}\` cannot be set in _defaults: each task file says what it does with ${ACTIONS}`,
      ),
    );
}

/**
 * The task's name: `name:` if given (its format is the schema's job), else the file stem, which
 * must then be a valid name.
 */
export function taskNameOf(task: PlainObject, file: string): { name?: string; problem?: Problem } {
  if (Object.hasOwn(task, "name"))
    return typeof task.name === "string" && isTaskName(task.name) ? { name: task.name } : {};
  const base = posix.basename(file);
  const stem = base.replace(/\.ya?ml$/, "");
  if (isTaskName(stem)) return { name: stem };
  const slug = slugifyTaskName(stem);
  const rename = slug ? `rename it to \`${slug}${base.slice(stem.length)}\` or ` : "";
  return {
    problem: problemAt(
      { file, line: 1, col: 1 },
      `the file name \`${base}\` is not a valid task name (${TASK_NAME_RULE}); ${rename}set \`name:\` in the file`,
    ),
  };
}

/** `prompt_file` exists, is a file, and does not leave the repository through a symlink. */
export function promptFileRule(promptFile: string, kind: FileKind, locate: LocateValue): Problem[] {
  const messages: Record<FileKind, string | undefined> = {
    file: undefined,
    directory: `\`prompt_file\` \`${promptFile}\` is a directory, not a file`,
    missing: `\`prompt_file\` \`${promptFile}\` does not exist (paths are relative to the repository root)`,
    outside: `\`prompt_file\` \`${promptFile}\` resolves to a file outside the repository`,
  };
  const message = messages[kind];
  return message ? [problemAt(locate(["prompt_file"]), message)] : [];
}

/** A task's branch must not be the branch its pull request goes to. */
export function branchRule(
  task: { branch: string; base?: string | undefined },
  locate: LocateValue,
): Problem[] {
  if (task.base === undefined || task.branch !== task.base) return [];
  return [
    problemAt(
      locate(["branch"]),
      `\`branch\` is \`${task.branch}\`, the same as \`base\`; use \`{task}\` in it`,
    ),
  ];
}

export interface Claim {
  /** The claimed value: a task name or a branch. */
  value: string;
  /** Where it is claimed; only asked for when the value is claimed twice. */
  location: () => Location;
}

/**
 * Values that must be unique across the directory (task names, branches): a problem in every
 * file that claims a value some other file claims too, pointing at the first one.
 */
export function uniqueRule(claims: readonly Claim[], what: (value: string) => string): Problem[] {
  const first = new Map<string, Claim>();
  const problems: Problem[] = [];
  for (const claim of claims) {
    const earlier = first.get(claim.value);
    if (!earlier) {
      first.set(claim.value, claim);
      continue;
    }
    const [here, there] = [claim.location(), earlier.location()];
    problems.push(problemAt(here, `${what(claim.value)}; also in ${where(there)}`));
    if (!problems.some((p) => sameLocation(p, there))) {
      problems.push(problemAt(there, `${what(claim.value)}; also in ${where(here)}`));
    }
  }
  return problems;
}

function where(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.line === b.line && a.col === b.col;
}
