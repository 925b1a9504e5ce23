/**
 * Task commits that GitHub makes and signs (`createCommitOnBranch`), through dist/action.js against the
 * fake GitHub, whose GraphQL is checked against GitHub's published schema and whose commits land in the
 * bare origin: the round trip (open, update, unchanged), the lease (someone pushed during the run), what
 * the API cannot express (refused by default, pushed unsigned when allowed), and a commit whose tree is
 * not the checked one (taken back).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRunControl } from "../../src/engine/budget/index.ts";
import { parseConfigFiles } from "../../src/engine/config/index.ts";
import { readRemoteState, STATE_REF } from "../../src/engine/schedule/state.ts";
import { apiOps, type E2E, originRefs, results, startE2E } from "./harness.ts";

const STAMP = `run: 'echo "$STAMP" > STAMP.txt'
pr:
  title: "chore: stamp"
`;
const EXEC = `run: 'printf "#!/bin/sh\\necho hi\\n" > tool.sh && chmod +x tool.sh'
paths:
  allow: [tool.sh]
pr:
  title: "chore: add a tool"
`;
const BRANCH = "refs/heads/claude-tasks/stamp";
/** The stamp task when a second run of it does not wait for the first. */
const STAMP_SKIP = `${STAMP}concurrency: skip\n`;
/** The stamp task with a command that runs long enough for the task's lock to be taken while it runs. */
const STAMP_SLOW = STAMP.replace("run: 'echo", "run: 'sleep 2; echo");

async function dispatch(e2e: E2E, task: string, inputs: Record<string, string> = {}, stamp = "v1") {
  e2e.fake.resetCalls();
  const r = await e2e.run({
    event: "workflow_dispatch",
    payload: { inputs: {} },
    inputs: { tasks: task, ...inputs },
    env: { STAMP: stamp },
  });
  const [res] = results(r.outputs);
  return { r, res, ops: apiOps(e2e.fake) };
}

const show = (e2e: E2E, fmt: string, rev: string) =>
  e2e.repo.gitIn(e2e.repo.origin!, "show", "-s", `--format=${fmt}`, rev);

/** A commit by someone else on `branch` in the origin, made while the Action runs. */
function humanPush(e2e: E2E, branch: string): string {
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Human",
    GIT_AUTHOR_EMAIL: "human@example.com",
    GIT_COMMITTER_NAME: "Human",
    GIT_COMMITTER_EMAIL: "human@example.com",
  };
  const run = (...args: string[]) =>
    execFileSync("git", args, { cwd: e2e.repo.origin!, env, encoding: "utf8" }).trim();
  const tip = run("rev-parse", `refs/heads/${branch}`);
  const c = run("commit-tree", `${tip}^{tree}`, "-p", tip, "-m", "a human's fix");
  run("update-ref", `refs/heads/${branch}`, c, tip);
  return c;
}

/** Every push the origin receives, as the sorted list of refs it updated (a pre-receive hook's view). */
function recordPushes(e2e: E2E): () => string[][] {
  const log = join(e2e.repo.origin!, "pushes.log");
  const hook = join(e2e.repo.origin!, "hooks", "pre-receive");
  writeFileSync(log, "");
  writeFileSync(hook, `#!/bin/sh\n{ cut -d' ' -f3 | tr '\\n' ' '; echo; } >> "${log}"\n`);
  chmodSync(hook, 0o755);
  return () =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => l.trim().split(" ").sort());
}

/** Another workflow run (another clone): takes the stamp task's lock in the ledger as `theirs`. */
async function otherRun(e2e: E2E, yaml: string) {
  const loaded = parseConfigFiles([{ path: ".github/claude-tasks/stamp.yml", text: yaml }], {
    configDir: ".github/claude-tasks",
  });
  const task = loaded.tasks[0]!;
  const theirs = createRunControl({ git: e2e.repo.client().at(await e2e.repo.clone()), remote: "origin" });
  return () => theirs.admit({ task, runId: "theirs", scheduled: false, baseCommit: async () => "" });
}

const ledger = async (e2e: E2E) =>
  (await readRemoteState({ git: e2e.repo.client(), remote: "origin" })).state!;

