/**
 * publishPullRequest against the fake GitHub, with the API budget of every path asserted twice: by the
 * publisher's own count and by the requests the fake received.
 */
import { afterEach, describe, expect, test } from "vitest";
import {
  MAX_BODY_LENGTH,
  type PublishOptions,
  publishPullRequest,
  readMarker,
  renderBody,
} from "../../src/engine/github/publish.ts";
import { type Harness, startHarness } from "./helpers.ts";

let h: Harness;
afterEach(async () => {
  await h?.fake.close();
});

const BRANCH = "claude-tasks/docs";

function opts(over: Partial<PublishOptions> = {}): PublishOptions {
  return {
    gh: h.gh,
    branch: BRANCH,
    base: "main",
    title: "docs: sync README",
    body: "Updated the CLI reference.",
    branchExistedOnRemote: false,
    hasChanges: true,
    ...over,
  };
}

/** Publishes, then checks that the publisher's count matches what the fake saw. */
async function publish(over: Partial<PublishOptions> = {}) {
  h.fake.resetCalls();
  const result = await publishPullRequest(opts(over));
  expect(result.calls).toBe(h.fake.callCount());
  expect(result.writes).toBe(h.fake.callCount({ writes: true }));
  return result;
}

/** The state after a first run: the branch pushed and its PR open. */
async function firstRun(over: Partial<PublishOptions> = {}) {
  h.fake.pushBranch(BRANCH);
  return publish(over);
}

describe("opening", () => {
  test("a branch new on the remote: 1 call, create directly", async () => {
    h = await startHarness();
    h.fake.pushBranch(BRANCH);
    const r = await publish();
    expect(r).toMatchObject({
      action: "created",
      number: 1,
      url: "https://github.com/acme/widgets/pull/1",
      calls: 1,
      writes: 1,
    });
    expect(h.fake.calls.map((c) => c.operation)).toEqual(["pulls/create"]);
    const pr = h.fake.state.issues.get(1)!;
    expect(pr.body).toMatch(/^Updated the CLI reference\.\n\n<!-- claude-tasks:pr \{.*\} -->$/);
    expect(pr.pull!.draft).toBe(false);
  });

  test("with labels, reviewers, assignees and auto-merge: one more call per kind", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    h.fake.addTeam("docs");
    h.fake.pushBranch(BRANCH);
    const r = await publish({
      labels: ["automation", "docs"],
      reviewers: ["alice", "acme/docs"],
      assignees: ["alice"],
      autoMerge: "squash",
      draft: true,
    });
    expect(r).toMatchObject({ action: "created", calls: 5, writes: 5, warnings: [] });
    expect(h.fake.calls.map((c) => c.operation)).toEqual([
      "pulls/create",
      "issues/add-labels",
      "pulls/request-reviewers",
      "issues/add-assignees",
      "graphql",
    ]);
    const pr = await h.gh.getPr(1);
    expect(pr).toMatchObject({
      draft: true,
      labels: ["automation", "docs"],
      requestedReviewers: ["alice"],
      requestedTeams: ["docs"],
      assignees: ["alice"],
      autoMerge: "squash",
    });
  });

  test("the branch existed but no PR is open (closed earlier): find + create = 2", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: BRANCH, state: "closed" });
    const r = await publish({ branchExistedOnRemote: true });
    expect(r).toMatchObject({ action: "created", number: 2, calls: 2, writes: 1 });
  });

  test("a failing extra is a warning; the PR is still created", async () => {
    h = await startHarness();
    h.fake.addUser("stranger");
    h.fake.pushBranch(BRANCH);
    const r = await publish({ reviewers: ["stranger"], labels: ["automation"] });
    expect(r.action).toBe("created");
    expect(r.warnings).toEqual([
      expect.stringMatching(/^could not request reviews from stranger on #1: .*422 .*collaborators/),
    ]);
    expect(h.fake.state.issues.get(1)!.labels).toEqual(["automation"]);
  });

  test("a body over GitHub's limit is truncated, not refused", async () => {
    h = await startHarness();
    h.fake.pushBranch(BRANCH);
    const r = await publish({ body: "x".repeat(70_000) });
    expect(r.action).toBe("created");
    const body = h.fake.state.issues.get(1)!.body!;
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    expect(body).toContain("(truncated: GitHub limits a pull request body to 65536 characters)");
    expect(readMarker(body)).not.toBeNull();
  });
});

