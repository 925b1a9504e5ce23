/** The parsed options of the commands started by a timer or a watcher (kept apart from the commands, which load their actions lazily). */
import type { RunFlags } from "./run-action.ts";

export interface TickFlags extends RunFlags {
  now?: Date;
}

export interface WatchFlags extends RunFlags {
  branch?: string;
  interval: number;
  debounce: number;
}

export interface ScheduleInstallFlags {
  every: number;
  manager?: "systemd" | "launchd" | "cron";
  pr?: boolean;
  watch?: boolean;
  isolation?: "sandbox" | "none";
  json?: boolean;
}
