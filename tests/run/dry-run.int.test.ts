/**
 * What a run leaves behind: a dry run leaves only its report and backup (which `restore` turns back
 * into a branch), and a task branch that carries someone else's commit is never touched.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreBackup, worktreesDir } from "../../src/engine/git/index.ts";
import { makeEngineRepo } from "../support/engine.ts";

describe("what a run leaves behind", () => {
  it("a dry run leaves nothing but the report and the backup; restoring the backup gives the same tree", async () => {
    await using e = await makeEngineRepo({
      files: { "README.md": "# repo\n", "src/app.ts": "export {};\n" },
    });
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
    expect(await e.git("rev-parse", `${restored.branch}^{tree}`)).toBe(
      await e.git("rev-parse", `${r.commit}^{tree}`),
    );
    expect(await e.git("show", `${restored.branch}:NEW.md`)).toBe("new");
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("the same result again leaves the branch as it is: no rewrite, no backup ref", async () => {
    await using e = await makeEngineRepo();
    const [task] = await e.tasks({ same: "run: echo same > same.txt\n" });
    const first = await e.run([task!]);
    const refs = await e.refs();
    const second = await e.run([task!]);
    expect(second.result).toMatchObject({ status: "success", commit: first.result.commit });
    expect(second.result.message).toBe(
      "`claude-tasks/same` already holds this change (1 file (+1 −0)); it was left as it is",
    );
    expect(await e.refs()).toEqual(refs);
    // A different result does rewrite it, keeping the old tip under refs/claude-tasks/backups/.
    const [changed] = await e.tasks({ same: "run: echo other > same.txt\n" });
    const third = await e.run([changed!]);
    expect(third.result.message).toMatch(
      /^branch `claude-tasks\/same` updated with 1 file \(\+1 −0\) \(its previous tip is kept as refs\/claude-tasks\/backups\/claude-tasks\/same\/\S+\)$/,
    );
    expect(await e.git("show", "claude-tasks/same:same.txt")).toBe("other");
  });

  it("a task branch the user has checked out is not moved under them; the result is kept in the backup", async () => {
    await using e = await makeEngineRepo();
    const [first] = await e.tasks({ co: "run: echo one > x.txt\n" });
    await e.run([first!]);
    const [second] = await e.tasks({ co: "run: echo two > x.txt\n" });
    await e.git("checkout", "-q", "claude-tasks/co");
    const tip = await e.head();
    const { result: r } = await e.run([second!]);
    expect(r.status).toBe("failed");
    expect(r.message).toBe(
      `claude-tasks/co is checked out in ${e.path}; it cannot be moved under it; the work is kept in backup ${r.backup}`,
    );
    expect(await e.head("claude-tasks/co")).toBe(tip);
    expect(await readFile(join(e.state, "backups", r.backup!, "changes.patch"), "utf8")).toContain("+two");
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
    expect((await e.runLog()).filter((l) => l.type === "task")).toMatchObject([
      { task: "docs", status: "skipped" },
    ]);
  });
});
