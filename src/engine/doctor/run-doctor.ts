/**
 * `doctor`: gathers what the checks need (versions, the environment, task files, workflows, local
 * state) and runs them in order. All I/O is here; every check is a pure function in `checks/`.
 * Nothing here needs the network, and no secret value is ever read into a result.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { type ClaudeAvailability, claudeAvailable } from "../agent/index.ts";
import { errorMessage } from "../errors.ts";
import {
  createGit,
  type Git,
  listBackups,
  listWorktrees,
  stateDir,
  type WorktreeInfo,
} from "../git/index.ts";
import { readManifest } from "../local/service.ts";
import { readTickRecord } from "../local/tick.ts";
import { orIfMissing } from "../missing.ts";
import { loadProject, type Project } from "../project.ts";
import { prune, type RetentionPolicy, retentionPolicy } from "../retention/index.ts";
import { type BwrapAvailability, probeBwrap } from "../sandbox/bwrap.ts";
import { FETCHED_STATE_REF, parseState, STATE_FILE, STATE_REF } from "../schedule/state.ts";
import { type LinterLoad, loadActionlint } from "./actionlint.ts";
import { checkClaude, checkCredentials, checkGit, checkNode, checkSandbox } from "./checks/environment.ts";
import { checkLocalSchedule } from "./checks/local-schedule.ts";
import {
  checkHistory,
  checkStateRef,
  checkTasks,
  checkWorktrees,
  type StateRefInput,
} from "./checks/local-state.ts";
import { checkScheduleReach } from "./checks/schedule-reach.ts";
import {
  checkActionlint,
  checkActionsToken,
  checkCiToken,
  checkWorkflowPermissions,
  parseWorkflow,
  type Workflow,
  type WorkflowFile,
} from "./checks/workflows.ts";
import { type CheckResult, type DoctorReport, result } from "./types.ts";

export interface DoctorOptions {
  cwd: string;
  configDir?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  /** Default: `CLAUDE_TASKS_CLAUDE`, else `claude` on PATH. */
  claudePath?: string;
  retention?: RetentionPolicy;
  homeDir?: string;
  /** Injected by tests; default: run `git --version`. */
  gitVersion?: () => Promise<string | undefined>;
  /** Injected by tests; default: run `claude --version`. */
  claude?: () => Promise<ClaudeAvailability>;
  /** Injected by tests; default: probe bubblewrap. */
  sandbox?: () => Promise<BwrapAvailability>;
  /** Injected by tests; default: the `actionlint` package. */
  linter?: () => Promise<LinterLoad>;
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? new Date();
  const inActions = env.GITHUB_ACTIONS === "true";
  const checks: CheckResult[] = [checkNode(process.versions.node)];

  const installedGit = await (opts.gitVersion ?? (() => gitVersion(env)))();
  checks.push(checkGit(installedGit));
  checks.push(
    checkSandbox({
      platform: process.platform,
      bwrap: process.platform === "linux" ? await (opts.sandbox ?? (() => probeBwrap(env)))() : undefined,
      ...(env.CLAUDE_TASKS_ISOLATION ? { isolation: env.CLAUDE_TASKS_ISOLATION } : {}),
    }),
  );

  const project = await loadProject({ cwd: opts.cwd, configDir: opts.configDir, env }).catch((err: unknown) =>
    errorMessage(err),
  );
  const tasks = typeof project === "string" ? [] : project.tasks;
  const claudeTasks = tasks.filter((t) => t.kind === "claude").length;
  const repoRoot = typeof project === "string" ? opts.cwd : project.repoRoot;

  const claudePath = opts.claudePath ?? (env.CLAUDE_TASKS_CLAUDE || "claude");
  const availability = await (opts.claude ?? (() => claudeAvailable(claudePath, { env })))();
  checks.push(checkClaude({ availability, claudeTasks, inActions }));
  checks.push(
    checkCredentials({
      env,
      claudeTasks,
      inActions,
      loginFile: existsSync(join(opts.homeDir ?? env.HOME ?? homedir(), ".claude", ".credentials.json")),
      platform: process.platform,
    }),
  );
  checks.push(tasksCheck(project, opts.configDir));

  const files = await workflowFiles(repoRoot);
  const workflows = files.map(parseWorkflow);
  const ours = workflows.filter((w) => w.usesClaudeTasks);
  checks.push(await lintCheck(workflows, files, opts.linter ?? loadActionlint));
  checks.push(checkWorkflowPermissions(ours));
  checks.push(checkCiToken(ours));
  checks.push(
    checkScheduleReach({
      tasks,
      ticks: ours.flatMap((w) => w.crons.map((cron) => ({ workflow: w.path, cron }))),
      now,
    }),
  );
  checks.push(checkActionsToken({ env, workflows: ours }));

  // Without git (its check says so) there is no repository to look into.
  const git = installedGit === undefined ? undefined : await repoGit(repoRoot);
  const state = git ? await stateDir(git) : undefined;
  const worktrees: WorktreeInfo[] | undefined = git
    ? await listWorktrees(git, { stateDir: state })
    : undefined;
  checks.push(checkWorktrees(worktrees));
  checks.push(
    git && state
      ? await historyCheck(git, state, opts.retention ?? retentionPolicy({}, env), now)
      : result("history", "backups and run history", "skip", "not a git repository"),
  );
  checks.push(checkStateRef(git ? await readStateRef(git) : undefined));
  checks.push(state ? await localScheduleCheck(state, now) : checkLocalSchedule({ record: {}, now }));

  return { ok: checks.every((c) => c.status !== "fail"), checks };
}

