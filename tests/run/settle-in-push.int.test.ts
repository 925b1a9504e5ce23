/**
 * The ledger's record of a run (its cost, its lock released) rides in the atomic push of the task's
 * branch: one push for both, where create-pull-request's peers push the branch alone. When another run
 * wrote the ledger in between, the branch still lands and the record is written on its own.
 */
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRunControl, type RunControl } from "../../src/engine/budget/index.ts";
import type { Task } from "../../src/engine/config/index.ts";
import { createGitHub } from "../../src/engine/github/client.ts";
import { githubSigner } from "../../src/engine/github/pr-publisher.ts";
import { silentLogger } from "../../src/engine/logger.ts";
import type { Publisher } from "../../src/engine/run/options.ts";
import { baseLease, pushLanding } from "../../src/engine/run/push.ts";
import { makeRepoContext } from "../../src/engine/run/repo-context.ts";
import type { TaskResult } from "../../src/engine/run/types.ts";
import {
  expectStateTip,
  prepareStateUpdate,
  readRemoteState,
  STATE_REF,
  writeStateCommit,
} from "../../src/engine/schedule/state.ts";
import { type EngineRepo, makeEngineRepo } from "../support/engine.ts";
import { startGitHubFake } from "../support/github-fake/index.ts";

/** Every push the origin receives, as the list of refs it updated (a pre-receive hook's view). */
async function recordPushes(e: EngineRepo): Promise<() => Promise<string[][]>> {
  const log = join(e.origin!, "pushes.log");
  const hook = join(e.origin!, "hooks", "pre-receive");
  await writeFile(log, "");
  await writeFile(hook, `#!/bin/sh\n{ cut -d' ' -f3 | tr '\\n' ' '; echo; } >> "${log}"\n`);
  await chmod(hook, 0o755);
  return async () =>
    (await readFile(log, "utf8"))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => l.trim().split(" ").sort());
}

/** A first ledger on the origin (a state commit pushed to its ref); its commit id. */
async function pushSeed(e: EngineRepo): Promise<string> {
  const git = e.client();
  const commit = await writeStateCommit(git, { version: 2, updatedAt: new Date().toISOString(), tasks: {} });
  await e.git("push", "-q", "origin", `${commit}:${STATE_REF}`);
  return commit;
}

const control = (e: EngineRepo) => createRunControl({ git: e.client(), remote: "origin" });

/** Another workflow run (another clone: another process's view of the ledger): takes a task's lock as `theirs`. */
async function otherRun(e: EngineRepo) {
  const theirs = createRunControl({ git: e.client().at(await e.clone()), remote: "origin" });
  return (task: Task) =>
    theirs.admit({ task, runId: "theirs", scheduled: false, baseCommit: async () => "" });
}

/** This run's control, whose record for its landing push is made once `first` (another run's write) is done. */
function recordAfter(e: EngineRepo, first: () => Promise<unknown> | undefined): RunControl {
  const ours = control(e);
  return {
    ...ours,
    settleInPush: async (...args) => {
      await first();
      return ours.settleInPush(...args);
    },
  };
}

/** The quick task's run was refused by the other run's lock: nothing landed, its work is in its backup. */
async function expectRefusedBusy(e: EngineRepo, result: TaskResult) {
  expect(result).toMatchObject({ status: "skipped", notRun: "busy" });
  expect(result.message).toMatch(/^skipped: run theirs of this task is running /);
  const backup = /backup (\S+)$/.exec(result.message)![1]!;
  expect(await readFile(join(e.state, "backups", backup, "changes.patch"), "utf8")).toContain("+proof");
  expect(await e.gitIn(e.origin!, "for-each-ref", "--format=%(refname)", "refs/heads/claude-tasks")).toBe("");
  const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
  expect(state.locks?.quick?.runId).toBe("theirs"); // untouched
}

