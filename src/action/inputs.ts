/**
 * The Action's inputs as one documented settings object (like actions/checkout's input-helper). An
 * empty input is absent; every value is checked here, so the rest of the Action works with typed,
 * valid settings. Bad values are a UserError naming the input and what it accepts.
 */
import { isValidBranchName } from "../engine/config/index.ts";
import { UserError } from "../engine/errors.ts";
import { DEFAULT_COMMENT_COMMAND, isValidCommentCommand } from "../engine/event/index.ts";
import { SIGN_COMMITS, type SignCommits } from "../engine/github/pr-publisher.ts";
import { ISOLATIONS, type Isolation } from "../engine/sandbox/types.ts";
import { isExactVersion } from "./claude-install.ts";

/** The pinned Claude Code version installed when `claude` is not on PATH. Keep in sync with action.yml. */
export const DEFAULT_CLAUDE_CODE_VERSION = "2.1.329";
export const DEFAULT_CONFIG_DIR = ".github/claude-tasks";
export const MAX_PARALLEL_LIMIT = 64;

export interface ActionSettings {
  /** For the API (pull requests, comments, reactions, permissions) and for git fetch/push. */
  githubToken?: string;
  /** Passed to Claude Code as ANTHROPIC_API_KEY. */
  anthropicApiKey?: string;
  /** Passed to Claude Code as CLAUDE_CODE_OAUTH_TOKEN. */
  claudeCodeOauthToken?: string;
  /** Task names or globs; empty: what the event selects (see routeEvent). */
  tasks: string[];
  /** Do everything except push and write to GitHub. */
  dryRun: boolean;
  /**
   * `run` the tasks and publish them (one job), `plan` them and output the matrix for a fan-out,
   * `run-only` (push nothing, hand each result over as an artifact) or `publish` (check and land the
   * results handed over): the privilege split of the reusable workflow.
   */
  mode: ActionMode;
  /** Where `run-only` writes and `publish` reads the handed-over results. */
  resultsDir?: string;
  /** Task directory relative to the repository root. */
  configDir: string;
  /** Tasks at once in this job; default: the engine's (4). */
  maxParallel?: number;
  /** Exact Claude Code version to install when `claude` is not on PATH. */
  claudeCodeVersion: string;
  /** The comment command word, e.g. `/claude-tasks`. */
  commentCommand: string;
  /** Overrides every task's base branch. */
  base?: string;
  /** `sandbox` (default) or `none`: agents without a sandbox, an explicit and visible opt-out. */
  isolation: Isolation;
  /** Most the organisation may spend per UTC month, every repository that passes it together. */
  orgBudgetUsd?: number;
  /** Where the organisation's ledger lives: `owner/repo` (or a git URL); default this repository. */
  orgLedgerRepo?: string;
  /** Token that can push to `orgLedgerRepo`; default `githubToken`. */
  orgLedgerToken?: string;
  /** Task commits made (and signed) by GitHub through its API: `required` (default), `preferred`, `off`. */
  signCommits: SignCommits;
  /**
   * `github-token` is the workflow's own token (equal to the `workflow-token` input): pull requests
   * it makes start no workflows, so CI does not run on them.
   */
  workflowToken: boolean;
}

export const ACTION_MODES = ["run", "plan", "run-only", "publish"] as const;
export type ActionMode = (typeof ACTION_MODES)[number];

/** Reads one input by its name (`core.getInput`, or a record in tests). */
export type InputReader = (name: string) => string;

