/**
 * Claude Code on a runner: `claude` from PATH when there is one, else the pinned
 * `@anthropic-ai/claude-code@<version>`, found or put in place once per runner image:
 *
 * 1. the runner's tool cache (`@actions/tool-cache`: `$RUNNER_TOOL_CACHE/claude-code/<version>/<arch>`),
 *    which persists on self-hosted runners;
 * 2. else the Actions cache (`@actions/cache`, keyed by version, OS and architecture), restored into a
 *    fixed directory under `$RUNNER_TEMP` — a fresh hosted runner gets it by extracting one archive;
 * 3. else installed with npm into a staging directory that is renamed into place (an interrupted
 *    install is never mistaken for a finished one), then saved to the Actions cache and, where the
 *    tool cache persists, copied into it.
 *
 * The cache service is an optimisation only: when it is not there (no ACTIONS_CACHE_URL /
 * ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN) it is skipped with a debug line, and any failure of a
 * restore or a save is a warning, never a failed run.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scrubbedEnv } from "../engine/agent/env.ts";
import { errorMessage, UserError } from "../engine/errors.ts";
import { type Logger, silentLogger } from "../engine/logger.ts";
import { findOnPath } from "../engine/process/path.ts";
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
  /** The Actions cache (default `@actions/cache`); injectable for tests. */
  cache?: CacheService;
  /** The runner's tool cache (default `@actions/tool-cache`); injectable for tests. */
  toolCache?: ToolCache;
}

export interface CacheService {
  restore(paths: string[], key: string): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<unknown>;
}

export interface ToolCache {
  /** The cached tool directory, or "" (tool-cache's `find`). */
  find(tool: string, version: string): string | Promise<string>;
  /** Copies `dir` into the tool cache; returns where (tool-cache's `cacheDir`). */
  cacheDir(dir: string, tool: string, version: string): Promise<string>;
}

export interface ClaudeInstallation {
  path: string;
  /** `cache`: the runner's tool cache; `actions-cache`: restored from the Actions cache. */
  source: "path" | "cache" | "actions-cache" | "installed";
  /** The tool directory (cache or fresh install). */
  dir?: string;
}

/** Claude Code cannot be installed on this runner; the message says how to fix the workflow. */
export class ClaudeInstallError extends UserError {}

export function isExactVersion(version: string): boolean {
  return VERSION.test(version);
}

const TOOL = "claude-code";

/**
 * Where the pinned version is installed or restored on this runner: a fixed path (the Actions cache
 * restores an archive to the paths it was saved from).
 */
export function claudeToolDir(version: string, env: Record<string, string | undefined>): string {
  return join(env.RUNNER_TEMP || tmpdir(), "claude-tasks-tools", TOOL, version);
}

/** The Actions cache key: one archive per version, OS and architecture. */
export function claudeCacheKey(version: string): string {
  return `claude-tasks-${TOOL}-${version}-${process.platform}-${process.arch}`;
}

const binIn = (dir: string) => join(dir, "node_modules", ".bin", "claude");
const hasBin = (dir: string) => findOnPath("claude", join(dir, "node_modules", ".bin")) !== undefined;

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
  const { version, env } = opts;
  const tools = env.RUNNER_TOOL_CACHE
    ? (opts.toolCache ?? runnerToolCache(env.RUNNER_TOOL_CACHE))
    : undefined;
  const cached = await tools?.find(TOOL, version);
  if (cached && hasBin(cached)) {
    logger.info(`using Claude Code ${version} from the runner's tool cache (${cached})`);
    return { path: binIn(cached), source: "cache", dir: cached };
  }
  const dir = claudeToolDir(version, env);
  if (hasBin(dir) && existsSync(`${dir}.complete`)) return { path: binIn(dir), source: "cache", dir };

  const cache = opts.cache ?? (await actionsCacheService(env, logger));
  const key = claudeCacheKey(version);
  if (cache) {
    const t0 = Date.now();
    const hit = await cache.restore([dir], key).catch((err: unknown) => {
      logger.warn(`could not restore Claude Code from the Actions cache: ${errorMessage(err)}`);
      return undefined;
    });
    if (hit && hasBin(dir)) {
      logger.info(`restored Claude Code ${version} from the Actions cache in ${Date.now() - t0} ms`);
      return { path: binIn(await keep(dir, tools, version, env, logger)), source: "actions-cache", dir };
    }
  }

  await npmInstall(opts, dir, logger);
  if (cache) {
    await cache.save([dir], key).catch((err: unknown) => {
      logger.warn(`could not save Claude Code to the Actions cache: ${errorMessage(err)}`);
    });
  }
  const kept = await keep(dir, tools, version, env, logger);
  return { path: binIn(kept), source: "installed", dir: kept };
}

