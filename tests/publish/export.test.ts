import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Git } from "../../src/engine/git/index.ts";
import { exportResults } from "../../src/engine/publish/export.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport, TaskResult } from "../../src/engine/run/types.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("the run job's hand-over artifact", () => {
  it("a result whose change holds a credential goes without the agent's text, with where it was found", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ct-export-"));
    dirs.push(dir);
    const leak = "DEPLOY=value-the-agent-printed-0042";
    const r: TaskResult = {
      ...newResult("dump", "claude-tasks/dump", "main"),
      status: "refused",
      message: "the change broke 1 guard rail",
      agent: {
        kind: "command",
        status: "failed",
        summary: leak,
        error: leak,
        durationMs: 1,
        transient: false,
      },
      violations: [
        { rule: "secret.github-token", file: "env.txt", line: 3, message: "`env.txt` line 3 adds …" },
      ],
    };
    const report: RunReport = {
      version: 1,
      runId: "r1",
      mode: "dry-run",
      startedAt: "2026-12-02T00:00:00.000Z",
      durationMs: 1,
      results: [r],
      crossConflicts: [],
      totalCostUsd: 0,
      ok: false,
    };
    const [t] = await exportResults({ git: {} as Git, report, dir });
    expect(t!.bundled).toBe(false);
    const text = await readFile(join(dir, "dump", "result.json"), "utf8");
    expect(text).not.toContain(leak);
    expect(JSON.parse(text)).toMatchObject({
      status: "refused",
      agent: { summary: "" },
      violations: [{ rule: "secret.github-token", file: "env.txt", line: 3 }],
    });
  });
});
