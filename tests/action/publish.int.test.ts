/**
 * The API budget of every pull request path, counted by the fake GitHub while dist/action.js runs as the
 * runner runs it: opening a PR costs 1 call, updating it at most 2, a run that changes nothing 1, a dry
 * run no write — plus one call per kind of extra (labels, reviewers, assignees, auto-merge) applied.
 * The same runs show that a rerun updates the task's one PR (a leased rewrite of its branch, the old tip
 * kept on the remote) instead of opening a second. The commits are pushed with git here (`sign-commits:
 * off`); signed-commits.int.test.ts covers the commits GitHub makes and signs (one more call each).
 */
import { describe, expect, it } from "vitest";
import { apiOps, originRefs, results, startE2E } from "./harness.ts";

const TASK = `# writes $STAMP into STAMP.txt, or changes nothing when it is empty
run: 'if [ -n "$STAMP" ]; then echo "$STAMP" > STAMP.txt; fi'
pr:
  title: "chore: stamp"
  labels: [automation]
  reviewers: [bob]
  assignees: [bob]
  auto_merge: squash
`;
const BRANCH = "refs/heads/claude-tasks/stamp";
const BACKUPS = "refs/claude-tasks/backups/claude-tasks/stamp/";

describe("the Action's pull request paths and their API budget (dist/action.js)", () => {
  it("open (1 + 1 per extra kind), refresh (≤ 2), rewrite (≤ 2), no changes (1), dry run (0 writes), new extra (+1)", {
    timeout: 300_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": TASK });
    e2e.fake.addCollaborator("bob", "write");
    const dispatch = async (stamp: string, inputs: Record<string, string> = {}) => {
      e2e.fake.resetCalls();
      const r = await e2e.run({
        event: "workflow_dispatch",
        payload: { inputs: {} },
        inputs: { tasks: "stamp", "sign-commits": "off", ...inputs },
        env: { STAMP: stamp },
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const [res] = results(r.outputs);
      return { res, ops: apiOps(e2e.fake), writes: apiOps(e2e.fake, { writes: true }), summary: r.summary };
    };
    const backups = async () =>
      Object.entries(await originRefs(e2e)).filter(([ref]) => ref.startsWith(BACKUPS));

    // 1. open: one call for the PR, one per kind of extra
    const open = await dispatch("v1");
    expect(open.res).toMatchObject({ status: "success", prAction: "created" });
    expect(open.ops).toEqual([
      "pulls/create",
      "issues/add-labels",
      "pulls/request-reviewers",
      "issues/add-assignees",
      "graphql",
    ]);
    const [pr] = e2e.fake.openPulls("claude-tasks/stamp");
    expect(pr).toMatchObject({ number: open.res.prNumber, labels: ["automation"], assignees: ["bob"] });
    expect(pr?.pull).toMatchObject({ requestedReviewers: ["bob"], autoMerge: { method: "squash" } });

    // 2. the same result again: the branch is left alone, the PR's report refreshed — the extras are not re-sent
    const same = await dispatch("v1");
    expect(same.res).toMatchObject({ status: "success", prAction: "updated", prNumber: pr!.number });
    expect(same.res.commit).toBe(open.res.commit);
    expect(same.res.message).toMatch(/already holds this change/);
    expect(same.ops).toEqual(["pulls/list", "pulls/update"]);
    expect((await originRefs(e2e))[BRANCH]).toBe(open.res.commit);
    expect(await backups()).toEqual([]);

    // 3. a new result: the branch is rewritten under a lease, its old tip kept on the remote; same PR
    const rewrite = await dispatch("v2");
    expect(rewrite.res).toMatchObject({ status: "success", prAction: "updated", prNumber: pr!.number });
    expect(rewrite.ops).toEqual(["pulls/list", "pulls/update"]);
    const refs = await originRefs(e2e);
    expect(refs[BRANCH]).toBe(rewrite.res.commit);
    expect(await e2e.repo.gitIn(e2e.repo.origin!, "show", `${BRANCH}:STAMP.txt`)).toBe("v2");
    expect((await backups()).map(([, sha]) => sha)).toEqual([open.res.commit]);
    expect(e2e.fake.openPulls()).toHaveLength(1);

    // 4. the task changes nothing now: one look at the PR, which stays open as it is
    const none = await dispatch("");
    expect(none.res).toMatchObject({ status: "no_changes", prAction: "unchanged", prNumber: pr!.number });
    expect(none.ops).toEqual(["pulls/list"]);
    expect((await originRefs(e2e))[BRANCH]).toBe(rewrite.res.commit);

    // 5. a dry run reads what it must to say what would happen, and writes nothing
    const before = await originRefs(e2e);
    const dry = await dispatch("v3", { "dry-run": "true" });
    // it sees the task branch and its PR on the remote, as the real run would
    expect(dry.res).toMatchObject({ status: "success", prAction: "would-update", prNumber: pr!.number });
    expect(dry.writes).toEqual([]);
    expect(dry.ops).toEqual(["pulls/list"]);
    expect(dry.summary).toContain("claude-tasks dry run");
    // a dry run spends model money, so it is in the spend ledger (the state ref); no other ref moves
    const afterDry = await originRefs(e2e);
    expect(afterDry["refs/claude-tasks/state"]).toBeDefined();
    expect({ ...afterDry, "refs/claude-tasks/state": before["refs/claude-tasks/state"] }).toEqual(before);

    // 6. the task gains a label: an update applies just that kind of extra, once
    await e2e.repo.commit("label stamp PRs as nightly too", {
      ".github/claude-tasks/stamp.yml": TASK.replace("[automation]", "[automation, nightly]"),
    });
    await e2e.repo.git("push", "-q", "origin", "main");
    const labelled = await dispatch("v4");
    expect(labelled.res).toMatchObject({ status: "success", prAction: "updated", prNumber: pr!.number });
    expect(labelled.ops).toEqual(["pulls/list", "pulls/update", "issues/add-labels"]);
    expect(e2e.fake.openPulls()[0]?.labels).toEqual(["automation", "nightly"]);
    expect(await backups()).toHaveLength(2);
    expect(e2e.fake.openPulls()).toHaveLength(1);
  });
});
