/**
 * Fire times of a parsed schedule in a time zone. Pure; no clock.
 *
 * Cron, macros and local-midnight intervals are wall-clock patterns: they are expanded per local
 * calendar day and each wall time becomes an instant via `resolveLocal`:
 * - **fall back**: a wall time that occurs twice fires once, at its first occurrence (so
 *   `0 * * * *` does not fire twice in the repeated hour, and `30 1 * * *` fires at 01:30 EDT,
 *   not again at 01:30 EST). Chosen because a wall time is one slot of work: firing it twice would
 *   run the task twice for the same slot; and the first occurrence is RFC 5545's and Temporal's
 *   `"compatible"` choice, so a calendar shows the time it fires (docs/scheduling.md);
 * - **spring forward**: a wall time that does not exist fires once, shifted forward by the length of
 *   the gap (`30 2 * * *` fires at 03:30 on the day 02:00 jumps to 03:00), the rule of RFC 5545,
 *   Temporal and cron-parser. When the shifted time coincides with another slot (`*∕30`'s 02:30 and
 *   03:30) it fires once.
 *
 * We do not iterate with cron-parser at run time: it is 10-100x slower (luxon per step), fires the
 * repeated hour twice for wildcard-hour expressions, and has open DST bugs (e.g.
 * harrisiirak/cron-parser#378, #404). The tests compare against it outside DST transitions.
 *
 * Epoch-aligned intervals fire at every multiple of the interval since the Unix epoch.
 */
import { hasBit, type Schedule, type WallPattern } from "./parse.ts";
import {
  DAY,
  type DayOffsets,
  getZone,
  MINUTE,
  monthDayOf,
  resolveLocal,
  weekdayOf,
  type Zone,
} from "./zone.ts";

export interface FireTimeOptions {
  /** IANA time zone the schedule's wall-clock times are in. */
  timezone: string;
  /** Exclusive lower bound. */
  after: Date;
  /** Inclusive upper bound. */
  until: Date;
  /** At most this many fire times (default: no limit). */
  limit?: number;
  /** With `limit`, keep the *latest* fire times of the window instead of the earliest. */
  latest?: boolean;
}

/**
 * Fire times in `(after, until]`, ascending and distinct. Empty for an unknown time zone or an
 * empty window.
 */
export function fireTimes(schedule: Schedule, opts: FireTimeOptions): Date[] {
  return fireTimeValues(schedule, opts).map((t) => new Date(t));
}

/** `fireTimes` as epoch milliseconds. */
export function fireTimeValues(schedule: Schedule, opts: FireTimeOptions): number[] {
  const lo = opts.after.getTime();
  const hi = opts.until.getTime();
  const limit = Math.floor(opts.limit ?? Number.POSITIVE_INFINITY);
  if (!(lo < hi) || !(limit > 0)) return [];
  const zone = getZone(opts.timezone);
  if (zone === undefined) return [];
  if (schedule.kind === "interval" && schedule.alignment === "epoch") {
    return epochTimes(schedule.minutes * MINUTE, lo, hi, limit, opts.latest === true);
  }
  return wallTimes(schedule.pattern, zone, lo, hi, limit, opts.latest === true);
}

/** How many fire times fall in `(after, until]`, without materialising them. */
export function countFireTimes(schedule: Schedule, opts: Omit<FireTimeOptions, "limit" | "latest">): number {
  const lo = opts.after.getTime();
  const hi = opts.until.getTime();
  if (!(lo < hi)) return 0;
  const zone = getZone(opts.timezone);
  if (zone === undefined) return 0;
  if (schedule.kind === "interval" && schedule.alignment === "epoch") {
    const period = schedule.minutes * MINUTE;
    return Math.floor(hi / period) - Math.floor(lo / period);
  }
  let count = 0;
  const last = Math.floor(hi / DAY) + 2;
  for (let dn = Math.floor(lo / DAY) - 2; dn <= last; dn++) {
    if (!dayMatches(schedule.pattern, dn)) continue;
    const off = zone.day(dn);
    if (off.before === off.after) {
      const base = dn * DAY - off.before;
      count += firstAfter(schedule.pattern.slots, base, hi) - firstAfter(schedule.pattern.slots, base, lo);
    } else {
      for (const t of irregularDay(schedule.pattern.slots, dn, off)) if (t > lo && t <= hi) count++;
    }
  }
  return count;
}

