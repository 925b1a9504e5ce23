/**
 * The runner, through `@actions/core`: inputs, masking, outputs, the step summary, annotations and
 * logging. `@actions/artifact` is imported only when uploading.
 *
 * Two sinks guard what untrusted text could do here. Plain log lines (`core.info`) go out with every
 * line's workflow command broken (`inertLogLines`): debug, warning and error lines are commands whose
 * data `@actions/core` escapes already. The step summary passes the credential check first, with the
 * secrets registered through `setSecret` among the values it looks for.
 */
import * as core from "@actions/core";
import type { Logger } from "../engine/logger.ts";
import { inertLogLines } from "../engine/report/escape.ts";
import { publishable } from "../engine/report/publishable.ts";
import type { ActionIO } from "./io.ts";

export const coreLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(inertLogLines(m)),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

export function coreIO(env: NodeJS.ProcessEnv = process.env): ActionIO {
  const secrets: string[] = [];
  return {
    getInput: (name) => core.getInput(name),
    setSecret: (secret) => {
      secrets.push(secret);
      core.setSecret(secret);
    },
    setOutput: (name, value) => core.setOutput(name, value),
    async appendSummary(text) {
      const markdown = publishable(text, { what: "summary", known: secrets });
      // Outside a runner there is no summary file: show it in the log instead.
      if (!env.GITHUB_STEP_SUMMARY) return core.info(inertLogLines(markdown));
      await core.summary.addRaw(markdown, true).write();
      core.summary.emptyBuffer();
    },
    annotate(level, message, props) {
      if (level === "error") core.error(message, props);
      else if (level === "warning") core.warning(message, props);
      else core.notice(message, props);
    },
    logger: coreLogger,
    async uploadArtifact(name, files, rootDirectory) {
      if (!env.ACTIONS_RUNTIME_TOKEN) {
        throw new Error(
          "ACTIONS_RUNTIME_TOKEN is not set: artifacts can only be uploaded inside a GitHub Actions job",
        );
      }
      const { DefaultArtifactClient } = await import("@actions/artifact");
      const r = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory);
      return r.id !== undefined ? { id: r.id } : {};
    },
  };
}
