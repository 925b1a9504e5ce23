import { describe, expect, it, vi } from "vitest";
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

  it("knows UTC's names without Intl, exactly as Intl would resolve them", () => {
    const names = ["UTC", "utc", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu"];
    const spy = vi.spyOn(Intl, "DateTimeFormat");
    let zones: ReturnType<typeof getZone>[];
    try {
      zones = names.map((name) => getZone(name));
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    const intl = (timeZone: string) =>
      new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
    for (const [i, name] of names.entries()) {
      const zone = zones[i];
      expect(zone?.name, name).toBe(intl(name));
      expect(zone?.offsetAt(Date.UTC(2026, 6, 1)), name).toBe(0);
      expect(zone?.day(20_000), name).toMatchObject({ before: 0, after: 0 });
    }
    // a name that only looks like UTC goes to Intl, which refuses it
    expect(isValidTimeZone("UTC+1")).toBe(false);
    expect(isValidTimeZone("Etc/GMT+1")).toBe(true);
    expect(getZone("Etc/GMT+1")?.offsetAt(Date.UTC(2026, 6, 1))).toBe(-3_600_000);
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
