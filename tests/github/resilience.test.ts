/**
 * Retries and rate limits through the real retry and throttling plugins. Waits are scaled to 5 ms per
 * GitHub second (policy.msPerSecond), but the logger reports GitHub's seconds.
 */
import { afterEach, expect, test } from "vitest";
import { createGitHub } from "../../src/engine/github/client.ts";
import { GitHubError } from "../../src/engine/github/errors.ts";
import { type Harness, startHarness, TOKEN } from "./helpers.ts";

let h: Harness;
afterEach(async () => {
  await h?.fake.close();
});

test("a 502 is retried, the wait reported, then success", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "pulls/list", kind: "status", status: 502 });
  expect((await h.gh.findOpenPr("b"))?.number).toBe(1);
  expect(h.fake.calls.map((c) => c.status)).toEqual([502, 200]);
  expect(h.logs).toEqual([
    "GitHub answered 502 on GET /repos/{owner}/{repo}/pulls; waiting 1 s before retry 1 of 3",
  ]);
  expect(h.gh.usage().calls).toBe(1);
});

test("500 and 503 are retried; a write too", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "issues/add-labels", kind: "status", status: 500 });
  h.fake.inject({ operation: "issues/add-labels", kind: "status", status: 503 });
  await h.gh.addLabels(1, ["x"]);
  expect(h.fake.calls.map((c) => c.status)).toEqual([500, 503, 200]);
  expect(h.logs[1]).toMatch(/answered 503 .*waiting 4 s before retry 2 of 3/);
  expect(h.fake.state.issues.get(1)!.labels).toEqual(["x"]);
});

test("every request starts its own retry count: the next request's first wait is 1 s again", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject(
    { operation: "pulls/list", kind: "status", status: 502, times: 2 },
    { operation: "issues/add-labels", kind: "status", status: 500 },
  );
  await h.gh.findOpenPr("b");
  await h.gh.addLabels(1, ["x"]);
  expect(h.logs.map((l) => /waiting (\d+) s before retry (\d) of 3/.exec(l)?.slice(1).join("/"))).toEqual([
    "1/1",
    "4/2",
    "1/1",
  ]);
});

test("a server error that persists ends as kind `server` after 3 retries", async () => {
  h = await startHarness();
  h.fake.inject({ operation: "pulls/get", kind: "status", status: 502, times: 10 });
  const err = (await h.gh.getPr(1).catch((e: unknown) => e)) as GitHubError;
  expect(err).toBeInstanceOf(GitHubError);
  expect(err).toMatchObject({ kind: "server", status: 502 });
  expect(h.fake.callCount()).toBe(4);
});

test("a 4xx is not retried", async () => {
  h = await startHarness();
  await h.gh.getPr(7).catch(() => {});
  expect(h.fake.callCount()).toBe(1);
  expect(h.logs).toEqual([]);
});

test("primary rate limit: waits until the reset, says so, then succeeds", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "pulls/list", kind: "rate-limit", resetInSeconds: 2 });
  const started = Date.now();
  expect((await h.gh.findOpenPr("b"))?.number).toBe(1);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(h.fake.calls.map((c) => c.status)).toEqual([403, 200]);
  expect(h.logs).toHaveLength(1);
  expect(h.logs[0]).toMatch(
    /^GitHub rate limit hit; waiting [2-4] s \(GET \/repos\/\{owner\}\/\{repo\}\/pulls\)$/,
  );
});

test("primary rate limit with a reset too far away: no wait, kind `rate_limit`", async () => {
  h = await startHarness();
  h.fake.inject({ operation: "pulls/list", kind: "rate-limit", resetInSeconds: 3600 });
  const err = (await h.gh.findOpenPr("b").catch((e: unknown) => e)) as GitHubError;
  expect(err).toMatchObject({ kind: "rate_limit", status: 403 });
  expect(err.message).toMatch(/API rate limit exhausted; it resets at \d\d:\d\d UTC \(in 60 min\)/);
  expect(h.fake.callCount()).toBe(1);
  expect(h.logs[0]).toMatch(/resets in 360\d s, more than the 600 s we wait/);
});

test("secondary rate limit (403 and 429): respects retry-after", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "issues/create-comment", kind: "secondary-rate-limit", retryAfter: 3 });
  h.fake.inject({
    operation: "issues/create-comment",
    kind: "secondary-rate-limit",
    status: 429,
    retryAfter: 2,
  });
  await h.gh.createComment(1, "hello");
  expect(h.fake.calls.map((c) => c.status)).toEqual([403, 429, 201]);
  expect(h.logs).toEqual([
    "GitHub secondary rate limit hit; waiting 3 s (POST /repos/{owner}/{repo}/issues/{issue_number}/comments)",
    "GitHub secondary rate limit hit; waiting 2 s (POST /repos/{owner}/{repo}/issues/{issue_number}/comments)",
  ]);
  expect(h.fake.state.comments.size).toBe(1);
});

test("a secondary rate limit that does not go away ends as kind `rate_limit`", async () => {
  h = await startHarness();
  h.fake.inject({ kind: "secondary-rate-limit", retryAfter: 1, times: 10 });
  const err = (await h.gh.getPermission("alice").catch((e: unknown) => e)) as GitHubError;
  expect(err).toMatchObject({ kind: "rate_limit", status: 403 });
  expect(h.fake.callCount()).toBe(4);
  expect(h.logs.at(-1)).toMatch(/giving up after 3 waits/);
});

test("a connection reset is retried", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "pulls/get", kind: "reset" });
  expect((await h.gh.getPr(1)).number).toBe(1);
  expect(h.fake.calls.map((c) => c.status)).toEqual(["reset", 200]);
  expect(h.logs[0]).toMatch(/^GitHub network error \(.+\) on GET .*; waiting 1 s before retry 1 of 3$/);
});

test("a network failure that persists ends as kind `network`", async () => {
  h = await startHarness();
  h.fake.inject({ kind: "reset", times: 10 });
  const err = (await h.gh.getPr(1).catch((e: unknown) => e)) as GitHubError;
  expect(err).toMatchObject({ kind: "network", status: 0 });
  expect(err.message).toMatch(
    /^GitHub GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}: network error: /,
  );
  expect(h.fake.callCount()).toBe(4);
});

test("GraphQL: a 502 is retried too", async () => {
  h = await startHarness();
  const pr = h.fake.seedPull({ head: "b" });
  h.fake.inject({ operation: "graphql", kind: "status", status: 502 });
  await h.gh.enableAutoMerge(pr.nodeId, "rebase");
  expect(pr.pull!.autoMerge?.method).toBe("rebase");
  expect(h.fake.callCount({ operation: "graphql" })).toBe(2);
});

test("an attempt that gets no answer times out and is retried", async () => {
  h = await startHarness();
  h.fake.seedPull({ head: "b" });
  const gh = createGitHub({
    token: TOKEN,
    baseUrl: h.fake.url,
    owner: "acme",
    repo: "widgets",
    logger: h.logger,
    policy: { msPerSecond: 5, spaceWrites: false, requestTimeoutMs: 100 },
  });
  h.fake.inject({ operation: "pulls/get", kind: "hang" });
  expect((await gh.getPr(1)).number).toBe(1);
  expect(h.fake.calls.map((c) => c.status)).toEqual(["hang", 200]);
  expect(h.logs[0]).toMatch(
    /^GitHub network error \(.*timeout.*\) on GET .*; waiting 1 s before retry 1 of 3$/,
  );
});
