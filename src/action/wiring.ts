/**
 * What the Action hands the engine: the handles it builds lazily from the runner (GitHub client, the
 * engine's authenticated git, Claude Code, the sandbox) and the mapping of a resolved run onto
 * `runTasks`'s options. No decision about events, tasks or forks is made here (see `resolveRun`).
 */

import type { RunControl } from "../engine/budget/index.ts";
import type { Task } from "../engine/config/index.ts";
import { errorMessage, UserError } from "../engine/errors.ts";
import {
  agentBaseEnv,
  assertClaudeCredentials,
  type ClaudeCredentials,
  createGitHubPublisher,
  gitAuthEnv,
  hasExtraHeader,
  type ResolvedRun,
} from "../engine/event/index.ts";
import { createGit, type Git } from "../engine/git/index.ts";
import { createGitHub, type GitHub } from "../engine/github/index.ts";
import type { Project } from "../engine/project.ts";
import type { RunReport } from "../engine/run/types.ts";
import { probeBwrap } from "../engine/sandbox/index.ts";
import { ensureClaude } from "./claude-install.ts";
import type { ActionContext } from "./context.ts";
import type { ActionEngine } from "./engine.ts";
import { type ActionSettings, secretsOf } from "./inputs.ts";
import type { ActionIO } from "./io.ts";
import { logRunEvent } from "./log-events.ts";
import { annotateProblems, notRunNotes, runSummary, uploadBackups, writeRunOutputs } from "./outputs.ts";
import { ensureSandbox } from "./sandbox-setup.ts";

export const REMOTE = "origin";

export type ControlFactory = (w: Wiring, opts: { planning?: boolean }) => Promise<RunControl>;

export class Wiring {
  readonly io: ActionIO;
  readonly env: Record<string, string | undefined>;
  readonly settings: ActionSettings;
  readonly ctx: ActionContext;
  readonly engine: ActionEngine;
  readonly credentials: ClaudeCredentials;
  private gitPromise?: Promise<Git>;
  private authPromise?: Promise<{ gitEnv?: Record<string, string> }>;
  private ghClient?: GitHub;
  private claudePath?: string;
  private controlPromise?: Promise<RunControl>;
  private readonly makeControl: ControlFactory;

  constructor(o: {
    io: ActionIO;
    env: Record<string, string | undefined>;
    settings: ActionSettings;
    ctx: ActionContext;
    engine: ActionEngine;
    /** Builds the ledger's gatekeeper (action/budget.ts; passed in, as that module builds on this one). */
    makeControl: ControlFactory;
  }) {
    this.makeControl = o.makeControl;
    this.io = o.io;
    this.env = o.env;
    this.settings = o.settings;
    this.ctx = o.ctx;
    this.engine = o.engine;
    this.credentials = {
      ...(o.settings.anthropicApiKey ? { anthropicApiKey: o.settings.anthropicApiKey } : {}),
      ...(o.settings.claudeCodeOauthToken ? { claudeCodeOauthToken: o.settings.claudeCodeOauthToken } : {}),
    };
  }

  /**
   * Starts what the run will need and costs only waiting (the sandbox's probe, the check of the
   * checkout's stored credentials: short processes) while the configuration loads and the run is
   * resolved; `execute` picks the answers up.
   */
  warmUp(): void {
    if (
      this.settings.isolation === "sandbox" &&
      this.settings.mode !== "plan" &&
      this.settings.mode !== "publish"
    )
      probeBwrap(this.env).catch(() => {}); // memoized: ensureSandbox awaits (and reports) the same answer
    this.gitEnv().catch(() => {}); // memoized too: whether the checkout kept a token, looked at meanwhile
  }

  /** The configuration in the workspace, its problems annotated on the task files. */
  async project(): Promise<Project> {
    const p = await this.engine.loadProject({
      cwd: this.ctx.workspace,
      configDir: this.settings.configDir,
      env: this.env,
    });
    annotateProblems(this.io, p.problems);
    return p;
  }

