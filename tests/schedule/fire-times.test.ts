import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countFireTimes, fireTimes, parseSchedule, type Schedule } from "../../src/engine/schedule/index.ts";

function schedule(spec: string): Schedule {
  const r = parseSchedule(spec);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
}

/** Fire times as ISO strings (UTC) in (after, until]. */
function fires(spec: string, timezone: string, after: string, until: string, limit?: number): string[] {
  return fireTimes(schedule(spec), { timezone, after: new Date(after), until: new Date(until), limit }).map(
    (d) => d.toISOString(),
  );
}

const z = (s: string) => `${s}:00.000Z`;

describe("fireTimes: DST, Europe/Berlin (CET/CEST)", () => {
  // 2025-03-30 02:00 CET → 03:00 CEST at 01:00Z; 2025-10-26 03:00 CEST → 02:00 CET at 01:00Z.
  it("moves a skipped wall time forward by the gap (spring forward)", () => {
    expect(fires("30 2 * * *", "Europe/Berlin", "2025-03-29T00:00Z", "2025-04-01T00:00Z")).toEqual(
      ["2025-03-29T01:30", "2025-03-30T01:30", "2025-03-31T00:30"].map(z),
    );
    expect(fires("0 2 * * *", "Europe/Berlin", "2025-03-30T00:00Z", "2025-03-30T23:00Z")).toEqual([
      z("2025-03-30T01:00"),
    ]);
  });

  it("fires each instant once when a shifted time meets an existing one", () => {
    expect(fires("*/30 * * * *", "Europe/Berlin", "2025-03-30T00:00Z", "2025-03-30T02:00Z")).toEqual(
      ["2025-03-30T00:30", "2025-03-30T01:00", "2025-03-30T01:30", "2025-03-30T02:00"].map(z),
    );
  });

  it("fires a repeated wall time once, at its first occurrence (fall back)", () => {
    expect(fires("30 2 * * *", "Europe/Berlin", "2025-10-25T00:00Z", "2025-10-28T00:00Z")).toEqual(
      ["2025-10-25T00:30", "2025-10-26T00:30", "2025-10-27T01:30"].map(z),
    );
    // hourly: 01:00 CEST, 02:00 CEST, (02:00 CET repeated: no), 03:00 CET, …
    expect(fires("0 * * * *", "Europe/Berlin", "2025-10-25T22:30Z", "2025-10-26T04:30Z")).toEqual(
      [
        "2025-10-25T23:00",
        "2025-10-26T00:00",
        "2025-10-26T02:00",
        "2025-10-26T03:00",
        "2025-10-26T04:00",
      ].map(z),
    );
  });

  it("keeps local-midnight intervals on local wall time across DST", () => {
    expect(fires("every 6h", "Europe/Berlin", "2025-10-25T00:00Z", "2025-10-27T00:00Z")).toEqual(
      [
        "2025-10-25T04:00",
        "2025-10-25T10:00",
        "2025-10-25T16:00",
        "2025-10-25T22:00",
        "2025-10-26T05:00",
        "2025-10-26T11:00",
        "2025-10-26T17:00",
        "2025-10-26T23:00",
      ].map(z),
    );
  });
});

