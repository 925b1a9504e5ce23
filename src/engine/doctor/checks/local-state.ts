/** Checks of the task files and of the local state: worktrees, backups and reports, the state ref. Pure. */
import { formatProblem, type Problem } from "../../errors.ts";
import type { WorktreeInfo } from "../../git/index.ts";
import type { RetentionPolicy } from "../../retention/index.ts";
import { formatAge } from "../../retention/index.ts";
import { type CheckResult, result } from "../types.ts";

export interface TasksInput {
  configDir: string;
  tasks: number;
  problems: readonly Problem[];
  /** Set when the task folder could not be read at all. */
  error?: string;
}

export function checkTasks(input: TasksInput): CheckResult {
  const title = "task files";
  const errors = input.problems.filter((p) => p.severity === "error");
  const warnings = input.problems.filter((p) => p.severity === "warning");
  const details = [...errors, ...warnings].slice(0, 10).map(formatProblem);
  if (input.problems.length > 10) details.push(`… and ${input.problems.length - 10} more`);
  if (input.error) {
    return result("tasks", title, "fail", input.error, {
      fix: "run `npx claude-tasks init` to add a first task",
    });
  }
  if (errors.length > 0 && errors.every((p) => p.code === "no-task-dir")) {
    return result("tasks", title, "fail", `no task directory ${errors[0]!.file}`, {
      fix: "run `npx claude-tasks init` to add a first task (`--list-templates` shows the others)",
    });
  }
  if (errors.length > 0) {
    return result("tasks", title, "fail", `${errors.length} error(s) in ${input.configDir}`, {
      fix: "fix the lines below (`npx claude-tasks validate` lists them all)",
      details,
    });
  }
  if (warnings.length > 0) {
    return result("tasks", title, "warn", `${input.tasks} task(s) valid, ${warnings.length} warning(s)`, {
      fix: "see the warnings below",
      details,
    });
  }
  return result("tasks", title, "ok", `${input.tasks} task(s) valid in ${input.configDir}`);
}

export function checkWorktrees(worktrees: readonly WorktreeInfo[] | undefined): CheckResult {
  const title = "leftover worktrees";
  if (!worktrees) return result("worktrees", title, "skip", "not a git repository");
  const ours = worktrees.filter((w) => w.ours);
  const stale = ours.filter((w) => w.stale);
  if (stale.length === 0) {
    const inUse = ours.length - stale.length;
    return result("worktrees", title, "ok", inUse > 0 ? `none (${inUse} in use by a running task)` : "none");
  }
  return result("worktrees", title, "warn", `${stale.length} leftover worktree(s) from interrupted runs`, {
    fix: "run `npx claude-tasks worktrees --prune` (their work is backed up first)",
    details: stale
      .slice(0, 5)
      .map((w) => `${w.path}${w.lock ? ` (task ${w.lock.task}, run ${w.lock.runId})` : ""}`),
  });
}

export interface HistoryInput {
  backups: readonly { size: number; createdAt: string }[];
  reports: number;
  /** What `prune` would delete under `policy`. */
  surplus: { backups: number; reports: number; logLines: number };
  policy: RetentionPolicy;
  now: Date;
}

/** Backups and run reports against the retention policy (what `prune` would delete). */
export function checkHistory(input: HistoryInput): CheckResult {
  const title = "backups and run history";
  const bytes = input.backups.reduce((sum, b) => sum + b.size, 0);
  const oldest = input.backups.reduce<string | undefined>(
    (min, b) => (min === undefined || b.createdAt < min ? b.createdAt : min),
    undefined,
  );
  const age = oldest ? ageText(input.now.getTime() - Date.parse(oldest)) : undefined;
  const summary = `${input.backups.length} backup(s), ${mib(bytes)}${age ? `, oldest ${age} old` : ""}; ${input.reports} run report(s)`;
  const policy = `keep ${input.policy.keep} per task${input.policy.maxAgeMs ? `, at most ${formatAge(input.policy.maxAgeMs)} old` : ""}`;
  const { surplus } = input;
  if (surplus.backups + surplus.reports + surplus.logLines === 0)
    return result("history", title, "ok", `${summary} (within the retention: ${policy})`);
  return result(
    "history",
    title,
    "warn",
    `${summary}: beyond the retention (${policy}) are ${surplus.backups} backup(s), ${surplus.reports} report(s), ${surplus.logLines} log line(s)`,
    {
      fix: "run `npx claude-tasks prune` (`--dry-run` shows what goes; CLAUDE_TASKS_KEEP_BACKUPS sets the limit)",
    },
  );
}

export type StateRefInput =
  | { present: false }
  | {
      present: true;
      ref: string;
      commit: string;
      text?: string;
      error?: string;
      parse: (
        text: string,
      ) => { ok: true; taskCount: number; updatedAt: string } | { ok: false; problem: string };
    };

export function checkStateRef(input: StateRefInput | undefined): CheckResult {
  const title = "schedule state ref";
  if (!input) return result("state-ref", title, "skip", "not a git repository");
  if (!input.present) {
    return result(
      "state-ref",
      title,
      "ok",
      "no local copy of refs/claude-tasks/state (the first scheduled run on GitHub creates it)",
    );
  }
  const fix = `delete it: \`git push origin :refs/claude-tasks/state\` and \`git update-ref -d ${input.ref}\` (the next run starts with a one-hour window)`;
  if (input.error || input.text === undefined) {
    return result(
      "state-ref",
      title,
      "fail",
      `${input.ref} (${input.commit.slice(0, 7)}) has no readable state.json: ${input.error ?? "missing"}`,
      { fix },
    );
  }
  const parsed = input.parse(input.text);
  if (!parsed.ok) return result("state-ref", title, "fail", `${input.ref}: ${parsed.problem}`, { fix });
  return result(
    "state-ref",
    title,
    "ok",
    `${input.ref} (${input.commit.slice(0, 7)}): ${parsed.taskCount} task(s), updated ${parsed.updatedAt}`,
  );
}

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function ageText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `${hours} hour${hours === 1 ? "" : "s"}` : "less than an hour";
}
