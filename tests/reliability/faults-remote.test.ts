/**
 * Faults on the remote side: someone pushes to the task branch or force-pushes the base during a run,
 * GitHub answers 5xx, throttles (primary and secondary rate limits) or drops a connection while the
 * pull request is opened, and the schedule state ref is damaged. Engine runs in `pr` mode push to a
 * bare origin and publish through the real GitHub client against the OpenAPI-checked fake.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { STATE_REF } from "../../src/engine/event/index.ts";
import { createGitHub } from "../../src/engine/github/client.ts";
import { createGitHubPublisher } from "../../src/engine/github/pr-publisher.ts";
import type { Logger } from "../../src/engine/logger.ts";
import type { Publisher } from "../../src/engine/run/index.ts";
import { STATE_VERSION } from "../../src/engine/schedule/state.ts";
import { startE2E } from "../action/harness.ts";
import { type EngineRepo, makeEngineRepo, meanwhile } from "../support/engine.ts";
import { type FaultRule, type GitHubFake, startGitHubFake } from "../support/github-fake/index.ts";
import { firstLine, reliabilityCase } from "./support/cases.ts";
import { backupPatch, expectConsistent, patchFiles } from "./support/engine.ts";

const TOKEN = "ghs_reliabilityFakeToken000000000000000001";

interface Remote {
  fake: GitHubFake;
  publisher: Publisher;
  /** What the GitHub client logged (its waits and retries). */
  logs: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fake GitHub for `e`'s origin and the real publisher, waits scaled to 5 ms per GitHub second. */