describe("fireTimes: DST, America/New_York (EST/EDT)", () => {
  // 2025-03-09 02:00 EST → 03:00 EDT at 07:00Z; 2025-11-02 02:00 EDT → 01:00 EST at 06:00Z.
  it("spring forward", () => {
    expect(fires("30 2 * * *", "America/New_York", "2025-03-08T00:00Z", "2025-03-11T00:00Z")).toEqual(
      ["2025-03-08T07:30", "2025-03-09T07:30", "2025-03-10T06:30"].map(z),
    );
    expect(fires("0 * * * *", "America/New_York", "2025-03-09T04:30Z", "2025-03-09T08:30Z")).toEqual(
      ["2025-03-09T05:00", "2025-03-09T06:00", "2025-03-09T07:00", "2025-03-09T08:00"].map(z),
    );
    // every 90m from local midnight: 00:00, 01:30, (03:00), 04:30 … ; no 02:xx slot exists to shift
    expect(fires("every 90m", "America/New_York", "2025-03-09T04:59Z", "2025-03-09T09:00Z")).toEqual(
      ["2025-03-09T05:00", "2025-03-09T06:30", "2025-03-09T07:00", "2025-03-09T08:30"].map(z),
    );
  });

  it("fall back", () => {
    expect(fires("30 1 * * *", "America/New_York", "2025-11-01T00:00Z", "2025-11-04T00:00Z")).toEqual(
      ["2025-11-01T05:30", "2025-11-02T05:30", "2025-11-03T06:30"].map(z),
    );
    expect(fires("0 * * * *", "America/New_York", "2025-11-02T03:30Z", "2025-11-02T09:30Z")).toEqual(
      [
        "2025-11-02T04:00",
        "2025-11-02T05:00",
        "2025-11-02T07:00",
        "2025-11-02T08:00",
        "2025-11-02T09:00",
      ].map(z),
    );
  });

  it("weekly schedules keep their local time across the transition", () => {
    expect(fires("0 8 * * 0", "America/New_York", "2025-03-01T00:00Z", "2025-03-17T00:00Z")).toEqual(
      ["2025-03-02T13:00", "2025-03-09T12:00", "2025-03-16T12:00"].map(z),
    );
  });
});

describe("fireTimes: southern hemisphere and odd offsets", () => {
  // Sydney: 2025-04-06 03:00 AEDT → 02:00 AEST (16:00Z on the 5th); 2025-10-05 02:00 AEST → 03:00 AEDT (16:00Z on the 4th).
  it("Australia/Sydney both ways", () => {
    expect(fires("30 2 * * *", "Australia/Sydney", "2025-04-04T00:00Z", "2025-04-07T00:00Z")).toEqual(
      ["2025-04-04T15:30", "2025-04-05T15:30", "2025-04-06T16:30"].map(z),
    );
    expect(fires("30 2 * * *", "Australia/Sydney", "2025-10-03T00:00Z", "2025-10-06T00:00Z")).toEqual(
      ["2025-10-03T16:30", "2025-10-04T16:30", "2025-10-05T15:30"].map(z),
    );
  });

  it("Asia/Kolkata (+05:30, no DST)", () => {
    expect(fires("0 9 * * *", "Asia/Kolkata", "2025-06-01T00:00Z", "2025-06-03T00:00Z")).toEqual(
      ["2025-06-01T03:30", "2025-06-02T03:30"].map(z),
    );
    expect(fires("every 6h", "Asia/Kolkata", "2025-06-01T00:00Z", "2025-06-01T12:00Z")).toEqual(
      ["2025-06-01T00:30", "2025-06-01T06:30"].map(z),
    );
  });

  it("Australia/Lord_Howe (30-minute DST shift)", () => {
    // 2025-10-05 02:00 (+10:30) → 02:30 (+11): 02:15 does not exist and fires at 02:45 (+11).
    expect(fires("15 2 * * *", "Australia/Lord_Howe", "2025-10-04T00:00Z", "2025-10-05T00:00Z")).toEqual([
      z("2025-10-04T15:45"),
    ]);
    // 2025-04-06 02:00 (+11) → 01:30 (+10:30): 01:45 happens twice, fires at the first.
    expect(fires("45 1 * * *", "Australia/Lord_Howe", "2025-04-05T00:00Z", "2025-04-06T00:00Z")).toEqual([
      z("2025-04-05T14:45"),
    ]);
  });
});

