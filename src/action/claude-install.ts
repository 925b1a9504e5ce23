/**
 * Claude Code on a runner: `claude` from PATH when there is one, else the pinned
 * `@anthropic-ai/claude-code@<version>` installed with npm into a tool directory
 * (`$RUNNER_TOOL_CACHE/claude-code/<version>`, else under `$RUNNER_TEMP`), reused when present. The
 * install goes to a staging directory that is renamed into place and then marked complete, so an
 * interrupted install is never mistaken for a finished one.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOnPath } from "../engine/agent/command-agent.ts";
import { scrubbedEnv } from "../engine/agent/env.ts";
import { UserError } from "../engine/errors.ts";
import { type Logger, silentLogger } from "../engine/logger.ts";
import { runCommand } from "../engine/process/run.ts";

export const CLAUDE_PACKAGE = "@anthropic-ai/claude-code";
export const DEFAULT_INSTALL_TIMEOUT_MS = 5 * 60_000;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export interface EnsureClaudeOptions {
  /** Exact version to install when `claude` is not on PATH, e.g. `2.1.329`. */
  version: string;
  /** PATH, RUNNER_TOOL_CACHE, RUNNER_TEMP are read from here; npm runs with it. */
  env: Record<string, string | undefined>;
  /** The npm executable; default `npm` on PATH. */
  npm?: string;
  timeoutMs?: number;
  logger?: Logger;
}

export interface ClaudeInstallation {
  path: string;
  source: "path" | "cache" | "installed";
  /** The tool directory (cache or fresh install). */
  dir?: string;
}

/** Claude Code cannot be installed on this runner; the message says how to fix the workflow. */
export class ClaudeInstallError extends UserError {}

export function isExactVersion(version: string): boolean {
  return VERSION.test(version);
}

/** Where the pinned version lives on this runner. */
export function claudeToolDir(version: string, env: Record<string, string | undefined>): string {
  if (env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, "claude-code", version);
  return join(env.RUNNER_TEMP || tmpdir(), "claude-tasks-tools", "claude-code", version);
}

export async function ensureClaude(opts: EnsureClaudeOptions): Promise<ClaudeInstallation> {
  const logger = opts.logger ?? silentLogger;
  const onPath = findOnPath("claude", opts.env.PATH ?? "");
  if (onPath) {
    logger.debug(`using Claude Code from PATH: ${onPath}`);
    return { path: onPath, source: "path" };
  }
  if (!isExactVersion(opts.version)) {
    throw new UserError(
      `claude-code-version must be an exact version such as \`2.1.329\`, not ${JSON.stringify(opts.version)}`,
    );
  }
  const dir = claudeToolDir(opts.version, opts.env);
  const bin = join(dir, "node_modules", ".bin", "claude");
  const marker = `${dir}.complete`;
  if (existsSync(marker) && findOnPath("claude", join(dir, "node_modules", ".bin"))) {
    logger.info(`using Claude Code ${opts.version} from ${dir}`);
    return { path: bin, source: "cache", dir };
  }

  const npm = opts.npm ?? findOnPath("npm", opts.env.PATH ?? "");
  if (!npm) {
    throw new ClaudeInstallError(
      `Claude Code is not installed and npm was not found on PATH to install ${CLAUDE_PACKAGE}@${opts.version}; ` +
        "add `actions/setup-node` before this step, or install Claude Code yourself",
    );
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(3).toString("hex")}`;
  logger.info(`installing ${CLAUDE_PACKAGE}@${opts.version} into ${dir}`);
  await mkdir(staging, { recursive: true });
  try {
    const r = await runCommand(
      npm,
      [
        "install",
        "--prefix",
        staging,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--no-update-notifier",
        "--loglevel=error",
        `${CLAUDE_PACKAGE}@${opts.version}`,
      ],
      { env: npmEnv(opts.env), timeoutMs },
    );
    if (r.timedOut) {
      throw new ClaudeInstallError(
        `installing ${CLAUDE_PACKAGE}@${opts.version} with npm did not finish within ${Math.round(timeoutMs / 1000)}s; ` +
          "check the runner's access to the npm registry, or install Claude Code in an earlier step",
      );
    }
    if (r.exitCode !== 0) {
      // npm reports errors on stderr: its last lines say why
      const tail = `${r.stdout.toString("utf8")}\n${r.stderr.toString("utf8")}`
        .trim()
        .split("\n")
        .slice(-8)
        .join("\n");
      throw new ClaudeInstallError(
        `installing ${CLAUDE_PACKAGE}@${opts.version} with npm failed (exit ${r.exitCode}): ${tail || "no output"}. ` +
          "Check that the version exists (`npm view @anthropic-ai/claude-code versions`) and that the runner can reach the registry",
      );
    }
    if (!findOnPath("claude", join(staging, "node_modules", ".bin"))) {
      throw new ClaudeInstallError(
        `npm installed ${CLAUDE_PACKAGE}@${opts.version} but no \`claude\` executable appeared in node_modules/.bin`,
      );
    }
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(staging, dir);
    } catch (err) {
      // another job on this machine finished the same install first: use it
      if (!existsSync(marker)) throw err;
      return { path: bin, source: "cache", dir };
    }
    await writeFile(marker, `${new Date().toISOString()}\n`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { path: bin, source: "installed", dir };
}

/** npm (and the package's install script) sees no Action inputs, tokens or runner secrets. */
function npmEnv(env: Record<string, string | undefined>): Record<string, string> {
  return scrubbedEnv(env, { modelCredentials: false });
}
