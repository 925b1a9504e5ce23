/**
 * `pr` mode against a bare `origin`: the task branch is pushed, later force-updated with a lease (its
 * old tip kept under refs/claude-tasks/backups/… on the remote), and never overwritten when someone
 * else pushed to it meanwhile.
 */
import { describe, expect, it } from "vitest";
import type { PublishContext, Publisher } from "../../src/engine/run/index.ts";
import { makeEngineRepo, meanwhile } from "../support/engine.ts";

const publishTask = (version: string) =>
  `run: echo ${version} > out.txt\npr:\n  title: "chore: publish ${version}"\n`;

/** A task whose branch someone else pushes to while it runs (right after its command). */
const racingTask = "run: echo v3 > out.txt\n";
const humanPush = (clone: string) =>
  meanwhile(
    [
      'git -C "$CLONE" fetch -q origin claude-tasks/pub',
      'git -C "$CLONE" checkout -q FETCH_HEAD',
      'echo mine > "$CLONE/human.txt"',
      'git -C "$CLONE" add human.txt',
      'git -C "$CLONE" commit -q -m "human commit"',
      'git -C "$CLONE" push -q origin HEAD:refs/heads/claude-tasks/pub',
    ].join("\n"),
    { CLONE: clone },
  );

describe("pr mode against a bare origin", () => {
  it("pushes the branch, force-updates it with a lease keeping the old tip, and never overwrites a concurrent push", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const origin = e.origin!;
    const remote = (...args: string[]) => e.gitIn(origin, ...args);
    const published: PublishContext[] = [];
    const publisher: Publisher = {
      publish: async (ctx) => {
        published.push(ctx);
        return {
          action: ctx.branchExistedOnRemote ? "updated" : "created",
          number: 7,
          url: "https://example.test/pull/7",
        };
      },
    };
    const base = await remote("rev-parse", "refs/heads/main");
    const pr = { mode: "pr" as const, publisher };

    // 1. First run: the branch is created on origin; the publisher is told it did not exist.
    const [v1] = await e.tasks({ pub: publishTask("v1") });
    const first = await e.run([v1!], pr);
    expect(first.result).toMatchObject({
      status: "success",
      message: "pushed `claude-tasks/pub` with 1 file (+1 −0)",
    });
    expect(first.result.pr).toEqual({ action: "created", number: 7, url: "https://example.test/pull/7" });
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(first.result.commit);
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub^")).toBe(base);
    expect(published.map((p) => [p.branchExistedOnRemote, p.hasChanges, p.dryRun])).toEqual([
      [false, true, false],
    ]);
    expect(await e.branches()).toEqual(["main"]); // pr mode keeps no local task branch

    // 2. Second run with another result: a rewrite, allowed by the lease; the old tip is kept on origin.
    const [v2] = await e.tasks({ pub: publishTask("v2") });
    const second = await e.run([v2!], pr);
    expect(second.result.status).toBe("success");
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(second.result.commit);
    expect(await remote("show", "refs/heads/claude-tasks/pub:out.txt")).toBe("v2");
    const backupRefs = (
      await remote("for-each-ref", "--format=%(refname) %(objectname)", "refs/claude-tasks/backups/")
    )
      .split("\n")
      .filter(Boolean);
    expect(backupRefs).toHaveLength(1);
    expect(backupRefs[0]).toMatch(
      new RegExp(`^refs/claude-tasks/backups/claude-tasks/pub/\\S+ ${first.result.commit}$`),
    );
    expect(published.at(-1)?.branchExistedOnRemote).toBe(true);

    // The same result again: nothing is pushed, no backup ref added; the PR is still refreshed.
    const again = await e.run([v2!], pr);
    expect(again.result).toMatchObject({ status: "success", commit: second.result.commit });
    expect(again.result.message).toBe(
      "`claude-tasks/pub` already holds this change (1 file (+1 −0)); it was left as it is",
    );
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(second.result.commit);
    expect(await remote("for-each-ref", "refs/claude-tasks/backups/")).toMatch(/^[^\n]+$/); // still one
    expect(published).toHaveLength(3);

    // 3. Someone pushes to the branch while the task runs: the push loses its lease, nothing is overwritten.
    const clone = await e.clone();
    const [racing] = await e.tasks({ pub: racingTask });
    const third = await e.run([racing!], { ...pr, onEvent: humanPush(clone) });
    const human = await e.gitIn(clone, "rev-parse", "HEAD");
    expect(third.result.status).toBe("failed");
    expect(third.result.message).toBe(
      `push of \`claude-tasks/pub\` refused (stale info): someone else updated it during the run; nothing was overwritten, the result is in backup ${third.result.backup}`,
    );
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(human);
    expect(await remote("log", "-1", "--format=%s", "refs/heads/claude-tasks/pub")).toBe("human commit");
    expect(await remote("for-each-ref", "refs/claude-tasks/backups/")).toMatch(/^[^\n]+$/); // still one
    expect(published).toHaveLength(3);
    expect(third.report.ok).toBe(false);

    // 4. From now on the branch carries a human's commit: the task is skipped, the branch left alone.
    const fourth = await e.run([v1!], pr);
    expect(fourth.result.status).toBe("skipped");
    expect(fourth.result.message).toContain(`${human.slice(0, 7)} by Test User <test@example.com>`);
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(human);
    expect(fourth.spawned).toEqual([]);

    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
    const prUrls = (await e.runLog()).flatMap((l) => (l.type === "task" && l.prUrl ? [l.prUrl] : []));
    expect(prUrls).toEqual(Array(3).fill("https://example.test/pull/7"));
  });

  it("starting from the checkout's base (the Action): the agent runs at once, and what the remote says still decides", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const origin = e.origin!;
    const remote = (...args: string[]) => e.gitIn(origin, ...args);
    const pr = { mode: "pr" as const, localBaseFirst: true };
    await e.git("fetch", "-q", "origin"); // the checkout holds origin/main, as actions/checkout leaves it
    const checkedOut = await e.head("origin/main");

    // The base moved on the remote since the checkout: the result is rebased onto the remote's tip.
    const clone = await e.clone();
    await e.gitIn(clone, "commit", "-q", "--allow-empty", "-m", "newer main");
    await e.gitIn(clone, "push", "-q", "origin", "HEAD:main");
    const newer = await remote("rev-parse", "refs/heads/main");
    const [task] = await e.tasks({ pub: publishTask("v1") });
    const first = await e.run([task!], pr);
    expect(first.spawned).toHaveLength(1);
    expect(first.result).toMatchObject({ status: "success", rebased: true, baseCommit: newer });
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub^")).toBe(newer);
    expect(await e.head("origin/main")).toBe(checkedOut); // the user's remote-tracking refs are not touched

    // A human's commit on the task branch: the agent already ran, but nothing is pushed over it.
    await e.gitIn(clone, "fetch", "-q", "origin", "claude-tasks/pub");
    await e.gitIn(clone, "checkout", "-q", "FETCH_HEAD");
    await e.gitIn(clone, "commit", "-q", "--allow-empty", "-m", "human commit");
    await e.gitIn(clone, "push", "-q", "origin", "HEAD:refs/heads/claude-tasks/pub");
    const human = await remote("rev-parse", "refs/heads/claude-tasks/pub");
    const [v2] = await e.tasks({ pub: publishTask("v2") });
    const second = await e.run([v2!], pr);
    expect(second.spawned).toHaveLength(1); // the attack surface is the same: the agent's work is dropped
    expect(second.result.status).toBe("skipped");
    expect(second.result.message).toContain(`${human.slice(0, 7)} by Test User <test@example.com>`);
    expect(second.result.message).toContain(`the run's work is in backup ${second.result.backup}`);
    expect(await remote("rev-parse", "refs/heads/claude-tasks/pub")).toBe(human);
    expect(await e.worktrees()).toEqual([e.path]);
  });

  it("the base moves on the remote while the agent runs: the push's lease on the base catches it, and the result lands on the new tip", async () => {
    await using e = await makeEngineRepo({
      origin: true,
      files: { "README.md": "# repo\n", "notes.txt": "a\n" },
    });
    const origin = e.origin!;
    const remote = (...args: string[]) => e.gitIn(origin, ...args);
    await e.git("fetch", "-q", "origin");
    const tracking = await e.head("origin/main");
    const clone = await e.clone();
    const userPush = (change: string) =>
      meanwhile(
        [
          change,
          'git -C "$CLONE" commit -q -am "user commit during the run"',
          'git -C "$CLONE" push -q origin HEAD:main',
        ].join("\n"),
        { CLONE: clone },
      );
    const pr = { mode: "pr" as const, localBaseFirst: true };

    // 1. A move that does not conflict: the one push finds it (nothing lands), the result is rebased and pushed.
    const [task] = await e.tasks({ moved: "run: echo feature > feature.txt\n" });
    const first = await e.run([task!], { ...pr, onEvent: userPush('echo b >> "$CLONE/notes.txt"') });
    const moved = await remote("rev-parse", "refs/heads/main");
    expect(moved).not.toBe(tracking);
    expect(await remote("log", "-1", "--format=%s", "refs/heads/main")).toBe("user commit during the run");
    expect(first.result).toMatchObject({ status: "success", rebased: true, baseCommit: moved });
    expect(await remote("rev-parse", "refs/heads/claude-tasks/moved^")).toBe(moved);
    expect(await remote("diff", "--name-only", "refs/heads/main", "refs/heads/claude-tasks/moved")).toBe(
      "feature.txt",
    );
    expect(await e.head("origin/main")).toBe(tracking); // the user's remote-tracking branch is left alone

    // 2. A move that conflicts: reported as such; the unrebased result is what gets pushed.
    const [clash] = await e.tasks({ clash: "run: echo '# task title' > README.md\n" });
    await e.git("fetch", "-q", "origin");
    await e.gitIn(clone, "pull", "-q", "--ff-only", "origin", "main");
    const before = await remote("rev-parse", "refs/heads/main");
    const second = await e.run([clash!], {
      ...pr,
      onEvent: userPush(`echo '# user title' > "$CLONE/README.md"`),
    });
    expect(second.result.status).toBe("conflict");
    expect(second.result.conflicts).toEqual(["README.md"]);
    expect(await remote("rev-parse", "refs/heads/claude-tasks/clash^")).toBe(before);
    expect(await remote("show", "refs/heads/main:README.md")).toBe("# user title");
    expect(await e.worktrees()).toEqual([e.path]);
  });
});
