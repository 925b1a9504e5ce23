/**
 * The task file, defined once. The loader validates with it, the JSON Schema is generated from it
 * (input side), and the `TaskFile` / `Task` types are inferred from it. Cross-field and cross-file
 * rules (exactly one of prompt/prompt_file/run, unique names, existing prompt files) live in
 * `rules.ts`, because they need more than one value or the file system.
 */
import { z } from "../zod.ts";
import { branchTemplateProblem, DEFAULT_BRANCH_TEMPLATE } from "./branch-template.ts";
import { DURATION_PATTERN, durationHint, isDuration, tryParseDuration } from "./duration.ts";
import { expecting, hinting } from "./expectation.ts";
import { branchNameProblem, isValidBranchName } from "./ref-name.ts";
import { globProblem, repoPathProblem } from "./repo-path.ts";
import { didYouMean } from "./suggest.ts";
import { TASK_NAME_PATTERN, TASK_NAME_RULE, taskNameHint } from "./task-name.ts";
import { isTimeZone, timeZoneHint } from "./time-zone.ts";

export const WORKFLOWS_GLOB = ".github/workflows/**";
/** `limits.max_bytes` may not exceed this (the engine diffs and scans a change in memory). */
const MAX_BYTES_CEILING = 100 * 2 ** 20;
export const MISSED_POLICIES = ["skip", "once", "all"] as const;
export const NEEDS_CONDITIONS = ["success", "always", "failure"] as const;
/** Claude Code's `--permission-mode` values (`manual` is the CLI's label for `default`). */
export const PERMISSION_MODES = [
  "default",
  "acceptEdits",
  "plan",
  "auto",
  "dontAsk",
  "bypassPermissions",
] as const;
export const MERGE_METHODS = ["merge", "squash", "rebase"] as const;
export const CONCURRENCY_POLICIES = ["wait", "skip"] as const;
export const NO_CHANGES_POLICIES = ["keep", "close"] as const;
export const ON_CONFLICT_POLICIES = ["report", "regenerate", "resolve"] as const;
/** The keys that say what a task does; a task file has exactly one of them. */
export const ACTION_KEYS = ["prompt", "prompt_file", "run"] as const;

// ---- leaf helpers -------------------------------------------------------------------------------

const quotedNumberHint = (input: unknown) =>
  typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input))
    ? `write the number without quotes: \`${input.trim()}\``
    : undefined;

const listHint = (input: unknown) =>
  typeof input === "string" ? `write a list, like \`[${JSON.stringify(input)}]\`` : undefined;

/** Strings that end up in a command line or an environment cannot hold a NUL character. */
const noNul = (s: string) => !s.includes("\0");
const nulHint = (v: unknown) =>
  typeof v === "string" && !noNul(v)
    ? "it contains a NUL character (\\0), which no command or variable can hold"
    : undefined;

const text = () => expecting(z.string().refine(noNul), "a string", nulHint);

const nonBlank = () =>
  expecting(
    z
      .string()
      .min(1)
      .refine((s) => s.trim() !== "" && noNul(s)),
    "a non-empty string",
    nulHint,
  );

const list = <T extends z.ZodType>(item: T, expected: string) => expecting(z.array(item), expected, listHint);

const strings = () => list(nonBlank(), "a list of non-empty strings");

const glob = () =>
  expecting(
    z
      .string()
      .min(1)
      .refine((g) => globProblem(g) === undefined),
    "a glob relative to the repository root, such as `docs/**`",
    (v) => (typeof v === "string" ? globProblem(v) : undefined),
  );

const globs = () => list(glob(), 'a list of globs such as `["docs/**"]`');

const taskName = () =>
  expecting(z.string().regex(TASK_NAME_PATTERN), `a task name (${TASK_NAME_RULE})`, taskNameHint);

const flag = () =>
  expecting(z.boolean(), "`true` or `false`", (v) =>
    typeof v === "string" && /^(yes|no|on|off|true|false)$/i.test(v)
      ? "write `true` or `false` without quotes (YAML 1.2 reads only those as booleans)"
      : undefined,
  );

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const words = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  return expecting(z.number().int().min(min).max(max), `a whole number ${words}`, quotedNumberHint);
};