async function github(e: EngineRepo): Promise<Remote> {
  const fake = await startGitHubFake({ owner: "acme", repo: "widgets", token: TOKEN });
  const logs: string[] = [];
  const logger: Logger = {
    debug() {},
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const gh = createGitHub({
    token: TOKEN,
    baseUrl: fake.url,
    owner: "acme",
    repo: "widgets",
    logger,
    policy: { msPerSecond: 5, spaceWrites: false },
  });
  const inner = createGitHubPublisher({ gh, logger });
  const publisher: Publisher = {
    async publish(ctx) {
      // GitHub knows the branches that were pushed to the origin
      const heads = await e.gitIn(
        e.origin!,
        "for-each-ref",
        "--format=%(refname:strip=2) %(objectname)",
        "refs/heads",
      );
      for (const line of heads.split("\n").filter(Boolean)) {
        const [name, sha] = line.split(" ") as [string, string];
        fake.pushBranch(name, sha);
      }
      return inner.publish(ctx);
    },
  };
  return { fake, publisher, logs, [Symbol.asyncDispose]: () => fake.close() };
}

const task = (name: string, extra = "") => ({ [name]: `run: echo ${name} > ${name}.txt\n${extra}` });

describe("the remote moves under a run", () => {
  it("F-19 someone pushes to the task branch between the fetch and the push", async () => {
    const c = reliabilityCase(
      "F-19",
      "fault",
      "while the task runs, a person pushes a commit to `claude-tasks/pub` on the origin",
      "the push loses its lease: failed, the person's commit stays, the result is in a backup; the next run skips the branch untouched",
    );
    await using e = await makeEngineRepo({ origin: true });
    const [first] = await e.tasks(task("pub"));
    expect((await e.run([first!], { mode: "pr" })).result.status).toBe("success");
    const clone = await e.clone();
    const [racing] = await e.tasks({ pub: "run: echo v2 > pub.txt\n" });
    const person = meanwhile(
      `git -C "$CLONE" fetch -q origin claude-tasks/pub
git -C "$CLONE" checkout -q FETCH_HEAD
echo mine > "$CLONE/human.txt"
git -C "$CLONE" add human.txt
git -C "$CLONE" commit -q -m "human commit"
git -C "$CLONE" push -q origin HEAD:refs/heads/claude-tasks/pub`,
      { CLONE: clone },
    );
    const out = await e.run([racing!], { mode: "pr", onEvent: person });
    const human = await e.gitIn(clone, "rev-parse", "HEAD");
    const onOrigin = await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/pub");
    c.note("status", out.result.status);
    c.note("message", firstLine(out.result.message, 120));
    c.note("origin branch", onOrigin === human ? "the person's commit" : onOrigin);
    c.note("backup holds", patchFiles(await backupPatch(e, out.result.backup)));
    expect(out.result.status).toBe("failed");
    expect(out.result.message).toMatch(
      /^push of `claude-tasks\/pub` refused \(stale info\): someone else updated it during the run; nothing was overwritten/,
    );
    expect(onOrigin).toBe(human);
    expect(await backupPatch(e, out.result.backup)).toContain("+v2");
    await expectConsistent(e, out.spawned);
    const again = await e.run([first!], { mode: "pr" });
    c.note("rerun", `${again.result.status}: ${firstLine(again.result.message, 80)}`);
    expect(again.result.status).toBe("skipped");
    expect(await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/pub")).toBe(human);
  });

  it("F-20 the base branch is force-pushed during the run", async () => {
    const c = reliabilityCase(
      "F-20",
      "fault",
      "while the task runs, `main` on the origin is rewritten (its last commit amended) and force-pushed",
      "success: the task commit is rebased onto the new `main`, its only change is the task's file; nothing of the old `main` is carried",
    );
    await using e = await makeEngineRepo({ origin: true });
    await e.tasks(task("other")); // a commit to amend
    await e.git("push", "-q", "origin", "main");
    const clone = await e.clone();
    const [t] = await e.tasks({ sync: "run: echo synced > sync.txt\n" });
    const person = meanwhile(
      `git -C "$CLONE" pull -q origin main
git -C "$CLONE" commit -q --amend -m "rewritten history"
git -C "$CLONE" push -q -f origin HEAD:main`,
      { CLONE: clone },
    );
    await e.git("push", "-q", "origin", "main");
    const before = await e.gitIn(e.origin!, "rev-parse", "refs/heads/main");
    const out = await e.run([t!], { mode: "pr", onEvent: person });
    const after = await e.gitIn(e.origin!, "rev-parse", "refs/heads/main");
    const parent = await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/sync^");
    const diff = await e.gitIn(
      e.origin!,
      "diff",
      "--name-only",
      "refs/heads/main",
      "refs/heads/claude-tasks/sync",
    );
    c.note("main was force-pushed", before !== after);
    c.note("status", out.result.status);
    c.note("rebased", out.result.rebased);
    c.note(
      "task branch parent",
      parent === after ? "the new main" : parent === before ? "the old main" : parent,
    );
    c.note("diff against the new main", diff.split("\n"));
    expect(before).not.toBe(after);
    expect(
      await e.gitIn(e.origin!, "merge-base", "--is-ancestor", before, after).catch(() => "not an ancestor"),
    ).toBe("not an ancestor");
    expect(out.result).toMatchObject({ status: "success", rebased: true });
    expect(parent).toBe(after);
    expect(diff).toBe("sync.txt");
    await expectConsistent(e, out.spawned);
  });
});

describe("GitHub fails while the pull request is opened", () => {
  const cases: {
    id: string;
    title: string;
    expected: string;
    faults: FaultRule[];
    ok: boolean;
    logs: RegExp[];
  }[] = [
    {
      id: "F-21",
      title: "GitHub answers 502, then 503 to creating the PR, and 500 to adding its label",
      expected: "each retried after the reported wait (1 s, 4 s); success with one PR carrying its label",
      faults: [
        { operation: "pulls/create", kind: "status", status: 502 },
        { operation: "pulls/create", kind: "status", status: 503 },
        { operation: "issues/add-labels", kind: "status", status: 500 },
      ],
      ok: true,
      logs: [
        /^GitHub answered 502 on POST \/repos\/\{owner\}\/\{repo\}\/pulls; waiting 1 s before retry 1 of 3$/,
        /^GitHub answered 503 on POST .*; waiting 4 s before retry 2 of 3$/,
        /^GitHub answered 500 on POST .*labels; waiting 1 s before retry 1 of 3$/,
      ],
    },
    {
      id: "F-22",
      title:
        "primary rate limit (reset in 2 s) on creating the PR; secondary rate limit (429, retry-after 1) on its label",
      expected: "both waited out, each wait reported with GitHub's seconds; success with one PR",
      faults: [
        { operation: "pulls/create", kind: "rate-limit", resetInSeconds: 2 },
        { operation: "issues/add-labels", kind: "secondary-rate-limit", status: 429, retryAfter: 1 },
      ],
      ok: true,
      logs: [
        /^GitHub rate limit hit; waiting [2-4] s \(POST /,
        /^GitHub secondary rate limit hit; waiting 1 s \(POST /,
      ],
    },
    {
      id: "F-23",
      title: "a secondary rate limit (403) on creating the PR, twice in a row",
      expected: "waited out twice, reported; success with one PR",
      faults: [
        { operation: "pulls/create", kind: "secondary-rate-limit", status: 403, retryAfter: 2, times: 2 },
      ],
      ok: true,
      logs: [
        /^GitHub secondary rate limit hit; waiting 2 s/,
        /^GitHub secondary rate limit hit; waiting 2 s/,
      ],
    },
    {
      id: "F-24",
      title: "the connection drops after GitHub created the PR (the response is lost)",
      expected: "the retry finds the PR it created: success, exactly one PR",
      faults: [{ operation: "pulls/create", kind: "reset", applied: true }],
      ok: true,
      logs: [
        /^GitHub network error \(.*\) on POST \/repos\/\{owner\}\/\{repo\}\/pulls; waiting 1 s before retry 1 of 3$/,
      ],
    },
    {
      id: "F-25",
      title:
        "the connection drops in the middle of the request adding the label (network error, nothing applied)",
      expected: "retried after the reported wait; success",
      faults: [{ operation: "issues/add-labels", kind: "reset" }],
      ok: true,
      logs: [/^GitHub network error .*labels; waiting 1 s before retry 1 of 3$/],
    },
    {
      id: "F-26",
      title: "the primary rate limit resets in an hour",
      expected:
        "no hour-long wait: failed, saying when the limit resets; the branch is pushed, the result backed up; the rerun opens the PR",
      faults: [{ operation: "pulls/create", kind: "rate-limit", resetInSeconds: 3600 }],
      ok: false,
      logs: [/it resets in 36\d\d s, more than the 600 s we wait/],
    },
    {
      id: "F-27",
      title: "GitHub answers 502 to every attempt at creating the PR",
      expected: "3 retries, then failed naming the 502; the rerun opens the PR once",
      faults: [{ operation: "pulls/create", kind: "status", status: 502, times: 4 }],
      ok: false,
      logs: [/retry 1 of 3/, /retry 2 of 3/, /retry 3 of 3/],
    },
  ];

  for (const k of cases) {
    it(`${k.id} ${k.title}`, async () => {
      const c = reliabilityCase(k.id, "fault", k.title, k.expected);
      await using e = await makeEngineRepo({ origin: true });
      await using gh = await github(e);
      const [t] = await e.tasks(task("pub", "pr:\n  labels: [automation]\n"));
      gh.fake.inject(...k.faults);
      const started = Date.now();
      const out = await e.run([t!], { mode: "pr", publisher: gh.publisher });
      const r = out.result;
      const waits = gh.logs.filter((l) => /waiting|giving up|more than/.test(l));
      c.note("status", r.status);
      if (!k.ok) c.note("message", firstLine(r.message, 140));
      c.note(
        "reported",
        waits.map((w) => firstLine(w, 90)),
      );
      c.note("API calls", gh.fake.callCount());
      c.note("wall time", `${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [i, re] of k.logs.entries()) expect(waits[i], waits.join("\n")).toMatch(re);
      const pulls = () => gh.fake.openPulls("claude-tasks/pub");
      if (k.ok) {
        expect(r.status).toBe("success");
        expect(pulls()).toHaveLength(1);
        expect(pulls()[0]!.labels).toEqual(["automation"]);
      } else {
        expect(r.status).toBe("failed");
        expect(r.message).toMatch(
          /^GitHub POST \/repos\/\{owner\}\/\{repo\}\/pulls: (403|502) .*; the work is kept in backup \S+$/,
        );
        expect(await e.gitIn(e.origin!, "rev-parse", "refs/heads/claude-tasks/pub")).toBe(r.commit);
        expect(pulls()).toHaveLength(0);
        const again = await e.run([t!], { mode: "pr", publisher: gh.publisher });
        c.note("rerun", `${again.result.status}, PR ${again.result.pr?.action}`);
        expect(again.result).toMatchObject({ status: "success", pr: { action: "created" } });
        expect(pulls()).toHaveLength(1);
      }
      await expectConsistent(e, out.spawned);
    });
  }
});

describe("a damaged schedule state ref (the Action, on schedule)", () => {
  it.each([
    ["F-28", "a commit whose state.json is not JSON", "json"],
    ["F-29", "a blob instead of a commit", "blob"],
    ["F-30", "a commit without state.json", "empty"],
  ] as const)("%s the state ref is %s", async (id, what, kind) => {
    const c = reliabilityCase(
      id,
      "fault",
      `\`refs/claude-tasks/state\` on the origin is ${what}`,
      "a warning that names the problem and what happens; the due task runs as on a first run; the ref is rewritten; the next tick is normal",
    );
    await using e2e = await startE2E({
      ".github/claude-tasks/tick.yml": 'schedule: "@hourly"\nrun: "date +%s%N > TICK.txt"\n',
    });
    const origin = (...args: string[]) => e2e.repo.gitIn(e2e.repo.origin!, ...args);
    /** git in the bare origin with `input` on stdin. */
    const originIn = (input: string, ...args: string[]) =>
      execFileSync("git", args, { cwd: e2e.repo.origin!, input, encoding: "utf8" }).trim();
    let target: string;
    if (kind === "blob") target = originIn("{}\n", "hash-object", "-w", "--stdin");
    else {
      const content = originIn(
        kind === "json" ? "{ this is not json\n" : "unrelated\n",
        "hash-object",
        "-w",
        "--stdin",
      );
      const tree = originIn(
        `100644 blob ${content}\t${kind === "json" ? "state.json" : "README"}\n`,
        "mktree",
      );
      target = await origin("commit-tree", tree, "-m", "damaged");
    }
    await origin("update-ref", STATE_REF, target);
    const first = await e2e.run({ event: "schedule", payload: { schedule: "0 * * * *" } });
    const warning =
      first.stdout.split("\n").find((l) => l.startsWith("::warning") && l.includes("schedule state")) ?? "";
    const results = JSON.parse(first.outputs.results ?? "[]");
    const rewritten = await origin("rev-parse", STATE_REF);
    const parsed = JSON.parse(await origin("show", `${STATE_REF}:state.json`).catch(() => "null"));
    c.note("exit", first.code);
    c.note("warning", firstLine(warning.replace(/%0A/g, " "), 160));
    c.note(
      "ran",
      results.map((r: { task: string; status: string }) => `${r.task}: ${r.status}`),
    );
    c.note("state ref", rewritten !== target && parsed?.version === 1 ? "rewritten, valid" : "unchanged");
    expect(first.code, first.stdout).toBe(0);
    expect(warning).toMatch(/^::warning title=claude-tasks schedule state::/);
    expect(first.stdout).not.toMatch(/failed unexpectedly|\n\s+at /);
    expect(results).toMatchObject([{ task: "tick", status: "success" }]);
    expect(rewritten).not.toBe(target);
    expect(parsed).toMatchObject({
      version: STATE_VERSION,
      tasks: { tick: { lastFireTime: expect.any(String) } },
    });
    const second = await e2e.run({ event: "schedule", payload: { schedule: "0 * * * *" } });
    c.note(
      "next tick",
      `exit ${second.code}, ${second.outputs.results === "[]" ? "nothing due, no warning" : second.outputs.results}`,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain("::warning title=claude-tasks schedule state");
    expect(second.outputs.results).toBe("[]");
  });
});
