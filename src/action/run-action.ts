/**
 * The Action: inputs → the event's decision → one engine call → outputs, summary, annotations.
 * Nothing here decides what an event means (see `routeEvent` and the rest of `engine/event`); this
 * file only wires the runner (inputs, payload, token, credentials) to the engine.
 */
import { join } from "node:path";
import type { Task } from "../engine/config/index.ts";
import { errorMessage, UserError } from "../engine/errors.ts";
import {
  adhocTask,
  agentBaseEnv,
  assertClaudeCredentials,
  type ClaimResult,
  type ClaudeCredentials,
  claimDueTasks,
  createGitHubPublisher,
  credentialSource,
  diffChangedFiles,
  gitAuthEnv,
  gitAuthSecret,
  handleComment,
  hasExtraHeader,
  readDefaultsFile,
  routeEvent,
  screenComment,
  type TriggerDecision,
  watchedTasks,
} from "../engine/event/index.ts";
import { createGit, type Git, readBackup, readPatchText, stateDir } from "../engine/git/index.ts";
import { createGitHub, type GitHub } from "../engine/github/index.ts";
import { buildPlan, type RunPlan, type Selection, toMatrix } from "../engine/plan/index.ts";
import { assertValid, loadProject, type Project } from "../engine/project.ts";
import { exportResults, publishResults } from "../engine/publish/index.ts";
import type { OntoBranch, RunTasksOptions } from "../engine/run/options.ts";
import { newRunId } from "../engine/run/run-id.ts";
import type { TrustedConfig } from "../engine/run/trusted-config.ts";
import type { RunReport } from "../engine/run/types.ts";
import { evaluateSchedules } from "../engine/schedule/index.ts";
import { selectTasks } from "../engine/select-tasks.ts";
import { ensureClaude } from "./claude-install.ts";
import { type ActionContext, readContext } from "./context.ts";
import { type ActionSettings, readSettings, secretsOf } from "./inputs.ts";
import type { ActionIO } from "./io.ts";
import { logRunEvent } from "./log-events.ts";
import {
  annotateProblems,
  planSummary,
  runSummary,
  uploadBackups,
  writePlanOutputs,
  writeRunOutputs,
} from "./outputs.ts";
import { ensureSandbox } from "./sandbox-setup.ts";

export const REMOTE = "origin";
/** Each task's handed-over result is one artifact: this prefix and the task's name. */
export const RESULT_ARTIFACT_PREFIX = "claude-tasks-result-";

export interface ActionDeps {
  io: ActionIO;
  env: Record<string, string | undefined>;
  runTasks: (opts: RunTasksOptions) => Promise<RunReport>;
  now?: () => Date;
}

export interface ActionOutcome {
  /** False when a task failed (the job should fail). */
  ok: boolean;
  /** Why the event was not acted on. */
  ignored?: string;
  report?: RunReport;
  plan?: RunPlan;
}

interface RunRequest {
  tasks: Task[];
  dryRun: boolean;
  trigger: string;
  publish: boolean;
  fireTimes?: Record<string, string[]>;
  runId?: string;
  /** A pull request's head; a fork's comes with `fetchRef` (such runs are dry runs and never push). */
  onto?: OntoBranch;
  base?: string;
  trustedConfig?: TrustedConfig;
  onProgress?: (line: string) => void;
}