  /** Checks credentials, installs Claude Code and the sandbox when needed, and runs the resolved run. */
  async execute(run: ResolvedRun, onProgress?: (line: string) => void): Promise<RunReport> {
    const { settings, io, ctx } = this;
    const byName = new Map(run.tasks.map((t) => [t.name, t]));
    const tasks = run.plan.tasks.flatMap((p) => byName.get(p.name) ?? []);
    assertClaudeCredentials({ tasks, credentials: this.credentials, env: this.env });
    if (tasks.some((t) => t.kind === "claude") && this.claudePath === undefined) {
      const claude = await ensureClaude({
        version: settings.claudeCodeVersion,
        env: this.env,
        logger: io.logger,
      });
      this.claudePath = claude.path;
    }
    if (settings.isolation === "sandbox") await ensureSandbox({ logger: io.logger, env: this.env });
    const runOnly = settings.mode === "run-only";
    const needsApi = run.publish && !run.onto && !runOnly;
    if (needsApi && !run.dryRun && !settings.githubToken) {
      throw new UserError("the `github-token` input is empty: it is needed to open pull requests");
    }
    // a run onto a PR's branch opens no PR, but its commit is made (and signed) through the API too
    const signsOnto = !!run.onto && !run.dryRun && !runOnly;
    const publisher = (needsApi || signsOnto) && settings.githubToken ? this.publisher() : undefined;
    const base = run.base ?? settings.base;
    if (publisher && !run.dryRun) await this.expireStale(tasks, base);
    return this.engine.runTasks({
      repoRoot: ctx.workspace,
      plan: run.plan,
      tasks: run.tasks,
      mode: run.dryRun || runOnly ? "dry-run" : "pr",
      ...(runOnly ? { tipsFromRemote: true } : {}),
      isolation: settings.isolation,
      remote: REMOTE,
      env: agentBaseEnv(this.env, this.credentials),
      logger: io.logger,
      trigger: run.trigger,
      runId: run.runId,
      onEvent: (e) => {
        logRunEvent(io.logger, e);
        if (e.type === "task-phase") onProgress?.(e.phase);
      },
      ...(settings.maxParallel !== undefined ? { maxParallel: settings.maxParallel } : {}),
      ...(base ? { base } : {}),
      ...defaultBaseOf(ctx.payload),
      localBaseFirst: true, // the checkout (actions/checkout) holds the base: agents start without the network
      ...(publisher ? { publisher } : {}),
      ...(this.claudePath ? { claudePath: this.claudePath } : {}),
      ...(run.onto ? { onto: run.onto } : {}),
      ...(run.trustedConfig ? { trustedConfig: run.trustedConfig } : {}),
      ...(run.followUp ? { followUp: run.followUp } : {}),
      // budgets, one run per task, skipping unchanged work; run-only jobs cannot write: their plan job admitted them
      ...(runOnly ? {} : { control: await this.control() }),
      ...(await this.gitEnv()),
    });
  }

  /**
   * `pr.expires`, before the tasks run: each task's open PR older than that, whose branch carries only
   * claude-tasks commits, is closed (its tip kept as a backup ref). Problems are warnings: the run goes on.
   */
  async expireStale(tasks: readonly Task[], base: string | undefined): Promise<void> {
    const list = tasks.flatMap((t) =>
      t.pr.expires ? [{ task: t.name, branch: t.branch, base: base ?? t.base, expires: t.pr.expires }] : [],
    );
    if (list.length === 0) return;
    const out = await this.engine.expireStalePullRequests(list, {
      gh: this.gh(),
      git: await this.git(),
      remote: REMOTE,
    });
    for (const o of out) {
      if (o.error) this.io.logger.warn(`${o.task}: could not check its pull request's age: ${o.error}`);
      else if (o.result?.action === "closed")
        this.io.logger.info(
          `${o.task}: closed pull request #${o.result.number} (older than pr.expires, no human commits); its branch is kept as ${o.result.backup}`,
        );
      else if (o.result?.action === "kept")
        this.io.logger.info(`${o.task}: pull request #${o.result.number} kept open: ${o.result.reason}`);
    }
  }

  /** The ledger's gatekeeper for this job (see action/budget.ts). */
  control(opts: { planning?: boolean } = {}): Promise<RunControl> {
    this.controlPromise ??= this.makeControl(this, opts);
    return this.controlPromise;
  }

  /** Outputs, the backups artifact and the step summary of a finished run. */
  async finish(
    report: RunReport,
    needs: readonly { name: string; needs: readonly string[] }[],
    notes: readonly string[],
  ): Promise<void> {
    const { io, ctx } = this;
    writeRunOutputs(io, report);
    const runUrl = ctx.runUrl ? { runUrl: ctx.runUrl } : {};
    const artifactUrl = await uploadBackups({ io, report, repoRoot: ctx.workspace, ...runUrl });
    const links = { ...runUrl, ...(artifactUrl ? { artifactUrl } : {}) };
    try {
      await io.appendSummary(runSummary(report, needs, links, [...notes, ...notRunNotes(report)]));
    } catch (err) {
      io.logger.warn(`could not write the step summary: ${errorMessage(err)}`);
    }
  }

  publisher() {
    return createGitHubPublisher({
      gh: this.gh(),
      links: this.ctx.runUrl ? { runUrl: this.ctx.runUrl } : {},
      logger: this.io.logger,
      signCommits: this.settings.signCommits,
      workflowToken: this.settings.workflowToken,
    });
  }

  gh(): GitHub {
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
  gitEnv(): Promise<{ gitEnv?: Record<string, string> }> {
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
  git(): Promise<Git> {
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

/** The default branch the event payload names, so the engine need not ask the remote. */
function defaultBaseOf(payload: unknown): { defaultBase?: string } {
  const name = (payload as { repository?: { default_branch?: unknown } } | undefined)?.repository
    ?.default_branch;
  return typeof name === "string" && name !== "" ? { defaultBase: name } : {};
}
