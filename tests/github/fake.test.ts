/**
 * The fake GitHub itself: its validation against GitHub's OpenAPI description catches bad requests and
 * bad responses, and it keeps GitHub's semantics.
 */
import { afterEach, describe, expect, test } from "vitest";
import { GitHubError } from "../../src/engine/github/errors.ts";
import { type Harness, startHarness, TOKEN } from "./helpers.ts";

let h: Harness;
afterEach(async () => {
  await h?.fake.close();
});

async function raw(method: string, path: string, body?: unknown, token = TOKEN): Promise<Response> {
  return fetch(`${h.fake.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("validation against the OpenAPI subset", () => {
  test("a request with an unknown `state` value is a violation and GitHub-style 422", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "claude-tasks/docs" });
    const err = await h.gh.updatePr(1, { state: "merged" as "closed" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).kind).toBe("validation");
    const [v, ...rest] = h.fake.takeViolations();
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ operation: "pulls/update", direction: "request" });
    expect(v!.problems.join("\n")).toMatch(/\/state must be one of \["open","closed"\]/);
    expect(h.fake.state.issues.get(1)!.state).toBe("open");
  });

  test("unknown query parameters, undescribed body properties and a missing body are violations", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "b" });
    await raw("GET", "/repos/acme/widgets/pulls?state=open&sort_by=created");
    await raw("PATCH", "/repos/acme/widgets/pulls/1", { titel: "typo" });
    await raw("POST", "/repos/acme/widgets/issues/1/comments");
    await raw("GET", "/repos/acme/widgets/pulls/not-a-number");
    const problems = h.fake.takeViolations().map((v) => `${v.operation}: ${v.problems.join("; ")}`);
    expect(problems).toEqual([
      "pulls/list: query parameter sort_by is not described",
      "pulls/update: body property titel is not described",
      "issues/create-comment: the request body is required",
      'pulls/get: path parameter pull_number="not-a-number": must be integer',
    ]);
  });

  test("a route outside the subset is a violation", async () => {
    h = await startHarness();
    const res = await raw("DELETE", "/repos/acme/widgets");
    expect(res.status).toBe(404);
    expect(h.fake.takeViolations()[0]!.problems[0]).toMatch(/no operation in the subset for DELETE/);
  });

  test("a response that breaks the described shape is a violation", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "claude-tasks/docs" });
    h.fake.inject({
      operation: "pulls/get",
      kind: "corrupt",
      mutate: (pr) => {
        delete pr.number;
        pr.state = "merged";
        pr.head.repo.owner.id = "1";
      },
    });
    await h.gh.getPr(1);
    const [v] = h.fake.takeViolations();
    expect(v).toMatchObject({ operation: "pulls/get", direction: "response", status: 200 });
    expect(v!.problems).toEqual(
      expect.arrayContaining([
        "body (root) must have required property 'number'",
        'body /state must be one of ["open","closed"]',
        "body /head/repo/owner/id must be integer",
      ]),
    );
  });

  test("close() fails the test while violations are left", async () => {
    h = await startHarness();
    await raw("GET", "/repos/acme/widgets/pulls?state=bogus");
    await expect(h.fake.close()).rejects.toThrow(/pulls\/list request.*\n.*state="bogus"/);
    h.fake.takeViolations();
  });

  test("GraphQL requests are checked against GitHub's schema: unknown fields and wrong variable types", async () => {
    h = await startHarness();
    const pr = h.fake.seedPull({ head: "b" });
    const res = await raw("POST", "/graphql", {
      query: `mutation($id: String!, $m: PullRequestMergeMethod!) {
        enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $m }) { pullRequest { numbr } }
      }`,
      variables: { id: pr.nodeId, m: "SQUASH" },
    });
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(2);
    const problems = h.fake.takeViolations().flatMap((v) => v.problems);
    expect(problems).toEqual([
      'Cannot query field "numbr" on type "PullRequest". Did you mean "number"?',
      'Variable "$id" of type "String!" used in position expecting type "ID!".',
    ]);
    expect(pr.pull!.autoMerge).toBeNull();
  });

  test("a corrupted GraphQL response is a violation", async () => {
    h = await startHarness();
    const pr = h.fake.seedPull({ head: "b" });
    h.fake.inject({
      operation: "graphql",
      kind: "corrupt",
      mutate: (b) => {
        b.data.enablePullRequestAutoMerge.pullRequest.number = "1";
      },
    });
    await h.gh.enableAutoMerge(pr.nodeId, "merge");
    expect(h.fake.takeViolations()[0]!.problems).toEqual([
      'data.enablePullRequestAutoMerge.pullRequest.number is "1", which the schema does not allow here (1)',
    ]);
  });
});

describe("GitHub semantics", () => {
  test("pull and issue numbers share one sequence", async () => {
    h = await startHarness();
    h.fake.seedPull({ head: "a" });
    h.fake.pushBranch("b");
    const pr = await h.gh.createPr({ head: "b", base: "main", title: "t", body: "" });
    expect(pr.number).toBe(2);
    const c = await h.gh.createComment(2, "hello");
    expect(c.url).toBe(`https://github.com/acme/widgets/pull/2#issuecomment-${c.id}`);
  });

  test("422 for a second open PR with the same head and base, and for a head that does not exist", async () => {
    h = await startHarness();
    h.fake.pushBranch("b");
    await h.gh.createPr({ head: "b", base: "main", title: "t", body: "" });
    const dup = await raw("POST", "/repos/acme/widgets/pulls", { head: "b", base: "main", title: "t" });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({
      message: "Validation Failed",
      errors: [
        { resource: "PullRequest", code: "custom", message: "A pull request already exists for acme:b." },
      ],
    });
    const missing = await raw("POST", "/repos/acme/widgets/pulls", {
      head: "nope",
      base: "main",
      title: "t",
    });
    expect(((await missing.json()) as { errors: unknown[] }).errors).toEqual([
      { resource: "PullRequest", field: "head", code: "invalid" },
    ]);
  });

  test("`head` filters only in the owner:branch form; pages carry Link headers", async () => {
    h = await startHarness();
    for (let i = 0; i < 5; i++) h.fake.seedPull({ head: `b${i}` });
    const filtered = await raw("GET", "/repos/acme/widgets/pulls?head=acme:b3&state=open");
    expect(((await filtered.json()) as { number: number }[]).map((p) => p.number)).toEqual([4]);
    const bare = await raw("GET", "/repos/acme/widgets/pulls?head=b3");
    expect(((await bare.json()) as unknown[]).length).toBe(5);
    const page = await raw("GET", "/repos/acme/widgets/pulls?per_page=2&page=2");
    expect(((await page.json()) as { number: number }[]).map((p) => p.number)).toEqual([3, 2]);
    const link = page.headers.get("link")!;
    expect(link).toContain('pulls?per_page=2&page=3>; rel="next"');
    expect(link).toContain('pulls?per_page=2&page=1>; rel="prev"');
  });

  test("a request without the right token is answered 401", async () => {
    h = await startHarness();
    const res = await raw("GET", "/repos/acme/widgets/pulls", undefined, "wrong");
    expect(res.status).toBe(401);
  });

  test("every response carries rate limit headers and a request id", async () => {
    h = await startHarness();
    const res = await raw("GET", "/repos/acme/widgets/pulls");
    expect(res.headers.get("x-ratelimit-limit")).toBe("5000");
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeLessThan(5000);
    expect(res.headers.get("x-github-request-id")).toMatch(/^[0-9A-F]{16}$/);
  });
});
