/** The timer `schedule install` set up on this machine: still complete, and still firing. Pure. */
import type { TickRecord } from "../../local/tick.ts";
import { type CheckResult, result } from "../types.ts";

export interface LocalScheduleInput {
  installed?: {
    kind: string;
    intervalMinutes: number;
    installedAt: string;
    /** Files install wrote that are gone. */
    missingFiles: string[];
    /** The node binary or CLI script the timer starts that are gone. */
    missingPrograms: string[];
    /** The credentials file exists and others can read it. */
    envFileOpen?: string;
  };
  record: TickRecord;
  now: Date;
}

export function checkLocalSchedule(input: LocalScheduleInput): CheckResult {
  const title = "local schedule (schedule install)";
  const i = input.installed;
  if (!i) return result("local-schedule", title, "skip", "no timer installed on this machine");
  const reinstall = "run `npx claude-tasks schedule install` again";
  if (i.missingFiles.length > 0)
    return result(
      "local-schedule",
      title,
      "fail",
      `${i.missingFiles.length} file(s) of the ${i.kind} timer are gone`,
      {
        fix: reinstall,
        details: i.missingFiles,
      },
    );
  if (i.missingPrograms.length > 0)
    return result("local-schedule", title, "fail", "the timer starts a program that no longer exists", {
      fix: `${reinstall} (with the node and claude-tasks you use now)`,
      details: i.missingPrograms,
    });
  if (i.envFileOpen)
    return result("local-schedule", title, "warn", `${i.envFileOpen} can be read by other users`, {
      fix: `chmod 600 ${i.envFileOpen}`,
    });
  const last = input.record.lastTick?.at;
  const since = Date.parse(last ?? i.installedAt);
  const late = input.now.getTime() - since > 3 * i.intervalMinutes * 60_000 + 60_000;
  if (late)
    return result(
      "local-schedule",
      title,
      "warn",
      last
        ? `the last tick was at ${last}: the ${i.kind} timer is not firing`
        : `no tick since install (${i.installedAt})`,
      { fix: "`npx claude-tasks schedule status` shows where its logs are" },
    );
  return result(
    "local-schedule",
    title,
    "ok",
    `tick every ${i.intervalMinutes} min with ${i.kind}${last ? `; last tick ${last}` : ""}`,
  );
}
