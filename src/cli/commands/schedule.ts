import { type Command, Option } from "commander";
import { positiveInt } from "../args.ts";
import type { ScheduleInstallFlags } from "./flags.ts";

export function registerSchedule(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("install a timer that runs `tick` in this repository (systemd, launchd or cron)");
  schedule
    .command("install")
    .description("install (or update) the timer; idempotent")
    .option("--every <minutes>", "how often tick runs (1–59)", positiveInt, 5)
    .addOption(
      new Option(
        "--manager <kind>",
        "service manager (default: systemd if usable, launchd on macOS, else cron)",
      ).choices(["systemd", "launchd", "cron"]),
    )
    .option("--pr", "ticks open pull requests (shares the schedule state with the Action on origin)")
    .option("--watch", "also run `claude-tasks watch` as a service (systemd, launchd)")
    .addOption(new Option("--isolation <how>", "passed to tick").choices(["sandbox", "none"]))
    .option("--json", "print what was installed as JSON")
    .action(async (flags: ScheduleInstallFlags, cmd: Command) => {
      const { scheduleInstall } = await import("./schedule-action.ts");
      await scheduleInstall(flags, cmd);
    });
  schedule
    .command("uninstall")
    .description("remove exactly what `schedule install` wrote")
    .action(async (_flags: unknown, cmd: Command) => {
      const { scheduleUninstall } = await import("./schedule-action.ts");
      await scheduleUninstall(cmd);
    });
  schedule
    .command("status")
    .description("what is installed, and when tick last ran")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const { scheduleStatus } = await import("./schedule-action.ts");
      await scheduleStatus(flags, cmd);
    });
}
