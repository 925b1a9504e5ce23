import { describe, expect, it } from "vitest";
import {
  advanceState,
  claimDueTasks,
  parseState,
  readRemoteState,
  type ScheduleState,
  STATE_REF,
  serializeState,
  stateNeedsWrite,
  writeStateCommit,
} from "../../src/engine/event/index.ts";
import type { Git } from "../../src/engine/git/exec.ts";
import { pushRefs } from "../../src/engine/git/remote.ts";
import { silentLogger } from "../../src/engine/logger.ts";
import type { ScheduledTask } from "../../src/engine/schedule/index.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";

const at = (iso: string) => new Date(iso);
const task = (
  name: string,
  schedule: string | string[],
  missed: ScheduledTask["missed"] = "once",
): ScheduledTask => ({
  name,
  schedule,
  timezone: "UTC",
  missed,
  enabled: true,
});
const state = (tasks: ScheduleState["tasks"]): ScheduleState => ({
  version: 1,
  updatedAt: "2026-03-10T00:00:00.000Z",
  tasks,
});
const noWait = async () => {};

/** Puts a state on the remote directly (a previous run). */
async function seed(repo: TestRepo, s: ScheduleState | string): Promise<string> {
  const git = repo.client();
  const commit =
    typeof s === "string"
      ? await (async () => {
          const blob = (await git.run(["hash-object", "-w", "--stdin"], { input: s })).stdout.trim();
          const tree = (
            await git.run(["mktree"], { input: `100644 blob ${blob}\tstate.json\n` })
          ).stdout.trim();
          return (await git.run(["commit-tree", tree], { input: "seed\n" })).stdout.trim();
        })()
      : await writeStateCommit(git, s);
  const cur = (await repo.git("ls-remote", "origin", STATE_REF)).split("\t")[0] || null;
  const r = await pushRefs({ git, remote: "origin", updates: [{ ref: STATE_REF, commit, expected: cur }] });
  expect(r.ok).toBe(true);
  return commit;
}

