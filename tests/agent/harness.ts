/** Shared helpers for the agent tests: temp dirs, an isolated env for the real CLI, the process table. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ModelServer, type Scenario, startModelServer } from "../support/model-server.ts";

export const CLAUDE_PATH = resolve("node_modules/.bin/claude");

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ct-agent-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A minimal base environment for a CLI run against the scripted server: a fresh HOME so nothing
 * touches ~/.claude, a dummy key, one retry at most so error tests stay fast.
 */
export function cliEnv(server: ModelServer | undefined, extra: Record<string, string | undefined> = {}) {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: tempDir("home"),
    // The CLI's scratch files (shell cwd files, notes) go here rather than /tmp/claude-<uid>.
    CLAUDE_CODE_TMPDIR: tempDir("tmp"),
    LANG: "C.UTF-8",
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
    CLAUDE_CODE_MAX_RETRIES: "1",
    ...(server ? { ANTHROPIC_BASE_URL: server.url } : {}),
    ...extra,
  };
  return env;
}

/** Starts a server and closes it after `fn`, whatever happens. */
export async function withServer<T>(scenario: Scenario, fn: (server: ModelServer) => Promise<T>): Promise<T> {
  const server = await startModelServer(scenario);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

interface Proc {
  pid: number;
  pgid: number;
  sid: number;
  state: string;
  cmdline: string;
}

/** The live process table, read from /proc (independently of the code under test). */
export function processTable(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      out.push({ pid: Number(name), state: f[0] ?? "?", pgid: Number(f[2]), sid: Number(f[3]), cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return out.filter((p) => p.state !== "Z");
}

/** Live processes in the group or session of `pid`, or carrying `marker` in their environment. */
export function processesOf(pid: number, marker?: string): Proc[] {
  return processTable().filter((p) => {
    if (p.pid === pid || p.pgid === pid || p.sid === pid) return true;
    if (!marker) return false;
    try {
      return readFileSync(`/proc/${p.pid}/environ`, "latin1").includes(marker);
    } catch {
      return false;
    }
  });
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
