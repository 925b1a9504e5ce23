/** Is Claude Code installed, and which version? For `doctor` and the Action. */
import { processEnv, runCommand } from "../process/run.ts";

export type ClaudeAvailability =
  | { available: true; version: string; path: string }
  | { available: false; path: string; error: string };

/** Parses `claude --version` output such as `2.1.329 (Claude Code)`. */
export function parseClaudeVersion(output: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1];
}

export async function claudeAvailable(
  claudePath = "claude",
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<ClaudeAvailability> {
  const r = await runCommand(claudePath, ["--version"], {
    env: processEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const stdout = r.stdout.toString("utf8");
  if (r.startError?.code === "ENOENT") {
    return {
      available: false,
      path: claudePath,
      error: `${claudePath} not found; install it with \`npm i -g @anthropic-ai/claude-code\``,
    };
  }
  if (r.startError || r.exitCode !== 0) {
    const why = r.stderr.toString("utf8") || r.startError?.message || `exit code ${r.exitCode}`;
    return {
      available: false,
      path: claudePath,
      error: `\`${claudePath} --version\` failed: ${why.trim().split("\n")[0]}`,
    };
  }
  const version = parseClaudeVersion(stdout);
  if (!version) {
    return { available: false, path: claudePath, error: `unexpected \`--version\` output: ${stdout.trim()}` };
  }
  return { available: true, version, path: claudePath };
}
