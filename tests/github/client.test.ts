/** The GitHub client through the real Octokit against the fake GitHub. */
import { afterEach, describe, expect, test } from "vitest";
import { toPermission } from "../../src/engine/github/client.ts";
import { GitHubError, PullRequestExistsError } from "../../src/engine/github/errors.ts";
import { type Harness, startHarness, TOKEN } from "./helpers.ts";

let h: Harness;
afterEach(async () => {
  await h?.fake.close();
});

describe("pull requests", () => {
  test("createPr, findOpenPr and getPr describe the same pull request", async () => {
    h = await startHarness();
    const sha = h.fake.pushBranch("claude-tasks/docs");
    const created = await h.gh.createPr({
      head: "claude-tasks/docs",
      base: "main",
      title: "docs: sync",
      body: "body",
      draft: true,
    });
    expect(created).toMatchObject({
      number: 1,
      url: "https://github.com/acme/widgets/pull/1",
      title: "docs: sync",
      body: "body",
      state: "open",
      draft: true,
      headRef: "claude-tasks/docs",
      headSha: sha,
      headRepoFullName: "acme/widgets",
      isFork: false,
      baseRef: "main",
      autoMerge: null,
    });
    expect(await h.gh.findOpenPr("claude-tasks/docs")).toEqual(created);
    expect(await h.gh.getPr(1)).toEqual(created);
    expect(h.fake.calls.find((c) => c.operation === "pulls/list")!.query).toMatchObject({
      state: "open",
      head: "acme:claude-tasks/docs",
    });
  });

  test("findOpenPr ignores closed PRs, other bases and other branches", async () => {
    h = await startHarness();
    h.fake.pushBranch("release");
    h.fake.seedPull({ head: "x", state: "closed" });
    h.fake.seedPull({ head: "x", base: "release" });
    h.fake.seedPull({ head: "y" });
    expect(await h.gh.findOpenPr("x", { base: "main" })).toBeNull();
    expect((await h.gh.findOpenPr("x"))?.number).toBe(2);
    expect(await h.gh.findOpenPr("z")).toBeNull();
  });

  test("getPr flags a pull request from a fork", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "patch-1", forkOwner: "mallory", author: "mallory" });
    expect(await h.gh.getPr(1)).toMatchObject({
      headRef: "patch-1",
      headRepoFullName: "mallory/widgets",
      isFork: true,
      baseRef: "main",
    });
  });

  test("a second createPr for the same head and base throws PullRequestExistsError", async () => {
    h = await startHarness();
    h.fake.pushBranch("b");
    await h.gh.createPr({ head: "b", base: "main", title: "t", body: "" });
    const err = await h.gh
      .createPr({ head: "b", base: "main", title: "t", body: "" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullRequestExistsError);
    expect(err).toMatchObject({ kind: "validation", status: 422, head: "b" });
    expect((err as Error).message).toBe(
      "GitHub POST /repos/{owner}/{repo}/pulls: 422 Validation Failed: A pull request already exists for acme:b.",
    );
  });

  test("updatePr changes title and body; closePr comments, then closes", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "b", title: "old", body: "old" });
    const updated = await h.gh.updatePr(1, { title: "new", body: "new body" });
    expect(updated).toMatchObject({ title: "new", body: "new body" });
    h.fake.resetCalls();
    await h.gh.closePr(1, "closing because");
    expect(h.fake.calls.map((c) => c.operation)).toEqual(["issues/create-comment", "pulls/update"]);
    expect(h.fake.state.issues.get(1)!.state).toBe("closed");
    expect([...h.fake.state.comments.values()].map((c) => c.body)).toEqual(["closing because"]);
  });

  test("labels, reviewers (users and teams) and assignees", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    h.fake.addCollaborator("bob", "maintain");
    h.fake.addTeam("docs-team");
    h.fake.seedPull({ head: "b" });
    await h.gh.addLabels(1, ["automation", "docs"]);
    await h.gh.requestReviewers(1, ["alice", "@acme/docs-team"]);
    await h.gh.addAssignees(1, ["bob"]);
    expect(h.fake.calls.find((c) => c.operation === "pulls/request-reviewers")!.body).toEqual({
      reviewers: ["alice"],
      team_reviewers: ["docs-team"],
    });
    expect(await h.gh.getPr(1)).toMatchObject({
      labels: ["automation", "docs"],
      requestedReviewers: ["alice"],
      requestedTeams: ["docs-team"],
      assignees: ["bob"],
    });
  });

  test("empty label/reviewer/assignee lists make no call", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "b" });
    await h.gh.addLabels(1, []);
    await h.gh.requestReviewers(1, []);
    await h.gh.addAssignees(1, []);
    expect(h.fake.calls).toEqual([]);
  });

  test("a reviewer who is not a collaborator is a validation error", async () => {
    h = await startHarness();
    h.fake.addUser("stranger");
    h.fake.seedPull({ head: "b" });
    const err = (await h.gh.requestReviewers(1, ["stranger"]).catch((e: unknown) => e)) as GitHubError;
    expect(err).toMatchObject({ kind: "validation", status: 422 });
    expect(err.message).toMatch(/Reviews may only be requested from collaborators/);
  });

  test("enableAutoMerge goes through GraphQL with the PR's node id", async () => {
    h = await startHarness();
    const pr = await (async () => {
      h.fake.seedPull({ head: "b" });
      return h.gh.getPr(1);
    })();
    await h.gh.enableAutoMerge(pr.nodeId, "squash");
    expect((await h.gh.getPr(1)).autoMerge).toBe("squash");
    const call = h.fake.calls.find((c) => c.operation === "graphql")!;
    expect(call.body).toMatchObject({ variables: { pullRequestId: pr.nodeId, mergeMethod: "SQUASH" } });
  });

  test("enableAutoMerge errors: repository setting off, unknown node", async () => {
    h = await startHarness({ allowAutoMerge: false });
    h.fake.seedPull({ head: "b" });
    const pr = await h.gh.getPr(1);
    const off = (await h.gh.enableAutoMerge(pr.nodeId, "merge").catch((e: unknown) => e)) as GitHubError;
    expect(off).toMatchObject({ kind: "validation" });
    expect(off.message).toMatch(/Auto merge is not allowed for this repository/);
    const missing = (await h.gh.enableAutoMerge("PR_nope", "merge").catch((e: unknown) => e)) as GitHubError;
    expect(missing).toMatchObject({ kind: "not_found" });
  });
});

