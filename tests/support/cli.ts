import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { intOnly } from "./project.ts";

export const CLI = resolve("dist/cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts a program and collects its output without blocking this process (a model server or the GitHub
 * fake may have to answer it from here); resolves when it exits.
 */
export function spawnCollect(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Runs the built CLI as a user would, with no TTY (so no colour) and a hermetic git. */
export function cli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> } = { cwd: "." },
): CliResult {
  intOnly("the built CLI (dist/cli.js)");
  const home = mkdtempSync(join(tmpdir(), "ct-cli-home-"));
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
        GIT_AUTHOR_NAME: "Test",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_COMMITTER_NAME: "Test",
        GIT_COMMITTER_EMAIL: "test@example.com",
        ...opts.env,
      },
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A temp directory with task files (`name.yml` → YAML text), as a git repository; dispose to delete. */
export function taskDir(
  files: Record<string, string>,
  opts: { git?: boolean } = {},
): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), "ct-cli-"));
  for (const [name, text] of Object.entries(files)) {
    const file = name.includes("/") ? join(path, name) : join(path, ".github/claude-tasks", name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  if (opts.git !== false) {
    spawnSync("git", ["init", "-q", "-b", "main", path], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        HOME: path,
      },
    });
  }
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}
