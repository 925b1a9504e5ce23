/**
 * Entry of the bundled Action (`dist/action.js`). The only place that fails the step: a task failure,
 * bad input (annotated where it is) or an unexpected error all end in one `setFailed`.
 */

import * as core from "@actions/core";
import { ConfigError, errorMessage, UserError } from "../engine/errors.ts";
import { outcomeOf } from "../engine/run/types.ts";
import { coreIO } from "./core-io.ts";
import { runAction } from "./run-action.ts";

const setFailed = (message: string): void => core.setFailed(message);

async function main(): Promise<void> {
  try {
    const outcome = await runAction({ io: coreIO(process.env), env: process.env });
    if (!outcome.ok) {
      const failed = (outcome.report?.results ?? []).filter((r) => outcomeOf(r.status) === "failure");
      setFailed(
        `${failed.length} task(s) failed: ${failed.map((r) => `${r.task} (${r.status})`).join(", ")}`,
      );
    }
  } catch (err) {
    if (err instanceof ConfigError)
      setFailed(`the task files have errors (see the annotations):\n${err.message}`);
    else if (err instanceof UserError) setFailed(err.message);
    else {
      core.debug(err instanceof Error && err.stack ? err.stack : String(err));
      setFailed(`claude-tasks failed unexpectedly: ${errorMessage(err)}`);
    }
  }
}

await main();
