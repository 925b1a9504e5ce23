/**
 * The Claude agent against the REAL pinned Claude Code CLI, talking to the scripted model server on
 * loopback. Every run gets a fresh HOME and cwd.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLAUDE_HOME_FILES, CLAUDE_MIGRATION_VERSION } from "../../src/engine/agent/claude-home.ts";
import {
  type AgentEvent,
  type ClaudeAgentSettings,
  claudeAvailable,
  createClaudeAgent,
  MARKER_VAR,
} from "../../src/engine/agent/index.ts";
import { type ModelServer, type Scenario, startModelServer, type Turn } from "../support/model-server.ts";
import {
  CLAUDE_PATH,
  cliEnv,
  processesOf,
  processTable,
  removeTempDirs,
  tempDir,
  withServer,
} from "./harness.ts";

afterAll(removeTempDirs);

interface RunOptions {
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  signal?: AbortSignal;
  claudePath?: string;
}

async function runClaude(settings: ClaudeAgentSettings, scenario: Scenario, opts: RunOptions = {}) {
  const server = await startModelServer(scenario);
  try {
    return await runWith(server, settings, opts);
  } finally {
    await server.close();
  }
}

async function runWith(server: ModelServer, settings: ClaudeAgentSettings, opts: RunOptions = {}) {
  const cwd = opts.cwd ?? tempDir("cwd");
  const events: AgentEvent[] = [];
  const agent = createClaudeAgent(settings, {
    claudePath: opts.claudePath ?? CLAUDE_PATH,
    killGraceMs: 1_000,
  });
  const result = await agent.run({
    cwd,
    prompt: "Do the scripted thing.",
    timeoutMs: opts.timeoutMs ?? 30_000,
    env: opts.env ?? cliEnv(server),
    signal: opts.signal,
    onEvent: (e) => events.push(e),
  });
  const spawn = events.find((e) => e.type === "spawn");
  return { result, events, cwd, server, spawn: spawn?.type === "spawn" ? spawn : undefined };
}

describe("claude version", () => {
  it("detects the pinned CLI and a missing one", async () => {
    expect(await claudeAvailable(CLAUDE_PATH)).toEqual({
      available: true,
      version: "2.1.329",
      path: CLAUDE_PATH,
    });
    const missing = await claudeAvailable("/nonexistent/claude");
    expect(missing).toMatchObject({ available: false });
    expect(missing.available === false && missing.error).toMatch(/not found/);
  });
});

const writeTurn = (path: string, content: string): Turn => ({
  tool: "Write",
  input: { file_path: path, content },
});

// The retry and timeout tests mostly wait (CLI backoff, the timeout): they run side by side.
describe("Claude agent with the real CLI", () => {
  it("a Write tool call creates the file; success with turns, cost, session and events", async () => {
    const cwd = tempDir("cwd");
    const { result, events, server } = await runClaude(
      { permission_mode: "acceptEdits" },
      [writeTurn(join(cwd, "hello.txt"), "hello\n"), { text: "Created hello.txt." }],
      { cwd },
    );
    expect(result).toMatchObject({
      status: "success",
      transient: false,
      exitCode: 0,
      summary: "Created hello.txt.",
    });
    expect(result.error).toBeUndefined();
    expect(readFileSync(join(cwd, "hello.txt"), "utf8")).toBe("hello\n");
    expect(result.numTurns).toBe(2);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.model).toBeTruthy();
    expect(result.outputTail).toContain('"type":"result"');
    const kinds = events.map((e) => e.type);
    expect(kinds).toEqual(
      expect.arrayContaining(["spawn", "init", "tool_use", "tool_result", "text", "result"]),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "tool_use", tool: "Write", description: "Write hello.txt" }),
    );
    // The prompt went in on stdin, and the tool result came back to the model.
    const [first, second] = server.mainRequests;
    expect(JSON.stringify(first?.body?.messages)).toContain("Do the scripted thing.");
    expect(JSON.stringify(second?.body?.messages)).toContain("tool_result");
  });

  it("Edit changes an existing file (after the Read the CLI insists on)", async () => {
    const cwd = tempDir("cwd");
    const file = join(cwd, "README.md");
    writeFileSync(file, "# Title\n\nold text\n");
    const { result } = await runClaude(
      { permission_mode: "acceptEdits" },
      [
        { tool: "Read", input: { file_path: file } },
        { tool: "Edit", input: { file_path: file, old_string: "old text", new_string: "new text" } },
        { text: "Edited." },
      ],
      { cwd },
    );
    expect(result.status).toBe("success");
    expect(readFileSync(file, "utf8")).toBe("# Title\n\nnew text\n");
    expect(result.numTurns).toBe(3);
  });

  it("a Bash call allowed by allowed_tools runs in the cwd; the tool output reaches the model", async () => {
    let seen = "";
    const scenario: Scenario = ({ index, toolResults }) => {
      if (index === 0)
        return { tool: "Bash", input: { command: "touch made-by-bash.txt && pwd", description: "touch" } };
      seen = toolResults[0]?.text ?? "";
      return { text: "ran it" };
    };
    const { result, cwd, events } = await runClaude(
      { allowed_tools: ["Bash(touch:*)", "Bash(pwd)"] },
      scenario,
    );
    expect(result.status).toBe("success");
    expect(existsSync(join(cwd, "made-by-bash.txt"))).toBe(true);
    expect(seen).toContain(cwd);
    expect(result.permissionDenials).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "tool_use", description: "Bash: touch made-by-bash.txt && pwd" }),
    );
  });

  it("a tool call the permissions refuse is reported as a permission denial", async () => {
    const { result, cwd, events } = await runClaude({}, [
      { tool: "Bash", input: { command: "touch nope.txt", description: "touch" } },
      { text: "could not" },
    ]);
    expect(result.status).toBe("success");
    expect(existsSync(join(cwd, "nope.txt"))).toBe(false);
    expect(result.permissionDenials).toEqual([{ tool: "Bash", description: "Bash: touch nope.txt" }]);
    expect(events).toContainEqual(expect.objectContaining({ type: "permission_denied", tool: "Bash" }));
  });

  it("max_turns stops the run as max_turns, with the work of the first turn done", async () => {
    const cwd = tempDir("cwd");
    const { result } = await runClaude(
      { permission_mode: "acceptEdits", max_turns: 1 },
      [writeTurn(join(cwd, "a.txt"), "a"), writeTurn(join(cwd, "b.txt"), "b"), { text: "never" }],
      { cwd },
    );
    expect(result.status).toBe("max_turns");
    expect(result.transient).toBe(false);
    expect(result.error).toMatch(/maximum number of turns \(1\)/);
    expect(existsSync(join(cwd, "a.txt"))).toBe(true);
    expect(existsSync(join(cwd, "b.txt"))).toBe(false);
  });

  it("max_budget_usd stops the run as budget_exhausted (a failure), not transient", async () => {
    const cwd = tempDir("cwd");
    const { result } = await runClaude(
      { permission_mode: "acceptEdits", max_budget_usd: 0.01 },
      [writeTurn(join(cwd, "a.txt"), "a"), writeTurn(join(cwd, "b.txt"), "b"), { text: "never" }],
      { cwd },
    );
    expect(result).toMatchObject({ status: "budget_exhausted", transient: false });
    expect(result.error).toMatch(/^Claude Code stopped: .*budget/i);
  });

  it.concurrent("a 429 is retried by the CLI and the run succeeds", async () => {
    const { result, events, server } = await runClaude({}, [
      { status: 429, retryAfter: 0 },
      { text: "after retry" },
    ]);
    expect(result).toMatchObject({ status: "success", summary: "after retry" });
    expect(events).toContainEqual(expect.objectContaining({ type: "api_retry", attempt: 1, status: 429 }));
    expect(server.mainRequests).toHaveLength(2);
  });

  it.concurrent("a 401 fails, not transient, with the CLI's message", async () => {
    const { result } = await runClaude({}, () => ({ status: 401 }));
    expect(result).toMatchObject({ status: "failed", transient: false, apiErrorStatus: 401 });
    expect(result.error).toMatch(/^Claude Code reported an error: Invalid API key/);
  });

  it.concurrent("529 until the bounded retries (agentEnv's default of 3) run out: failed, transient", async () => {
    const server = await startModelServer(() => ({ status: 529 }));
    try {
      const env = cliEnv(server, { CLAUDE_CODE_MAX_RETRIES: undefined });
      const { result } = await runWith(server, {}, { env });
      expect(result).toMatchObject({ status: "failed", transient: true, apiErrorStatus: 529 });
      expect(result.error).toMatch(/^Claude Code reported an error: .*529/);
      // The CLI gives up on repeated 529s by itself (3 attempts in 2.1.x); never more than 1 + 3 retries.
      expect(server.mainRequests.length).toBeGreaterThanOrEqual(2);
      expect(server.mainRequests.length).toBeLessThanOrEqual(4);
    } finally {
      await server.close();
    }
  });

  it.concurrent("5xx is retried exactly CLAUDE_CODE_MAX_RETRIES times (agentEnv bounds the CLI's default of 10 to 3)", async () => {
    const server = await startModelServer(() => ({ status: 500 }));
    try {
      const env = cliEnv(server, { CLAUDE_CODE_MAX_RETRIES: undefined });
      const { result, events } = await runWith(server, {}, { env });
      expect(result).toMatchObject({ status: "failed", transient: true, apiErrorStatus: 500 });
      expect(server.mainRequests).toHaveLength(4);
      expect(events.filter((e) => e.type === "api_retry")).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it.concurrent("a hung stream times out, and nothing of the process tree survives (Bash tool shells included)", async () => {
    let bashShellSeen = false;
    const sleeping = () => processTable().filter((p) => p.cmdline.includes("sleep 3011"));
    // The agent's whole budget: the background shell must be up within it, however loaded the machine.
    const timeoutMs = 15_000;
    const scenario: Scenario = async ({ index }) => {
      if (index === 0) {
        return {
          tool: "Bash",
          input: { command: "sleep 3011", description: "sleep", run_in_background: true },
        };
      }
      // The background shell (its own session, started by the CLI) is up before we hang. There is no
      // event for "a process exists": look until the agent's own deadline, which ends the run anyway.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        bashShellSeen = sleeping().length > 0;
        if (bashShellSeen || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { hang: true };
    };
    const started = Date.now();
    const { result, spawn } = await runClaude({ allowed_tools: ["Bash(sleep:*)"] }, scenario, { timeoutMs });
    expect(result.status).toBe("timeout");
    expect(result.error).toBe("Claude Code did not finish within 15s");
    expect(result.transient).toBe(false);
    expect(Date.now() - started).toBeLessThan(timeoutMs + 7_000);
    expect(bashShellSeen).toBe(true);
    expect(spawn).toBeDefined();
    expect(processesOf(spawn!.pid, `${MARKER_VAR}=${spawn!.marker}`)).toEqual([]);
    expect(sleeping()).toEqual([]);
  });

  it("an AbortSignal cancels a hung run and stops the tree", async () => {
    const controller = new AbortController();
    const scenario: Scenario = () => {
      setTimeout(() => controller.abort(), 100);
      return { hang: true };
    };
    const { result, spawn } = await runClaude({}, scenario, { signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(processesOf(spawn!.pid, `${MARKER_VAR}=${spawn!.marker}`)).toEqual([]);
  });

  it("no credentials at all: failed with a clear message, and nothing reaches the API", async () => {
    const server = await startModelServer([{ text: "should not be asked" }]);
    try {
      const env = cliEnv(server, { ANTHROPIC_API_KEY: undefined });
      const { result } = await runWith(server, {}, { env });
      expect(result).toMatchObject({ status: "failed", transient: false });
      expect(result.error).toMatch(/^no credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN/);
      expect(server.mainRequests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("an OAuth token works as credentials", async () => {
    const server = await startModelServer([{ text: "hi" }]);
    try {
      const env = cliEnv(server, { ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: "oauth-dummy" });
      const { result } = await runWith(server, {}, { env });
      expect(result.status).toBe("success");
      expect(server.mainRequests[0]?.headers.authorization).toBe("Bearer oauth-dummy");
    } finally {
      await server.close();
    }
  });

  it("a garbage stream fails with a clear message", async () => {
    const { result } = await runClaude({}, () => ({ garbage: true }));
    expect(result).toMatchObject({ status: "failed", transient: false });
    expect(result.error).toMatch(/^Claude Code reported an error: API Error: .*malformed/);
  });

  it.concurrent("a stream cut mid-message fails as transient (a dropped connection)", async () => {
    const { result } = await runClaude({}, () => ({ truncate: true }));
    expect(result).toMatchObject({ status: "failed", transient: true });
    expect(result.error).toMatch(/^Claude Code reported an error: API Error: /);
  });

  it("a missing binary fails with a clear message", async () => {
    const { result } = await runClaude({}, [], { claudePath: "/nonexistent/claude" });
    expect(result).toMatchObject({ status: "failed", transient: false, exitCode: null });
    expect(result.error).toBe(
      "could not start Claude Code (/nonexistent/claude): not found; install it with `npm i -g @anthropic-ai/claude-code` or set CLAUDE_TASKS_CLAUDE to its path",
    );
  });

  it("contract: every flag buildClaudeArgs can produce is accepted by the pinned CLI and takes effect", async () => {
    const settings: ClaudeAgentSettings = {
      model: "claude-sonnet-4-5",
      max_turns: 5,
      max_budget_usd: 5,
      allowed_tools: ["Read", "Edit", "Write", "Bash(npm test:*)", "Bash(echo:*)"],
      disallowed_tools: ["WebFetch", "WebSearch"],
      permission_mode: "acceptEdits",
      append_system_prompt: "CONTRACT-TEST-APPENDED-PROMPT",
      args: ["--no-session-persistence"],
      env: { TASK_VAR: "from-task" },
    };
    const { result, server } = await runClaude(settings, [{ text: "contract ok" }]);
    expect(result.outputTail).not.toMatch(/unknown option|error: option/);
    expect(result).toMatchObject({ status: "success", summary: "contract ok", model: "claude-sonnet-4-5" });
    const body = server.mainRequests[0]?.body;
    expect(body?.model).toBe("claude-sonnet-4-5");
    expect(JSON.stringify(body?.system)).toContain("CONTRACT-TEST-APPENDED-PROMPT");
    const tools = (body?.tools ?? []).map((t) => t.name);
    expect(tools).toContain("Edit");
    expect(tools).not.toContain("WebFetch");
  });

  it("contract check works: an unknown flag in args fails with the CLI's message", async () => {
    const { result, server } = await runClaude({ args: ["--definitely-not-a-flag"] }, []);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(
      /without reporting a result: error: unknown option '--definitely-not-a-flag'/,
    );
    expect(server.mainRequests).toHaveLength(0);
  });

  it("the Bash tool's environment is scrubbed: no GitHub token, no Actions secrets; task env and CLI defaults present", async () => {
    let envText = "";
    const scenario: Scenario = ({ index, toolResults }) => {
      if (index === 0) return { tool: "Bash", input: { command: "env", description: "print env" } };
      if (index === 1) {
        envText = toolResults[0]?.text ?? "";
        return { tool: "Bash", input: { command: "env > env.txt", description: "save env" } };
      }
      return { text: "done" };
    };
    const server = await startModelServer(scenario);
    try {
      const env = cliEnv(server, {
        GITHUB_TOKEN: "ghs_leaked_token",
        GH_TOKEN: "ghs_leaked_token2",
        "INPUT_GITHUB-TOKEN": "ghs_leaked_input",
        ACTIONS_RUNTIME_TOKEN: "leaked_runtime",
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://leak.example",
        GITHUB_ENV: "/tmp/leak-github-env",
        CLAUDECODE: "1",
        CLAUDE_CODE_ENTRYPOINT: "outer",
        VISIBLE_VAR: "visible",
      });
      const { result, cwd } = await runWith(
        server,
        { allowed_tools: ["Bash(env:*)"], permission_mode: "acceptEdits", env: { TASK_VAR: "from-task" } },
        { env },
      );
      expect(result.status).toBe("success");
      const texts = [envText, readFileSync(join(cwd, "env.txt"), "utf8")];
      for (const text of texts) {
        expect(text).toMatch(/^VISIBLE_VAR=visible$/m);
        expect(text).toMatch(/^TASK_VAR=from-task$/m);
        expect(text).toMatch(/^CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1$/m);
        expect(text).not.toMatch(/leak/);
        expect(text).not.toMatch(/^GITHUB_TOKEN=|^GH_TOKEN=|^GITHUB_ENV=|^ACTIONS_/m);
        expect(text).not.toMatch(/^CLAUDE_CODE_ENTRYPOINT=outer$/m);
      }
    } finally {
      await server.close();
    }
  });

  it("the server answers the CLI's startup probe without consuming turns when nonessential traffic is on", async () => {
    const server = await startModelServer([{ text: "fine" }]);
    try {
      const env = cliEnv(server, { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "0" });
      const { result } = await runWith(server, {}, { env });
      expect(result).toMatchObject({ status: "success", summary: "fine" });
      expect(server.mainRequests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

// In the sandbox every start is a first start in an empty HOME (see src/engine/agent/claude-home.ts).
describe("the HOME the sandbox gives Claude Code", () => {
  const config = (home: string) => JSON.parse(readFileSync(join(home, ".claude.json"), "utf8"));

  it("is what the pinned CLI's own first start leaves: the same migration keys", async () => {
    const env = cliEnv(undefined);
    await withServer([{ text: "fine" }], async (server) => {
      const { result } = await runWith(server, {}, { env: { ...env, ANTHROPIC_BASE_URL: server.url } });
      expect(result.status).toBe("success");
    });
    const seed = JSON.parse(CLAUDE_HOME_FILES[".claude.json"]!);
    const after = config(String(env.HOME));
    for (const key of Object.keys(seed)) expect([key, after[key]]).toEqual([key, seed[key]]);
    expect(after.migrationVersion).toBe(CLAUDE_MIGRATION_VERSION);
    // the mark of the migrations having run one by one (the seeded start below has none)
    expect(after).toHaveProperty("seenNotifications");
  });

  it("started from it, the pinned CLI runs no migration and works as usual", async () => {
    const env = cliEnv(undefined);
    writeFileSync(join(String(env.HOME), ".claude.json"), CLAUDE_HOME_FILES[".claude.json"]!);
    await withServer([{ text: "fine" }], async (server) => {
      const { result } = await runWith(server, {}, { env: { ...env, ANTHROPIC_BASE_URL: server.url } });
      expect(result).toMatchObject({ status: "success", summary: "fine" });
    });
    const after = config(String(env.HOME));
    expect(after.migrationVersion).toBe(CLAUDE_MIGRATION_VERSION);
    expect(after).not.toHaveProperty("seenNotifications");
    expect(after.firstStartVersion).toBe("2.1.329"); // its own first-start keys are still written
  });
});
