/**
 * The example workflows shipped in `templates/workflows/`, with where `init` puts them in a user's
 * repository. The CLI's `init` passes the chosen ones as `InitOptions.extra`.
 */
import { UserError } from "../errors.ts";
import type { InitFile } from "./templates.ts";

export interface WorkflowTemplate extends InitFile {
  /** Short id for a flag, e.g. `init --workflows schedule,comments`. */
  id: "schedule" | "comments" | "push" | "org" | "ci-fix";
  description: string;
}

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: "schedule",
    target: ".github/workflows/claude-tasks.yml",
    template: "templates/workflows/claude-tasks.yml",
    description: "runs due tasks every 15 minutes, and on demand (workflow_dispatch)",
  },
  {
    id: "comments",
    target: ".github/workflows/claude-tasks-comments.yml",
    template: "templates/workflows/claude-tasks-comments.yml",
    description: "`/claude-tasks …` comment commands on issues and pull requests",
  },
  {
    id: "push",
    target: ".github/workflows/claude-tasks-push.yml",
    template: "templates/workflows/claude-tasks-push.yml",
    description: "runs tasks whose `watch` globs match a push to the default branch",
  },
  {
    id: "org",
    target: ".github/workflows/claude-tasks-org.yml",
    template: "templates/workflows/claude-tasks-org.yml",
    description:
      "calls the reusable workflow that fans tasks out over a matrix (for many tasks or org-wide use)",
  },
  {
    id: "ci-fix",
    target: ".github/workflows/claude-tasks-ci-fix.yml",
    template: "templates/workflows/claude-tasks-ci-fix.yml",
    description: "fixes a task's pull request when its CI fails (tasks with `ci_fix`)",
  },
];

/** The workflows `init` writes by default: the scheduled tick and comment commands. */
export const DEFAULT_WORKFLOW_IDS: readonly WorkflowTemplate["id"][] = ["schedule", "comments"];

export function workflowTemplates(ids: readonly string[] = DEFAULT_WORKFLOW_IDS): WorkflowTemplate[] {
  const unknown = ids.filter((id) => !WORKFLOW_TEMPLATES.some((t) => t.id === id));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown workflow template ${unknown.join(", ")} (known: ${WORKFLOW_TEMPLATES.map((t) => t.id).join(", ")})`,
    );
  }
  return WORKFLOW_TEMPLATES.filter((t) => ids.includes(t.id));
}
