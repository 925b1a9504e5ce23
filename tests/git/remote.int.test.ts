import { describe, expect, it } from "vitest";
import { GitError } from "../../src/engine/errors.ts";
import { fetchRefs, lsRemote, parsePushPorcelain, pushRefs } from "../../src/engine/git/remote.ts";
import { makeRepo } from "../support/git-repo.ts";

describe("pushRefs with leases", () => {
  it("creates, rewrites under a lease, and refuses a stale lease atomically", async () => {
    await using repo = await makeRepo({ origin: true });
    const git = repo.client();
    const c1 = await repo.head();
    const c2 = await repo.commit("two");
    const side = await repo.git("commit-tree", "-p", c1, "-m", "side", `${c1}^{tree}`);
    const branch = "refs/heads/claude-tasks/t";

    expect(
      await pushRefs({ git, remote: "origin", updates: [{ ref: branch, commit: c2, expected: null }] }),
    ).toEqual({
      ok: true,
      refs: [{ ref: branch, status: "created" }],
    });
    // someone else pushes meanwhile
    const other = await repo.clone();
    await repo.gitIn(other, "push", "-q", "origin", `${c1}:refs/heads/claude-tasks/t`, "--force");

    // our lease (c2) is stale: nothing is pushed, not even the backup ref of the same push
    const stale = await pushRefs({
      git,
      remote: "origin",
      updates: [
        { ref: branch, commit: side, expected: c2 },
        { ref: "refs/claude-tasks/backups/t/1", commit: c2 },
      ],
    });
    expect(stale.ok).toBe(false);
    expect(stale.refs).toEqual([
      { ref: branch, status: "rejected", reason: "stale info" },
      { ref: "refs/claude-tasks/backups/t/1", status: "rejected", reason: "atomic push failed" },
    ]);
    const tips = await lsRemote({ git, remote: "origin", refs: [branch, "refs/claude-tasks/backups/t/1"] });
    expect([...tips]).toEqual([[branch, c1]]);

    // with the right lease a rewrite is allowed
    const ff = await pushRefs({
      git,
      remote: "origin",
      updates: [{ ref: branch, commit: side, expected: c1 }],
    });
    expect(ff).toEqual({ ok: true, refs: [{ ref: branch, status: "updated" }] });
    const forced = await pushRefs({
      git,
      remote: "origin",
      updates: [{ ref: branch, commit: c2, expected: side }],
    });
    expect(forced).toEqual({ ok: true, refs: [{ ref: branch, status: "forced" }] });
    // without a lease only fast-forwards pass
    const noLease = await pushRefs({ git, remote: "origin", updates: [{ ref: branch, commit: side }] });
    expect(noLease).toMatchObject({ ok: false, refs: [{ status: "rejected" }] });
    // deletion under a lease
    expect(
      await pushRefs({ git, remote: "origin", updates: [{ ref: branch, commit: null, expected: c2 }] }),
    ).toEqual({
      ok: true,
      refs: [{ ref: branch, status: "deleted" }],
    });

    await expect(
      pushRefs({ git, remote: `${repo.root}/missing.git`, updates: [{ ref: branch, commit: c1 }] }),
    ).rejects.toBeInstanceOf(GitError);
  });

  it("fetches into remote-tracking refs", async () => {
    await using repo = await makeRepo({ origin: true });
    const other = await repo.clone();
    await repo.gitIn(other, "commit", "-q", "--allow-empty", "-m", "upstream moved");
    await repo.gitIn(other, "push", "-q", "origin", "HEAD:main");
    const git = repo.client();
    await fetchRefs({ git, remote: "origin", refspecs: ["+refs/heads/main:refs/remotes/origin/main"] });
    expect(await repo.head("origin/main")).toBe(await repo.gitIn(other, "rev-parse", "HEAD"));
  });

  it("parses porcelain output", () => {
    expect(
      parsePushPorcelain(
        "To /x.git\n=\tabc:refs/heads/a\t[up to date]\n-\t:refs/heads/b\t[deleted]\n!\tabc:refs/heads/c\t[remote rejected] (pre-receive hook declined)\nDone\n",
      ),
    ).toEqual([
      { ref: "refs/heads/a", status: "up-to-date" },
      { ref: "refs/heads/b", status: "deleted" },
      { ref: "refs/heads/c", status: "rejected", reason: "pre-receive hook declined" },
    ]);
  });
});
