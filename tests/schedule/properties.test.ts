import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countFireTimes, fireTimes, parseSchedule } from "../../src/engine/schedule/index.ts";

const zones = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
];

/** Schedule-like strings: mostly plausible, some garbage. */
const scheduleText = fc.oneof(
  fc.string(),
  fc
    .array(
      fc.constantFrom(
        "*",
        "*/5",
        "0",
        "1-5",
        "30",
        "mon-fri",
        "jan",
        "7",
        "59",
        "1,2",
        "*/15",
        "L",
        "?",
        "2-1",
      ),
      {
        minLength: 1,
        maxLength: 7,
      },
    )
    .map((xs) => xs.join(" ")),
  fc.constantFrom("@daily", "@hourly", "@weekly", "@workdays", "@weekends", "@monthly", "@yearly"),
  fc.integer({ min: 0, max: 2000 }).chain((n) => fc.constantFrom(`every ${n}m`, `every ${n}h`, `every ${n}`)),
);

describe("schedule properties", () => {
  it("parseSchedule never throws, and always says ok or why not", () => {
    fc.assert(
      fc.property(scheduleText, (text) => {
        const r = parseSchedule(text);
        expect(r.ok || (typeof r.message === "string" && r.message.length > 0)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("fireTimes are strictly increasing, inside the window, and match countFireTimes", () => {
    fc.assert(
      fc.property(
        scheduleText,
        fc.constantFrom(...zones),
        fc.date({
          min: new Date("2000-01-01T00:00Z"),
          max: new Date("2040-01-01T00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 4 * 24 * 60 }),
        (text, timezone, after, minutes) => {
          const parsed = parseSchedule(text);
          fc.pre(parsed.ok);
          if (!parsed.ok) return;
          const until = new Date(after.getTime() + minutes * 60_000);
          const times = fireTimes(parsed.schedule, { timezone, after, until }).map((d) => d.getTime());
          for (let i = 0; i < times.length; i++) {
            expect(times[i]).toBeGreaterThan(i === 0 ? after.getTime() : times[i - 1]!);
            expect(times[i]).toBeLessThanOrEqual(until.getTime());
          }
          expect(countFireTimes(parsed.schedule, { timezone, after, until })).toBe(times.length);
          // the latest `k` are the tail of the whole list
          const latest = fireTimes(parsed.schedule, { timezone, after, until, limit: 3, latest: true });
          expect(latest.map((d) => d.getTime())).toEqual(times.slice(-3));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("wall-clock fire times land on the scheduled local minute, or are shifted by a DST gap", () => {
    const zone = "America/New_York";
    const local = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      hour: "numeric",
      minute: "numeric",
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 23 }),
        fc.date({
          min: new Date("2020-01-01T00:00Z"),
          max: new Date("2030-01-01T00:00Z"),
          noInvalidDate: true,
        }),
        (minute, hour, after) => {
          const parsed = parseSchedule(`${minute} ${hour} * * *`);
          if (!parsed.ok) throw new Error(parsed.message);
          const until = new Date(after.getTime() + 10 * 86_400_000);
          const times = fireTimes(parsed.schedule, { timezone: zone, after, until });
          expect(times.length).toBeGreaterThanOrEqual(9);
          // 10 days hold 10 or 11 local 03:00s when a spring-forward shortens the local clock by an hour.
          expect(times.length).toBeLessThanOrEqual(11);
          for (const t of times) {
            const [h, m] = local.format(t).split(":").map(Number);
            expect(m).toBe(minute);
            expect(h === hour || h === hour + 1).toBe(true); // +1 only on a spring-forward day
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
