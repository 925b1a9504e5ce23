/**
 * Several tasks in one run: in parallel (each its own worktree and branch), conflicts between their
 * results, and `needs` / `if:` deciding what runs. The run log and the report cover every task.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeEngineRepo } from "../support/engine.ts";

describe("several tasks in one run", () => {
  it("two tasks in parallel: both succeed on their own branches, in less wall time than one after the other; their clash on README.md is reported", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n" } });
    const tasks = await e.tasks({
      alpha: "run: sleep 1 && echo a > a.txt && echo '# alpha' > README.md\n",
      beta: "run: sleep 1 && echo b > b.txt && echo '# beta' > README.md\n",
    });
    const { report, byTask } = await e.run(tasks, { maxParallel: 2 });
    const a = byTask("alpha");
    const b = byTask("beta");
    expect([a.status, b.status]).toEqual(["success", "success"]);
    expect(report.durationMs).toBeLessThan(a.durationMs + b.durationMs);
    expect(await e.git("diff", "--name-only", "main", "claude-tasks/alpha")).toBe("README.md\na.txt");
    expect(await e.git("diff", "--name-only", "main", "claude-tasks/beta")).toBe("README.md\nb.txt");
    expect(await e.branches()).toEqual(["claude-tasks/alpha", "claude-tasks/beta", "main"]);
    expect(report.crossConflicts).toEqual([{ tasks: ["alpha", "beta"], files: ["README.md"] }]);
    expect(report.ok).toBe(true);
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("a failed dependency skips its dependent (with the reason); `if: always` runs anyway; the log has every task", async () => {
    await using e = await makeEngineRepo();
    const tasks = await e.tasks({
      lint: "run: echo broken >&2; exit 3\n",
      docs: "run: echo docs > docs.txt\nneeds: [lint]\n",
      report: "run: echo report > report.txt\nneeds: [lint]\nif: always\n",
    });
    const { report, byTask, spawned } = await e.run(tasks, { maxParallel: 2 });
    expect(byTask("lint")).toMatchObject({
      status: "failed",
      attempts: 1,
      message: "`echo broken >&2; exit 3` exited with code 3",
    });
    expect(byTask("lint").agent?.summary).toBe("broken");
    expect(byTask("docs")).toMatchObject({
      status: "skipped",
      attempts: 0,
      message: "dependency `lint` failed",
    });
    expect(byTask("report")).toMatchObject({ status: "success" });
    expect(spawned.map((s) => s.task).sort()).toEqual(["lint", "report"]);
    expect(report.ok).toBe(false);
    expect(await e.branches()).toEqual(["claude-tasks/report", "main"]);

    // The run log: run-start, one entry per task (skipped ones too), run-end; and the report files.
    const log = (await e.runLog()).filter((l) => l.runId === report.runId);
    expect(log[0]).toMatchObject({ type: "run-start", mode: "local", tasks: ["lint", "docs", "report"] });
    expect(log.at(-1)).toMatchObject({ type: "run-end", ok: false });
    const entries = log.filter((l) => l.type === "task");
    expect(entries.map((l) => l.type === "task" && `${l.task}:${l.status}`).sort()).toEqual([
      "docs:skipped",
      "lint:failed",
      "report:success",
    ]);
    expect(log).toHaveLength(5);
    for (const f of ["report.json", "report.md"]) {
      expect((await stat(join(e.state, "runs", report.runId, f))).size).toBeGreaterThan(0);
    }
  });
});