const duration = (opts: { positive: boolean }) =>
  expecting(
    z
      .string()
      .regex(DURATION_PATTERN)
      .refine((s) => isDuration(s) && (!opts.positive || tryParseDuration(s)! > 0)),
    `a${opts.positive ? " positive" : ""} duration such as \`30s\`, \`20m\` or \`1h30m\` (at most 24h)`,
    durationHint,
  );

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function autoMergeHint(v: unknown): string | undefined {
  if (v === true) return "say which merge method: `merge`, `squash` or `rebase`";
  if (v === "false") return "write `false` without quotes";
  const meant = typeof v === "string" ? didYouMean(v, MERGE_METHODS) : undefined;
  return meant ? `did you mean \`${meant}\`?` : undefined;
}

// ---- sections -----------------------------------------------------------------------------------

export const agentSchema = z
  .strictObject({
    model: nonBlank()
      .optional()
      .describe(
        "Claude model passed as `--model`, e.g. `claude-sonnet-4-5`. Default: Claude Code's own default.",
      ),
    max_turns: wholeNumber(1).optional().describe("Stop the agent after this many turns (`--max-turns`)."),
    max_budget_usd: expecting(z.number().positive(), "a number greater than 0", quotedNumberHint)
      .optional()
      .describe("Stop the agent once it has spent this many US dollars."),
    timeout: duration({ positive: true })
      .default("20m")
      .describe(
        "Wall-clock limit for one attempt, such as `20m` or `1h30m` (also applies to `run` commands).",
      ),
    allowed_tools: strings()
      .default([])
      .describe(
        'Tools the agent may use without asking (`--allowedTools`), e.g. `["Read", "Bash(npm test:*)"]`.',
      ),
    disallowed_tools: strings().default([]).describe("Tools the agent may never use (`--disallowedTools`)."),
    permission_mode: hinting(z.enum(PERMISSION_MODES), (v) =>
      v === "manual" ? "the Manual mode is written `default`" : undefined,
    )
      .default("acceptEdits")
      .describe("Claude Code permission mode (`--permission-mode`)."),
    append_system_prompt: text()
      .default("")
      .describe("Text appended to Claude Code's system prompt (`--append-system-prompt`)."),
    args: list(text(), "a list of strings")
      .default([])
      .describe("Extra command-line arguments for `claude`, passed through verbatim."),
    env: z
      .record(
        expecting(
          z.string().regex(ENV_NAME),
          "an environment variable name (letters, digits and `_`, not starting with a digit)",
        ),
        expecting(z.string().refine(noNul), "a string", (v) =>
          typeof v === "number" || typeof v === "boolean" ? `quote it: \`"${String(v)}"\`` : nulHint(v),
        ),
      )
      .default({})
      .describe(
        "Environment variables for the agent or command. Values may use `{{ env.NAME }}` to copy a variable " +
          "of the runner's environment; a missing variable is an error.",
      ),
  })
  .describe("How Claude Code runs this task.");

export const pathsSchema = z
  .strictObject({
    allow: globs()
      .default(["**"])
      .describe(
        "Globs of the files the task may change. A change outside them fails the task. Files that steer " +
          "the repository (`.github/**`, `.claude/**`, `.mcp.json`, `.gitattributes`, `.gitmodules`, " +
          "`CLAUDE.md`, `AGENTS.md`) are refused unless a glob here spells out their name (`.github/CODEOWNERS`, " +
          "`.claude/**`; not `**`); git links (submodules) and executable files unless a glob that starts " +
          "with a literal name matches them (`scripts/**`; not `**/*.sh`). See docs/safety.md.",
      ),
    deny: globs()
      .default([WORKFLOWS_GLOB])
      .describe(
        "Globs of files the task may never change. `.github/workflows/**` stays denied even if this list " +
          "leaves it out, unless `allow` names a path under `.github/workflows/` explicitly.",
      ),
  })
  .describe("Which files the task may change; checked on the diff before anything is pushed.");

export const limitsSchema = z
  .strictObject({
    max_files: wholeNumber(0).default(50).describe("Most files one run may change."),
    max_lines: wholeNumber(0)
      .default(2000)
      .describe(
        "Most lines (added + removed) one run may change. A binary file counts its text-looking lines " +
          "(text behind a NUL byte, UTF-16 text).",
      ),
    max_bytes: wholeNumber(0, MAX_BYTES_CEILING)
      .default(10 * 2 ** 20)
      .describe(
        "Most bytes of new content one run may add or rewrite: the sizes of every added or changed file, " +
          "binary or not (default 10 MiB, at most 100 MiB; GitHub refuses files over 100 MB).",
      ),
  })
  .describe("Size limits on the diff of one run.");

export const retrySchema = z
  .strictObject({
    attempts: wholeNumber(1, 10)
      .default(2)
      .describe("Total attempts, the first included. Only transient failures are retried."),
    backoff: duration({ positive: false }).default("30s").describe("Wait before retrying, such as `30s`."),
  })
  .describe("Retries of transient failures (rate limits, overload, 5xx).");

