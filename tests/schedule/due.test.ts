import { describe, expect, it } from "vitest";
import {
  type DueTask,
  dueTasks,
  evaluateSchedules,
  type MissedPolicy,
  nextFireTimes,
  type ScheduledTask,
} from "../../src/engine/schedule/index.ts";

const HOUR = 3_600_000;

function task(name: string, schedule: string | string[], more: Partial<ScheduledTask> = {}): ScheduledTask {
  return { name, schedule, timezone: "UTC", missed: "once", enabled: true, ...more };
}

const iso = (d: DueTask) => d.fireTimes.map((t) => t.toISOString());
const at = (s: string) => new Date(s);

describe("dueTasks: missed policies", () => {
  // weekdays 06:00 UTC; Monday 2026-03-02 … Friday 2026-03-06
  const daily = (missed: MissedPolicy) => task(`t-${missed}`, "0 6 * * 1-5", { missed });

  it("an on-time tick runs each policy once", () => {
    const due = dueTasks([daily("all"), daily("once"), daily("skip")], {
      since: at("2026-03-02T05:55Z"),
      now: at("2026-03-02T06:05Z"),
    });
    expect(due.map((d) => [d.name, iso(d), d.missedCount])).toEqual([
      ["t-all", ["2026-03-02T06:00:00.000Z"], 0],
      ["t-once", ["2026-03-02T06:00:00.000Z"], 0],
      ["t-skip", ["2026-03-02T06:00:00.000Z"], 0],
    ]);
    expect(due[0]!.reason).toBe("`0 6 * * 1-5` (UTC) fired at 2026-03-02T06:00:00Z");
  });

  it("a late tick within the grace period still runs `skip`", () => {
    const opts = { since: at("2026-03-02T05:55Z"), now: at("2026-03-02T06:59Z") };
    expect(dueTasks([daily("skip")], opts).map(iso)).toEqual([["2026-03-02T06:00:00.000Z"]]);
  });

  it("a tick later than the grace period skips `skip` but not `once`/`all`", () => {
    const opts = { since: at("2026-03-02T05:55Z"), now: at("2026-03-02T07:01Z") };
    expect(dueTasks([daily("all"), daily("once"), daily("skip")], opts).map((d) => d.name)).toEqual([
      "t-all",
      "t-once",
    ]);
    const [skip] = evaluateSchedules([daily("skip")], opts);
    expect(skip).toMatchObject({ due: false, missedCount: 1, fireTimes: [] });
    expect(skip!.reason).toBe(
      "missed: latest fire time 2026-03-02T06:00:00Z is more than 1h old (missed: skip); 1 fire time skipped",
    );
    // a custom grace
    expect(dueTasks([daily("skip")], { ...opts, grace: 2 * HOUR })).toHaveLength(1);
  });

  it("after a week-long gap: all → every fire time, once → the latest, skip → the latest if recent", () => {
    const since = at("2026-03-01T00:00Z");
    const week = ["02", "03", "04", "05", "06"].map((d) => `2026-03-${d}T06:00:00.000Z`);
    const recent = dueTasks([daily("all"), daily("once"), daily("skip")], {
      since,
      now: at("2026-03-06T06:10Z"),
    });
    expect(recent.map((d) => [d.name, iso(d), d.missedCount])).toEqual([
      ["t-all", week, 0],
      ["t-once", [week[4]], 4],
      ["t-skip", [week[4]], 4],
    ]);
    expect(recent[0]!.reason).toBe(
      "`0 6 * * 1-5` (UTC) fired at 2026-03-06T06:00:00Z; 5 fire times since 2026-03-01T00:00:00Z (missed: all)",
    );
    expect(recent[1]!.reason).toBe(
      "`0 6 * * 1-5` (UTC) fired at 2026-03-06T06:00:00Z; 4 earlier fire times since 2026-03-01T00:00:00Z folded into this run (missed: once)",
    );
    // next run on Saturday evening: nothing new; a week later with since unchanged, skip is stale
    const stale = evaluateSchedules([daily("skip")], { since, now: at("2026-03-07T20:00Z") });
    expect(stale[0]).toMatchObject({ due: false, missedCount: 5 });
  });

  it("nothing is due in an empty window, or when nothing fired", () => {
    expect(
      dueTasks([daily("once")], { since: at("2026-03-02T07:00Z"), now: at("2026-03-02T07:00Z") }),
    ).toEqual([]);
    expect(
      dueTasks([daily("once")], { since: at("2026-03-02T07:00Z"), now: at("2026-03-02T06:00Z") }),
    ).toEqual([]);
    const [e] = evaluateSchedules([daily("once")], {
      since: at("2026-03-07T00:00Z"),
      now: at("2026-03-08T23:00Z"),
    });
    expect(e).toMatchObject({ due: false, reason: "no fire time since 2026-03-07T00:00:00Z" });
  });

  it("without `since` the window is the last `grace`: a first run never catches up a backlog", () => {
    const due = dueTasks([daily("all"), task("hourly", "@hourly", { missed: "all" })], {
      now: at("2026-03-06T06:30Z"),
    });
    expect(due.map((d) => [d.name, iso(d)])).toEqual([
      ["t-all", ["2026-03-06T06:00:00.000Z"]],
      ["hourly", ["2026-03-06T06:00:00.000Z"]],
    ]);
    expect(dueTasks([daily("once")], { now: at("2026-03-06T07:30Z") })).toEqual([]);
  });

  it("takes `since` per task", () => {
    const since = (name: string) => (name === "a" ? at("2026-03-02T00:00Z") : undefined);
    const due = dueTasks([task("a", "@daily", { missed: "all" }), task("b", "@daily", { missed: "all" })], {
      since,
      now: at("2026-03-04T00:30Z"),
    });
    expect(due.map((d) => [d.name, d.fireTimes.length])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });
});

describe("dueTasks: task shapes", () => {
  const window = { since: at("2026-03-02T00:00Z"), now: at("2026-03-02T12:00Z") };

  it("never returns disabled tasks", () => {
    expect(dueTasks([task("off", "@hourly", { enabled: false })], window)).toEqual([]);
    expect(evaluateSchedules([task("off", "@hourly", { enabled: false })], window)[0]!.reason).toBe(
      "disabled",
    );
  });

  it("merges a list of schedules, without duplicates", () => {
    const t = task("two", ["0 9 * * *", "0 9,11 * * 1", "every 6h"], { missed: "all" });
    expect(dueTasks([t], window).map(iso)).toEqual([
      [
        "2026-03-02T06:00:00.000Z",
        "2026-03-02T09:00:00.000Z",
        "2026-03-02T11:00:00.000Z",
        "2026-03-02T12:00:00.000Z",
      ],
    ]);
    const [once] = dueTasks([{ ...t, missed: "once" }], window);
    expect(once).toMatchObject({ missedCount: 3 });
    expect(once!.reason).toMatch(/^`every 6h` \(UTC\) fired at 2026-03-02T12:00:00Z/);
  });

  it("evaluates schedules in the task's time zone", () => {
    const t = task("berlin", "0 6 * * *", { timezone: "Europe/Berlin" });
    expect(dueTasks([t], window).map(iso)).toEqual([["2026-03-02T05:00:00.000Z"]]);
    expect(dueTasks([{ ...t, timezone: "America/New_York" }], window).map(iso)).toEqual([
      ["2026-03-02T11:00:00.000Z"],
    ]);
  });

  it("ignores invalid entries and says why nothing is due", () => {
    const reasons = evaluateSchedules(
      [task("none", []), task("bad", "@dayly"), task("zone", "@hourly", { timezone: "Nowhere/Atlantis" })],
      window,
    ).map((e) => e.reason);
    expect(reasons).toEqual(["no schedule", "no valid schedule", "unknown time zone `Nowhere/Atlantis`"]);
    expect(dueTasks([task("mixed", ["@dayly", "@hourly"])], window)).toHaveLength(1);
  });
});

describe("dueTasks: huge windows", () => {
  const since = at("2025-01-01T00:00Z");
  const now = at("2026-01-01T00:02Z");
  const every5 = (missed: MissedPolicy) =>
    task(`t-${missed}`, "every 5m", { missed, timezone: "Europe/Berlin" });

  it("a year of `every 5m` gives one date for once/skip, and counts the rest", () => {
    const due = dueTasks([every5("once"), every5("skip")], { since, now });
    const total = 365 * 288 - 12; // the repeated fall-back hour fires once
    expect(due.map((d) => [d.fireTimes.length, d.missedCount])).toEqual([
      [1, total - 1],
      [1, total - 1],
    ]);
    expect(iso(due[0]!)).toEqual(["2026-01-01T00:00:00.000Z"]);
  }, 10_000);

  it("caps `all` at maxFireTimes, keeping the latest", () => {
    const [all] = dueTasks([every5("all")], { since, now, maxFireTimes: 10 });
    expect(all!.fireTimes).toHaveLength(10);
    expect(all!.missedCount).toBe(365 * 288 - 12 - 10);
    expect(iso(all!).at(-1)).toBe("2026-01-01T00:00:00.000Z");
    expect(all!.reason).toMatch(/; 105098 older ones dropped \(at most 10 per run\)$/);
    const [defaultCap] = dueTasks([every5("all")], { since, now });
    expect(defaultCap!.fireTimes).toHaveLength(1000);
  });

  it("10,000 tasks evaluate quickly", () => {
    const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
    const schedules = ["0 6 * * 1-5", "*/15 * * * *", "every 30m", "@daily", "every 7h", "30 2 * * *"];
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      task(`t${i}`, schedules[i % schedules.length]!, { timezone: zones[i % zones.length]! }),
    );
    const started = performance.now();
    const due = dueTasks(tasks, { since: at("2026-03-01T00:00Z"), now: at("2026-03-02T00:00Z") });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(due.length).toBeGreaterThan(8000);
  });
});