async function localScheduleCheck(state: string, now: Date): Promise<CheckResult> {
  const m = await readManifest(state);
  const exists = (p: string) =>
    stat(p).then(
      () => true,
      () => false,
    );
  const missing = async (paths: string[]) => {
    const out: string[] = [];
    for (const p of paths) if (!(await exists(p))) out.push(p);
    return out;
  };
  const envMode = m
    ? await stat(m.envFile).then(
        (s) => s.mode,
        () => undefined,
      )
    : undefined;
  return checkLocalSchedule({
    ...(m
      ? {
          installed: {
            kind: m.kind,
            intervalMinutes: m.intervalMinutes,
            installedAt: m.installedAt,
            missingFiles: await missing(m.files.map((f) => f.path)),
            missingPrograms: await missing([m.node, m.cli].filter(Boolean)),
            ...(envMode !== undefined && (envMode & 0o077) !== 0 ? { envFileOpen: m.envFile } : {}),
          },
        }
      : {}),
    record: await readTickRecord(state),
    now,
  });
}

function tasksCheck(project: Project | string, configDir = ".github/claude-tasks"): CheckResult {
  if (typeof project === "string") return checkTasks({ configDir, tasks: 0, problems: [], error: project });
  return checkTasks({
    configDir: project.configDir,
    tasks: project.tasks.length,
    problems: project.problems,
  });
}

/** `git --version`, or undefined when git is not installed (or fails). */
async function gitVersion(env: Record<string, string | undefined>): Promise<string | undefined> {
  const r = await orIfMissing(
    createGit({ cwd: process.cwd(), env }).run(["--version"], { allowFailure: true }),
    undefined,
  );
  return r?.exitCode === 0 ? r.stdout.trim() : undefined;
}

async function repoGit(repoRoot: string): Promise<Git | undefined> {
  const git = createGit({ cwd: repoRoot });
  const r = await git.run(["rev-parse", "--git-dir"], { allowFailure: true });
  return r.exitCode === 0 ? git : undefined;
}

/** `.github/workflows/*.yml|yaml` (GitHub reads only that folder, not below it). */
async function workflowFiles(repoRoot: string): Promise<WorkflowFile[]> {
  const dir = join(repoRoot, ".github", "workflows");
  const names = await orIfMissing(readdir(dir), [] as string[]);
  const files: WorkflowFile[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const text = await orIfMissing(readFile(join(dir, name), "utf8"), undefined);
    if (text !== undefined) files.push({ path: `.github/workflows/${name}`, text });
  }
  return files;
}

async function lintCheck(
  workflows: readonly Workflow[],
  files: readonly WorkflowFile[],
  load: () => Promise<LinterLoad>,
): Promise<CheckResult> {
  if (!workflows.some((w) => w.usesClaudeTasks)) return checkActionlint(workflows, undefined);
  const linter = await load();
  if (!linter.ok) return checkActionlint(workflows, undefined, linter.error);
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  return checkActionlint(workflows, (path) => linter.lint(byPath.get(path) ?? "", path));
}

async function historyCheck(
  git: Git,
  state: string,
  policy: RetentionPolicy,
  now: Date,
): Promise<CheckResult> {
  const backups = await listBackups(state);
  const reports = (await orIfMissing(readdir(join(state, "runs")), [] as string[])).filter(
    (n) => !n.startsWith("."),
  );
  const plan = await prune({ git, stateDir: state, policy, dryRun: true, now });
  return checkHistory({
    backups: backups.map((b) => ({ size: b.size, createdAt: b.meta.createdAt })),
    reports: reports.length,
    surplus: {
      backups: plan?.backups.deleted.length ?? 0,
      reports: plan?.reports.deleted.length ?? 0,
      logLines: plan?.log.droppedLines ?? 0,
    },
    policy,
    now,
  });
}

/** The local copy of the state ref (pushed by the Action, or fetched), if any. Never the network. */
async function readStateRef(git: Git): Promise<StateRefInput> {
  for (const ref of [STATE_REF, FETCHED_STATE_REF]) {
    const r = await git.run(["rev-parse", "-q", "--verify", `${ref}^{commit}`], { allowFailure: true });
    if (r.exitCode !== 0) {
      const exists = await git.run(["rev-parse", "-q", "--verify", ref], { allowFailure: true });
      if (exists.exitCode === 0)
        return {
          present: true,
          ref,
          commit: exists.stdout.trim(),
          error: "it does not point at a commit",
          parse: parseStateText,
        };
      continue;
    }
    const commit = r.stdout.trim();
    const blob = await git.run(["cat-file", "blob", `${commit}:${STATE_FILE}`], { allowFailure: true });
    if (blob.exitCode !== 0)
      return { present: true, ref, commit, error: `no ${STATE_FILE} in the commit`, parse: parseStateText };
    return { present: true, ref, commit, text: blob.stdout, parse: parseStateText };
  }
  return { present: false };
}

function parseStateText(text: string) {
  const parsed = parseState(text);
  if (!parsed.ok) return { ok: false as const, problem: parsed.problem };
  return {
    ok: true as const,
    taskCount: Object.keys(parsed.state.tasks).length,
    updatedAt: parsed.state.updatedAt,
  };
}
