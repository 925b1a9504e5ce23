import { UserError } from "../errors.ts";

/**
 * Durations in task files: whole hours, minutes and seconds in that order, each at most once,
 * with no spaces: `30s`, `20m`, `2h`, `1h30m`, `1h30m15s`, `90m`. `0s` is a valid duration
 * (a retry backoff of zero means "retry at once"); fields that need a positive duration
 * (`agent.timeout`) say so themselves. Bare numbers are rejected: the unit is never guessed.
 */
export const DURATION_PATTERN = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The longest duration accepted anywhere in a task file. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const UNIT_MS = [3_600_000, 60_000, 1000] as const;

/** Milliseconds of a duration string, or undefined if it is not one (or is longer than 24h). */
export function tryParseDuration(s: string): number | undefined {
  // Every task has a few durations, and a directory uses a handful of distinct ones.
  if (parsed.has(s)) return parsed.get(s);
  const ms = parseUncached(s);
  if (parsed.size >= 1000) parsed.clear();
  parsed.set(s, ms);
  return ms;
}

const parsed = new Map<string, number | undefined>();

function parseUncached(s: string): number | undefined {
  const m = DURATION_PATTERN.exec(s);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) ms += Number(m[i + 1] ?? 0) * UNIT_MS[i]!;
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

export function isDuration(s: string): boolean {
  return tryParseDuration(s) !== undefined;
}

/** Milliseconds of a duration such as `1h30m`; throws a `UserError` that says how to write one. */
export function parseDuration(s: string): number {
  const ms = tryParseDuration(s);
  if (ms === undefined) {
    const hint = durationHint(s);
    throw new UserError(
      `${JSON.stringify(s)} is not a duration like 30s, 20m or 1h30m${hint ? `; ${hint}` : ""}`,
    );
  }
  return ms;
}

/** A hint for a value that is not a duration, or undefined when there is nothing specific to say. */
export function durationHint(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return bareNumberHint(String(value));
  if (typeof value !== "string") return undefined;
  const s = value.trim();
  if (/^\d+$/.test(s)) return bareNumberHint(s);
  if (/\s/.test(s) && DURATION_PATTERN.test(s.replace(/\s+/g, "")))
    return `write it without spaces: \`${s.replace(/\s+/g, "")}\``;
  if (s !== s.toLowerCase() && isDuration(s.toLowerCase()))
    return `units are lowercase: \`${s.toLowerCase()}\``;
  if (/\d\.\d/.test(s)) return "use whole numbers, like `1h30m` instead of `1.5h`";
  if (tryParseDuration(s) === 0) return "it must be longer than 0s";
  if (DURATION_PATTERN.test(s)) return "durations are at most 24h";
  if (/^\d+(ms|d|w)$/.test(s)) return "the units are `h`, `m` and `s`";
  return undefined;
}

function bareNumberHint(n: string): string {
  return `add a unit, like \`${n}s\` for seconds or \`${n}m\` for minutes`;
}
