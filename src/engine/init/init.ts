/**
 * `init`: writes starter files into a repository — task templates and the workflows that run them.
 * It never overwrites: when any target exists the whole init is refused before anything is written,
 * so a repository is never left half-initialised.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UserError } from "../errors.ts";
import { packageRoot } from "../package-root.ts";
import { DEFAULT_TASK_TEMPLATE, type InitFile, taskTemplateFiles } from "./templates.ts";
import { DEFAULT_WORKFLOW_IDS, workflowTemplates } from "./workflow-templates.ts";

export interface InitOptions {
  repoRoot: string;
  configDir: string;
  /** Task templates by name (`templates/tasks/<name>.yml`). Default `["example"]`; `[]` writes none. */
  templates?: readonly string[];
  /** Extra files (e.g. workflows, see `workflowFiles`) chosen by flags. */
  extra?: InitFile[];
}

export interface InitResult {
  written: string[];
  /** Names of the tasks written. */
  tasks: string[];
}

/** Other spellings accepted by `--workflows`, and the workflow they mean. */
const WORKFLOW_ALIASES: Readonly<Record<string, string>> = {
  comment: "comments",
  cron: "schedule",
  scheduled: "schedule",
  dispatch: "schedule", // the scheduled workflow also has the workflow_dispatch trigger
  workflow_dispatch: "schedule",
  "workflow-dispatch": "schedule",
  issue_comment: "comments",
  reusable: "org",
};

/**
 * The workflow files for `--workflows schedule,comments` (names or aliases, comma- or space-separated;
 * `none` for none). Unknown names are a UserError listing the known ones.
 */
export function workflowFiles(ids: string | readonly string[] = DEFAULT_WORKFLOW_IDS): InitFile[] {
  const list = (typeof ids === "string" ? [ids] : ids)
    .flatMap((s) => s.split(/[\s,]+/))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 1 && list[0] === "none") return [];
  const resolved = [...new Set(list.map((id) => WORKFLOW_ALIASES[id] ?? id))];
  return workflowTemplates(resolved).map(({ target, template }) => ({ target, template }));
}

/** Template names from flags: comma- or space-separated; `none` alone means none. */
export function templateNames(names: readonly string[] = [DEFAULT_TASK_TEMPLATE]): string[] {
  const list = names.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  return list.length === 1 && list[0] === "none" ? [] : list;
}

export function initFiles(opts: InitOptions): InitFile[] {
  return [...taskTemplateFiles(templateNames(opts.templates), opts.configDir), ...(opts.extra ?? [])];
}

/** Targets that exist already, counting `x.yaml` for `x.yml` in the task folder (same task name). */
export function existingTargets(repoRoot: string, files: readonly InitFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const twins = f.target.endsWith(".yml") ? [f.target, `${f.target.slice(0, -4)}.yaml`] : [f.target];
    const hit = twins.find((t) => existsSync(join(repoRoot, t)));
    if (hit) out.push(hit);
  }
  return out;
}

export async function init(opts: InitOptions): Promise<InitResult> {
  const files = initFiles(opts);
  if (files.length === 0) throw new UserError("nothing to write: choose a template or a workflow");
  const existing = existingTargets(opts.repoRoot, files);
  if (existing.length > 0) {
    throw new UserError(
      `refusing to overwrite ${existing.join(", ")} (already initialised?); nothing was written`,
    );
  }
  const root = packageRoot();
  const texts = await Promise.all(files.map((f) => readFile(join(root, f.template), "utf8")));
  for (const [i, f] of files.entries()) {
    const target = join(opts.repoRoot, f.target);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, texts[i]!, { flag: "wx" });
  }
  const taskDir = `${opts.configDir.replace(/\/+$/, "")}/`;
  return {
    written: files.map((f) => f.target),
    tasks: files
      .filter((f) => f.target.startsWith(taskDir) && f.target.endsWith(".yml"))
      .map((f) => f.target.slice(taskDir.length, -".yml".length)),
  };
}

/**
 * What to do after `init`, as `[command, what it does]` pairs: doctor, a dry run, then the secret (and,
 * with workflows, how to get CI on the task's pull requests) or a workflow.
 */
export function nextSteps(result: InitResult): [string, string][] {
  const task = result.tasks[0] ?? "<task>";
  const workflows = result.written.some((f) => f.startsWith(".github/workflows/"));
  const ci: [string, string][] = workflows
    ? [
        [
          "gh secret set CLAUDE_TASKS_APP_ID && gh secret set CLAUDE_TASKS_APP_PRIVATE_KEY < app-key.pem",
          "for CI on the task's pull requests, a GitHub App (or `gh secret set CLAUDE_TASKS_TOKEN`, a fine-grained token): GitHub runs no CI on pull requests made with the workflow's own token (README, \"CI on the pull requests\")",
        ],
      ]
    : [];
  return [
    ["npx claude-tasks doctor", "check git, Claude Code, credentials, task files and workflows"],
    [`npx claude-tasks run ${task} --dry-run`, "try a task locally; nothing is pushed or kept but a report"],
    workflows
      ? [
          "git add .github && gh secret set ANTHROPIC_API_KEY",
          "commit the files and add the API key secret; the workflows take it from there",
        ]
      : [
          "npx claude-tasks init --template none --workflows schedule",
          "add the workflow that runs the tasks on GitHub",
        ],
    ...ci,
  ];
}
