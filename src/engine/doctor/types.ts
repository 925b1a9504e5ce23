/** What `doctor` reports: one result per check, plain data (the `--json` output). */

/** `ok` ✅, `warn` ⚠️ (works, but look), `fail` ❌ (will not work: exit 1), `skip` (does not apply). */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  /** Stable id, e.g. `git`, `credentials`. */
  id: string;
  /** What was checked, for people. */
  title: string;
  status: CheckStatus;
  /** One line: what was found. Never a secret's value. */
  message: string;
  /** One line: how to fix it (for `fail` and `warn`). */
  fix?: string;
  /** More lines (e.g. every problem found), shown indented under the message. */
  details?: string[];
}

export interface DoctorReport {
  /** No check failed. */
  ok: boolean;
  checks: CheckResult[];
}

export const CHECK_ICON: Record<CheckStatus, string> = { ok: "✅", warn: "⚠️", fail: "❌", skip: "➖" };

export function result(
  id: string,
  title: string,
  status: CheckStatus,
  message: string,
  extra: { fix?: string; details?: string[] } = {},
): CheckResult {
  return {
    id,
    title,
    status,
    message,
    ...(extra.fix ? { fix: extra.fix } : {}),
    ...(extra.details?.length ? { details: extra.details } : {}),
  };
}