/**
 * Copies a fresh install into the runner's tool cache where it persists (self-hosted runners); on a
 * GitHub-hosted runner it would be gone with the job, so the copy would only cost time.
 */
async function keep(
  dir: string,
  tools: ToolCache | undefined,
  version: string,
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<string> {
  if (!tools || env.RUNNER_ENVIRONMENT === "github-hosted") return dir;
  try {
    return await tools.cacheDir(dir, TOOL, version);
  } catch (err) {
    logger.warn(`could not keep Claude Code in the runner's tool cache: ${errorMessage(err)}`);
    return dir;
  }
}

/** `@actions/tool-cache` reads RUNNER_TOOL_CACHE from the process environment: it is set for each call. */
function runnerToolCache(root: string): ToolCache {
  const within = <T>(fn: () => T): T => {
    const before = process.env.RUNNER_TOOL_CACHE;
    process.env.RUNNER_TOOL_CACHE = root;
    const restore = () => {
      if (before === undefined) delete process.env.RUNNER_TOOL_CACHE;
      else process.env.RUNNER_TOOL_CACHE = before;
    };
    try {
      const out = fn();
      if (out instanceof Promise) return out.finally(restore) as T;
      restore();
      return out;
    } catch (err) {
      restore();
      throw err;
    }
  };
  return {
    find: async (tool, version) => {
      const tc = await loadToolCache();
      return within(() => tc.find(tool, version));
    },
    cacheDir: async (dir, tool, version) => {
      const tc = await loadToolCache();
      return within(() => tc.cacheDir(dir, tool, version));
    },
  };
}

/**
 * The tool-cache and cache packages (with the storage SDK behind them) are loaded only when Claude
 * Code has to be found or installed: a run of command tasks, or with `claude` on PATH, never pays for
 * them in start-up time or memory.
 */
const loadToolCache = () => import("@actions/tool-cache");

/** The Actions cache when this job can reach it; else undefined, with a debug line. */
async function actionsCacheService(
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<CacheService | undefined> {
  const url = env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL;
  const actionsCache = url && env.ACTIONS_RUNTIME_TOKEN ? await import("@actions/cache") : undefined;
  if (!actionsCache?.isFeatureAvailable()) {
    logger.debug(
      "the Actions cache service is not available to this job: Claude Code is not cached across runs",
    );
    return undefined;
  }
  return {
    restore: (paths, key) => actionsCache.restoreCache(paths, key),
    save: (paths, key) => actionsCache.saveCache(paths, key),
  };
}

async function npmInstall(opts: EnsureClaudeOptions, dir: string, logger: Logger): Promise<void> {
  const marker = `${dir}.complete`;
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
    if (!hasBin(staging)) {
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
      return;
    }
    await writeFile(marker, `${new Date().toISOString()}\n`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** npm (and the package's install script) sees no Action inputs, tokens or runner secrets. */
function npmEnv(env: Record<string, string | undefined>): Record<string, string> {
  return scrubbedEnv(env, { modelCredentials: false });
}