export function readSettings(input: InputReader): ActionSettings {
  const get = (name: string): string | undefined => {
    const v = input(name).trim();
    return v === "" ? undefined : v;
  };
  const settings: ActionSettings = {
    tasks: splitTasks(get("tasks") ?? ""),
    dryRun: parseBoolean("dry-run", get("dry-run")),
    mode: parseMode(get("mode")),
    configDir: parseConfigDir(get("config-dir")),
    claudeCodeVersion: parseVersion(get("claude-code-version")),
    commentCommand: parseCommand(get("comment-command")),
    isolation: parseIsolation(get("isolation")),
    signCommits: parseSignCommits(get("sign-commits")),
    workflowToken: false,
  };
  const token = get("github-token");
  if (token) settings.githubToken = token;
  const workflowToken = get("workflow-token");
  settings.workflowToken = !!token && token === workflowToken;
  const key = get("anthropic-api-key");
  if (key) settings.anthropicApiKey = key;
  const oauth = get("claude-code-oauth-token");
  if (oauth) settings.claudeCodeOauthToken = oauth;
  const maxParallel = get("max-parallel");
  if (maxParallel !== undefined) settings.maxParallel = parseMaxParallel(maxParallel);
  const resultsDir = get("results-dir");
  if (resultsDir !== undefined) settings.resultsDir = resultsDir;
  const orgBudget = get("org-budget-usd");
  if (orgBudget !== undefined) {
    const n = Number(orgBudget);
    if (!Number.isFinite(n) || n <= 0)
      throw new UserError(
        `input \`org-budget-usd\`: ${JSON.stringify(orgBudget)} is not a number of dollars greater than 0`,
      );
    settings.orgBudgetUsd = n;
  }
  const ledgerRepo = get("org-ledger-repo");
  if (ledgerRepo !== undefined) settings.orgLedgerRepo = ledgerRepo;
  const ledgerToken = get("org-ledger-token");
  if (ledgerToken !== undefined) settings.orgLedgerToken = ledgerToken;
  const base = get("base");
  if (base !== undefined) {
    if (!isValidBranchName(base))
      throw new UserError(`input \`base\`: ${JSON.stringify(base)} is not a branch name`);
    settings.base = base;
  }
  return settings;
}

/** Names or globs separated by whitespace, commas or newlines. */
export function splitTasks(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` reads them; absent is false. */
export function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new UserError(`input \`${name}\`: ${JSON.stringify(value)} is not \`true\` or \`false\``);
}

function parseIsolation(value: string | undefined): Isolation {
  if (value === undefined) return "sandbox";
  if ((ISOLATIONS as readonly string[]).includes(value)) return value as Isolation;
  throw new UserError(`input \`isolation\`: ${JSON.stringify(value)} is not \`sandbox\` or \`none\``);
}

function parseSignCommits(value: string | undefined): SignCommits {
  if (value === undefined || value === "true") return "required";
  if (value === "false") return "off";
  const mode = SIGN_COMMITS.find((m) => m === value);
  if (mode) return mode;
  throw new UserError(
    `input \`sign-commits\`: ${JSON.stringify(value)} is not one of ${SIGN_COMMITS.map((m) => `\`${m}\``).join(", ")}`,
  );
}

function parseMode(value: string | undefined): ActionMode {
  if (value === undefined) return "run";
  const mode = ACTION_MODES.find((m) => m === value);
  if (mode) return mode;
  throw new UserError(
    `input \`mode\`: ${JSON.stringify(value)} is not one of ${ACTION_MODES.map((m) => `\`${m}\``).join(", ")}`,
  );
}

function parseConfigDir(value: string | undefined): string {
  if (value === undefined) return DEFAULT_CONFIG_DIR;
  const clean = value.replace(/\\/g, "/").replace(/\/+$/, "");
  if (clean.startsWith("/") || clean.split("/").includes("..") || clean === "") {
    throw new UserError(
      `input \`config-dir\`: ${JSON.stringify(value)} must be a path inside the repository`,
    );
  }
  return clean;
}

function parseMaxParallel(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_PARALLEL_LIMIT) {
    throw new UserError(
      `input \`max-parallel\`: ${JSON.stringify(value)} is not a whole number from 1 to ${MAX_PARALLEL_LIMIT}`,
    );
  }
  return n;
}

function parseVersion(value: string | undefined): string {
  if (value === undefined) return DEFAULT_CLAUDE_CODE_VERSION;
  if (!isExactVersion(value)) {
    throw new UserError(
      `input \`claude-code-version\`: ${JSON.stringify(value)} is not an exact version such as \`${DEFAULT_CLAUDE_CODE_VERSION}\``,
    );
  }
  return value;
}

function parseCommand(value: string | undefined): string {
  if (value === undefined) return DEFAULT_COMMENT_COMMAND;
  if (!isValidCommentCommand(value)) {
    throw new UserError(
      `input \`comment-command\`: ${JSON.stringify(value)} must be a slash and a word, like \`/claude-tasks\``,
    );
  }
  return value;
}

/** The secrets among the settings, to mask in logs. */
export function secretsOf(s: ActionSettings): string[] {
  return [s.githubToken, s.anthropicApiKey, s.claudeCodeOauthToken, s.orgLedgerToken].filter(
    (v): v is string => !!v,
  );
}