describe("state.json", () => {
  it("round-trips, sorted and stable", () => {
    const s = state({
      b: { until: "2026-03-10T06:00:00.000Z" },
      a: { until: "2026-03-10T06:00:00.000Z", lastFireTime: "2026-03-10T06:00:00.000Z", lastRunId: "r1" },
    });
    const text = serializeState(s);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(parseState(text)).toEqual({ ok: true, state: s });
  });

  it.each([
    ["not json", /not JSON/],
    ["[]", /not a JSON object/],
    ['{"version":3,"tasks":{}}', /unknown version 3/],
    [
      '{"version":2,"tasks":{},"ledger":{"reservations":[{"usd":-1}]}}',
      /`ledger.reservations.0.task` is invalid/,
    ],
    ['{"version":1}', /no `tasks` object/],
    ['{"version":1,"tasks":{"a":{}}}', /task `a` has no valid `until`/],
    ['{"version":1,"tasks":{"a":{"until":"yesterday"}}}', /task `a` has no valid `until`/],
    [
      '{"version":1,"tasks":{"a":{"until":"2026-03-10T06:00:00Z","lastFireTime":5}}}',
      /invalid `lastFireTime`/,
    ],
  ])("reports a damaged state %j as a problem, never a crash", (text, problem) => {
    const r = parseState(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(problem);
  });

  it("advances every scheduled task's window, records claims, drops removed tasks, never goes back", () => {
    const prev = state({
      a: { until: "2026-03-10T05:00:00.000Z", lastFireTime: "2026-03-10T05:00:00.000Z", lastRunId: "old" },
      gone: { until: "2026-03-10T05:00:00.000Z" },
      ahead: { until: "2026-03-10T09:00:00.000Z" },
    });
    const next = advanceState({
      previous: prev,
      tasks: [task("a", "@hourly"), task("b", "@daily"), task("ahead", "@hourly"), task("manual", [])],
      due: [{ name: "b", fireTimes: [at("2026-03-10T00:00:00Z")], missedCount: 0, reason: "" }],
      now: at("2026-03-10T06:10:00Z"),
      runId: "r2",
    });
    expect(next.tasks).toEqual({
      a: { until: "2026-03-10T06:10:00.000Z", lastFireTime: "2026-03-10T05:00:00.000Z", lastRunId: "old" },
      b: { until: "2026-03-10T06:10:00.000Z", lastFireTime: "2026-03-10T00:00:00.000Z", lastRunId: "r2" },
      ahead: { until: "2026-03-10T09:00:00.000Z" },
    });
    expect(stateNeedsWrite(prev, next, [])).toBe(true); // b is new, gone is gone
    const same = advanceState({
      previous: next,
      tasks: [task("a", "@hourly"), task("b", "@daily"), task("ahead", "@hourly")],
      due: [],
      now: at("2026-03-10T06:20:00Z"),
    });
    expect(stateNeedsWrite(next, same, [])).toBe(false); // nothing due, nothing new: no commit
  });
});

describe("writeStateCommit", () => {
  it.each(["sha1", "sha256"])(
    "writes one state.json that reads back, in a %s repository, non-ASCII text included",
    async (format) => {
      await using repo = await makeRepo();
      const dir = `${repo.root}/${format}.git`;
      await repo.git("init", "-q", "--bare", `--object-format=${format}`, dir);
      const ran: string[] = [];
      const logger = { ...silentLogger, debug: (m: string) => ran.push(m.split(" → ")[0]!) };
      const git = repo.client({ logger }).at(dir);
      const s = state({ "tâche-é": { until: "2026-03-10T06:00:00.000Z", lastRunId: "r—1" } });
      const commit = await writeStateCommit(git, s);
      expect(commit).toHaveLength(format === "sha1" ? 40 : 64);
      // SHA-1: the tree made beside the blob is the one used; SHA-256: it is made again from git's id
      expect(ran.filter((c) => c.startsWith("git mktree")).sort()).toEqual(
        format === "sha1" ? ["git mktree --missing"] : ["git mktree", "git mktree --missing"],
      );
      // the tree names exactly the blob git wrote, and nothing is missing
      await repo.gitIn(dir, "fsck", "--no-dangling", "--strict");
      const listing = await repo.gitIn(dir, "ls-tree", commit);
      expect(listing).toMatch(/^100644 blob [0-9a-f]+\tstate\.json$/);
      expect(parseState(await repo.gitIn(dir, "cat-file", "blob", `${commit}:state.json`))).toEqual({
        ok: true,
        state: s,
      });
    },
  );
});

describe("claimDueTasks against a real remote", () => {
  it("first run ever: only the last hour counts, and the state ref is created", async () => {
    await using repo = await makeRepo({ origin: true });
    const tasks = [task("hourly", "@hourly"), task("daily", "0 3 * * *"), task("manual", [])];
    const r = await claimDueTasks({
      git: repo.client(),
      remote: "origin",
      tasks,
      now: at("2026-03-10T06:10:00Z"),
      runId: "r1",
    });
    expect(r.firstRun).toBe(true);
    expect(r.written).toBe(true);
    expect(r.due.map((d) => [d.name, d.fireTimes.map((f) => f.toISOString())])).toEqual([
      ["hourly", ["2026-03-10T06:00:00.000Z"]],
    ]);
    const snap = await readRemoteState({ git: repo.client(), remote: "origin" });
    expect(snap.oid).toBe(r.oid);
    expect(snap.state?.tasks).toEqual({
      hourly: {
        until: "2026-03-10T06:10:00.000Z",
        lastFireTime: "2026-03-10T06:00:00.000Z",
        lastRunId: "r1",
      },
      daily: { until: "2026-03-10T06:10:00.000Z" },
    });
  });

  it("a late or dropped tick loses nothing: the window starts at the last processed time", async () => {
    await using repo = await makeRepo({ origin: true });
    await seed(
      repo,
      state({
        once: { until: "2026-03-10T03:05:00.000Z" },
        all: { until: "2026-03-10T03:05:00.000Z" },
        skip: { until: "2026-03-10T03:05:00.000Z" },
      }),
    );
    const tasks = [
      task("once", "@hourly", "once"),
      task("all", "@hourly", "all"),
      task("skip", "0 4 * * *", "skip"),
    ];
    const r = await claimDueTasks({
      git: repo.client(),
      remote: "origin",
      tasks,
      now: at("2026-03-10T06:20:00Z"),
    });
    const got = Object.fromEntries(
      r.due.map((d) => [d.name, d.fireTimes.map((f) => f.toISOString().slice(11, 16))]),
    );
    expect(got).toEqual({ once: ["06:00"], all: ["04:00", "05:00", "06:00"] }); // skip: 04:00 is over an hour old
    // the next tick claims nothing again, and writes nothing
    const again = await claimDueTasks({
      git: repo.client(),
      remote: "origin",
      tasks,
      now: at("2026-03-10T06:35:00Z"),
    });
    expect(again.due).toEqual([]);
    expect(again.written).toBe(false);
  });

  it("a damaged state is reported with a fix, treated as absent and rewritten", async () => {
    await using repo = await makeRepo({ origin: true });
    await seed(repo, "{ this is not json");
    const r = await claimDueTasks({
      git: repo.client(),
      remote: "origin",
      tasks: [task("hourly", "@hourly")],
      now: at("2026-03-10T06:10:00Z"),
    });
    expect(r.problem).toMatch(
      /schedule state is damaged: state.json is not JSON.*git push origin :refs\/claude-tasks\/state/,
    );
    expect(r.firstRun).toBe(true);
    expect(r.due.map((d) => d.name)).toEqual(["hourly"]);
    expect((await readRemoteState({ git: repo.client(), remote: "origin" })).problem).toBeUndefined();
  });

  it("a state commit without state.json is damaged too", async () => {
    await using repo = await makeRepo({ origin: true });
    await repo.git("push", "-q", "origin", `HEAD:${STATE_REF}`);
    const snap = await readRemoteState({ git: repo.client(), remote: "origin" });
    expect(snap.state).toBeNull();
    expect(snap.problem).toMatch(/has no state.json/);
  });

  it("peek (dry run) computes without writing", async () => {
    await using repo = await makeRepo({ origin: true });
    const r = await claimDueTasks({
      git: repo.client(),
      remote: "origin",
      tasks: [task("h", "@hourly")],
      now: at("2026-03-10T06:10:00Z"),
      peek: true,
    });
    expect(r.due.map((d) => d.name)).toEqual(["h"]);
    expect(r.written).toBe(false);
    expect(await repo.git("ls-remote", "origin", STATE_REF)).toBe("");
  });

  it("two concurrent claimers: exactly one claims each fire time", async () => {
    await using repo = await makeRepo({ origin: true });
    const clones = [await repo.clone(), await repo.clone()];
    const tasks = [task("every", "every 30m"), task("hourly", "@hourly", "all")];
    const claimed = new Map<string, string[]>();
    // ticks, each raced by two runs from separate clones with slightly different clocks
    const ticks = [
      "2026-03-10T06:05:00Z",
      "2026-03-10T06:35:00Z",
      "2026-03-10T07:02:00Z",
      "2026-03-10T08:31:00Z",
    ];
    for (const tick of ticks) {
      const results = await Promise.all(
        clones.map((dir, i) =>
          claimDueTasks({
            git: repo.client().at(dir),
            remote: "origin",
            tasks,
            now: new Date(at(tick).getTime() + i * 1000),
            runId: `run-${tick}-${i}`,
            backoff: noWait,
          }),
        ),
      );
      for (const r of results) {
        for (const d of r.due) {
          for (const f of d.fireTimes) {
            const key = `${d.name}@${f.toISOString()}`;
            claimed.set(key, [...(claimed.get(key) ?? []), tick]);
          }
        }
      }
      expect(results.filter((r) => r.written).length).toBeGreaterThanOrEqual(1);
    }
    for (const [key, by] of claimed) expect(by, key).toHaveLength(1);
    // every fire time from the first one on was claimed by someone (nothing lost)
    expect([...claimed.keys()].filter((k) => k.startsWith("every@")).sort()).toEqual([
      "every@2026-03-10T06:00:00.000Z",
      "every@2026-03-10T06:30:00.000Z",
      "every@2026-03-10T07:00:00.000Z",
      "every@2026-03-10T08:30:00.000Z",
    ]);
    expect([...claimed.keys()].filter((k) => k.startsWith("hourly@")).sort()).toEqual([
      "hourly@2026-03-10T06:00:00.000Z",
      "hourly@2026-03-10T07:00:00.000Z",
      "hourly@2026-03-10T08:00:00.000Z",
    ]);
  });

  it("a rival that pushed the very same state commit first wins: git's 'up to date' is no won lease", async () => {
    await using repo = await makeRepo({ origin: true });
    await seed(repo, state({ h: { until: "2026-03-10T05:30:00.000Z" } }));
    // the same clock to the second: both runs make byte-identical state commits
    const sameSecond = {
      GIT_COMMITTER_DATE: "2026-03-10T06:01:00Z",
      GIT_AUTHOR_DATE: "2026-03-10T06:01:00Z",
    };
    const [dirA, dirB] = await Promise.all([repo.clone(), repo.clone()]);
    const gitA = repo.client({ env: sameSecond }).at(dirA!);
    const gitB = repo.client({ env: sameSecond }).at(dirB!);
    const claim = (git: Git) =>
      claimDueTasks({
        git,
        remote: "origin",
        tasks: [task("h", "@hourly")],
        now: at("2026-03-10T06:01:00Z"),
        backoff: noWait,
      });
    let rival: Awaited<ReturnType<typeof claim>> | undefined;
    // B has read the state; A claims before B pushes
    const racingB: Git = {
      ...gitB,
      at: (cwd) => gitB.at(cwd),
      runBuffer: (args, o) => gitB.runBuffer(args, o),
      run: async (args, o) => {
        if (args[0] === "push" && !rival) rival = await claim(gitA);
        return gitB.run(args, o);
      },
    };
    const b = await claim(racingB);
    expect(rival).toMatchObject({ written: true, attempts: 1 });
    expect(rival!.due.map((d) => d.name)).toEqual(["h"]);
    expect(b).toMatchObject({ written: false, attempts: 2, due: [] });
  });

  it("many runs racing on one fire time: one winner, the losers re-read and claim nothing", async () => {
    await using repo = await makeRepo({ origin: true });
    await seed(repo, state({ h: { until: "2026-03-10T05:30:00.000Z" } }));
    const clones = await Promise.all(Array.from({ length: 4 }, () => repo.clone()));
    const results = await Promise.all(
      clones.map((dir) =>
        claimDueTasks({
          git: repo.client().at(dir),
          remote: "origin",
          tasks: [task("h", "@hourly")],
          now: at("2026-03-10T06:01:00Z"),
          backoff: noWait,
        }),
      ),
    );
    expect(results.filter((r) => r.due.length > 0)).toHaveLength(1);
    expect(results.filter((r) => r.written)).toHaveLength(1);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });
});
