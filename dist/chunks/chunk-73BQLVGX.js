import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  UserError
} from "./chunk-FNPOHAIZ.js";

// src/engine/init/workflow-templates.ts
var WORKFLOW_TEMPLATES = [
  {
    id: "schedule",
    target: ".github/workflows/claude-tasks.yml",
    template: "templates/workflows/claude-tasks.yml",
    description: "runs due tasks every 15 minutes, and on demand (workflow_dispatch)"
  },
  {
    id: "comments",
    target: ".github/workflows/claude-tasks-comments.yml",
    template: "templates/workflows/claude-tasks-comments.yml",
    description: "`/claude-tasks \u2026` comment commands on issues and pull requests"
  },
  {
    id: "push",
    target: ".github/workflows/claude-tasks-push.yml",
    template: "templates/workflows/claude-tasks-push.yml",
    description: "runs tasks whose `watch` globs match a push to the default branch"
  },
  {
    id: "org",
    target: ".github/workflows/claude-tasks-org.yml",
    template: "templates/workflows/claude-tasks-org.yml",
    description: "calls the reusable workflow that fans tasks out over a matrix (for many tasks or org-wide use)"
  },
  {
    id: "ci-fix",
    target: ".github/workflows/claude-tasks-ci-fix.yml",
    template: "templates/workflows/claude-tasks-ci-fix.yml",
    description: "fixes a task's pull request when its CI fails (tasks with `ci_fix`)"
  }
];
var DEFAULT_WORKFLOW_IDS = ["schedule", "comments"];
function workflowTemplates(ids = DEFAULT_WORKFLOW_IDS) {
  const unknown = ids.filter((id) => !WORKFLOW_TEMPLATES.some((t) => t.id === id));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown workflow template ${unknown.join(", ")} (known: ${WORKFLOW_TEMPLATES.map((t) => t.id).join(", ")})`
    );
  }
  return WORKFLOW_TEMPLATES.filter((t) => ids.includes(t.id));
}

export {
  WORKFLOW_TEMPLATES,
  DEFAULT_WORKFLOW_IDS,
  workflowTemplates
};