describe("updating", () => {
  test("same title and body: 1 call (find only)", async () => {
    h = await startHarness();
    await firstRun({ labels: ["automation"] });
    const r = await publish({ branchExistedOnRemote: true, labels: ["automation"] });
    expect(r).toMatchObject({ action: "updated", number: 1, calls: 1, writes: 0 });
  });

  test("a different body: find + update = 2", async () => {
    h = await startHarness();
    await firstRun();
    const r = await publish({ branchExistedOnRemote: true, body: "Now also the FAQ." });
    expect(r).toMatchObject({ action: "updated", calls: 2, writes: 1 });
    expect(h.fake.calls.map((c) => c.operation)).toEqual(["pulls/list", "pulls/update"]);
    expect(h.fake.state.issues.get(1)!.body).toMatch(/^Now also the FAQ\.\n\n<!--/);
  });

  test("line endings and trailing whitespace do not count as a change", async () => {
    h = await startHarness();
    await firstRun({ body: "a\nb" });
    const r = await publish({ branchExistedOnRemote: true, body: "a\r\nb\n\n  " });
    expect(r.calls).toBe(1);
  });

  test("extras are not repeated; only what the configuration gained is applied", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    h.fake.addCollaborator("bob", "write");
    await firstRun({ labels: ["automation"], reviewers: ["alice"] });
    // a human removes the label and alice reviews (so she is no longer "requested")
    h.fake.state.issues.get(1)!.labels = [];
    h.fake.state.issues.get(1)!.pull!.requestedReviewers = [];
    const same = await publish({ branchExistedOnRemote: true, labels: ["automation"], reviewers: ["alice"] });
    expect(same.calls).toBe(1);
    const more = await publish({
      branchExistedOnRemote: true,
      labels: ["automation"],
      reviewers: ["alice", "bob"],
    });
    // find + body (the marker records bob) + request bob only
    expect(more).toMatchObject({ calls: 3, writes: 2 });
    expect(h.fake.calls.find((c) => c.operation === "pulls/request-reviewers")!.body).toEqual({
      reviewers: ["bob"],
    });
    expect(h.fake.state.issues.get(1)!.labels).toEqual([]);
  });

  test("a PR without our marker: extras compared with the live PR", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    h.fake.seedPull({
      head: BRANCH,
      title: "docs: sync README",
      body: "hand-written",
      labels: ["automation"],
    });
    const r = await publish({
      branchExistedOnRemote: true,
      labels: ["automation", "docs"],
      reviewers: ["alice"],
    });
    expect(h.fake.calls.map((c) => c.operation)).toEqual([
      "pulls/list",
      "pulls/update",
      "issues/add-labels",
      "pulls/request-reviewers",
    ]);
    expect(h.fake.calls[2]!.body).toEqual({ labels: ["docs"] });
    expect(r.action).toBe("updated");
  });

  test("lost race: create answers 'already exists' → find + update instead", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: BRANCH, title: "someone else's run", body: "" });
    const r = await publish({ branchExistedOnRemote: false });
    expect(r).toMatchObject({ action: "updated", number: 1, calls: 3, writes: 2 });
    expect(h.fake.calls.map((c) => [c.operation, c.status])).toEqual([
      ["pulls/create", 422],
      ["pulls/list", 200],
      ["pulls/update", 200],
    ]);
    expect(h.fake.openPulls(BRANCH)).toHaveLength(1);
  });

  test("a create whose answer was lost (connection reset) is retried, and the extras still happen", async () => {
    h = await startHarness();
    h.fake.pushBranch(BRANCH);
    h.fake.inject({ operation: "pulls/create", kind: "reset", applied: true });
    h.fake.resetCalls();
    const r = await publishPullRequest(opts({ labels: ["automation"] }));
    expect(r).toMatchObject({ action: "updated", number: 1 });
    expect(h.fake.calls.map((c) => [c.operation, c.status])).toEqual([
      ["pulls/create", "reset"],
      ["pulls/create", 422],
      ["pulls/list", 200],
      ["issues/add-labels", 200],
    ]);
    expect(h.fake.openPulls(BRANCH)).toHaveLength(1);
    expect(h.fake.state.issues.get(1)!.labels).toEqual(["automation"]);
  });
});

