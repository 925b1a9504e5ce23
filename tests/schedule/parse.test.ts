import { describe, expect, it } from "vitest";
import { parseSchedule, type Schedule } from "../../src/engine/schedule/index.ts";

function ok(spec: string): Schedule {
  const r = parseSchedule(spec);
  if (!r.ok) throw new Error(`expected ${spec} to parse: ${r.message}`);
  return r.schedule;
}

function message(spec: string): string {
  const r = parseSchedule(spec);
  if (r.ok) throw new Error(`expected ${spec} to be rejected`);
  return r.message;
}

function slots(spec: string): readonly number[] {
  const s = ok(spec);
  if (s.kind === "interval" && s.alignment === "epoch") throw new Error("no slots");
  return s.pattern.slots;
}

describe("parseSchedule: cron", () => {
  it("parses 5-field cron into minutes of the day", () => {
    const s = ok("0 6 * * 1-5");
    expect(s).toMatchObject({ kind: "cron", source: "0 6 * * 1-5", cron: "0 6 * * 1-5" });
    expect(slots("0 6 * * 1-5")).toEqual([360]);
    expect(slots("15,45 9-10 * * *")).toEqual([555, 585, 615, 645]);
    expect(slots("*/20 0 * * *")).toEqual([0, 20, 40]);
    expect(slots("10-30/10 0 * * *")).toEqual([10, 20, 30]);
    expect(slots("50/5 0 * * *")).toEqual([50, 55]);
  });

  it("accepts month and weekday names in any case, and 7 for Sunday", () => {
    const s = ok("0 0 * JAN-mar Mon-FRI");
    if (s.kind !== "cron") throw new Error();
    expect(s.pattern.months).toBe(0b1110);
    expect(s.pattern.weekdays).toBe(0b0111110);
    const sunday = ok("0 0 * * 7");
    if (sunday.kind !== "cron") throw new Error();
    expect(sunday.pattern.weekdays).toBe(0b1);
  });

  it("treats a day field that starts with * as unrestricted (Vixie)", () => {
    const s = ok("0 0 */2 * 1");
    if (s.kind !== "cron") throw new Error();
    expect(s.pattern.daysStar).toBe(true);
    expect(s.pattern.weekdaysStar).toBe(false);
  });

  it("normalises whitespace", () => {
    expect(ok("  0   6 *\t* 1 ")).toMatchObject({ kind: "cron", cron: "0 6 * * 1" });
  });

  it.each([
    ["61 * * * *", "bad cron field `61` in minute (0-59)"],
    ["0 24 * * *", "bad cron field `24` in hour (0-23)"],
    ["0 0 32 * *", "bad cron field `32` in day of month (1-31)"],
    ["0 0 0 * *", "bad cron field `0` in day of month (1-31)"],
    ["0 0 * 13 *", "bad cron field `13` in month (1-12 or jan-dec)"],
    ["0 0 * * 8", "bad cron field `8` in weekday (0-7 or sun-sat)"],
    ["0 0 * * moon", "bad cron field `moon` in weekday (0-7 or sun-sat), did you mean `mon`?"],
    ["0 0 * juni *", "bad cron field `juni` in month (1-12 or jan-dec), did you mean `jun`?"],
    ["x * * * *", "bad cron field `x` in minute (0-59)"],
    ["-5 * * * *", "bad cron field `-5` in minute (0-59)"],
    ["1.5 * * * *", "bad cron field `1.5` in minute (0-59)"],
    ["5-1 * * * *", "bad range `5-1` in minute: 5 is after 1"],
    ["*/0 * * * *", "bad step `/0` in minute: a step must be at least 1"],
    ["*/x * * * *", "bad cron field `*/x` in minute (0-59)"],
    ["1,,2 * * * *", "bad cron field: empty list entry in minute (0-59)"],
  ])("rejects %j", (spec, expected) => {
    expect(message(spec)).toBe(expected);
  });

  it("rejects other field counts, naming seconds for 6 fields", () => {
    expect(message("0 0 0 * * *")).toBe(
      "expected 5 cron fields (minute hour day month weekday), got 6 (a seconds field is not supported): `0 0 0 * * *`",
    );
    expect(message("* * * *")).toBe(
      "expected 5 cron fields (minute hour day month weekday), got 4: `* * * *`",
    );
    expect(message("0 0 1 1 * 2025 x")).toMatch(/got 7/);
  });

  it("rejects cron extensions with a clear reason", () => {
    for (const spec of ["0 0 L * *", "0 0 * * 5#3", "0 0 ? * *", "H * * * *", "0 0 15W * *", "0 0 * * 5L"]) {
      expect(message(spec)).toMatch(/the cron extensions L, W, #, \? and H are not supported$/);
    }
  });

  it("rejects schedules that can never fire", () => {
    expect(message("0 0 30 2 *")).toBe("schedule never fires: February has no day 30");
    expect(message("0 0 31 4,6 *")).toBe("schedule never fires: April, June have no day 31");
    // 29 February exists; day-of-month OR weekday always fires
    ok("0 0 29 2 *");
    ok("0 0 30 2 1");
  });
});

describe("parseSchedule: macros", () => {
  it.each([
    ["@hourly", "0 * * * *"],
    ["@daily", "0 0 * * *"],
    ["@midnight", "0 0 * * *"],
    ["@weekly", "0 0 * * 0"],
    ["@monthly", "0 0 1 * *"],
    ["@yearly", "0 0 1 1 *"],
    ["@annually", "0 0 1 1 *"],
    ["@workdays", "0 0 * * 1-5"],
    ["@weekends", "0 0 * * 0,6"],
    ["@Daily", "0 0 * * *"],
  ])("%s is %s", (macro, cron) => {
    expect(ok(macro)).toMatchObject({ kind: "cron", source: macro, cron });
  });

  it("suggests the macro that was meant", () => {
    expect(message("@dayly")).toBe("unknown schedule `@dayly`, did you mean `@daily`?");
    expect(message("@weekdays")).toBe("unknown schedule `@weekdays`, did you mean `@workdays`?");
    expect(message("daily")).toBe("unknown schedule `daily`, did you mean `@daily`?");
    expect(message("@reboot")).toMatch(/not supported/);
    expect(message("@fortnightly")).toBe("unknown schedule `@fortnightly`");
    expect(message("sometimes")).toMatch(/^unknown schedule `sometimes`: expected 5-field cron/);
  });
});

describe("parseSchedule: intervals", () => {
  it("aligns intervals that divide 24h to local midnight", () => {
    expect(ok("every 6h")).toMatchObject({ kind: "interval", minutes: 360, alignment: "local-midnight" });
    expect(slots("every 6h")).toEqual([0, 360, 720, 1080]);
    expect(slots("every 90m")).toHaveLength(16);
    expect(slots("every 30m")).toHaveLength(48);
    expect(slots("every 24h")).toEqual([0]);
    expect(ok("EVERY 45M")).toMatchObject({ minutes: 45, alignment: "local-midnight" });
  });

  it("aligns other intervals to the Unix epoch", () => {
    expect(ok("every 7h")).toMatchObject({ kind: "interval", minutes: 420, alignment: "epoch" });
    expect(ok("every 7m")).toMatchObject({ minutes: 7, alignment: "epoch" });
    expect(ok("every 48h")).toMatchObject({ minutes: 2880, alignment: "epoch" });
  });

  it("enforces the 5 minute minimum and explains it", () => {
    expect(ok("every 5m")).toMatchObject({ minutes: 5 });
    expect(message("every 4m")).toBe(
      "interval `every 4m` is too short: the minimum is every 5m (GitHub runs scheduled workflows at most every 5 minutes)",
    );
    expect(message("every 0h")).toMatch(/too short/);
    expect(message("every 8761h")).toMatch(/too long/);
  });

  it("rejects malformed intervals", () => {
    expect(message("every 2d")).toBe(
      "bad interval unit `d` in `every 2d`: use m (minutes) or h (hours), e.g. `every 30m`",
    );
    expect(message("every")).toMatch(/^bad interval `every`: expected `every <n>m`/);
    expect(message("every 30")).toMatch(/^bad interval/);
    expect(message("every half hour")).toMatch(/^bad interval/);
  });
});

describe("parseSchedule: robustness", () => {
  it("rejects empty, overlong and non-string input without throwing", () => {
    expect(message("   ")).toMatch(/^empty schedule/);
    expect(message(`0 0 * * ${"1,".repeat(600)}1`)).toMatch(/too long/);
    expect(parseSchedule(42 as unknown as string)).toEqual({
      ok: false,
      message: "a schedule must be a string",
    });
  });

  it("returns the same result for the same text (cached)", () => {
    expect(parseSchedule("0 6 * * 1")).toBe(parseSchedule("0 6 * * 1"));
  });
});