export const prSchema = z
  .strictObject({
    title: nonBlank().optional().describe("Pull request title. Default: `claude-tasks: <task name>`."),
    body: text().default("").describe("Pull request body; the engine appends its run report."),
    labels: strings().default([]).describe("Labels added to the pull request."),
    reviewers: strings().default([]).describe("Users or `org/team` slugs asked for review."),
    assignees: strings().default([]).describe("Users assigned to the pull request."),
    draft: flag().default(false).describe("Open the pull request as a draft."),
    auto_merge: expecting(
      z.union([z.literal(false), z.enum(MERGE_METHODS)]),
      "`false`, `merge`, `squash` or `rebase`",
      autoMergeHint,
    )
      .default(false)
      .describe("Enable GitHub auto-merge with this method, or `false`."),
    on_no_changes: z
      .enum(NO_CHANGES_POLICIES)
      .default("keep")
      .describe("When a run changes nothing: `keep` the open pull request, or `close` it."),
    expires: expecting(z.string().regex(/^(?:[1-9]\d{0,2})d$/), "a number of days such as `14d` (1d to 999d)")
      .optional()
      .describe(
        "Close the task's pull request when it has been open this long (`14d`) and its branch carries only claude-tasks commits: a comment says why, the branch tip is kept as a backup ref, then the branch is deleted. A branch with anyone else's commit is never closed.",
      ),
  })
  .describe("The pull request opened or updated for this task.");

export const ciFixSchema = z
  .strictObject({
    max_attempts: wholeNumber(1, 5)
      .default(2)
      .describe("Most fix commits on one pull request branch (counted from its commits' trailers)."),
  })
  .describe(
    "Self-healing pull requests (opt-in): when a `workflow_run` on the task's branch fails, Claude Code runs " +
      "the task again on the branch with the failing jobs' logs as context and commits a fix on top. A " +
      "branch with someone else's commits, or out of attempts, gets a comment instead.",
  );

const dollars = () =>
  expecting(z.number().positive(), "a number of US dollars greater than 0", quotedNumberHint);

export const budgetSchema = z
  .strictObject({
    daily_usd: dollars().optional().describe("Most this task may spend per UTC day, all its runs together."),
    monthly_usd: dollars().optional().describe("Most this task may spend per UTC month."),
    repo_daily_usd: dollars()
      .optional()
      .describe("Most all tasks of the repository may spend per UTC day (set it once, in `_defaults.yml`)."),
    repo_monthly_usd: dollars()
      .optional()
      .describe("Most all tasks of the repository may spend per UTC month (set it in `_defaults.yml`)."),
  })
  .describe(
    "Spending limits across runs, checked before the agent starts: a run that could exceed one (what was " +
      "spent, plus what running runs reserved, plus this run's `agent.max_budget_usd`) is refused.",
  );

// ---- the task file ------------------------------------------------------------------------------

