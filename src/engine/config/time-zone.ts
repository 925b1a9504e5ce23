import { closest, distance } from "fastest-levenshtein";
import { isValidTimeZone } from "../schedule/zone.ts";

/**
 * An IANA time zone name that `Intl` knows (`Europe/Berlin`, `UTC`, also links such as
 * `US/Eastern`). UTC offsets such as `+01:00` are refused: schedules follow a zone's DST rules.
 */
export function isTimeZone(name: string): boolean {
  return /^[A-Za-z]/.test(name) && isValidTimeZone(name);
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
