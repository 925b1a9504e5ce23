export { executeGraph, type GraphNode, type Outcome } from "./execute-graph.ts";
export type { OntoBranch, PublishContext, Publisher, RunEvent, RunTasksOptions } from "./options.ts";
export { newRunId } from "./run-id.ts";
export { appendLog, type LogEntry, parseLog, readLog, type TaskEntry } from "./run-log.ts";
export { runLogPath, runReportDir, runTasks } from "./run-tasks.ts";
export * from "./types.ts";
