/**
 * `pr.expires` against the fake GitHub and a real bare remote, with an injected clock: a stale PR
 * whose branch holds only claude-tasks commits is closed with a comment, its tip kept as a backup ref
 * on the remote, its branch deleted; a fresh one, or one with a person's commit, is left alone.
 */
import { afterEach, describe, expect, test } from "vitest";
import { DEFAULT_IDENTITY, TRAILER_TASK } from "../../src/engine/git/index.ts";
import { expireStalePullRequest, expiresMs } from "../../src/engine/github/expire.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";
import { type Harness, startHarness } from "./helpers.ts";

const BRANCH = "claude-tasks/docs";
const DAY = 24 * 60 * 60 * 1000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const bot = {
  GIT_AUTHOR_NAME: DEFAULT_IDENTITY.name,
  GIT_AUTHOR_EMAIL: DEFAULT_IDENTITY.email,
  GIT_COMMITTER_NAME: DEFAULT_IDENTITY.name,
  GIT_COMMITTER_EMAIL: DEFAULT_IDENTITY.email,
};

/** The task's branch on origin with one claude-tasks commit (and, if asked, a person's commit on top). */
async function taskBranch(repo: TestRepo, opts: { human?: boolean } = {}): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync("git", args, { cwd: repo.path, env: { ...repo.env, ...env }, encoding: "utf8" }).trim();
  git(["checkout", "-q", "-b", BRANCH]);
  await repo.write("docs/a.md", "by the task\n");
  git(["add", "-A"]);
  git(["commit", "-q", "-m", `docs: sync\n\n${TRAILER_TASK}: docs`], bot);
  if (opts.human) {
    await repo.write("docs/a.md", "by a person\n");
    git(["commit", "-q", "-am", "fix wording"]);
  }
  git(["push", "-q", "origin", BRANCH]);
  git(["checkout", "-q", "main"]);
  return git(["rev-parse", BRANCH]);
}

async function setup(opts: { human?: boolean } = {}) {
  const repo = await makeRepo({ origin: true });
  const tip = await taskBranch(repo, opts);
  h = await startHarness();
  h.fake.pushBranch(BRANCH);
  const pr = await h.gh.createPr({ head: BRANCH, base: "main", title: "docs: sync", body: "x" });
  const run = (days: number) =>
    expireStalePullRequest({
      gh: h!.gh,
      git: repo.client(),
      remote: "origin",
      task: "docs",
      branch: BRANCH,
      base: "main",
      expires: "14d",
      now: new Date(Date.now() + days * DAY),
    });
  const remoteRefs = async () =>
    (await repo.git("ls-remote", "origin")).split("\n").map((l) => l.split("\t")[1]!);
  return { repo, tip, pr, run, remoteRefs };
}

describe("pr.expires", () => {
  test("expiresMs reads days", () => {
    expect(expiresMs("14d")).toBe(14 * DAY);
    expect(() => expiresMs("2w")).toThrow();
  });

  test("a PR younger than the limit is left open, at the cost of one API call", async () => {
    const s = await setup();
    await using _repo = s.repo;
    h!.fake.resetCalls();
    expect(await s.run(13)).toEqual({ action: "none" });
    expect(h!.fake.callCount()).toBe(1);
    expect((await h!.gh.getPr(s.pr.number)).state).toBe("open");
    expect(await s.remoteRefs()).toContain(`refs/heads/${BRANCH}`);
  });

  test("a stale PR with only claude-tasks commits: backup ref, branch deleted, closed with a comment", async () => {
    const s = await setup();
    await using _repo = s.repo;
    const r = await s.run(15);
    expect(r).toMatchObject({ action: "closed", number: s.pr.number });
    const backup = (r as { backup: string }).backup;
    expect(backup).toMatch(/^refs\/claude-tasks\/backups\/claude-tasks\/docs\//);
    const refs = await s.remoteRefs();
    expect(refs).not.toContain(`refs/heads/${BRANCH}`);
    expect(await s.repo.git("ls-remote", "origin", backup)).toContain(s.tip);
    expect(await s.repo.git("rev-parse", backup)).toBe(s.tip);
    expect((await h!.gh.getPr(s.pr.number)).state).toBe("closed");
    const comments = [...h!.fake.state.comments.values()].filter((c) => c.issueNumber === s.pr.number);
    expect(comments.map((c) => c.body)).toEqual([
      `closed: open for more than 14 days with no human commits; the branch's last state is kept as backup \`${backup}\` (${s.tip.slice(0, 12)}). Run the task again to propose a fresh change.`,
    ]);
  });

  test("a stale PR whose branch has a person's commit is never closed", async () => {
    const s = await setup({ human: true });
    await using _repo = s.repo;
    const r = await s.run(100);
    expect(r).toMatchObject({ action: "kept", number: s.pr.number });
    expect((r as { reason: string }).reason).toMatch(/has commits not made by claude-tasks/);
    expect((await h!.gh.getPr(s.pr.number)).state).toBe("open");
    expect(await s.remoteRefs()).toContain(`refs/heads/${BRANCH}`);
    expect((await s.remoteRefs()).some((r) => r.startsWith("refs/claude-tasks/backups/"))).toBe(false);
    expect(h!.fake.state.comments.size).toBe(0);
  });
});