describe("nextFireTimes", () => {
  it("merges a task's schedules, sorted and distinct", () => {
    const times = nextFireTimes(
      { schedule: ["0 9 * * 1", "0 9 * * *", "0 17 * * 5"], timezone: "Europe/Berlin" },
      { from: at("2026-03-05T00:00Z"), count: 4 },
    );
    expect(times.map((d) => d.toISOString())).toEqual([
      "2026-03-05T08:00:00.000Z",
      "2026-03-06T08:00:00.000Z",
      "2026-03-06T16:00:00.000Z",
      "2026-03-07T08:00:00.000Z",
    ]);
  });

  it("reaches far for rare schedules and defaults to 5", () => {
    const leap = nextFireTimes(
      { schedule: "0 0 29 2 *", timezone: "UTC" },
      { from: at("2026-01-01T00:00Z") },
    );
    expect(leap.map((d) => d.getUTCFullYear())).toEqual([2028, 2032, 2036, 2040, 2044]);
    expect(
      nextFireTimes({ schedule: "0 0 29 2 *", timezone: "UTC" }, { from: at("2096-03-01T00:00Z"), count: 1 }),
    ).toEqual([at("2104-02-29T00:00Z")]);
  });

  it("gives nothing for no schedule, invalid ones or a zero count", () => {
    expect(nextFireTimes({ schedule: [], timezone: "UTC" }, { from: at("2026-01-01T00:00Z") })).toEqual([]);
    expect(nextFireTimes({ schedule: ["nope"], timezone: "UTC" }, { from: at("2026-01-01T00:00Z") })).toEqual(
      [],
    );
    expect(
      nextFireTimes({ schedule: ["@daily"], timezone: "UTC" }, { from: at("2026-01-01T00:00Z"), count: 0 }),
    ).toEqual([]);
  });
});
