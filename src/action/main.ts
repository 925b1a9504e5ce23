/**
 * Entry of the bundled Action (`dist/action.js`). The only place that fails the step: a task failure,
 * bad input (annotated where it is) or an unexpected error all end in one `setFailed`.
 */
import { ConfigError, errorMessage, UserError } from "../engine/errors.ts";
import { runTasks } from "../engine/run/run-tasks.ts";
import { runAction } from "./run-action.ts";
import { command, runnerIO, runnerLogger } from "./runner.ts";

/** Fails the step: an error annotation and exit code 1. */
function setFailed(message: string): void {
  process.exitCode = 1;
  process.stdout.write(`${command("error", {}, message)}\n`);
}

async function main(): Promise<void> {
  try {
    const outcome = await runAction({ io: runnerIO(process.env), env: process.env, runTasks });
    if (!outcome.ok) {
      const failed = (outcome.report?.results ?? []).filter(
        (r) => !["success", "no_changes", "skipped"].includes(r.status),
      );
      setFailed(
        `${failed.length} task(s) failed: ${failed.map((r) => `${r.task} (${r.status})`).join(", ")}`,
      );
    }
  } catch (err) {
    if (err instanceof ConfigError)
      setFailed(`the task files have errors (see the annotations):\n${err.message}`);
    else if (err instanceof UserError) setFailed(err.message);
    else {
      runnerLogger().debug(err instanceof Error && err.stack ? err.stack : String(err));
      setFailed(`claude-tasks failed unexpectedly: ${errorMessage(err)}`);
    }
  }
}

await main();
