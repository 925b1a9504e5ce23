/**
 * Engine progress as Actions log lines, one per event, prefixed with the task (tasks run in parallel).
 * Every text that can come from the agent, a command or a file name is one line with no workflow
 * command in it (`oneLine`).
 */
import type { Logger } from "../engine/logger.ts";
import { oneLine } from "../engine/report/escape.ts";
import { STATUS_ICON } from "../engine/report/format.ts";
import type { RunEvent } from "../engine/run/options.ts";

const MAX_LINE = 300;

export function logRunEvent(logger: Logger, e: RunEvent): void {
  switch (e.type) {
    case "run-start":
      logger.info(`claude-tasks run ${e.runId} (${e.mode}): ${e.tasks.join(", ") || "no tasks"}`);
      return;
    case "task-start":
      logger.info(`[${e.task}] started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`);
      return;
    case "task-phase":
      logger.info(`[${e.task}] ${e.phase}`);
      return;
    case "task-retry":
      logger.warn(
        `[${e.task}] retrying in ${Math.round(e.delayMs / 1000)}s (attempt ${e.attempt}): ${oneLine(e.reason, MAX_LINE)}`,
      );
      return;
    case "task-end":
      logger.info(`[${e.task}] ${STATUS_ICON[e.status] ?? ""} ${e.status}: ${oneLine(e.message)}`);
      return;
    case "run-end":
      logger.info(`claude-tasks run ${e.ok ? "succeeded" : "failed"} in ${Math.round(e.durationMs / 1000)}s`);
      return;
    case "agent": {
      const a = e.event;
      if (a.type === "spawn") logger.debug(`[${e.task}]   agent started (pid ${a.pid})`);
      else if (a.type === "tool_use") logger.info(`[${e.task}]   ${cut(a.description)}`);
      else if (a.type === "permission_denied")
        logger.warn(`[${e.task}] permission denied: ${oneLine(a.tool, 80)}: ${cut(a.message)}`);
      else if (a.type === "api_retry")
        logger.info(`[${e.task}]   API retry ${a.attempt}${a.status ? ` (HTTP ${a.status})` : ""}`);
      else if (a.type === "text") logger.debug(`[${e.task}]   ${cut(a.text)}`);
      else if (a.type === "output") logger.debug(`[${e.task}]   ${cut(a.line)}`);
      return;
    }
  }
}

/** Agent text on one line: runs of blanks (newlines included) as one space, then `oneLine`. */
function cut(s: string): string {
  return oneLine(s.replace(/[ \t\r\n]+/g, " ").trim(), MAX_LINE);
}
