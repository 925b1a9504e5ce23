/**
 * The base branch moves while a task runs (the user commits to main meanwhile): the result is rebased
 * onto the new tip, or reported as a conflict with the unrebased branch kept.
 */
import { describe, expect, it } from "vitest";
import { listBackups } from "../../src/engine/git/index.ts";
import { makeEngineRepo, meanwhile } from "../support/engine.ts";

/** The task's own work, and the user's commit to main while it runs (see `meanwhile`). */
const movingTask = (work: string, userCommit: string) => ({
  task: `run: |\n  ${work}\n`,
  onEvent: (repo: string) =>
    meanwhile(`${userCommit}\ngit -C "$REPO" commit -q -am "user commit during the run"`, { REPO: repo }),
});

describe("the base moves during the run", () => {
  it("a non-conflicting move: the task commit is rebased onto the new main", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n", "notes.txt": "a\n" } });
    const moving = movingTask("echo feature > feature.txt", 'echo b >> "$REPO/notes.txt"');
    const [task] = await e.tasks({ moved: moving.task });
    const oldBase = await e.head();
    const { report, result: r } = await e.run([task!], { onEvent: moving.onEvent(e.path) });
    const newMain = await e.head("main");

    expect(newMain).not.toBe(oldBase);
    expect(await e.git("log", "-1", "--format=%s", "main")).toBe("user commit during the run");
    expect(r).toMatchObject({ status: "success", rebased: true, baseCommit: newMain, conflicts: [] });
    expect(report.ok).toBe(true);
    expect(await e.git("rev-parse", "claude-tasks/moved^")).toBe(newMain);
    expect(await e.git("rev-parse", "claude-tasks/moved")).toBe(r.commit);
    expect(await e.git("diff", "--name-only", "main", "claude-tasks/moved")).toBe("feature.txt");
    // The result's backup (on the old base) also stands for the "before rebase" one: same patch.
    const backups = await listBackups(e.state);
    expect(backups.map((b) => [b.id, b.meta.base])).toEqual([[r.backup, oldBase]]);
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("a conflicting move: status conflict naming the file; the unrebased branch is kept; not ok", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n" } });
    const moving = movingTask("echo '# task title' > README.md", `echo '# user title' > "$REPO/README.md"`);
    const [task] = await e.tasks({ clash: moving.task });
    const oldBase = await e.head();
    const { report, result: r } = await e.run([task!], { onEvent: moving.onEvent(e.path) });

    expect(r.status).toBe("conflict");
    expect(r.conflicts).toEqual(["README.md"]);
    expect(r.message).toBe(
      "the base moved during the run and the change conflicts with it in 1 file(s): README.md; the unrebased result is on `claude-tasks/clash`",
    );
    expect(r.rebased).toBeUndefined();
    expect(report.ok).toBe(false);
    // The branch holds the task's own commit on the old base; main has the user's commit.
    expect(await e.git("rev-parse", "claude-tasks/clash")).toBe(r.commit);
    expect(await e.git("rev-parse", "claude-tasks/clash^")).toBe(oldBase);
    expect(await e.git("show", "claude-tasks/clash:README.md")).toBe("# task title");
    expect(await e.git("show", "main:README.md")).toBe("# user title");
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });
  it("in a dry run: rebased and reported, and the one backup holds only the task's change", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n", "notes.txt": "a\n" } });
    const moving = movingTask("echo feature > feature.txt", 'echo b >> "$REPO/notes.txt"');
    const [task] = await e.tasks({ moved: moving.task });
    const refs = await e.refs();
    const { result: r } = await e.run([task!], { mode: "dry-run", onEvent: moving.onEvent(e.path) });
    expect(r).toMatchObject({ status: "success", rebased: true, baseCommit: await e.head("main") });
    const backups = await listBackups(e.state);
    expect(backups.map((b) => [b.id, b.meta.files])).toEqual([[r.backup, 1]]);
    // Only the user's own commit moved main; the dry run added no ref.
    expect((await e.refs()).filter((x) => !x.startsWith("refs/heads/main "))).toEqual(
      refs.filter((x) => !x.startsWith("refs/heads/main ")),
    );
    expect(await e.worktrees()).toEqual([e.path]);
  });
});
