import { describe, expect, it } from "vitest";
import { logRunEvent } from "../../src/action/log-events.ts";
import { renderRunText } from "../../src/engine/report/terminal.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport, TaskResult } from "../../src/engine/run/types.ts";

const NAME = "docs/a\n::warning title=x::INJECTED\x1b]0;owned\x07\u202eb.md";

function report(r: Partial<TaskResult>): RunReport {
  return {
    version: 1,
    runId: "r1",
    mode: "local",
    startedAt: "2026-12-02T00:00:00.000Z",
    durationMs: 5,
    results: [{ ...newResult("names", "claude-tasks/names", "main"), ...r }],
    crossConflicts: [],
    totalCostUsd: 0,
    ok: false,
  };
}

describe("untrusted text on a terminal and in the Action's log lines", () => {
  it("file names, messages and agent errors: no control character, no new line, no command", () => {
    const text = renderRunText(
      report({
        status: "refused",
        message: `\`${NAME}\` is denied`,
        files: [{ path: NAME, status: "A", additions: 1, deletions: 0, binary: false }],
        violations: [{ rule: "paths.allow", file: NAME, message: `\`${NAME}\` is not allowed` }],
        conflicts: [NAME],
        agent: {
          kind: "command",
          status: "failed",
          summary: "",
          error: `boom\n${NAME}`,
          durationMs: 1,
          transient: false,
        },
      }),
    );
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(text.split("\n").filter((l) => /^\s*::|INJECTED.*b\.md$/.test(l) && !l.includes("\\n"))).toEqual(
      [],
    );
    expect(text).toContain('"docs/a\\n::warning title=x::INJECTED\\x1b]0;owned\\x07\\u202eb.md"');
  });

  it("lists 150,000 changed files without running out of stack", () => {
    const files = Array.from({ length: 150_000 }, (_, i) => ({
      path: `f/${i}.txt`,
      status: "A",
      additions: 1,
      deletions: 0,
      binary: false,
    }));
    const text = renderRunText(report({ status: "refused", message: "too many files", files }));
    expect(text).toContain("… 149970 more files");
  });

  it("each engine event is one log line that starts no workflow command", () => {
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const logger = { debug: log, info: log, warn: log, error: log };
    logRunEvent(logger, {
      type: "task-end",
      task: "names",
      status: "refused",
      message: `refused ${NAME}`,
      durationMs: 1,
    } as never);
    logRunEvent(logger, {
      type: "agent",
      task: "names",
      event: { type: "tool_use", description: `Write ${NAME}` },
    } as never);
    logRunEvent(logger, {
      type: "agent",
      task: "names",
      event: { type: "text", text: "::error::x\n##[add-mask]y" },
    } as never);
    for (const l of lines) {
      expect(l).not.toMatch(/[\n\r\x1b\u202e]/);
      expect(l).not.toMatch(/^\s*::|##\[/);
    }
    expect(lines).toHaveLength(3);
  });
});