export const taskFileSchema = z
  .strictObject({
    name: taskName()
      .optional()
      .describe(`Task name (${TASK_NAME_RULE}). Default: the file name without its extension.`),
    description: text().optional().describe("One line saying what the task is for."),
    prompt: nonBlank()
      .optional()
      .describe("The prompt for Claude Code. A task has exactly one of `prompt`, `prompt_file` or `run`."),
    prompt_file: expecting(
      z
        .string()
        .min(1)
        .refine((p) => repoPathProblem(p) === undefined),
      "a file path relative to the repository root",
      (v) => (typeof v === "string" ? repoPathProblem(v) : undefined),
    )
      .optional()
      .describe(
        "A file holding the prompt, relative to the repository root. Exclusive with `prompt` and `run`.",
      ),
    run: nonBlank()
      .optional()
      .describe("A shell command to run instead of Claude Code. Exclusive with `prompt` and `prompt_file`."),
    schedule: expecting(
      z.union([nonBlank(), z.array(nonBlank())]).transform((v) => (typeof v === "string" ? [v] : v)),
      "a schedule string or a list of them",
    )
      .default([])
      .describe(
        'When to run: a 5-field cron expression ("0 6 * * 1-5"), @hourly, @daily, @weekly, @monthly, @yearly, ' +
          '@workdays, @weekends, or "every 30m" / "every 6h"; or a list of these.',
      ),
    timezone: expecting(
      z.string().refine(isTimeZone),
      "an IANA time zone such as `Europe/Berlin` or `UTC`",
      timeZoneHint,
    )
      .default("UTC")
      .describe("IANA time zone of the schedule. GitHub's own cron is UTC only; this one is not."),
    missed: z
      .enum(MISSED_POLICIES)
      .default("once")
      .describe("Fire times missed since the last run: `skip` them, run `once`, or run `all` of them."),
    watch: globs()
      .default([])
      .describe(
        "Run when a push to the base branch touches files matching these globs (read as `paths` reads them: `docs/` means `docs/**`).",
      ),
    needs: list(taskName(), "a list of task names")
      .default([])
      .describe("Tasks that must finish first (a DAG, like GitHub Actions `needs`)."),
    if: z
      .enum(NEEDS_CONDITIONS)
      .default("success")
      .describe(
        "When to run after the `needs`: all succeeded (`success`), whatever they did (`always`), one failed (`failure`).",
      ),
    base: expecting(z.string().refine(isValidBranchName), "a branch name", (v) =>
      typeof v === "string" ? branchNameProblem(v) : undefined,
    )
      .optional()
      .describe(
        "Branch the work starts from and the pull request targets. Default: the repository's default branch.",
      ),
    branch: expecting(
      z.string().refine((t) => branchTemplateProblem(t) === undefined),
      "a branch name, usually with `{task}` in it",
      (v) => (typeof v === "string" ? branchTemplateProblem(v) : undefined),
    )
      .default(DEFAULT_BRANCH_TEMPLATE)
      .describe("The task's branch; `{task}` is replaced by the task's name."),
    budget: budgetSchema.optional(),
    concurrency: z
      .enum(CONCURRENCY_POLICIES)
      .optional()
      .describe(
        "When a run of this task is already running: `wait` for it to end (default; at most until its claim expires) or `skip` this run.",
      ),
    skip_if_unchanged: flag()
      .optional()
      .describe(
        "Scheduled runs do not start the agent when nothing it reads (`reads`, else `watch`, else any file) changed on the base since its last successful run, and that run's pull request is still open or merged.",
      ),
    if_command: nonBlank()
      .optional()
      .describe(
        "A cheap pre-check: this shell command runs in the task's worktree, in the same sandbox as `run:` commands (at most 60 s). Exit 0: the task runs; anything else (or no answer in time): the task is skipped before its agent starts, and says so. Whatever it writes in the worktree is discarded.",
      ),
    reads: globs()
      .optional()
      .describe("The files the task's result depends on, for `skip_if_unchanged` (default: `watch`)."),
    agent: agentSchema.prefault({}),
    paths: pathsSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    retry: retrySchema.prefault({}),
    pr: prSchema.prefault({}),
    ci_fix: ciFixSchema.optional(),
    on_conflict: z
      .enum(ON_CONFLICT_POLICIES)
      .default("report")
      .describe(
        "When the base moved and the task's change conflicts with it: `report` it (the unrebased branch is " +
          "kept), `regenerate` (run the task again on the latest base; its branch holds only claude-tasks " +
          "commits), or `resolve` (a branch with someone else's commits gets the latest base merged in and " +
          "Claude Code resolves the conflicted files, committed on top; never a force-push).",
      ),
    enabled: flag().default(true).describe("Set to `false` to keep the file but never run the task."),
  })
  .meta({
    title: "claude-tasks task file",
    description:
      "One task for claude-tasks: a Claude Code prompt or a command, its schedule and its guard rails.",
  });

/** A task file as written (the input side of the schema). */
export type TaskFile = z.input<typeof taskFileSchema>;

/** A task file after validation, with the schema's defaults applied. */
export type TaskFileOutput = z.output<typeof taskFileSchema>;

export type AgentSettings = TaskFileOutput["agent"] & {
  /** For each `agent.env` key whose value used `{{ env.NAME }}`: the value as written. See `redactTask`. */
  env_templates: Record<string, string>;
};
export type PathRules = TaskFileOutput["paths"];
export type Limits = TaskFileOutput["limits"];
export type RetryPolicy = TaskFileOutput["retry"];
export type PullRequestSettings = Omit<TaskFileOutput["pr"], "title"> & { title: string };

/** A task as the engine sees it: every default applied, names resolved, `env` substituted. */
export type Task = Omit<TaskFileOutput, "name" | "branch" | "agent" | "pr"> & {
  name: string;
  /** Repository-relative posix path of the task file. */
  file: string;
  kind: "claude" | "command";
  /** The branch, with `{task}` already replaced. */
  branch: string;
  agent: AgentSettings;
  pr: PullRequestSettings;
};
