/** `doctor`: pure checks (checks/), their inputs gathered in one place (run-doctor.ts), a renderer. */
export { type Linter, type LinterLoad, loadActionlint } from "./actionlint.ts";
export {
  atLeast,
  checkClaude,
  checkCredentials,
  checkGit,
  checkNode,
  MIN_GIT,
  MIN_NODE,
  parseVersion,
} from "./checks/environment.ts";
export { checkHistory, checkStateRef, checkTasks, checkWorktrees } from "./checks/local-state.ts";
export { checkScheduleReach, reachOf, type Tick } from "./checks/schedule-reach.ts";
export {
  checkActionlint,
  checkActionsToken,
  checkCiToken,
  checkWorkflowPermissions,
  hasWrite,
  type LintFinding,
  parseWorkflow,
  type Workflow,
  type WorkflowFile,
} from "./checks/workflows.ts";
export { renderDoctor } from "./render.ts";
export { type DoctorOptions, runDoctor } from "./run-doctor.ts";
export { CHECK_ICON, type CheckResult, type CheckStatus, type DoctorReport } from "./types.ts";
