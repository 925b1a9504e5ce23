/**
 * Time-zone arithmetic for schedules, on top of `Intl` (no tz database of our own).
 *
 * Schedules are evaluated per *local calendar day* (`dn`, days since 1970-01-01 in local time). For each
 * day the zone reports the UTC offset in force a day before and two days after it; when both agree
 * (every day but a few per year) every wall time of the day maps to an instant by plain arithmetic.
 * Otherwise the exact transition instant is found once by bisection and wall times are resolved
 * against it (see `resolveLocal`). Results are cached per zone and per day, so `Intl` is called a few
 * times per zone and day however many tasks share the zone.
 *
 * Assumption: a zone never changes its offset twice within 72 hours (true of the tz database for
 * any date a schedule will meet).
 */

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** UTC offsets (ms, local minus UTC) around one local day. */
export interface DayOffsets {
  /** Offset a day before the local day. */
  readonly before: number;
  /** Offset two days after the start of the local day. */
  readonly after: number;
  /** The first instant at which `after` is in force; `NaN` when `before === after`. */
  readonly transition: number;
}

export interface Zone {
  /** The canonical IANA name, as `Intl` resolved it. */
  readonly name: string;
  /** UTC offset (ms, local minus UTC) in force at instant `t`. */
  offsetAt(t: number): number;
  /** Offsets around local day `dn`. */
  day(dn: number): DayOffsets;
}

const UNIFORM_ZERO: DayOffsets = Object.freeze({ before: 0, after: 0, transition: Number.NaN });
/**
 * Names that every tz database makes UTC itself (upper-cased; `Intl` ignores case). They are known
 * without asking `Intl`: its first DateTimeFormat loads the time-zone data, 26–40 ms measured here,
 * which every scheduled run would pay before its first agent starts (`UTC` is the default zone). A
 * zone `Intl` resolves to one of them is UTC as well.
 */
const UTC_ALIASES = new Set(["UTC", "ETC/UTC", "GMT", "ETC/GMT", "UCT", "ETC/UCT", "ZULU", "ETC/ZULU"]);
const UTC_ZONE: Zone = Object.freeze({ name: "UTC", offsetAt: () => 0, day: () => UNIFORM_ZERO });
const MAX_CACHED_DAYS = 20_000;

const zones = new Map<string, Zone | null>();

/** The zone for an IANA name, or `undefined` when `Intl` does not know it. Cached. */
export function getZone(name: string): Zone | undefined {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = createZone(name);
    zones.set(name, zone);
  }
  return zone ?? undefined;
}

export function isValidTimeZone(name: string): boolean {
  return getZone(name) !== undefined;
}

function createZone(name: string): Zone | null {
  if (typeof name !== "string" || name.trim() === "") return null;
  if (UTC_ALIASES.has(name.toUpperCase())) return UTC_ZONE;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    return null;
  }
  const canonical = fmt.resolvedOptions().timeZone;
  if (UTC_ALIASES.has(canonical.toUpperCase()))
    return { name: canonical, offsetAt: () => 0, day: () => UNIFORM_ZERO };

  const offsetAt = (t: number): number => {
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of fmt.formatToParts(t)) {
      switch (p.type) {
        case "year":
          y = Number(p.value);
          break;
        case "month":
          mo = Number(p.value);
          break;
        case "day":
          d = Number(p.value);
          break;
        case "hour":
          h = Number(p.value);
          break;
        case "minute":
          mi = Number(p.value);
          break;
        case "second":
          s = Number(p.value);
          break;
      }
    }
    const local = new Date(Date.UTC(2000, mo - 1, d, h, mi, s)).setUTCFullYear(y);
    return local - Math.floor(t / 1000) * 1000;
  };

  const days = new Map<number, DayOffsets>();
  const day = (dn: number): DayOffsets => {
    let cached = days.get(dn);
    if (cached === undefined) {
      if (days.size >= MAX_CACHED_DAYS) days.clear();
      cached = computeDay(offsetAt, dn);
      days.set(dn, cached);
    }
    return cached;
  };
  return { name: canonical, offsetAt, day };
}

function computeDay(offsetAt: (t: number) => number, dn: number): DayOffsets {
  let lo = (dn - 1) * DAY;
  let hi = (dn + 2) * DAY;
  const before = offsetAt(lo);
  const after = offsetAt(hi);
  if (before === after) return { before, after, transition: Number.NaN };
  // Offsets change on whole seconds: bisect to one-second precision (~18 steps).
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  return { before, after, transition: hi };
}

/**
 * The instant of a local wall time `naive` (the wall time read as if it were UTC, in ms) on a day
 * with offsets `d`. DST rules, the same as RFC 5545, Temporal's `"compatible"` and cron-parser:
 *
 * - a wall time that occurs twice (fall back) resolves to its **first** occurrence, so it fires once;
 * - a wall time that does not exist (spring forward) is read with the offset in force *before* the
 *   gap, i.e. it moves forward by the length of the gap (02:30 in a 02:00→03:00 gap fires at 03:30).
 */
export function resolveLocal(naive: number, d: DayOffsets): number {
  if (d.before === d.after) return naive - d.before;
  const early = naive - d.before;
  const late = naive - d.after;
  const earlyValid = early < d.transition;
  const lateValid = late >= d.transition;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  return early;
}

/** The local calendar day (days since 1970-01-01) and minute of day of instant `t` in `zone`. */
export function localDayOf(zone: Zone, t: number): { dn: number; minute: number } {
  const local = t + zone.offsetAt(t);
  const dn = Math.floor(local / DAY);
  return { dn, minute: Math.floor((local - dn * DAY) / MINUTE) };
}

/** Month (1-12) and day of month (1-31) of day number `dn` (proleptic Gregorian; H. Hinnant's algorithm). */
export function civilFromDays(dn: number): { month: number; day: number; year: number } {
  const z = dn + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `month * 32 + day` of day number `dn`: `civilFromDays` without allocating, for hot loops. */
export function monthDayOf(dn: number): number {
  const z = dn + 719_468;
  const doe = z - Math.floor(z / 146_097) * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return (mp < 10 ? mp + 3 : mp - 9) * 32 + doy - Math.floor((153 * mp + 2) / 5) + 1;
}

/** Day of week of day number `dn`, 0 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(dn: number): number {
  return (((dn + 4) % 7) + 7) % 7;
}
