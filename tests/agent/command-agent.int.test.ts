import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCommandAgent } from "../../src/engine/agent/index.ts";
import type { AgentEvent } from "../../src/engine/agent/types.ts";
import { isAlive, processesOf, removeTempDirs, tempDir } from "./harness.ts";

afterAll(removeTempDirs);

const baseEnv = () => ({ PATH: process.env.PATH, HOME: tempDir("home") });

async function run(
  command: string,
  opts: { timeoutMs?: number; env?: Record<string, string | undefined> } = {},
) {
  const cwd = tempDir("cmd");
  const events: AgentEvent[] = [];
  const agent = createCommandAgent(command, { killGraceMs: 500 });
  const result = await agent.run({
    cwd,
    prompt: "ignored",
    timeoutMs: opts.timeoutMs ?? 10_000,
    env: opts.env ?? baseEnv(),
    onEvent: (e) => events.push(e),
  });
  const spawn = events.find((e) => e.type === "spawn");
  return { result, cwd, events, spawn: spawn?.type === "spawn" ? spawn : undefined };
}

describe("command agent", () => {
  it("runs in the worktree and succeeds with the last lines as summary", async () => {
    const { result, cwd, events } = await run("pwd; echo hello; echo world");
    expect(result).toMatchObject({ status: "success", exitCode: 0, transient: false });
    expect(result.error).toBeUndefined();
    expect(result.summary).toBe(`${cwd}\nhello\nworld`);
    expect(events.filter((e) => e.type === "output").map((e) => e.type === "output" && e.line)).toContain(
      "world",
    );
  });

  it("fails on a non-zero exit, not transient, with stderr in the tail", async () => {
    const { result } = await run("echo oops >&2; exit 3");
    expect(result).toMatchObject({ status: "failed", exitCode: 3, transient: false });
    expect(result.error).toBe("`echo oops >&2; exit 3` exited with code 3");
    expect(result.outputTail).toContain("oops");
  });

  it("times out and kills a backgrounded grandchild, even one in its own session ignoring SIGTERM", async () => {
    const started = Date.now();
    const { result, cwd, spawn } = await run(
      "sleep 1000 & echo $! > bg.pid; setsid bash -c 'trap \"\" TERM; sleep 1001' & echo $! > setsid.pid; wait",
      { timeoutMs: 1_000 },
    );
    expect(result.status).toBe("timeout");
    expect(result.error).toMatch(/did not finish within 1s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const bg = Number(readFileSync(join(cwd, "bg.pid"), "utf8"));
    const escaped = Number(readFileSync(join(cwd, "setsid.pid"), "utf8"));
    expect(isAlive(bg)).toBe(false);
    expect(isAlive(escaped)).toBe(false);
    expect(spawn).toBeDefined();
    expect(processesOf(spawn!.pid, spawn!.marker)).toEqual([]);
  });

  it("returns promptly when the shell exits but background jobs hold the pipes, and kills them all", async () => {
    const started = Date.now();
    // The second job is double-forked into its own session: no group, session or parent link leads
    // to it any more, only the marker in its environment.
    const { result, cwd, spawn } = await run(
      "sleep 1002 & echo $! > bg.pid; (setsid sleep 1003 & echo $! > orphan.pid); echo started",
    );
    expect(result.status).toBe("success");
    expect(result.summary).toBe("started");
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(isAlive(Number(readFileSync(join(cwd, "bg.pid"), "utf8")))).toBe(false);
    expect(isAlive(Number(readFileSync(join(cwd, "orphan.pid"), "utf8")))).toBe(false);
    expect(processesOf(spawn!.pid, spawn!.marker)).toEqual([]);
  });

  it("is cancelled by an AbortSignal", async () => {
    const controller = new AbortController();
    const agent = createCommandAgent("sleep 30", { killGraceMs: 200 });
    setTimeout(() => controller.abort(), 200);
    const result = await agent.run({
      cwd: tempDir("cmd"),
      prompt: "",
      timeoutMs: 10_000,
      env: baseEnv(),
      signal: controller.signal,
    });
    expect(result).toMatchObject({ status: "cancelled", transient: false });
  });

  it("does not start when the signal is already aborted", async () => {
    const agent = createCommandAgent("touch should-not-exist");
    const cwd = tempDir("cmd");
    const result = await agent.run({ cwd, prompt: "", env: baseEnv(), signal: AbortSignal.abort() });
    expect(result.status).toBe("cancelled");
  });

  it("reports a missing working directory as such", async () => {
    const agent = createCommandAgent("true");
    const result = await agent.run({ cwd: "/nonexistent/worktree", prompt: "", env: baseEnv() });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/working directory not found: \/nonexistent\/worktree/);
  });

  it("reports a shell that cannot start", async () => {
    const agent = createCommandAgent("true", { shell: "/nonexistent/bash" });
    const result = await agent.run({ cwd: tempDir("cmd"), prompt: "", env: baseEnv() });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/could not start \/nonexistent\/bash/);
  });

  it("never shows the child the GitHub token, Actions secrets or secret-looking variables", async () => {
    const env = {
      ...baseEnv(),
      GITHUB_TOKEN: "ghs_leak1",
      GH_TOKEN: "ghs_leak2",
      "INPUT_GITHUB-TOKEN": "ghs_leak3",
      ACTIONS_RUNTIME_TOKEN: "leak4",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "leak5",
      NPM_TOKEN: "leak6",
      DB_PASSWORD: "leak7",
      ANTHROPIC_API_KEY: "leak8",
      CLAUDECODE: "1",
      GITHUB_REPOSITORY: "o/r",
      KEEP_ME: "visible",
    };
    const agent = createCommandAgent("env", { env: { EXPLICIT_TOKEN: "given-by-task" } });
    const result = await agent.run({ cwd: tempDir("cmd"), prompt: "", env });
    expect(result.status).toBe("success");
    expect(result.outputTail).not.toMatch(/leak\d/);
    expect(result.outputTail).not.toMatch(/^CLAUDECODE=/m);
    expect(result.outputTail).toMatch(/^KEEP_ME=visible$/m);
    expect(result.outputTail).toMatch(/^GITHUB_REPOSITORY=o\/r$/m);
    expect(result.outputTail).toMatch(/^EXPLICIT_TOKEN=given-by-task$/m);
    expect(result.outputTail).not.toMatch(/CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC/);
  });

  it.each([
    ["one 100 MB line", "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo the end"],
    ["100 MB of short lines", "yes 'a line of output that repeats' | head -c 100000000; echo the end"],
  ])("keeps memory bounded on %s", async (_name, command) => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const agent = createCommandAgent(command);
    const result = await agent.run({ cwd: tempDir("cmd"), prompt: "", timeoutMs: 60_000, env: baseEnv() });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(result.status).toBe("success");
    expect(result.outputTail.length).toBeLessThanOrEqual(64 * 1024 + 100);
    expect(result.outputTail.endsWith("the end")).toBe(true);
    expect(result.summary.length).toBeLessThanOrEqual(4_000);
    expect(result.summary.endsWith("the end")).toBe(true);
    // Keeping the output would take well over 100 MB; the bound leaves room for GC timing.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