export async function runAction(deps: ActionDeps): Promise<ActionOutcome> {
  const { io, env } = deps;
  const settings = readSettings((name) => io.getInput(name));
  for (const secret of secretsOf(settings)) io.setSecret(secret);
  if (settings.githubToken) io.setSecret(gitAuthSecret(settings.githubToken));
  const ctx = readContext(env);
  const decision = routeEvent({
    eventName: ctx.eventName,
    payload: ctx.payload,
    tasks: settings.tasks,
    mode: settings.mode === "plan" ? "plan" : "run",
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
  if (decision.kind === "ignore") return ignore(io, settings, decision.reason);

  const action = new Action(deps, settings, ctx);
  const split = settings.mode === "run-only" || settings.mode === "publish";
  if (split && decision.kind === "comment")
    throw new UserError(
      `\`mode: ${settings.mode}\` is for the reusable workflow; comment commands need \`mode: run\``,
    );
  if (settings.mode === "publish") return action.publish();
  if (decision.kind === "comment") return action.comment(decision);
  return action.tasks(decision);
}

/**
 * Why each scheduled task runs (its fire times and what the `missed` policy did; a plan's table says it
 * already), and which were passed over because their fire times are too old for `missed: skip`.
 */
function scheduleNotes(claim: ClaimResult, tasks: readonly Task[], now: Date, mode: string): string[] {
  const notes = mode === "plan" ? [] : claim.due.map((d) => `\`${d.name}\`: ${d.reason}`);
  const due = new Set(claim.due.map((d) => d.name));
  for (const e of evaluateSchedules(
    tasks.filter((t) => !due.has(t.name)),
    { since: claim.since, now },
  )) {
    if (!e.due && e.missedCount > 0) notes.push(`\`${e.name}\` not run: ${e.reason}`);
  }
  return notes;
}

function ignore(io: ActionIO, settings: ActionSettings, reason: string): ActionOutcome {
  io.logger.info(`nothing to do: ${reason}`);
  if (settings.mode === "plan") writePlanOutputs(io, { include: [] });
  else writeRunOutputs(io, undefined);
  return { ok: true, ignored: reason };
}

class Action {
  private readonly deps: ActionDeps;
  private readonly settings: ActionSettings;
  private readonly ctx: ActionContext;
  private readonly io: ActionIO;
  private readonly credentials: ClaudeCredentials;
  private gitPromise?: Promise<Git>;
  private authPromise?: Promise<{ gitEnv?: Record<string, string> }>;
  private ghClient?: GitHub;
  private claudePath?: string;

  constructor(deps: ActionDeps, settings: ActionSettings, ctx: ActionContext) {
    this.deps = deps;
    this.settings = settings;
    this.ctx = ctx;
    this.io = deps.io;
    this.credentials = {
      ...(settings.anthropicApiKey ? { anthropicApiKey: settings.anthropicApiKey } : {}),
      ...(settings.claudeCodeOauthToken ? { claudeCodeOauthToken: settings.claudeCodeOauthToken } : {}),
    };
  }

  // ---- schedule, workflow_dispatch, push, named tasks ------------------------------------------

  async tasks(decision: Exclude<TriggerDecision, { kind: "comment" | "ignore" }>): Promise<ActionOutcome> {
    const { io, settings } = this;
    const project = await this.project();
    const now = (this.deps.now ?? (() => new Date()))();
    const notes: string[] = [];
    let selected: Selection[];
    let since: Date | undefined;
    let trigger = decision.trigger;
    // chosen here so the schedule state records which run claimed a fire time
    const runId = newRunId(now);

    if (decision.kind === "named") {
      selected = selectTasks(project.tasks, decision.patterns).map((t) => ({
        name: t.name,
        reason: decision.trigger,
      }));
    } else if (decision.kind === "all") {
      selected = project.tasks
        .filter((t) => t.enabled)
        .map((t) => ({ name: t.name, reason: decision.trigger }));
    } else if (decision.kind === "push") {
      const files =
        "files" in decision.changes
          ? decision.changes.files
          : await diffChangedFiles({ git: await this.git(), remote: REMOTE, ...decision.changes.diff });
      if ("reason" in decision.changes) io.logger.info(`changed files from git (${decision.changes.reason})`);
      const repository = this.ctx.payload.repository as { default_branch?: string } | undefined;
      selected = watchedTasks(project.tasks, files, {
        branch: decision.branch,
        base: settings.base,
        defaultBase: repository?.default_branch ?? decision.branch,
      });
      io.logger.info(`${files.length} changed file(s); ${selected.length} task(s) watch them`);
    } else {
      trigger = `schedule ${now.toISOString().slice(0, 16)}Z`;
      this.preflightSchedule(project);
      const claim = await claimDueTasks({
        git: await this.git(),
        remote: REMOTE,
        tasks: project.tasks,
        now,
        runId,
        peek: settings.dryRun || settings.mode === "run-only", // a read-only job claims nothing
      });
      if (claim.problem) {
        io.annotate("warning", claim.problem, { title: "claude-tasks schedule state" });
        notes.push(claim.problem);
      }
      if (claim.firstRun && !claim.problem)
        notes.push("first run: no schedule state yet, so only fire times of the last hour were considered");
      if (settings.dryRun) notes.push("dry run: the schedule state was read, not claimed");
      notes.push(...scheduleNotes(claim, project.tasks, now, settings.mode));
      selected = claim.due.map((d) => ({ name: d.name, fireTimes: d.fireTimes, reason: d.reason }));
      const starts = project.tasks.map((t) => claim.since(t.name)).filter((d): d is Date => d !== undefined);
      since = starts.length > 0 ? new Date(Math.min(...starts.map((d) => d.getTime()))) : undefined;
    }

    const plan = buildPlan({ tasks: project.tasks, selected, now, ...(since ? { since } : {}) });
    if (settings.mode === "plan") {
      const matrix = toMatrix(plan);
      writePlanOutputs(io, matrix);
      await io.appendSummary(planSummary(plan, notes));
      io.logger.info(`planned ${plan.tasks.length} task(s) in ${matrix.include.length} job(s)`);
      return { ok: true, plan };
    }
    if (plan.tasks.length === 0) {
      writeRunOutputs(io, undefined);
      await io.appendSummary(planSummary(plan, notes));
      io.logger.info("no task to run");
      return { ok: true, plan };
    }
    const byName = new Map(project.tasks.map((t) => [t.name, t]));
    const report = await this.run({
      tasks: plan.tasks.map((p) => byName.get(p.name)!),
      dryRun: settings.dryRun,
      trigger,
      runId,
      publish: true,
      fireTimes: Object.fromEntries(
        plan.tasks.filter((t) => t.fireTimes.length > 0).map((t) => [t.name, t.fireTimes]),
      ),
    });
    if (settings.mode === "run-only") await this.handOver(report);
    await this.finish(report, plan.tasks, notes);
    return { ok: report.ok, report, plan };
  }

  /** Without credentials, a due Claude task must fail before anything is claimed (and lost). */
  private preflightSchedule(project: Project): void {
    if (credentialSource(this.credentials, this.deps.env) !== undefined) return;
    const scheduledClaude = project.tasks.filter(
      (t) => t.enabled && t.kind === "claude" && (typeof t.schedule === "string" || t.schedule.length > 0),
    );
    if (scheduledClaude.length === 0) return;
    assertClaudeCredentials({ tasks: scheduledClaude, credentials: this.credentials, env: this.deps.env });
  }

  // ---- issue_comment ----------------------------------------------------------------------------

  async comment(decision: Extract<TriggerDecision, { kind: "comment" }>): Promise<ActionOutcome> {
    const { io, settings, ctx } = this;
    // most comments are not commands: decide that from the payload before needing a token
    const screened = screenComment(decision.event, settings.commentCommand);
    if (!screened.ok) return ignore(io, settings, screened.reason);
    const outcome = await handleComment({
      event: decision.event,
      command: settings.commentCommand,
      gh: this.gh(),
      loadTasks: async () => {
        const p = await loadProject({
          cwd: ctx.workspace,
          configDir: settings.configDir,
          env: this.deps.env,
        });
        annotateProblems(io, p.problems);
        return { tasks: p.tasks, problems: p.problems };
      },
      adhocTask: async (o) =>
        adhocTask({
          ...o,
          configDir: settings.configDir,
          env: this.deps.env,
          ...(await readDefaultsFile(ctx.workspace, settings.configDir).then((d) =>
            d ? { defaults: d } : {},
          )),
        }),
      execute: (req) =>
        this.run({
          tasks: req.tasks,
          dryRun: req.dryRun || settings.dryRun,
          trigger: req.trigger,
          publish: req.publish,
          onProgress: req.progress,
          ...(req.onto ? { onto: req.onto } : {}),
          ...(req.base ? { base: req.base } : {}),
          ...(req.trustedConfig ? { trustedConfig: req.trustedConfig } : {}),
        }),
      patchOf: async (result) => {
        if (!result.backup) return undefined;
        const backup = await readBackup(await stateDir(await this.git()), result.backup);
        return readPatchText(backup.patchPath); // never a whole huge patch in one string
      },
      links: {
        ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
        serverUrl: ctx.serverUrl,
        repository: ctx.repository,
      },
      logger: io.logger,
    });
    if (outcome.status === "ignored" || outcome.status === "refused")
      return ignore(io, settings, outcome.reason);
    if (outcome.status === "answered") {
      writeRunOutputs(io, undefined);
      return { ok: true };
    }
    await this.finish(
      outcome.report,
      outcome.report.results.map((r) => ({ name: r.task, needs: [] })),
      [],
    );
    return { ok: outcome.report.ok, report: outcome.report };
  }

  // ---- shared -----------------------------------------------------------------------------------

  private async project(): Promise<Project> {
    const p = await loadProject({
      cwd: this.ctx.workspace,
      configDir: this.settings.configDir,
      env: this.deps.env,
    });
    annotateProblems(this.io, p.problems);
    return assertValid(p);
  }

  /** Checks credentials, installs Claude Code when needed, and runs the tasks. */
  private async run(req: RunRequest): Promise<RunReport> {
    const { settings, io, ctx } = this;
    assertClaudeCredentials({ tasks: req.tasks, credentials: this.credentials, env: this.deps.env });
    if (req.tasks.some((t) => t.kind === "claude") && this.claudePath === undefined) {
      const claude = await ensureClaude({
        version: settings.claudeCodeVersion,
        env: this.deps.env,
        logger: io.logger,
      });
      this.claudePath = claude.path;
    }
    if (settings.isolation === "sandbox") await ensureSandbox({ logger: io.logger, env: this.deps.env });
    // a fork's head (fetched from `refs/pull/N/head`) is never pushed to: always a dry run
    const dryRun = req.dryRun || req.onto?.fetchRef !== undefined;
    const runOnly = this.settings.mode === "run-only";
    const needsApi = req.publish && !req.onto && !runOnly;
    if (needsApi && !dryRun && !settings.githubToken) {
      throw new UserError("the `github-token` input is empty: it is needed to open pull requests");
    }
    const publisher =
      needsApi && settings.githubToken
        ? createGitHubPublisher({
            gh: this.gh(),
            links: ctx.runUrl ? { runUrl: ctx.runUrl } : {},
            logger: io.logger,
          })
        : undefined;
    const opts: RunTasksOptions = {
      repoRoot: ctx.workspace,
      tasks: req.tasks,
      mode: dryRun || runOnly ? "dry-run" : "pr",
      ...(runOnly ? { tipsFromRemote: true } : {}),
      isolation: settings.isolation,
      remote: REMOTE,
      env: agentBaseEnv(this.deps.env, this.credentials),
      logger: io.logger,
      trigger: req.trigger,
      onEvent: (e) => {
        logRunEvent(io.logger, e);
        if (e.type === "task-phase") req.onProgress?.(e.phase);
      },
      ...(settings.maxParallel !== undefined ? { maxParallel: settings.maxParallel } : {}),
      ...((req.base ?? settings.base) ? { base: req.base ?? settings.base } : {}),
      ...(publisher ? { publisher } : {}),
      ...(this.claudePath ? { claudePath: this.claudePath } : {}),
      ...(req.fireTimes ? { fireTimes: req.fireTimes } : {}),
      ...(req.runId ? { runId: req.runId } : {}),
      ...(req.onto ? { onto: req.onto } : {}),
      ...(req.trustedConfig ? { trustedConfig: req.trustedConfig } : {}),
      ...(await this.gitEnv()),
    };
    return this.deps.runTasks(opts);
  }

  // ---- the privilege split (reusable workflow) ----------------------------------------------------

  /** `run-only`: each task's result (and its change as a bundle) as the artifact `claude-tasks-result-<task>`. */
  private async handOver(report: RunReport): Promise<void> {
    const dir = this.resultsDir();
    const exported = await exportResults({ git: await this.git(), report, dir });
    for (const t of exported) {
      const name = `${RESULT_ARTIFACT_PREFIX}${t.task}`;
      await this.io.uploadArtifact(name, t.files, t.dir);
      this.io.logger.info(
        `${t.task}: handed over as the artifact ${name}${t.bundled ? " (with its change)" : ""}`,
      );
    }
  }

  /** `publish`: checks and lands what the run jobs handed over; runs no task code, needs no model key. */
  async publish(): Promise<ActionOutcome> {
    const { io, settings, ctx } = this;
    if (!settings.dryRun && !settings.githubToken)
      throw new UserError("the `github-token` input is empty: it is needed to push and open pull requests");
    const publisher = settings.githubToken
      ? createGitHubPublisher({
          gh: this.gh(),
          links: ctx.runUrl ? { runUrl: ctx.runUrl } : {},
          logger: io.logger,
        })
      : undefined;
    const report = await publishResults({
      repoRoot: ctx.workspace,
      dir: this.resultsDir(),
      configDir: settings.configDir,
      mode: settings.dryRun ? "dry-run" : "pr",
      remote: REMOTE,
      env: this.deps.env,
      logger: io.logger,
      onEvent: (e) => logRunEvent(io.logger, e),
      trigger: `${ctx.eventName || "publish"}${ctx.actor ? ` by @${ctx.actor}` : ""}`,
      ...(settings.base ? { base: settings.base } : {}),
      ...(publisher ? { publisher } : {}),
      ...(await this.gitEnv()),
    });
    await this.finish(
      report,
      report.results.map((r) => ({ name: r.task, needs: [] })),
      report.results.length === 0 ? ["no run job handed over a result"] : [],
    );
    return { ok: report.ok, report };
  }

  private resultsDir(): string {
    return this.settings.resultsDir ?? join(this.ctx.tempDir, "claude-tasks-results");
  }

  private async finish(
    report: RunReport,
    needs: readonly { name: string; needs: readonly string[] }[],
    notes: string[],
  ): Promise<void> {
    const { io, ctx } = this;
    writeRunOutputs(io, report);
    const artifactUrl = await uploadBackups({
      io,
      report,
      repoRoot: ctx.workspace,
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    });
    const links = { ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}), ...(artifactUrl ? { artifactUrl } : {}) };
    try {
      await io.appendSummary(runSummary(report, needs, links, notes));
    } catch (err) {
      io.logger.warn(`could not write the step summary: ${errorMessage(err)}`);
    }
  }

  private gh(): GitHub {
    if (!this.settings.githubToken) {
      throw new UserError("the `github-token` input is empty: comment commands and pull requests need it");
    }
    this.ghClient ??= createGitHub({
      token: this.settings.githubToken,
      baseUrl: this.ctx.apiUrl,
      owner: this.ctx.owner,
      repo: this.ctx.repo,
      logger: this.io.logger,
      userAgent: "claude-tasks-action",
      secrets: secretsOf(this.settings),
    });
    return this.ghClient;
  }

  /** Authentication for the engine's fetch/push, unless the checkout persisted its own. */
  private gitEnv(): Promise<{ gitEnv?: Record<string, string> }> {
    this.authPromise ??= (async () => {
      const token = this.settings.githubToken;
      if (!token) return {};
      if (await hasExtraHeader(createGit({ cwd: this.ctx.workspace }))) {
        this.io.logger.warn(
          "the checkout stored a token in .git/config, where tasks can read it: use `actions/checkout` with " +
            "`persist-credentials: false` (claude-tasks authenticates its own pushes with `github-token`)",
        );
        return {};
      }
      return { gitEnv: gitAuthEnv(token, this.ctx.serverUrl) };
    })();
    return this.authPromise;
  }

  /** The engine's git in the workspace, authenticated for fetch/push. */
  private git(): Promise<Git> {
    this.gitPromise ??= this.gitEnv().then((e) =>
      createGit({
        cwd: this.ctx.workspace,
        logger: this.io.logger,
        ...(e.gitEnv ? { authEnv: e.gitEnv } : {}),
      }),
    );
    return this.gitPromise;
  }
}
