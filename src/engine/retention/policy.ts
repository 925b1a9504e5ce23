/**
 * How much local history to keep under `.git/claude-tasks/`: the newest `keep` runs and backups of
 * every task, optionally nothing older than `maxAge`. Set by `prune --keep/--max-age`, or by the
 * environment (`CLAUDE_TASKS_KEEP_BACKUPS`, `CLAUDE_TASKS_MAX_AGE`) for every command that looks at it.
 */
import { UserError } from "../errors.ts";

export interface RetentionPolicy {
  /** Runs (log lines and reports) and backups kept per task, newest first. */
  keep: number;
  /** Also drop what is older than this many milliseconds; undefined: no age limit. */
  maxAgeMs?: number;
}

export const DEFAULT_KEEP = 20;
export const KEEP_ENV = "CLAUDE_TASKS_KEEP_BACKUPS";
export const MAX_AGE_ENV = "CLAUDE_TASKS_MAX_AGE";

const AGE_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30d`, `12h`, `2w` → milliseconds; undefined when it is not such an age. */
export function parseAge(text: string): number | undefined {
  const m = /^(\d+)([hdw])$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * AGE_UNITS[m[2]!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

export function formatAge(ms: number): string {
  for (const [unit, size] of [
    ["w", AGE_UNITS.w!],
    ["d", AGE_UNITS.d!],
    ["h", AGE_UNITS.h!],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 60_000)}m`;
}

/**
 * The policy from flags, then the environment, then the defaults. A bad value is a UserError that
 * names where it came from.
 */
export function retentionPolicy(
  flags: { keep?: string | number; maxAge?: string } = {},
  env: Record<string, string | undefined> = process.env,
): RetentionPolicy {
  const keepText = flags.keep ?? env[KEEP_ENV];
  const keepFrom = flags.keep !== undefined ? "--keep" : KEEP_ENV;
  let keep = DEFAULT_KEEP;
  if (keepText !== undefined && String(keepText).trim() !== "") {
    const n = Number(keepText);
    if (!/^\d+$/.test(String(keepText).trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new UserError(`${keepFrom}: expected a whole number ≥ 1, got \`${keepText}\``);
    }
    keep = n;
  }
  const ageText = flags.maxAge ?? env[MAX_AGE_ENV];
  const ageFrom = flags.maxAge !== undefined ? "--max-age" : MAX_AGE_ENV;
  if (ageText === undefined || ageText.trim() === "") return { keep };
  const maxAgeMs = parseAge(ageText);
  if (maxAgeMs === undefined) {
    throw new UserError(`${ageFrom}: expected an age such as 30d, 12h or 2w, got \`${ageText}\``);
  }
  return { keep, maxAgeMs };
}
