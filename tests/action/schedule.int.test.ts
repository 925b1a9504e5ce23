/**
 * The `schedule` event end to end (dist/action.js as the runner runs it): GitHub's cron is only a tick,
 * the state ref decides what is due. A tick that comes hours late and a tick that was dropped lose
 * nothing (each task's `missed` policy decides), and two runs of the same tick claim a fire time once.
 */
import { describe, expect, it } from "vitest";
import { type ScheduleState, STATE_REF, writeStateCommit } from "../../src/engine/event/index.ts";
import { apiOps, type E2E, results, startE2E } from "./harness.ts";

const TASK_DIR = ".github/claude-tasks";
const HOUR = 3_600_000;
const TICK = { schedule: "*/15 * * * *" };

const floorHour = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR);

/** Puts a schedule state on the origin, as an earlier run would have left it. */
async function seedState(e2e: E2E, tasks: ScheduleState["tasks"]): Promise<void> {
  const state: ScheduleState = { version: 1, updatedAt: new Date().toISOString(), tasks };
  const commit = await writeStateCommit(e2e.repo.client(), state);
  await e2e.repo.git("push", "--quiet", "origin", `${commit}:${STATE_REF}`);
}

async function remoteState(e2e: E2E): Promise<ScheduleState> {
  return JSON.parse(await e2e.repo.gitIn(e2e.repo.origin!, "show", `${STATE_REF}:state.json`));
}

describe("the Action on schedule (dist/action.js)", () => {
  it("a late tick: a fire time 3 h old still runs once (missed: once), not at all with missed: skip", async () => {
    const fire = floorHour(Date.now() - 3 * HOUR);
    const cron = `0 ${fire.getUTCHours()} * * *`;
    await using e2e = await startE2E({
      [`${TASK_DIR}/late-once.yml`]: `schedule: "${cron}"\nmissed: once\nrun: "echo once > ONCE.txt"\n`,
      [`${TASK_DIR}/late-skip.yml`]: `schedule: "${cron}"\nmissed: skip\nrun: "echo skip > SKIP.txt"\n`,
    });
    // the previous tick ran a quarter of an hour before the fire time; the next arrives 3 h after it
    const before = { until: new Date(fire.getTime() - HOUR / 4).toISOString() };
    const yesterday = new Date(fire.getTime() - 24 * HOUR).toISOString();
    await seedState(e2e, {
      "late-once": { ...before, lastFireTime: yesterday },
      "late-skip": { ...before, lastFireTime: yesterday },
    });

    const r = await e2e.run({ event: "schedule", payload: TICK });
    expect(r.code, r.stdout).toBe(0);
    expect(results(r.outputs).map((x) => [x.task, x.status, x.prAction])).toEqual([
      ["late-once", "success", "created"],
    ]);
    const at = fire.toISOString().slice(0, 16);
    expect(r.summary).toContain(`\`late-once\`: \`${cron}\` (UTC) fired at ${at}`);
    expect(r.summary).toMatch(/`late-skip` not run: missed: latest fire time .* \(missed: skip\)/);
    const state = await remoteState(e2e);
    expect(state.tasks["late-once"]?.lastFireTime).toBe(fire.toISOString());
    expect(state.tasks["late-skip"]?.lastFireTime).toBe(yesterday); // passed over, not claimed
    expect(state.tasks["late-skip"]!.until).toBe(state.updatedAt); // …and not considered again
    expect(apiOps(e2e.fake)).toEqual(["graphql", "pulls/create"]); // the signed commit, then a new PR: one call

    e2e.fake.resetCalls();
    const stateRef = await e2e.repo.git("ls-remote", "origin", STATE_REF);
    const next = await e2e.run({ event: "schedule", payload: TICK });
    expect(next.code, next.stdout).toBe(0);
    expect(results(next.outputs)).toEqual([]);
    expect(await e2e.repo.git("ls-remote", "origin", STATE_REF)).toBe(stateRef);
    expect(e2e.fake.calls).toEqual([]);
  });

  it("dropped ticks: the next tick catches their fire times up, once per run as `missed` says", async () => {
    await using e2e = await startE2E({
      [`${TASK_DIR}/hourly-all.yml`]: 'schedule: "@hourly"\nmissed: all\nrun: "echo all > ALL.txt"\n',
      [`${TASK_DIR}/hourly-once.yml`]: 'schedule: "@hourly"\nmissed: once\nrun: "echo once > ONCE.txt"\n',
    });
    // the last tick that ran was 10 minutes before the fire time 2 h ago; every tick since was dropped
    const until = new Date(floorHour(Date.now()).getTime() - 2 * HOUR - 10 * 60_000);
    await seedState(e2e, {
      "hourly-all": { until: until.toISOString() },
      "hourly-once": { until: until.toISOString() },
    });

    const r = await e2e.run({ event: "schedule", payload: TICK });
    expect(r.code, r.stdout).toBe(0);
    expect(
      results(r.outputs)
        .map((x) => `${x.task} ${x.status}`)
        .sort(),
    ).toEqual(["hourly-all success", "hourly-once success"]);
    const state = await remoteState(e2e);
    const latest = floorHour(Date.parse(state.updatedAt)); // the run's own clock
    const fired = (latest.getTime() - floorHour(until.getTime()).getTime()) / HOUR; // 3, unless an hour just began
    const since = until.toISOString().replace(/\.000Z$/, "Z");
    expect(r.summary).toContain(`${fired} fire times since ${since} (missed: all)`);
    expect(r.summary).toContain(
      `${fired - 1} earlier fire times since ${since} folded into this run (missed: once)`,
    );
    expect(state.tasks["hourly-all"]?.lastFireTime).toBe(latest.toISOString());
    expect(state.tasks["hourly-once"]?.lastFireTime).toBe(latest.toISOString());
    expect(e2e.fake.openPulls()).toHaveLength(2); // one run, one PR per task, however many fire times
  });

  it("two runs of the same tick at once: one claims the fire time and opens the PR, the other runs nothing", async () => {
    await using e2e = await startE2E({
      [`${TASK_DIR}/tick.yml`]: 'schedule: "@hourly"\nrun: "echo tick > TICK.txt"\n',
    });
    // two jobs, two checkouts of the same repository, one origin
    const other = await e2e.repo.clone();
    const [a, b] = await Promise.all([
      e2e.run({ event: "schedule", payload: TICK }),
      e2e.run({ event: "schedule", payload: TICK, env: { GITHUB_WORKSPACE: other } }),
    ]);
    expect(a.code, a.stdout).toBe(0);
    expect(b.code, b.stdout).toBe(0);
    const ran = [a, b].map((r) => results(r.outputs).map((x) => x.task));
    expect(ran.flat()).toEqual(["tick"]);
    const winner = ran[0]!.length === 1 ? a : b;
    expect(e2e.fake.openPulls()).toHaveLength(1);
    expect(apiOps(e2e.fake)).toEqual(["graphql", "pulls/create"]); // the signed commit (createCommitOnBranch), the PR
    // the state ref holds the winner's claim, and the loser left it alone
    const runId = /## claude-tasks run `([^`]+)`/.exec(winner.summary)?.[1];
    const state = await remoteState(e2e);
    expect(state.runId).toBe(runId);
    expect(state.tasks.tick?.lastRunId).toBe(runId);
    expect(
      await e2e.repo.gitIn(e2e.repo.origin!, "rev-list", "--count", STATE_REF),
      "state commits have no parent",
    ).toBe("1");
  });
});
