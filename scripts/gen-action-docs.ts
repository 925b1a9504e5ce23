/**
 * Writes docs/action.md — the Action's inputs and outputs from action.yml, the events it handles, the
 * reusable workflow's inputs and secrets from its `workflow_call`, and the workflow templates — so the
 * reference cannot drift from the metadata GitHub reads.
 *   node scripts/gen-action-docs.ts          write the file
 *   node scripts/gen-action-docs.ts --check  exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { SUPPORTED_EVENTS, WORKFLOW_TEMPLATES } from "../src/engine/event/index.ts";

export const ACTION_DOC = "docs/action.md";
const REUSABLE = ".github/workflows/claude-tasks.yml";

interface Input {
  description?: string;
  default?: unknown;
  required?: boolean;
  type?: string;
}
interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, Input>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

/** What each event runs; a new event in SUPPORTED_EVENTS does not compile until it is described here. */
const EVENTS: Record<(typeof SUPPORTED_EVENTS)[number], { empty: string; given: string }> = {
  schedule: {
    empty:
      "the tasks whose own `schedule` fired since the last run, claimed compare-and-swap on the ref " +
      "`refs/claude-tasks/state` (a late or dropped tick loses nothing; `missed` decides what runs)",
    given: "exactly those tasks (how the reusable workflow's matrix jobs run the group planned for them)",
  },
  workflow_dispatch: {
    empty: "every enabled task",
    given: "those tasks",
  },
  push: {
    empty:
      "the tasks whose `watch` globs match a file the push changed on their base branch; pushes made by " +
      "claude-tasks itself never trigger",
    given: "exactly those tasks",
  },
  issue_comment: {
    empty:
      "what the comment says: `/claude-tasks run <task> [--dry-run]`, or `/claude-tasks <what to do>` as " +
      "an ad-hoc Claude Code task; only new comments by people with write, maintain or admin permission. " +
      "On a pull request of the repository the work is committed onto its branch; on a fork's pull " +
      "request nothing is pushed (a dry run whose diff is the reply)",
    given: "(ignored: the comment decides)",
  },
  workflow_run: {
    empty:
      "a CI fix: when a workflow run on a task's branch completed with `failure` and the task sets `ci_fix`, " +
      "Claude Code runs the task again on the branch with the failing jobs' logs and commits a fix on top " +
      "(at most `ci_fix.max_attempts` times; a branch with someone else's commits gets a comment instead)",
    given: "(ignored: the failing branch decides)",
  },
};

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** Text for one table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

function value(v: unknown): string {
  if (v === undefined) return "–";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text === "" ? '`""`' : `\`${text}\``;
}

export function actionMarkdown(): string {
  const action = parse(readFileSync(root("action.yml"), "utf8")) as ActionYml;
  const reusable = parse(readFileSync(root(REUSABLE), "utf8")).on.workflow_call as {
    inputs: Record<string, Input>;
    secrets: Record<string, Input>;
    outputs?: Record<string, { description?: string }>;
  };
  const out: string[] = [
    "# The GitHub Action",
    "",
    "<!-- Generated from action.yml and the reusable workflow by `npm run docs:action` (scripts/gen-action-docs.ts). Do not edit by hand. -->",
    "",
    cell(action.description),
    "",
    "```yaml",
    "- uses: actions/checkout@v4",
    "  with:",
    "    persist-credentials: false",
    "- uses: claude-tasks/claude-tasks@v1",
    "  with:",
    `    anthropic-api-key: \${{ secrets.ANTHROPIC_API_KEY }}`,
    "```",
    "",
    `It runs on \`${action.runs.using}\` from the committed bundle \`${action.runs.main}\`. Ready-made workflows for every trigger are in the [README](../README.md#github-action).`,
    "",
    "## Inputs",
    "",
    "| Input | Description | Default | Required |",
    "|---|---|---|---|",
    ...Object.entries(action.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${cell(i.description ?? "")} | ${value(i.default)} | ${i.required ? "yes" : "no"} |`,
    ),
    "",
    "## Outputs",
    "",
    "| Output | Description |",
    "|---|---|",
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description ?? "")} |`),
    "",
    "## Events",
    "",
    "| Event | `tasks` empty | `tasks` given |",
    "|---|---|---|",
    ...SUPPORTED_EVENTS.map((e) => `| \`${e}\` | ${cell(EVENTS[e].empty)} | ${cell(EVENTS[e].given)} |`),
    "",
    "Any other event needs `tasks`. With `mode: plan` (schedule, push, workflow_dispatch) nothing runs:",
    "the `matrix` output lists the independent groups of tasks for a fan-out over jobs.",
    "",
    "## The reusable workflow",
    "",
    `\`claude-tasks/claude-tasks/${REUSABLE}@v1\` plans once, then runs each independent group of tasks in its own job of a matrix.`,
    "",
    "| Input | Type | Description | Default |",
    "|---|---|---|---|",
    ...Object.entries(reusable.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.type ?? "string"} | ${cell(i.description ?? "")} | ${value(i.default)} |`,
    ),
    "",
    "| Secret | Description |",
    "|---|---|",
    ...Object.entries(reusable.secrets).map(([name, s]) => `| \`${name}\` | ${cell(s.description ?? "")} |`),
    "",
    "| Output | Description |",
    "|---|---|",
    ...Object.entries(reusable.outputs ?? {}).map(
      ([name, o]) => `| \`${name}\` | ${cell(o.description ?? "")} |`,
    ),
    "",
    "## Workflow templates",
    "",
    "`npx claude-tasks init --workflows <ids>` copies them into `.github/workflows/`.",
    "",
    "| Id | File | Does |",
    "|---|---|---|",
    ...WORKFLOW_TEMPLATES.map(
      (t) => `| \`${t.id}\` | [\`${t.target}\`](../${t.template}) | ${cell(t.description)} |`,
    ),
    "",
  ];
  return out.join("\n");
}

const text = actionMarkdown();
const target = root(ACTION_DOC);
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing: stale
  }
  if (current !== text) {
    process.stderr.write(`${ACTION_DOC} is out of date; run \`npm run docs:action\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(`${ACTION_DOC} is up to date\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${ACTION_DOC}\n`);
}
