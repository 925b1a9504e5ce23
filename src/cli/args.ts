import { InvalidArgumentError } from "commander";

/** `--count 5` etc.: a whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number ≥ 1, got \`${value}\``);
  }
  return n;
}

/** `--since 2026-11-20T06:00:00Z`: an ISO 8601 date-time (a date alone means 00:00 UTC). */
export function isoDate(value: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const d = new Date(value);
  // Date rolls 2026-02-30 over to March 2; a day the month does not have is an error
  const [y, m, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const inMonth = day >= 1 && day <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!ok || Number.isNaN(d.getTime()) || !inMonth) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 date such as 2026-11-20T06:00:00Z, got \`${value}\``,
    );
  }
  return d;
}