function epochTimes(period: number, lo: number, hi: number, limit: number, latest: boolean): number[] {
  const first = Math.floor(lo / period) + 1;
  const last = Math.floor(hi / period);
  const n = Math.min(last - first + 1, limit);
  const out: number[] = [];
  const start = latest ? last - n + 1 : first;
  for (let k = 0; k < n; k++) out.push((start + k) * period);
  return out;
}

/** Whether local day `dn` matches the pattern's month, day-of-month and weekday fields. */
export function dayMatches(p: WallPattern, dn: number): boolean {
  const monthDay = monthDayOf(dn);
  if (!hasBit(p.months, monthDay >>> 5)) return false;
  const dayOk = hasBit(p.days, monthDay & 31);
  const weekdayOk = hasBit(p.weekdays, weekdayOf(dn));
  return p.daysStar || p.weekdaysStar ? dayOk && weekdayOk : dayOk || weekdayOk;
}

function wallTimes(
  p: WallPattern,
  zone: Zone,
  lo: number,
  hi: number,
  limit: number,
  latest: boolean,
): number[] {
  // Two days of margin either side: offsets are within ±1 day, and a DST gap can push a wall time
  // of one day past midnight into the next.
  const first = Math.floor(lo / DAY) - 2;
  const last = Math.floor(hi / DAY) + 2;
  const out: number[] = [];
  let irregular = false;
  let extraDays = 0;
  const step = latest ? -1 : 1;
  for (let dn = latest ? last : first; latest ? dn >= first : dn <= last; dn += step) {
    if (!dayMatches(p, dn)) continue;
    const off = zone.day(dn);
    if (off.before === off.after) {
      const base = dn * DAY - off.before;
      const i0 = firstAfter(p.slots, base, lo);
      const i1 = firstAfter(p.slots, base, hi);
      if (latest) for (let i = i1 - 1; i >= i0; i--) out.push(base + p.slots[i]! * MINUTE);
      else for (let i = i0; i < i1; i++) out.push(base + p.slots[i]! * MINUTE);
    } else {
      irregular = true;
      const times = irregularDay(p.slots, dn, off).filter((t) => t > lo && t <= hi);
      if (latest) times.reverse();
      out.push(...times);
    }
    // Once there are enough, look at one more matching day in case DST moved a time across midnight.
    if (out.length >= limit && ++extraDays > 1) break;
  }
  if (latest) out.reverse();
  if (irregular) sortUnique(out);
  if (out.length <= limit) return out;
  return latest ? out.slice(out.length - limit) : out.slice(0, limit);
}

/** The first index whose instant `base + slot·MINUTE` is after `t`: slots in `(lo, hi]` are `[firstAfter(lo), firstAfter(hi))`. */
function firstAfter(slots: readonly number[], base: number, t: number): number {
  return lowerBound(slots, Math.floor((t - base) / MINUTE) + 1);
}

/** The first index whose slot is `>= value`. */
function lowerBound(slots: readonly number[], value: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Instants of a day with an offset change, ascending and distinct. */
function irregularDay(slots: readonly number[], dn: number, off: DayOffsets): number[] {
  const times = slots.map((s) => resolveLocal(dn * DAY + s * MINUTE, off));
  sortUnique(times);
  return times;
}

function sortUnique(values: number[]): void {
  values.sort((a, b) => a - b);
  let w = 0;
  for (let r = 0; r < values.length; r++) {
    if (w === 0 || values[r] !== values[w - 1]) values[w++] = values[r]!;
  }
  values.length = w;
}
