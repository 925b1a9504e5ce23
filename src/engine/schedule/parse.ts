/**
 * Schedule syntax: what a task's `schedule:` entries may say, parsed into a small compiled form.
 *
 * - **5-field cron** `minute hour day-of-month month day-of-week`, as GitHub and Vixie cron read it:
 *   numbers, `*`, lists `a,b`, ranges `a-b`, steps `*∕n` `a-b/n` `a/n`, names `jan`–`dec` and
 *   `sun`–`sat` (any case), weekday `7` = Sunday. When both day fields are restricted a day matches
 *   either of them; a field that starts with `*` (e.g. `*∕2`) counts as unrestricted (Vixie's rule).
 *   Extensions (`L`, `W`, `#`, `?`, `H`) and 6-field (seconds) cron are rejected.
 * - **Macros** `@hourly @daily @midnight @weekly @monthly @yearly @annually`, plus `@workdays`
 *   (00:00 Monday–Friday) and `@weekends` (00:00 Saturday and Sunday).
 * - **Intervals** `every <n>m` / `every <n>h`, at least 5 minutes (GitHub's own cron granularity), at
 *   most 8760h. An interval that divides 24h evenly (5m, 30m, 90m, 6h, 24h, …) is aligned to local
 *   midnight in the task's time zone and behaves exactly like the equivalent cron on wall-clock time
 *   (`every 6h` fires at 00:00, 06:00, 12:00, 18:00 local, DST included). Any other interval (`every 7h`)
 *   is aligned to the Unix epoch: it fires at every multiple of the interval since 1970-01-01T00:00Z, a
 *   fixed rhythm of elapsed time that no time zone or DST change affects.
 *
 * Times are wall-clock times in the task's time zone; see `fire-times.ts` for DST behaviour.
 */
import { closest, didYouMean } from "../suggest.ts";

/** Local wall-clock pattern: which days match and at which minutes of the day it fires. */
export interface WallPattern {
  /** Bit `m` set for each month 1-12. */
  readonly months: number;
  /** Bit `d` set for each day of month 1-31. */
  readonly days: number;
  /** Bit `w` set for each weekday 0-6 (0 = Sunday). */
  readonly weekdays: number;
  /** The day-of-month field is unrestricted (starts with `*`). */
  readonly daysStar: boolean;
  /** The day-of-week field is unrestricted (starts with `*`). */
  readonly weekdaysStar: boolean;
  /** Minutes of the day (0-1439) it fires at, ascending. */
  readonly slots: readonly number[];
}

export type Schedule =
  | {
      readonly kind: "cron";
      /** The entry as written. */
      readonly source: string;
      /** The equivalent 5-field cron expression (macros expanded). */
      readonly cron: string;
      readonly pattern: WallPattern;
    }
  | {
      readonly kind: "interval";
      readonly source: string;
      readonly minutes: number;
      /** `local-midnight`: the interval divides 24h; slots counted from local midnight. */
      readonly alignment: "local-midnight";
      readonly pattern: WallPattern;
    }
  | {
      readonly kind: "interval";
      readonly source: string;
      readonly minutes: number;
      /** `epoch`: fires at every multiple of the interval since the Unix epoch. */
      readonly alignment: "epoch";
    };

export type ParseResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 8760 * 60;
const MAX_LENGTH = 1000;

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
  "@workdays": "0 0 * * 1-5",
  "@weekends": "0 0 * * 0,6",
};
export const SCHEDULE_MACROS: readonly string[] = Object.keys(MACROS);
/** Spellings other cron dialects use, and what they mean here. */
const MACRO_HINTS: Readonly<Record<string, string>> = {
  "@weekdays": "@workdays",
  "@weekday": "@workdays",
  "@workday": "@workdays",
  "@weekend": "@weekends",
};

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_LONG = [
  "",
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names for `min`, `min+1`, … */
  readonly names?: readonly string[];
  readonly nameOffset?: number;
  readonly range: string;
}

const FIELDS: readonly FieldSpec[] = [
  { label: "minute", min: 0, max: 59, range: "0-59" },
  { label: "hour", min: 0, max: 23, range: "0-23" },
  { label: "day of month", min: 1, max: 31, range: "1-31" },
  { label: "month", min: 1, max: 12, names: MONTH_NAMES, nameOffset: 1, range: "1-12 or jan-dec" },
  { label: "weekday", min: 0, max: 7, names: DAY_NAMES, nameOffset: 0, range: "0-7 or sun-sat" },
];

const cache = new Map<string, ParseResult>();
const MAX_CACHED = 10_000;

