import type { Command } from "commander";
import { registerBackups } from "./backups.ts";
import { registerDoctor } from "./doctor.ts";
import { registerInit } from "./init.ts";
import { registerList } from "./list.ts";
import { registerLogs } from "./logs.ts";
import { registerMcp } from "./mcp.ts";
import { registerNext } from "./next.ts";
import { registerPlan } from "./plan.ts";
import { registerPrune } from "./prune.ts";
import { registerRun } from "./run.ts";
import { registerSchedule } from "./schedule.ts";
import { registerTick } from "./tick.ts";
import { registerValidate } from "./validate.ts";
import { registerWatch } from "./watch.ts";
import { registerWorktrees } from "./worktrees.ts";

/** Every command, in the order `--help` lists them. */
export const commands: ((program: Command) => void)[] = [
  registerInit,
  registerDoctor,
  registerValidate,
  registerList,
  registerNext,
  registerPlan,
  registerRun,
  registerTick,
  registerSchedule,
  registerWatch,
  registerLogs,
  registerBackups,
  registerWorktrees,
  registerPrune,
  registerMcp,
];
