/**
 * What a run leaves behind: a dry run leaves only its report and backup (which `restore` turns back
 * into a branch), and a task branch that carries someone else's commit is never touched.
 */
import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { restoreBackup, worktreesDir } from "../../src/engine/git/index.ts";
import { makeEngineRepo } from "../support/engine.ts";

describe("what a run leaves behind", () => {
  it("a dry run leaves nothing but the report and the backup; restoring the backup gives the same tree", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n", "src/app.ts": "export {};\n" } });
    const [task] = await e.tasks({
      tidy: "run: echo '// tidy' >> src/app.ts && echo new > NEW.md\npr:\n  title: 'chore: tidy'\n",
    });
    const base = await e.head();
    const refsBefore = await e.refs();
    const { report, result: r } = await e.run([task!], { mode: "dry-run" });

    expect(r.status).toBe("success");
    expect(r.message).toBe(
      `dry run: would update \`claude-tasks/tidy\` with 2 files (+2 −0) — nothing was kept but the report and backup ${r.backup}`,
    );
    expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report).toMatchObject({ mode: "dry-run", ok: true });
    expect(await e.refs()).toEqual(refsBefore);
    expect(await e.branches()).toEqual(["main"]);
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
    expect(await e.head()).toBe(base);
    expect(await readdir(worktreesDir(e.state)).catch(() => [])).toEqual([]);
    expect(await e.stateFiles()).toEqual([
      `backups/${r.backup}/changes.patch`,
      `backups/${r.backup}/meta.json`,
      "runs.jsonl",
      `runs/${report.runId}/report.json`,
      `runs/${report.runId}/report.md`,
    ]);

    // Restore: a new branch on the recorded base with exactly the dry run's content.
    const restored = await restoreBackup({ git: e.client(), id: r.backup! });
    expect(restored.branch).toBe(`claude-tasks/restore/${r.backup}`);
    expect(await e.git("rev-parse", `${restored.branch}^`)).toBe(base);
    expect(await e.git("rev-parse", `${restored.branch}^{tree}`)).toBe(await e.git("rev-parse", `${r.commit}^{tree}`));
    expect(await e.git("show", `${restored.branch}:NEW.md`)).toBe("new");
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("a task branch carrying someone else's commit is skipped untouched, before the agent runs", async () => {
    await using e = await makeEngineRepo();
    const [task] = await e.tasks({ docs: "run: echo ran > ran.txt\n" });
    const main = await e.head();
    const human = await e.commit("human fix on the bot branch", { "human.txt": "mine\n" });
    await e.git("branch", "claude-tasks/docs", human);
    await e.git("reset", "-q", "--hard", main);

    const { report, result: r, spawned } = await e.run([task!]);
    expect(r.status).toBe("skipped");
    expect(r.message).toBe(
      `branch \`claude-tasks/docs\` has commits not made by claude-tasks (${human.slice(0, 7)} by Test User <test@example.com>: authored by Test User <test@example.com>); it is left untouched`,
    );
    expect(r.attempts).toBe(0);
    expect(r.backup).toBeUndefined();
    expect(spawned).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await e.git("rev-parse", "claude-tasks/docs")).toBe(human);
    expect(await e.worktrees()).toEqual([e.path]);
    expect((await e.runLog()).filter((l) => l.type === "task")).toMatchObject([{ task: "docs", status: "skipped" }]);
  });
});