describe("signed task commits (dist/action.js, sign-commits: required by default)", () => {
  it("opens a PR with a commit GitHub signed, updates it with another (old tip kept), leaves an unchanged one alone", {
    timeout: 240_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });

    const open = await dispatch(e2e, "stamp");
    expect(open.r.code, open.r.stdout + open.r.stderr).toBe(0);
    expect(open.res).toMatchObject({ status: "success", prAction: "created" });
    expect(open.res.message).toMatch(/as a commit signed by GitHub/);
    const c1 = open.res.commit as string;
    expect(e2e.fake.isVerified(c1)).toBe(true);
    expect((await originRefs(e2e))[BRANCH]).toBe(c1);
    expect(open.ops).toEqual(["graphql", "pulls/create"]);
    // checked against the tree and parent GitHub's answer reports, not fetched back
    expect(await e2e.repo.git("cat-file", "-t", c1).catch(() => "not here")).toBe("not here");
    // GitHub's authorship, our message and trailers, exactly the checked tree on the base
    expect(await show(e2e, "%an <%ae>|%cn <%ce>", c1)).toBe(
      "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|GitHub <noreply@github.com>",
    );
    expect(await show(e2e, "%s|%(trailers:key=Claude-Tasks-Task,valueonly)", c1)).toBe("chore: stamp|stamp");
    expect(await show(e2e, "%P", c1)).toBe(await e2e.repo.gitIn(e2e.repo.origin!, "rev-parse", "main"));
    expect(await e2e.repo.gitIn(e2e.repo.origin!, "show", `${c1}:STAMP.txt`)).toBe("v1");

    // a new result: a signed commit on the latest base replaces the old one under a lease
    const update = await dispatch(e2e, "stamp", {}, "v2");
    expect(update.r.code, update.r.stdout + update.r.stderr).toBe(0);
    expect(update.res).toMatchObject({ status: "success", prAction: "updated" });
    const c2 = update.res.commit as string;
    expect(e2e.fake.isVerified(c2)).toBe(true);
    const refs = await originRefs(e2e);
    expect(refs[BRANCH]).toBe(c2);
    expect(Object.entries(refs).filter(([r, sha]) => r.includes("/backups/") && sha === c1)).toHaveLength(1);
    expect(Object.keys(refs).filter((r) => r.includes("claude-tasks-signing"))).toEqual([]);
    expect(e2e.fake.openPulls()).toHaveLength(1);

    // the same result again: the branch (signed commits, GitHub as committer) is ours and stays as it is
    const same = await dispatch(e2e, "stamp", {}, "v2");
    expect(same.res).toMatchObject({ status: "success", commit: c2 });
    expect(same.res.message).toMatch(/already holds this change/);
    expect(same.ops).not.toContain("graphql");
  });

  it("someone pushes to the task branch during the run: refused, their commit stays, the result is in the backup", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    const open = await dispatch(e2e, "stamp");
    expect(open.res.status).toBe("success");

    let theirs = "";
    e2e.beforeRequest = (method, path) => {
      if (method === "POST" && path === "/graphql" && !theirs) theirs = humanPush(e2e, "claude-tasks/stamp");
    };
    const raced = await dispatch(e2e, "stamp", {}, "v2");
    expect(theirs).not.toBe("");
    expect(raced.res.status).toBe("failed");
    expect(raced.res.message).toMatch(
      /refused .*someone else updated it during the run; nothing was overwritten/,
    );
    expect(raced.res.backup).toBeTruthy();
    const refs = await originRefs(e2e);
    expect(refs[BRANCH]).toBe(theirs);
    expect(Object.keys(refs).filter((r) => r.includes("claude-tasks-signing"))).toEqual([]);
    expect(raced.ops).not.toContain("pulls/update");
  });

  it("the base moves while the agent runs: the first push's lease on the base catches it, and GitHub's commit lands on the new tip", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP_SLOW });
    const origin = e2e.repo.origin!;
    // the task's lock in the ledger is pushed while its command runs: right after it, someone
    // commits to main (a post-receive hook of the origin, once)
    const hook = join(origin, "hooks", "post-receive");
    writeFileSync(
      hook,
      `#!/bin/sh
grep -q ' refs/claude-tasks/state$' || exit 0
[ -e moved ] && exit 0
touch moved
export GIT_AUTHOR_NAME=Human GIT_AUTHOR_EMAIL=human@example.com GIT_COMMITTER_NAME=Human GIT_COMMITTER_EMAIL=human@example.com
unset GIT_QUARANTINE_PATH
tip=$(git rev-parse refs/heads/main)
blob=$(echo upstream | git hash-object -w --stdin)
tree=$( (git ls-tree "$tip"; printf '100644 blob %s\tupstream.txt\n' "$blob") | git mktree)
git update-ref refs/heads/main "$(git commit-tree "$tree" -p "$tip" -m 'upstream commit during the run')" "$tip"
`,
    );
    chmodSync(hook, 0o755);
    const before = await e2e.repo.gitIn(origin, "rev-parse", "main");
    const open = await dispatch(e2e, "stamp");
    expect(open.r.code, open.r.stdout + open.r.stderr).toBe(0);
    const main = await e2e.repo.gitIn(origin, "rev-parse", "main");
    expect(main).not.toBe(before);
    expect(await show(e2e, "%s", main)).toBe("upstream commit during the run");
    expect(open.res).toMatchObject({ status: "success", prAction: "created" });
    const c = open.res.commit as string;
    expect(e2e.fake.isVerified(c)).toBe(true);
    expect(await show(e2e, "%P", c)).toBe(main); // on the new tip, not the one the run started from
    expect((await originRefs(e2e))[BRANCH]).toBe(c);
  });

  it("an executable file: refused by default (nothing pushed), pushed unsigned with `preferred`", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/tool.yml": EXEC });

    const refused = await dispatch(e2e, "tool");
    expect(refused.res.status).toBe("failed");
    expect(refused.res.message).toMatch(
      /GitHub's API cannot make this change as a signed commit \(`tool.sh` is an executable file\)/,
    );
    expect(refused.res.message).toMatch(/nothing was pushed, the result is in backup/);
    expect(refused.r.summary).toContain("cannot make this change as a signed commit");
    expect(e2e.originBranches()["claude-tasks/tool"]).toBeUndefined();
    expect(e2e.fake.calls.filter((c) => c.method !== "GET")).toEqual([]);

    const allowed = await dispatch(e2e, "tool", { "sign-commits": "preferred" });
    expect(allowed.r.code, allowed.r.stdout + allowed.r.stderr).toBe(0);
    expect(allowed.res).toMatchObject({ status: "success", prAction: "created" });
    expect(e2e.fake.isVerified(allowed.res.commit)).toBe(false);
    expect(e2e.originBranches()["claude-tasks/tool"]).toBe(allowed.res.commit);
    const mode = await e2e.repo.gitIn(e2e.repo.origin!, "ls-tree", allowed.res.commit, "tool.sh");
    expect(mode).toMatch(/^100755 /);
    expect(allowed.r.summary).toContain("pushed unsigned with git");
    expect(e2e.fake.openPulls("claude-tasks/tool")[0]?.body).toContain("pushed unsigned with git");
  });

  it("a commit GitHub made with another tree than the checked one is taken back and the task fails", async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    e2e.fake.state.tamperCommits = true;
    const run = await dispatch(e2e, "stamp");
    expect(run.res.status).toBe("failed");
    expect(run.res.message).toMatch(/does not hold the tree that was checked; it was taken back/);
    expect(e2e.originBranches()["claude-tasks/stamp"]).toBeUndefined();
    expect(e2e.fake.openPulls()).toEqual([]);
  });

  it("the answer is lost and the request retried: the commit GitHub already made is taken as ours", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    e2e.fake.inject({ operation: "graphql", kind: "reset", applied: true });
    const run = await dispatch(e2e, "stamp");
    expect(run.res).toMatchObject({ status: "success", prAction: "created" });
    expect(run.ops.filter((op) => op === "graphql")).toHaveLength(2);
    expect(e2e.fake.isVerified(run.res.commit)).toBe(true);
    expect(e2e.originBranches()["claude-tasks/stamp"]).toBe(run.res.commit);
  });

  it("two tasks' signed commits that change the same file: both PRs open and the summary names the conflict", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({
      ".github/claude-tasks/stamp.yml": STAMP,
      ".github/claude-tasks/other.yml": `run: 'echo other > STAMP.txt'\npr:\n  title: "chore: other"\n`,
    });
    e2e.fake.resetCalls();
    const r = await e2e.run({
      event: "workflow_dispatch",
      payload: { inputs: {} },
      inputs: { tasks: "stamp,other" },
      env: { STAMP: "v1" },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const res = results(r.outputs);
    expect(res.map((x) => [x.task, x.status, x.prAction])).toEqual([
      ["other", "success", "created"],
      ["stamp", "success", "created"],
    ]);
    for (const x of res) expect(e2e.fake.isVerified(x.commit as string)).toBe(true);
    // GitHub's commits were not fetched back; the check between tasks ran on the same trees and parents
    expect(r.summary).toMatch(
      /Tasks whose changes conflict with each other:\*\*\s+- `other` ↔ `stamp`: `STAMP\.txt`/,
    );
  });

  it("a quick task claims its lock in the pushes that land GitHub's commits: none for the lock alone; released and recorded", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    const pushes = recordPushes(e2e);
    const open = await dispatch(e2e, "stamp");
    expect(open.res).toMatchObject({ status: "success", prAction: "created" });
    // the new task branch at the base, with the record: the one push of the run
    expect(pushes()).toEqual([[BRANCH, STATE_REF].sort()]);

    const update = await dispatch(e2e, "stamp", {}, "v2");
    expect(update.res).toMatchObject({ status: "success", prAction: "updated" });
    const [temporary, move, ...more] = pushes().slice(1);
    // the temporary branch GitHub commits on, then the task branch moved to that commit with the record
    expect(temporary).toEqual([expect.stringMatching(/^refs\/heads\/claude-tasks-signing\//)]);
    expect(move).toEqual(expect.arrayContaining([BRANCH, STATE_REF, temporary![0]]));
    expect(more).toEqual([]);

    const state = await ledger(e2e);
    expect(state.locks).toEqual({});
    // recorded in the push that moved the branch (the harness gives both runs one run id: one entry)
    expect(state.ledger?.tasks.stamp?.recent.at(-1)).toMatchObject({ outcome: "success", prAfter: true });
  });

  it("a quick task while another run holds its lock: no claim, the lock refuses it, nothing is pushed or made through the API", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP_SKIP });
    expect(await (await otherRun(e2e, STAMP_SKIP))()).toEqual({ ok: true });
    const pushes = recordPushes(e2e);
    const run = await dispatch(e2e, "stamp");
    expect(run.r.code, run.r.stdout + run.r.stderr).toBe(0);
    expect(run.res).toMatchObject({ status: "skipped", notRun: "busy" });
    expect(run.res.message).toMatch(/^skipped: run theirs of this task is running /);
    expect(run.ops).not.toContain("graphql");
    expect(pushes().flat()).not.toContain(BRANCH);
    expect(e2e.originBranches()["claude-tasks/stamp"]).toBeUndefined();
    expect((await ledger(e2e)).locks?.stamp?.runId).toBe("theirs");
  });

  it("another run takes the lock while GitHub makes the commit of an update: the move with the claim is refused, the lock refuses the run, GitHub's commit is deleted", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP_SKIP });
    const open = await dispatch(e2e, "stamp");
    expect(open.res.status).toBe("success");
    const theirs = await otherRun(e2e, STAMP_SKIP);
    let taken: Promise<unknown> | undefined;
    e2e.beforeRequest = async (method, path) => {
      if (method !== "POST" || path !== "/graphql") return;
      taken ??= theirs();
      await taken;
    };
    const raced = await dispatch(e2e, "stamp", {}, "v2");
    expect(await taken).toEqual({ ok: true });
    expect(raced.ops).toContain("graphql"); // GitHub made the commit on the temporary branch …
    expect(raced.res).toMatchObject({ status: "skipped", notRun: "busy" }); // … and it did not land
    expect(raced.res.message).toMatch(/^skipped: run theirs of this task is running /);
    const refs = await originRefs(e2e);
    expect(refs[BRANCH]).toBe(open.res.commit);
    expect(
      Object.keys(refs).filter((r) => r.includes("claude-tasks-signing") || r.includes("/backups/")),
    ).toEqual([]);
    expect(raced.ops).not.toContain("pulls/update");
    expect((await ledger(e2e)).locks?.stamp?.runId).toBe("theirs");
  });

  it("a quick task whose branch already sits at the base: GitHub commits on it directly, so the lock is taken before that commit", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    const origin = e2e.repo.origin!;
    await e2e.repo.gitIn(origin, "update-ref", BRANCH, await e2e.repo.gitIn(origin, "rev-parse", "main"));
    const pushes = recordPushes(e2e);
    let atCommit: { pushes: string[][]; lock?: string } | undefined;
    e2e.beforeRequest = async (method, path) => {
      if (method !== "POST" || path !== "/graphql" || atCommit) return;
      // no ledger yet at all, when nothing was pushed
      const state = (await readRemoteState({ git: e2e.repo.client(), remote: "origin" })).state;
      atCommit = { pushes: pushes(), lock: state?.locks?.stamp?.runId };
    };
    const run = await dispatch(e2e, "stamp");
    expect(run.res).toMatchObject({ status: "success" });
    expect(e2e.fake.isVerified(run.res.commit)).toBe(true);
    expect((await originRefs(e2e))[BRANCH]).toBe(run.res.commit);
    // no push of the branch could carry a claim: the lock was pushed, and held, before GitHub's commit
    expect(atCommit?.pushes).toEqual([[STATE_REF]]);
    expect(atCommit?.lock).toBeDefined();
    expect((await ledger(e2e)).locks).toEqual({});
  });

  it("`sign-commits: off` pushes with git, as before", async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": STAMP });
    const run = await dispatch(e2e, "stamp", { "sign-commits": "off" });
    expect(run.res).toMatchObject({ status: "success", prAction: "created" });
    expect(run.ops).toEqual(["pulls/create"]);
    expect(e2e.fake.isVerified(run.res.commit)).toBe(false);
    expect(await show(e2e, "%ae", run.res.commit)).toBe("claude-tasks[bot]@users.noreply.github.com");
  });
});