describe("the run's record in the ledger rides in its branch's push", () => {
  it.each<[string, string, string[][]]>([
    [
      "a task with no budget whose command runs a while: the lock, then one push with the branch and the record",
      "sleep 2 && echo done > done.txt",
      [[STATE_REF]], // the lock, asked for while the command ran
    ],
    [
      "a quick command: no lock of its own, the push of its branch claims it (one push: branch and record)",
      "echo done > done.txt",
      [],
    ],
  ])("%s; the lock is released and the run recorded", async (_, run, lockPush) => {
    await using e = await makeEngineRepo({ origin: true });
    const pushes = await recordPushes(e);
    const [task] = await e.tasks({ quick: `run: ${run}\n` });
    const r = await e.run([task!], { mode: "pr", control: control(e) });
    expect(r.result.status).toBe("success");
    expect(await pushes()).toEqual([
      ...lockPush,
      ["refs/claude-tasks/state", "refs/heads/claude-tasks/quick"].sort(),
    ]);
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.locks).toEqual({});
    expect(state.ledger?.tasks.quick?.recent).toMatchObject([
      { outcome: "success", costUsd: 0, base: r.result.baseCommit, prAfter: true },
    ]);
    expect(await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/quick")).toBe(r.result.commit);
  });

  it("a quick command while another run holds the task's lock: the claim is not made, the lock refuses it, nothing lands", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ quick: "run: echo proof > proof.txt\nconcurrency: skip\n" });
    // another workflow run holds the lock; this run's fetch sees it
    expect(await (await otherRun(e))(task!)).toEqual({ ok: true });
    const pushes = await recordPushes(e);
    const r = await e.run([task!], { mode: "pr", control: control(e) });
    expect(r.spawned.length).toBe(1); // the command ran …
    await expectRefusedBusy(e, r.result); // … and did not land
    expect(r.result.message).toMatch(/\(concurrency: skip\)/);
    expect((await pushes()).flat()).not.toContain("refs/heads/claude-tasks/quick");
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.notRun?.quick?.at(-1)).toMatchObject({ kind: "busy" });
  });

  it("a quick command whose claim another run beats (it takes the lock after this run's fetch): the push with the claim is refused, the lock then refuses the run, nothing lands", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const pushes = await recordPushes(e);
    const [task] = await e.tasks({ quick: "run: echo proof > proof.txt\nconcurrency: skip\n" });
    const theirs = await otherRun(e);
    let taken: Promise<unknown> | undefined;
    // the record is made from the ledger as this run fetched it, after the other run took the lock
    const r = await e.run([task!], { mode: "pr", control: recordAfter(e, () => (taken ??= theirs(task!))) });
    expect(await taken).toEqual({ ok: true });
    await expectRefusedBusy(e, r.result);
    // the other run's lock; this run's push of its branch with the claim was refused by git's own lease
    // check (the ledger had moved), so nothing of it reached the server
    const all = await pushes();
    expect(all[0]).toEqual([STATE_REF]);
    expect(all.flat()).not.toContain("refs/heads/claude-tasks/quick");
  });

  it("a quick task with signed commits whose claim another run beats: the push that would create its branch is refused, the lock then refuses the run, GitHub is never asked for the commit", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const token = "ghs_settleInPushTestToken000000000000000";
    const fake = await startGitHubFake({ owner: "acme", repo: "widgets", token, gitDir: e.origin! });
    try {
      const gh = createGitHub({
        token,
        baseUrl: fake.url,
        owner: "acme",
        repo: "widgets",
        logger: silentLogger,
        policy: { msPerSecond: 5, spaceWrites: false },
      });
      const publisher: Publisher = { publish: async () => undefined, signer: githubSigner(gh, "required")! };
      const pushes = await recordPushes(e);
      const [task] = await e.tasks({ quick: "run: echo proof > proof.txt\nconcurrency: skip\n" });
      const theirs = await otherRun(e);
      let taken: Promise<unknown> | undefined;
      const r = await e.run([task!], {
        mode: "pr",
        publisher,
        control: recordAfter(e, () => (taken ??= theirs(task!))),
      });
      expect(await taken).toEqual({ ok: true });
      await expectRefusedBusy(e, r.result);
      // the other run's lock; the push that would have made the new branch (with the claim) was refused
      // by git's own lease check, and the branch did not go without it
      const all = await pushes();
      expect(all[0]).toEqual([STATE_REF]);
      expect(all.flat()).not.toContain("refs/heads/claude-tasks/quick");
      expect(fake.calls.filter((c) => c.operation === "graphql")).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it("a quick command whose result is already on its branch, while another run holds the lock: no push could claim it, so the lock is asked for and refuses it before the PR is touched", async () => {
    await using e = await makeEngineRepo({ origin: true });
    let published = 0;
    const publisher: Publisher = {
      publish: async () => {
        published++;
        return undefined;
      },
    };
    const [task] = await e.tasks({ quick: "run: echo proof > proof.txt\nconcurrency: skip\n" });
    const first = await e.run([task!], { mode: "pr", publisher, control: control(e) });
    expect(first.result.status).toBe("success");
    expect(published).toBe(1);
    expect(await (await otherRun(e))(task!)).toEqual({ ok: true });
    const again = await e.run([task!], { mode: "pr", publisher, control: control(e) });
    expect(again.result).toMatchObject({ status: "skipped", notRun: "busy" });
    expect(again.result.message).toMatch(/^skipped: run theirs of this task is running /);
    expect(published).toBe(1); // the PR of the run that holds the lock was not touched
    expect(await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/quick")).toBe(first.result.commit);
  });

  it("another run wrote the ledger after this one's lock: the branch lands all the same, and the record follows on its own", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const pushes = await recordPushes(e);
    const [task, other] = await e.tasks({
      quick: "run: echo done > done.txt\n",
      other: "run: echo other > other.txt\n",
    });
    // right after the command, another workflow run (another clone) takes the lock of another task; this run's
    // record is made (from the ledger as this run last saw it) once that is done
    const theirs = await otherRun(e);
    let admitted: Promise<unknown> | undefined;
    const r = await e.run([task!], {
      mode: "pr",
      control: recordAfter(e, () => admitted),
      onEvent: (ev) => {
        if (ev.type === "task-phase" && ev.phase === "checking the change") admitted ??= theirs(other!);
      },
    });
    expect(await admitted).toEqual({ ok: true });
    expect(r.result.status).toBe("success");
    expect(await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/quick")).toBe(r.result.commit);
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(Object.keys(state.locks ?? {})).toEqual(["other"]); // theirs kept, ours released
    expect(state.ledger?.tasks.quick?.recent).toMatchObject([{ outcome: "success" }]);
    expect(state.ledger?.tasks.quick?.recent[0]?.prAfter).toBeUndefined(); // written after the run, on its own
    const all = await pushes();
    expect(all.filter((p) => p.includes("refs/heads/claude-tasks/quick"))).toEqual([
      ["refs/heads/claude-tasks/quick"],
    ]);
  });

  it("two landings race on the server: the one held there is refused without a word of which ref, and both branches land all the same", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const origin = e.origin!;
    const git = e.client();
    const base = await e.gitIn(origin, "rev-parse", "main");
    const tip = await pushSeed(e); // the ledger both landings start from
    // two checkouts (two runners), each with a task commit and the state it last saw
    const landing = async (name: string) => {
      const dir = await e.clone();
      const g = git.at(dir);
      const commit = (await g.run(["commit-tree", `${base}^{tree}`, "-p", base, "-m", name])).stdout.trim();
      expectStateTip(g, "origin", STATE_REF, Promise.resolve(tip));
      const rider = await prepareStateUpdate({
        git: g,
        remote: "origin",
        update: (s) => ({ ...s!, runId: name }),
      });
      expect(rider).toBeDefined();
      const repo = await makeRepoContext({
        git: g,
        state: join(dir, ".git", "claude-tasks"),
        mode: "pr",
        logger: silentLogger,
      });
      return () =>
        pushLanding({
          repo,
          updates: [{ ref: `refs/heads/claude-tasks/${name}`, commit, expected: null }],
          guard: baseLease("main", base),
          ...(rider ? { rider } : {}),
        });
    };
    const [first, second] = [await landing("first"), await landing("second")];
    // the first push is held on the server (its pre-receive hook waits) while the second reads the
    // refs, passes git's own lease check and lands: the first is then refused by the server
    // ("atomic transaction failed", every ref alike)
    const hook = join(origin, "hooks", "pre-receive");
    await writeFile(hook, `#!/bin/sh\nif [ ! -e ${origin}/held ]; then touch ${origin}/held; sleep 1; fi\n`);
    await chmod(hook, 0o755);
    const a = first();
    await new Promise((ok) => setTimeout(ok, 300));
    const [ra, rb] = await Promise.all([a, second()]);
    expect(ra).toEqual({ ok: true, baseMoved: false });
    expect(rb).toEqual({ ok: true, baseMoved: false });
    expect(await e.gitIn(origin, "for-each-ref", "--format=%(refname)", "refs/heads/claude-tasks")).toBe(
      "refs/heads/claude-tasks/first\nrefs/heads/claude-tasks/second",
    );
    const state = (await readRemoteState({ git, remote: "origin" })).state!;
    expect(state.runId).toBe("second"); // the ledger keeps the record of the push the server took; the other is written after its run
  });
});