describe("fireTimes: windows, limits, intervals", () => {
  it("is exclusive at `after` and inclusive at `until`", () => {
    expect(fires("0 6 * * *", "UTC", "2025-01-01T06:00Z", "2025-01-03T06:00Z")).toEqual(
      ["2025-01-02T06:00", "2025-01-03T06:00"].map(z),
    );
    expect(fires("0 6 * * *", "UTC", "2025-01-03T06:00Z", "2025-01-03T06:00Z")).toEqual([]);
    expect(fires("0 6 * * *", "UTC", "2025-01-04T00:00Z", "2025-01-03T00:00Z")).toEqual([]);
  });

  it("takes the first or the latest `limit` fire times", () => {
    const s = schedule("0 * * * *");
    const window = {
      timezone: "UTC",
      after: new Date("2025-01-01T00:00Z"),
      until: new Date("2025-01-02T00:00Z"),
    };
    expect(fireTimes(s, { ...window, limit: 2 }).map((d) => d.getUTCHours())).toEqual([1, 2]);
    expect(fireTimes(s, { ...window, limit: 2, latest: true }).map((d) => d.toISOString())).toEqual(
      ["2025-01-01T23:00", "2025-01-02T00:00"].map(z),
    );
    expect(fireTimes(s, { ...window, limit: 0 })).toEqual([]);
  });

  it("aligns other intervals to the Unix epoch, whatever the zone", () => {
    const expected = ["2025-10-25T01:00", "2025-10-25T08:00", "2025-10-25T15:00", "2025-10-25T22:00"].map(z);
    expect(fires("every 7h", "Europe/Berlin", "2025-10-25T00:00Z", "2025-10-26T00:00Z")).toEqual(expected);
    expect(fires("every 7h", "Asia/Kolkata", "2025-10-25T00:00Z", "2025-10-26T00:00Z")).toEqual(expected);
    expect(fires("every 7h", "UTC", "2025-10-25T00:00Z", "2025-10-26T00:00Z", 1)).toEqual([expected[0]]);
  });

  it("handles day-of-month OR weekday, and macros", () => {
    // 13th of the month or a Friday, in Feb 2026 (Fri 6, Fri 13, 20, 27)
    expect(
      fires("0 0 13 * 5", "UTC", "2026-02-01T00:00Z", "2026-03-01T00:00Z").map((s) => s.slice(8, 10)),
    ).toEqual(["06", "13", "20", "27"]);
    // `*/2` in day-of-month counts as unrestricted: odd days AND Mondays (2, 16 are Mondays but even)
    expect(
      fires("0 0 */2 * 1", "UTC", "2026-02-01T00:00Z", "2026-03-01T00:00Z").map((s) => s.slice(8, 10)),
    ).toEqual(["09", "23"]);
    expect(
      fires("@workdays", "UTC", "2026-02-06T12:00Z", "2026-02-10T12:00Z").map((s) => s.slice(8, 10)),
    ).toEqual(["09", "10"]);
    expect(
      fires("@weekends", "UTC", "2026-02-06T12:00Z", "2026-02-10T12:00Z").map((s) => s.slice(8, 10)),
    ).toEqual(["07", "08"]);
    expect(
      fires("0 0 29 2 *", "UTC", "2025-01-01T00:00Z", "2033-01-01T00:00Z").map((s) => s.slice(0, 4)),
    ).toEqual(["2028", "2032"]);
  });

  it("gives nothing for an unknown time zone", () => {
    expect(fires("@hourly", "Mars/Olympus", "2025-01-01T00:00Z", "2025-01-02T00:00Z")).toEqual([]);
  });

  it("counts without materialising, in agreement with fireTimes", () => {
    const s = schedule("*/5 * * * *");
    const window = {
      timezone: "Europe/Berlin",
      after: new Date("2025-01-01T00:00Z"),
      until: new Date("2026-01-01T00:00Z"),
    };
    // 365 days of 288 slots; the fall-back hour fires once, so its 12 extra 5-minute marks do not count
    expect(countFireTimes(s, window)).toBe(365 * 288 - 12);
    expect(countFireTimes(s, window)).toBe(fireTimes(s, window).length);
    expect(countFireTimes(schedule("every 7h"), window)).toBe(fireTimes(schedule("every 7h"), window).length);
  });
});

