export { executeGraph, type GraphNode, type Outcome } from "./execute-graph.ts";
export {
  effectiveDryRun,
  type OntoBranch,
  ontoPullRequest,
  type PullRequestHead,
  pushesTo,
} from "./onto.ts";
export type { PublishContext, Publisher, RunEvent, RunTasksOptions } from "./options.ts";
export { newRunId } from "./run-id.ts";
export { appendLog, type LogEntry, parseLog, readLog, type TaskEntry } from "./run-log.ts";
export { runLogPath, runReportDir, runTasks } from "./run-tasks.ts";
export * from "./types.ts";