/** Parses one schedule entry. Never throws; results are cached by text (schedules are immutable). */
export function parseSchedule(spec: string): ParseResult {
  if (typeof spec !== "string") return fail("a schedule must be a string");
  let result = cache.get(spec);
  if (result === undefined) {
    result = parseUncached(spec);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(spec, result);
  }
  return result;
}

function fail(message: string): ParseResult {
  return { ok: false, message };
}

function parseUncached(spec: string): ParseResult {
  const text = spec.trim().replace(/\s+/g, " ");
  if (text === "")
    return fail("empty schedule: expected 5-field cron, a macro like `@daily`, or `every 30m`");
  if (text.length > MAX_LENGTH) return fail(`schedule is too long (${text.length} characters)`);
  const lower = text.toLowerCase();
  if (lower.startsWith("@")) return parseMacro(spec, lower);
  if (lower === "every" || lower.startsWith("every ")) return parseInterval(spec, lower);
  if (/^[a-z]+$/.test(lower)) {
    // `daily` for `@daily`, `evry` for `every …`
    const word = closest(lower, [...SCHEDULE_MACROS.map((m) => m.slice(1)), "every"]);
    if (word !== undefined) {
      const meant = word === "every" ? "every 30m" : `@${word}`;
      return fail(`unknown schedule \`${text}\`, did you mean \`${meant}\`?`);
    }
  }
  return parseCron(spec, text);
}

function parseMacro(source: string, lower: string): ParseResult {
  const cron = MACROS[lower];
  if (cron === undefined) {
    if (lower === "@reboot") return fail("`@reboot` is not supported: schedules run on the clock");
    const hint = MACRO_HINTS[lower];
    const suggestion =
      hint === undefined ? didYouMean(lower, SCHEDULE_MACROS) : `, did you mean \`${hint}\`?`;
    return fail(`unknown schedule \`${lower}\`${suggestion}`);
  }
  return parseCron(source, cron);
}

function parseInterval(source: string, lower: string): ParseResult {
  const m = /^every ?(\d+) ?([a-z]*)$/.exec(lower);
  if (m === null || m[2] === "") {
    return fail(`bad interval \`${lower}\`: expected \`every <n>m\` or \`every <n>h\`, e.g. \`every 30m\``);
  }
  const n = Number(m[1]);
  const unit = m[2];
  if (unit !== "m" && unit !== "h") {
    return fail(
      `bad interval unit \`${unit}\` in \`${lower}\`: use m (minutes) or h (hours), e.g. \`every 30m\``,
    );
  }
  const minutes = unit === "h" ? n * 60 : n;
  if (minutes < MIN_INTERVAL_MINUTES) {
    return fail(
      `interval \`${lower}\` is too short: the minimum is every 5m (GitHub runs scheduled workflows at most every 5 minutes)`,
    );
  }
  if (minutes > MAX_INTERVAL_MINUTES)
    return fail(`interval \`${lower}\` is too long: the maximum is every 8760h`);
  if (1440 % minutes !== 0)
    return { ok: true, schedule: { kind: "interval", source, minutes, alignment: "epoch" } };
  const slots: number[] = [];
  for (let s = 0; s < 1440; s += minutes) slots.push(s);
  const pattern: WallPattern = {
    months: 0b1_1111_1111_1110, // 1-12
    days: ALL_DAYS,
    weekdays: 0b111_1111,
    daysStar: true,
    weekdaysStar: true,
    slots,
  };
  return { ok: true, schedule: { kind: "interval", source, minutes, alignment: "local-midnight", pattern } };
}

/** Bits 1-31 (`>>> 0` keeps it a positive uint32). */
const ALL_DAYS = 0xffff_fffe >>> 0;

