import { describe, expect, it } from "vitest";
import {
  civilFromDays,
  DAY,
  getZone,
  isValidTimeZone,
  localDayOf,
  monthDayOf,
  resolveLocal,
  weekdayOf,
} from "../../src/engine/schedule/zone.ts";

describe("zone arithmetic", () => {
  it("calendar helpers agree with Date for 1900-2200", () => {
    for (let dn = -25_567; dn <= 84_000; dn += 13) {
      const d = new Date(dn * DAY);
      const { year, month, day } = civilFromDays(dn);
      expect([year, month, day, weekdayOf(dn)]).toEqual([
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCDay(),
      ]);
      expect(monthDayOf(dn)).toBe(month * 32 + day);
    }
  });

  it("knows zones by IANA name, canonicalises them, and refuses unknown ones", () => {
    expect(getZone("europe/berlin")?.name).toBe("Europe/Berlin");
    expect(getZone("Etc/UTC")?.name).toBe("UTC");
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(getZone("Europe/Berlin")).toBe(getZone("Europe/Berlin"));
  });

  it("finds offsets and the exact transition instant", () => {
    const ny = getZone("America/New_York")!;
    expect(ny.offsetAt(Date.parse("2025-07-01T00:00Z"))).toBe(-4 * 3_600_000);
    expect(ny.offsetAt(Date.parse("2025-01-01T00:00Z"))).toBe(-5 * 3_600_000);
    const day = ny.day(Date.parse("2025-03-09T00:00Z") / DAY);
    expect(day).toEqual({
      before: -5 * 3_600_000,
      after: -4 * 3_600_000,
      transition: Date.parse("2025-03-09T07:00Z"),
    });
    expect(localDayOf(ny, Date.parse("2025-03-09T07:30Z"))).toEqual({
      dn: Date.parse("2025-03-09T00:00Z") / DAY,
      minute: 3 * 60 + 30,
    });
  });

  it("resolves skipped and repeated wall times", () => {
    const ny = getZone("America/New_York")!;
    const spring = ny.day(Date.parse("2025-03-09T00:00Z") / DAY);
    expect(new Date(resolveLocal(Date.parse("2025-03-09T02:30Z"), spring)).toISOString()).toBe(
      "2025-03-09T07:30:00.000Z",
    );
    expect(new Date(resolveLocal(Date.parse("2025-03-09T01:59Z"), spring)).toISOString()).toBe(
      "2025-03-09T06:59:00.000Z",
    );
    expect(new Date(resolveLocal(Date.parse("2025-03-09T03:00Z"), spring)).toISOString()).toBe(
      "2025-03-09T07:00:00.000Z",
    );
    const fall = ny.day(Date.parse("2025-11-02T00:00Z") / DAY);
    expect(new Date(resolveLocal(Date.parse("2025-11-02T01:30Z"), fall)).toISOString()).toBe(
      "2025-11-02T05:30:00.000Z",
    );
    expect(new Date(resolveLocal(Date.parse("2025-11-02T02:00Z"), fall)).toISOString()).toBe(
      "2025-11-02T07:00:00.000Z",
    );
  });
});
