import { closest, distance } from "fastest-levenshtein";

/**
 * An IANA time zone name that `Intl` knows (`Europe/Berlin`, `UTC`, also links such as
 * `US/Eastern`). UTC offsets such as `+01:00` are refused: schedules follow a zone's DST rules.
 */
export function isTimeZone(name: string): boolean {
  let known = checked.get(name);
  if (known === undefined) {
    known = /^[A-Za-z]/.test(name) && constructs(name);
    checked.set(name, known);
  }
  return known;
}

/** Creating a DateTimeFormat costs ~0.1 ms; 10,000 tasks share a handful of zones. */
const checked = new Map<string, boolean>();

function constructs(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

let zones: string[] | undefined;

function knownZones(): string[] {
  zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone")];
  return zones;
}

/** A known zone close to `name` (a typo, a city without its region, spaces for underscores). */
export function suggestTimeZone(name: string): string | undefined {
  const wanted = name.trim().replace(/\s+/g, "_").toLowerCase();
  if (!wanted) return undefined;
  const all = knownZones();
  const byCity = all.find((z) => z.toLowerCase().split("/").at(-1) === wanted);
  if (byCity) return byCity;
  const lower = all.map((z) => z.toLowerCase());
  const best = closest(wanted, lower);
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  return distance(best, wanted) <= limit ? all[lower.indexOf(best)] : undefined;
}

export function timeZoneHint(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (/^[+-]\d/.test(value))
    return "use a zone name such as `Europe/Berlin`; fixed offsets ignore daylight saving";
  const s = suggestTimeZone(value);
  return s ? `did you mean \`${s}\`?` : undefined;
}