function parseCron(source: string, text: string): ParseResult {
  const fields = text.split(" ");
  if (fields.length === 1) {
    return fail(
      `unknown schedule \`${text}\`: expected 5-field cron (minute hour day month weekday), a macro like \`@daily\`, or \`every 30m\``,
    );
  }
  if (fields.length !== 5) {
    const hint = fields.length === 6 ? " (a seconds field is not supported)" : "";
    return fail(
      `expected 5 cron fields (minute hour day month weekday), got ${fields.length}${hint}: \`${text}\``,
    );
  }
  const sets: boolean[][] = [];
  for (let i = 0; i < 5; i++) {
    const result = parseField(fields[i]!, FIELDS[i]!);
    if (typeof result === "string") return fail(result);
    sets.push(result);
  }
  const [minutes, hours, daySet, monthSet, weekdaySet] = sets as [
    boolean[],
    boolean[],
    boolean[],
    boolean[],
    boolean[],
  ];
  weekdaySet[0] ||= weekdaySet[7] === true; // weekday 7 is Sunday
  const days = toMask(daySet, 31);
  const months = toMask(monthSet, 12);
  const weekdays = toMask(weekdaySet, 6);
  const daysStar = fields[2]!.startsWith("*");
  const weekdaysStar = fields[4]!.startsWith("*");
  if (!daysStar && weekdaysStar) {
    const never = neverFires(days, months);
    if (never !== undefined) return fail(never);
  }
  const slots: number[] = [];
  for (let h = 0; h < 24; h++) {
    if (!hours[h]) continue;
    for (let m = 0; m < 60; m++) if (minutes[m]) slots.push(h * 60 + m);
  }
  const pattern: WallPattern = { months, days, weekdays, daysStar, weekdaysStar, slots };
  return { ok: true, schedule: { kind: "cron", source, cron: fields.join(" "), pattern } };
}

function toMask(set: readonly boolean[], max: number): number {
  let mask = 0;
  for (let i = 0; i <= max; i++) if (set[i]) mask |= 1 << i;
  return mask >>> 0;
}

/** Whether bit `i` (0-31) of `mask` is set. */
export function hasBit(mask: number, i: number): boolean {
  return ((mask >>> i) & 1) === 1;
}

function neverFires(days: number, months: number): string | undefined {
  for (let m = 1; m <= 12; m++) {
    if (!hasBit(months, m)) continue;
    for (let d = 1; d <= DAYS_IN_MONTH[m]!; d++) if (hasBit(days, d)) return undefined;
  }
  const dayList: number[] = [];
  for (let d = 1; d <= 31; d++) if (hasBit(days, d)) dayList.push(d);
  const monthList: string[] = [];
  for (let m = 1; m <= 12; m++) if (hasBit(months, m)) monthList.push(MONTH_LONG[m]!);
  return `schedule never fires: ${monthList.join(", ")} ${monthList.length === 1 ? "has" : "have"} no day ${dayList.join(", ")}`;
}

/** A field as a set (`set[v]` for value `v`), or an error message. */
function parseField(field: string, spec: FieldSpec): boolean[] | string {
  const set: boolean[] = [];
  for (const item of field.split(",")) {
    const values = parseItem(item, spec);
    if (typeof values === "string") return values;
    for (const v of values) set[v] = true;
  }
  return set;
}

function parseItem(item: string, spec: FieldSpec): number[] | string {
  const bad = () => badField(item, spec);
  if (item === "") return `bad cron field: empty list entry in ${spec.label} (${spec.range})`;
  const slash = item.indexOf("/");
  const base = slash === -1 ? item : item.slice(0, slash);
  let step = 1;
  if (slash !== -1) {
    const stepText = item.slice(slash + 1);
    if (!/^\d+$/.test(stepText)) return bad();
    step = Number(stepText);
    if (step < 1) return `bad step \`/${stepText}\` in ${spec.label}: a step must be at least 1`;
  }
  let lo: number;
  let hi: number;
  if (base === "*") {
    lo = spec.min;
    hi = spec.max;
  } else {
    const dash = base.indexOf("-");
    const a = value(dash === -1 ? base : base.slice(0, dash), spec);
    if (a === undefined) return bad();
    lo = a;
    if (dash === -1) {
      hi = slash === -1 ? a : spec.max;
    } else {
      const b = value(base.slice(dash + 1), spec);
      if (b === undefined) return bad();
      hi = b;
      if (lo > hi) return `bad range \`${base}\` in ${spec.label}: ${lo} is after ${hi}`;
    }
  }
  const values: number[] = [];
  for (let v = lo; v <= hi; v += step) values.push(v);
  return values;
}

function value(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  if (spec.names === undefined) return undefined;
  const i = spec.names.indexOf(text.toLowerCase());
  return i === -1 ? undefined : i + (spec.nameOffset ?? 0);
}

function badField(item: string, spec: FieldSpec): string {
  const base = `bad cron field \`${item}\` in ${spec.label} (${spec.range})`;
  if (/[?#]/.test(item) || /^(\d*L|LW|\d+W|H(\(.*\))?(\/.*)?)$/i.test(item)) {
    return `${base}: the cron extensions L, W, #, ? and H are not supported`;
  }
  if (spec.names !== undefined && /^[a-z]{2,}$/i.test(item)) return `${base}${didYouMean(item, spec.names)}`;
  return base;
}
