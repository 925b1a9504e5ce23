/** Is Claude Code installed, and which version? For `doctor` and the Action. */
import { execFile } from "node:child_process";

export type ClaudeAvailability =
  | { available: true; version: string; path: string }
  | { available: false; path: string; error: string };

/** Parses `claude --version` output such as `2.1.329 (Claude Code)`. */
export function parseClaudeVersion(output: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1];
}

export function claudeAvailable(
  claudePath = "claude",
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<ClaudeAvailability> {
  return new Promise((resolve) => {
    execFile(
      claudePath,
      ["--version"],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 15_000, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const error =
            code === "ENOENT"
              ? `${claudePath} not found; install it with \`npm i -g @anthropic-ai/claude-code\``
              : `\`${claudePath} --version\` failed: ${(stderr || err.message).trim().split("\n")[0]}`;
          resolve({ available: false, path: claudePath, error });
          return;
        }
        const version = parseClaudeVersion(stdout);
        if (!version) {
          resolve({
            available: false,
            path: claudePath,
            error: `unexpected \`--version\` output: ${stdout.trim()}`,
          });
          return;
        }
        resolve({ available: true, version, path: claudePath });
      },
    );
  });
}