describe("fireTimes agrees with cron-parser away from DST transitions", () => {
  const zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"];
  const list = (min: number, max: number) =>
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(","));
  const field = (min: number, max: number) =>
    fc.oneof(
      fc.constant("*"),
      list(min, max),
      fc
        .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    );
  const cron = fc
    .tuple(list(0, 59), list(0, 23), field(1, 31), field(1, 12), field(0, 6))
    .map((fields) => fields.join(" "));

  function viaCronParser(expr: string, tz: string, after: Date, until: Date): string[] {
    const it = CronExpressionParser.parse(expr, { tz, currentDate: after, endDate: until });
    const out: string[] = [];
    for (;;) {
      try {
        out.push(it.next().toDate().toISOString());
      } catch {
        return out; // past endDate
      }
    }
  }

  const formats = new Map(
    zones.map((tz) => [tz, new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })]),
  );
  const offsetAt = (tz: string, t: number) =>
    formats
      .get(tz)!
      .formatToParts(t)
      .find((p) => p.type === "timeZoneName")!.value;

  it("for random expressions, zones and windows", () => {
    fc.assert(
      fc.property(
        cron,
        fc.constantFrom(...zones),
        fc.date({
          min: new Date("2020-01-01T00:00Z"),
          max: new Date("2030-01-01T00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 2 * 24 * 60 }),
        (expr, tz, after, minutes) => {
          const until = new Date(after.getTime() + minutes * 60_000);
          // skip windows near an offset change
          fc.pre(offsetAt(tz, after.getTime() - 86_400_000) === offsetAt(tz, until.getTime() + 86_400_000));
          const parsed = parseSchedule(expr);
          if (!parsed.ok) return; // e.g. "0 0 31 2 *": cron-parser iterates forever looking for it
          const ours = fireTimes(parsed.schedule, { timezone: tz, after, until }).map((d) => d.toISOString());
          expect(ours).toEqual(viaCronParser(expr, tz, after, until));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("cron-parser 5.x at DST edges (why we do not iterate with it)", () => {
  function theirs(expr: string, tz: string, after: string, count: number): string[] {
    const it = CronExpressionParser.parse(expr, { tz, currentDate: new Date(after) });
    return Array.from({ length: count }, () => it.next().toDate().toISOString());
  }

  it("agrees on fixed times: a skipped time moves forward by the gap, a repeated one fires once", () => {
    expect(theirs("30 2 * * *", "America/New_York", "2025-03-08T00:00Z", 3)).toEqual(
      fires("30 2 * * *", "America/New_York", "2025-03-08T00:00Z", "2025-03-10T07:00Z"),
    );
    expect(theirs("30 1 * * *", "America/New_York", "2025-11-01T00:00Z", 3)).toEqual(
      fires("30 1 * * *", "America/New_York", "2025-11-01T00:00Z", "2025-11-03T07:00Z"),
    );
    expect(theirs("30 2 * * *", "Europe/Berlin", "2025-10-25T00:00Z", 3)).toEqual(
      fires("30 2 * * *", "Europe/Berlin", "2025-10-25T00:00Z", "2025-10-27T02:00Z"),
    );
  });

  it("differs on wildcard hours: cron-parser fires the repeated hour twice, we fire each wall time once", () => {
    const window = ["America/New_York", "2025-11-02T04:30Z", "2025-11-02T07:30Z"] as const;
    expect(theirs("0 * * * *", window[0], window[1], 3)).toEqual(
      ["2025-11-02T05:00", "2025-11-02T06:00", "2025-11-02T07:00"].map(z),
    );
    expect(fires("0 * * * *", ...window)).toEqual(["2025-11-02T05:00", "2025-11-02T07:00"].map(z));
  });
});
