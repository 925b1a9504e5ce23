/** `ActionIO` on top of `@actions/core`; `@actions/artifact` is imported only when something is uploaded. */
import * as core from "@actions/core";
import type { Logger } from "../engine/logger.ts";
import type { ActionIO } from "./io.ts";

export const coreLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

export function coreIO(): ActionIO {
  return {
    getInput: (name) => core.getInput(name),
    setSecret: (s) => core.setSecret(s),
    setOutput: (name, value) => core.setOutput(name, value),
    async appendSummary(markdown) {
      if (!process.env.GITHUB_STEP_SUMMARY) {
        core.info(markdown);
        return;
      }
      await core.summary.addRaw(markdown, true).write();
    },
    annotate(level, message, props) {
      if (level === "error") core.error(message, props);
      else if (level === "warning") core.warning(message, props);
      else core.notice(message, props);
    },
    logger: coreLogger,
    async uploadArtifact(name, files, rootDirectory) {
      if (!process.env.ACTIONS_RUNTIME_TOKEN) {
        throw new Error("ACTIONS_RUNTIME_TOKEN is not set (artifacts can only be uploaded inside a GitHub Actions job)");
      }
      const { DefaultArtifactClient } = await import("@actions/artifact");
      const r = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory);
      return r.id !== undefined ? { id: r.id } : {};
    },
  };
}