describe("nothing changed", () => {
  test("branch not on the remote: 0 calls", async () => {
    h = await startHarness();
    const r = await publish({ hasChanges: false });
    expect(r).toMatchObject({ action: "none", number: null, calls: 0 });
  });

  test("open PR kept: 1 call", async () => {
    h = await startHarness();
    await firstRun();
    const r = await publish({ hasChanges: false, branchExistedOnRemote: true });
    expect(r).toMatchObject({ action: "unchanged", number: 1, calls: 1, writes: 0 });
  });

  test("no open PR: 1 call, nothing to do", async () => {
    h = await startHarness();
    h.fake.pushBranch(BRANCH);
    const r = await publish({ hasChanges: false, branchExistedOnRemote: true, onNoChanges: "close" });
    expect(r).toMatchObject({ action: "none", calls: 1 });
  });

  test("on_no_changes: close → find, explain, close", async () => {
    h = await startHarness();
    await firstRun();
    const r = await publish({ hasChanges: false, branchExistedOnRemote: true, onNoChanges: "close" });
    expect(r).toMatchObject({ action: "closed", number: 1, calls: 3, writes: 2 });
    expect(h.fake.state.issues.get(1)!.state).toBe("closed");
    const [comment] = [...h.fake.state.comments.values()];
    expect(comment!.body).toMatch(/changed nothing.*on_no_changes: close/s);
  });
});

describe("dry run: no write calls", () => {
  test("would create: 0 calls at all", async () => {
    h = await startHarness();
    const r = await publish({ dryRun: true, labels: ["automation"], autoMerge: "merge" });
    expect(r).toMatchObject({ action: "created", number: null, calls: 0, writes: 0, dryRun: true });
    expect(r.steps).toEqual([
      `create pull request ${BRANCH} → main`,
      "add labels automation",
      "enable auto-merge (merge)",
    ]);
  });

  test("would update: reads only", async () => {
    h = await startHarness();
    await firstRun();
    const r = await publish({ branchExistedOnRemote: true, body: "changed", labels: ["new"], dryRun: true });
    expect(r).toMatchObject({ action: "updated", number: 1, calls: 1, writes: 0 });
    expect(r.steps).toEqual(["update title/body of pull request #1", "add labels new"]);
    expect(h.fake.state.issues.get(1)!.body).toMatch(/^Updated the CLI reference/);
  });

  test("would close: reads only", async () => {
    h = await startHarness();
    await firstRun();
    const r = await publish({
      hasChanges: false,
      branchExistedOnRemote: true,
      onNoChanges: "close",
      dryRun: true,
    });
    expect(r).toMatchObject({ action: "closed", calls: 1, writes: 0 });
    expect(h.fake.state.issues.get(1)!.state).toBe("open");
  });
});

test("renderBody/readMarker: the marker round-trips and replaces an old one", () => {
  const applied = { labels: ["b", "a"], reviewers: ["x"], assignees: [], autoMerge: "squash" as const };
  const body = renderBody("Report\r\n", applied);
  expect(body).toBe(
    'Report\n\n<!-- claude-tasks:pr {"labels":["a","b"],"reviewers":["x"],"assignees":[],"autoMerge":"squash"} -->',
  );
  expect(readMarker(body)).toEqual({
    labels: ["a", "b"],
    reviewers: ["x"],
    assignees: [],
    autoMerge: "squash",
  });
  expect(renderBody(body, { ...applied, labels: [] })).not.toContain('"a","b"');
  expect(readMarker("no marker")).toBeNull();
  expect(readMarker("x\n<!-- claude-tasks:pr {broken -->")).toBeNull();
});