describe("comments, reactions, permissions", () => {
  test("createComment, updateComment, addReaction (twice is fine)", async () => {
    h = await startHarness();
    const cmd = h.fake.seedComment(h.fake.seedPull({ head: "b" }).number, "/claude-tasks run docs", "alice");
    await h.gh.addReaction(cmd.id, "eyes");
    await h.gh.addReaction(cmd.id, "eyes");
    expect(h.fake.state.reactions).toHaveLength(1);
    const c = await h.gh.createComment(1, "Running `docs`…");
    await h.gh.updateComment(c.id, "Done");
    expect(h.fake.state.comments.get(c.id)!.body).toBe("Done");
  });

  test("getPermission maps every role; unknown users are `none`", async () => {
    h = await startHarness({ private: true });
    for (const role of ["admin", "maintain", "write", "triage", "read"] as const) {
      h.fake.addCollaborator(`u-${role}`, role);
      expect(await h.gh.getPermission(`u-${role}`)).toBe(role);
    }
    h.fake.addUser("outsider");
    expect(await h.gh.getPermission("outsider")).toBe("none");
    expect(await h.gh.getPermission("ghost")).toBe("none");
    expect(h.fake.calls.at(-1)!.status).toBe(404);
  });

  test("on a public repository a non-collaborator can read", async () => {
    h = await startHarness();
    h.fake.addUser("passer-by");
    expect(await h.gh.getPermission("passer-by")).toBe("read");
  });
});

describe("errors", () => {
  test("404 → not_found, with the route template and no secrets in the message", async () => {
    h = await startHarness();
    const err = (await h.gh.getPr(42).catch((e: unknown) => e)) as GitHubError;
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ kind: "not_found", status: 404 });
    expect(err.message).toBe("GitHub GET /repos/{owner}/{repo}/pulls/{pull_number}: 404 Not Found");
    expect(err.requestId).toMatch(/^[0-9A-F]{16}$/);
  });

  test("bad credentials → permission; the token never appears", async () => {
    h = await startHarness({ token: "the-right-one" });
    const err = (await h.gh.findOpenPr("b").catch((e: unknown) => e)) as GitHubError;
    expect(err).toMatchObject({ kind: "permission", status: 401 });
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(TOKEN);
    expect(err.cause).toBeUndefined();
  });

  test("usage() counts logical calls and writes", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "b" });
    await h.gh.findOpenPr("b");
    await h.gh.addLabels(1, ["x"]);
    expect(h.gh.usage()).toEqual({ calls: 2, writes: 1 });
  });
});

test("toPermission: role_name wins, custom roles fall back to the base permission", () => {
  expect(toPermission({ permission: "write", role_name: "maintain" })).toBe("maintain");
  expect(toPermission({ permission: "read", role_name: "triage" })).toBe("triage");
  expect(toPermission({ permission: "write", role_name: "release-manager" })).toBe("write");
  expect(toPermission({ permission: "weird", role_name: "custom" })).toBe("none");
});
