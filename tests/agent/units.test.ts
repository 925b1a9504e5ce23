import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentEnv,
  buildClaudeArgs,
  ClaudeStreamParser,
  claudeResult,
  describeToolUse,
  formatDuration,
  isTransientStatus,
  parseClaudeVersion,
  scrubReason,
} from "../../src/engine/agent/index.ts";
import { LineSplitter, TailBuffer, truncateStart } from "../../src/engine/agent/output.ts";
import type { RunProcessResult } from "../../src/engine/agent/run-process.ts";

describe("LineSplitter", () => {
  it("splits across chunks, multi-byte characters included, and flushes the last line", () => {
    const lines: string[] = [];
    const s = new LineSplitter(100, (l) => lines.push(l));
    const bytes = Buffer.from("héllo\r\nwörld\npartial €");
    for (let i = 0; i < bytes.length; i++) s.write(bytes.subarray(i, i + 1));
    s.end();
    expect(lines).toEqual(["héllo", "wörld", "partial €"]);
  });

  it("cuts long lines and says so, without keeping the rest", () => {
    const seen: [string, boolean][] = [];
    const s = new LineSplitter(5, (l, t) => seen.push([l, t]));
    s.write("abcdefghij");
    s.write("klm\nok\n");
    expect(seen).toEqual([
      ["abcde", true],
      ["ok", false],
    ]);
  });

  it("never loses or invents lines, whatever the chunking (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme-ascii", maxLength: 20 }), { maxLength: 20 }),
        fc.nat(),
        (parts, seed) => {
          const text = parts.join("\n");
          const lines: string[] = [];
          const s = new LineSplitter(1000, (l) => lines.push(l));
          let i = 0;
          let step = (seed % 7) + 1;
          while (i < text.length) {
            s.write(text.slice(i, i + step));
            i += step;
            step = (step % 5) + 1;
          }
          s.end();
          const expected = text.length === 0 ? [] : text.split("\n").map((l) => l.replace(/\r$/, ""));
          if (text.endsWith("\n")) expected.pop();
          expect(lines).toEqual(expected);
        },
      ),
    );
  });
});

describe("TailBuffer", () => {
  it("keeps only the last bytes, cutting long lines", () => {
    const t = new TailBuffer(100, 10);
    for (let i = 0; i < 1000; i++) t.push(`line ${i}`);
    t.push("x".repeat(50));
    const text = t.toString();
    expect(text.length).toBeLessThanOrEqual(100 + 40);
    expect(text).toMatch(/^\[… earlier output omitted\]/);
    expect(text.endsWith(`${"x".repeat(10)} … [line truncated]`)).toBe(true);
    expect(t.lastLines(2)[0]).toBe("line 999");
  });

  it("truncateStart keeps the end", () => {
    expect(truncateStart("abcdef", 4)).toBe("…def");
    expect(truncateStart("abc", 4)).toBe("abc");
  });
});

describe("agentEnv", () => {
  const base = {
    PATH: "/usr/bin",
    HOME: "/home/u",
    GITHUB_TOKEN: "t",
    GH_TOKEN: "t",
    "INPUT_GITHUB-TOKEN": "t",
    INPUT_ANTHROPIC_API_KEY: "t",
    ACTIONS_RUNTIME_TOKEN: "t",
    ACTIONS_ID_TOKEN_REQUEST_URL: "u",
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t",
    ACTIONS_RESULTS_URL: "u",
    ACTIONS_RUNTIME_URL: "u",
    GITHUB_ENV: "/f",
    GITHUB_OUTPUT: "/f",
    NPM_TOKEN: "t",
    MY_SECRET: "t",
    DB_PASSWORD: "t",
    SIGNING_KEY: "t",
    GPG_PRIVATE: "t",
    AWS_SECRET_ACCESS_KEY: "t",
    AWS_ACCESS_KEY_ID: "t",
    AWS_REGION: "eu-west-1",
    ANTHROPIC_API_KEY: "k",
    ANTHROPIC_BASE_URL: "http://x",
    CLAUDE_CODE_OAUTH_TOKEN: "o",
    CLAUDECODE: "1",
    CLAUDE_CODE_ENTRYPOINT: "cli",
    CLAUDE_CODE_SSE_PORT: "1",
    GITHUB_REPOSITORY: "o/r",
    CI: "true",
    UNDEF: undefined,
  };

  it("removes GitHub/Actions credentials, secret-looking names and session markers; keeps Claude's", () => {
    const env = agentEnv(base, {});
    expect(Object.keys(env).sort()).toEqual(
      [
        "PATH",
        "HOME",
        "AWS_REGION",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "GITHUB_REPOSITORY",
        "CI",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
        "CLAUDE_CODE_MAX_RETRIES",
      ].sort(),
    );
    expect(env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC).toBe("1");
    expect(env.CLAUDE_CODE_MAX_RETRIES).toBe("3");
  });

  it("task env wins, and the user's own Claude settings are kept", () => {
    const env = agentEnv(
      { ...base, CLAUDE_CODE_MAX_RETRIES: "7" },
      { NPM_TOKEN: "explicit", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "0" },
    );
    expect(env.NPM_TOKEN).toBe("explicit");
    expect(env.CLAUDE_CODE_MAX_RETRIES).toBe("7");
    expect(env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC).toBe("0");
  });

  it("keeps cloud credentials only when their provider is switched on (from either side)", () => {
    expect(agentEnv({ ...base, CLAUDE_CODE_USE_BEDROCK: "1" }).AWS_SECRET_ACCESS_KEY).toBe("t");
    expect(agentEnv(base, { CLAUDE_CODE_USE_BEDROCK: "1" }).AWS_ACCESS_KEY_ID).toBe("t");
    expect(agentEnv({ ...base, CLAUDE_CODE_USE_BEDROCK: "0" }).AWS_SECRET_ACCESS_KEY).toBeUndefined();
    const vertex = { PATH: "/bin", CLAUDE_CODE_USE_VERTEX: "1", GOOGLE_APPLICATION_CREDENTIALS: "/k.json" };
    expect(agentEnv(vertex).GOOGLE_APPLICATION_CREDENTIALS).toBe("/k.json");
    expect(
      agentEnv({ ...vertex, CLAUDE_CODE_USE_VERTEX: "" }).GOOGLE_APPLICATION_CREDENTIALS,
    ).toBeUndefined();
  });

  it("command agents keep no credentials and get no Claude defaults", () => {
    const env = agentEnv(base, { TOOL_TOKEN: "given" }, { kind: "command" });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.CLAUDE_CODE_OAUTH_TOKEN).toBeUndefined();
    expect(env.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
    expect(env.TOOL_TOKEN).toBe("given");
    expect(env.ANTHROPIC_BASE_URL).toBe("http://x");
  });

  it("explains why a variable is removed", () => {
    expect(scrubReason("GITHUB_TOKEN", {})).toMatch(/GitHub/);
    expect(scrubReason("INPUT_X", {})).toMatch(/Actions/);
    expect(scrubReason("CLAUDECODE", {})).toMatch(/session/);
    expect(scrubReason("STRIPE_API_KEY", {})).toMatch(/secret/);
    expect(scrubReason("KEYBOARD_LAYOUT", {})).toBeUndefined();
  });
});

describe("buildClaudeArgs", () => {
  it("minimal settings: print mode, stream-json, verbose; no prompt in argv", () => {
    expect(buildClaudeArgs({})).toEqual(["-p", "--output-format", "stream-json", "--verbose"]);
  });

  it("every setting, lists as one value per tool, --verbose closing the lists, args last", () => {
    expect(
      buildClaudeArgs({
        model: "claude-sonnet-4-5",
        max_turns: 30,
        max_budget_usd: 2.5,
        timeoutMs: 60_000,
        allowed_tools: ["Read", "Bash(npm test:*)"],
        disallowed_tools: ["WebFetch"],
        permission_mode: "acceptEdits",
        append_system_prompt: "Be brief.",
        args: ["--add-dir", "../shared"],
        env: { A: "b" },
      }),
    ).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--model",
      "claude-sonnet-4-5",
      "--max-turns",
      "30",
      "--max-budget-usd",
      "2.5",
      "--permission-mode",
      "acceptEdits",
      "--append-system-prompt",
      "Be brief.",
      "--allowedTools",
      "Read",
      "Bash(npm test:*)",
      "--disallowedTools",
      "WebFetch",
      "--verbose",
      "--add-dir",
      "../shared",
    ]);
  });

  it("omits empty lists and empty strings", () => {
    expect(
      buildClaudeArgs({ allowed_tools: [], disallowed_tools: [], append_system_prompt: "", args: [] }),
    ).toEqual(["-p", "--output-format", "stream-json", "--verbose"]);
  });
});

describe("stream parsing and result mapping", () => {
  const proc = (over: Partial<RunProcessResult> = {}): RunProcessResult => ({
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    durationMs: 10,
    tail: new TailBuffer(),
    stderrTail: new TailBuffer(),
    leftovers: [],
    ...over,
  });
  const ctx = { claudePath: "claude", timeoutMs: 60_000 };
  const feed = (lines: object[]) => {
    const p = new ClaudeStreamParser("/w");
    const events = lines.flatMap((l) => p.handleLine(JSON.stringify(l)));
    return { p, events };
  };
  const init = { type: "system", subtype: "init", session_id: "s1", model: "m1", tools: ["Edit"] };
  const result = (over: object) => ({
    type: "result",
    subtype: "success",
    is_error: false,
    result: "done",
    num_turns: 2,
    total_cost_usd: 0.5,
    permission_denials: [],
    ...over,
  });

  it("describes tool calls briefly", () => {
    expect(describeToolUse("Edit", { file_path: "/w/README.md" }, "/w")).toBe("Edit README.md");
    expect(describeToolUse("Write", { file_path: "/elsewhere/x" }, "/w")).toBe("Write /elsewhere/x");
    expect(describeToolUse("Bash", { command: "npm test\nmore" })).toBe("Bash: npm test");
    expect(describeToolUse("Grep", { pattern: "TODO", path: "/w/src" }, "/w")).toBe("Grep TODO in src");
    expect(describeToolUse("WebFetch", { url: "https://x" })).toBe("WebFetch: https://x");
    expect(describeToolUse("Mystery", {})).toBe("Mystery");
  });

  it("success needs exit 0, subtype success and no is_error", () => {
    const { p, events } = feed([init, result({})]);
    expect(events.map((e) => e.type)).toEqual(["init", "result"]);
    expect(claudeResult(p, proc(), ctx)).toMatchObject({
      status: "success",
      summary: "done",
      numTurns: 2,
      costUsd: 0.5,
      sessionId: "s1",
      model: "m1",
    });
    expect(claudeResult(p, proc({ exitCode: 1 }), ctx).status).toBe("failed");
    const isError = feed([init, result({ is_error: true, result: "Oops" })]);
    expect(claudeResult(isError.p, proc(), ctx)).toMatchObject({
      status: "failed",
      error: "Claude Code reported an error: Oops",
    });
  });

  it.each([
    [429, true],
    [529, true],
    [500, true],
    [503, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
  ])("api_error_status %i → transient %s", (status, transient) => {
    expect(isTransientStatus(status)).toBe(transient);
    const { p } = feed([init, result({ is_error: true, api_error_status: status, result: "API Error" })]);
    expect(claudeResult(p, proc({ exitCode: 1 }), ctx)).toMatchObject({ transient, apiErrorStatus: status });
  });

  it("with no HTTP status, the assistant's error code decides (dropped connection → transient)", () => {
    const synthetic = (error: string) => ({
      type: "assistant",
      error,
      message: { model: "<synthetic>", content: [{ type: "text", text: "API Error" }] },
    });
    const dropped = feed([
      init,
      synthetic("server_error"),
      result({ is_error: true, api_error_status: null }),
    ]);
    expect(claudeResult(dropped.p, proc({ exitCode: 1 }), ctx).transient).toBe(true);
    expect(dropped.p.model).toBe("m1");
    const unknown = feed([init, synthetic("unknown"), result({ is_error: true, api_error_status: null })]);
    expect(claudeResult(unknown.p, proc({ exitCode: 1 }), ctx).transient).toBe(false);
    const noCreds = feed([
      init,
      synthetic("authentication_failed"),
      result({ is_error: true, result: "Not logged in · Please run /login" }),
    ]);
    expect(claudeResult(noCreds.p, proc({ exitCode: 1 }), ctx).error).toBe(
      "no credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (Claude Code said: Not logged in · Please run /login)",
    );
  });

  it("max turns, budget and other stops", () => {
    const maxTurns = feed([
      result({ subtype: "error_max_turns", is_error: true, errors: ["Reached maximum number of turns (3)"] }),
    ]);
    expect(claudeResult(maxTurns.p, proc(), ctx)).toMatchObject({
      status: "max_turns",
      error: "Claude Code stopped: Reached maximum number of turns (3)",
    });
    const budget = feed([
      result({ subtype: "error_max_budget_usd", is_error: true, errors: ["Reached maximum budget ($1)"] }),
    ]);
    expect(claudeResult(budget.p, proc({ exitCode: 1 }), ctx)).toMatchObject({
      status: "budget_exhausted",
      transient: false,
      error: "Claude Code stopped: Reached maximum budget ($1)",
    });
    const during = feed([result({ subtype: "error_during_execution", is_error: true, errors: ["boom"] })]);
    expect(claudeResult(during.p, proc({ exitCode: 1 }), ctx).error).toBe(
      "Claude Code reported an error: boom",
    );
  });

  it("no result line: timeout, signal, non-JSON output, plain exit", () => {
    const none = new ClaudeStreamParser();
    expect(
      claudeResult(none, proc({ timedOut: true, exitCode: null, signal: "SIGTERM" }), ctx),
    ).toMatchObject({
      status: "timeout",
      error: "Claude Code did not finish within 1m",
    });
    expect(claudeResult(none, proc({ exitCode: null, signal: "SIGKILL" }), ctx).error).toBe(
      "Claude Code was killed by SIGKILL before it reported a result",
    );
    const garbage = new ClaudeStreamParser();
    garbage.handleLine("Segmentation fault");
    garbage.handleLine('{"type": "result", trunc');
    expect(claudeResult(garbage, proc({ exitCode: 139 }), ctx).error).toBe(
      'Claude Code printed output that is not stream-json: {"type": "result", trunc',
    );
    const stderrTail = new TailBuffer();
    stderrTail.push("error: unknown option '--nope'");
    expect(claudeResult(new ClaudeStreamParser(), proc({ exitCode: 1, stderrTail }), ctx).error).toBe(
      "Claude Code exited with code 1 without reporting a result: error: unknown option '--nope'",
    );
  });

  it("a cut (over-long) line is never parsed", () => {
    const p = new ClaudeStreamParser();
    expect(p.handleLine(JSON.stringify(result({})), true)).toEqual([]);
    expect(p.result).toBeUndefined();
  });

  it("permission denials are summarised", () => {
    const { p } = feed([
      result({
        permission_denials: [{ tool_name: "Bash", tool_use_id: "t", tool_input: { command: "rm -rf /" } }],
      }),
    ]);
    expect(claudeResult(p, proc(), ctx).permissionDenials).toEqual([
      { tool: "Bash", description: "Bash: rm -rf /" },
    ]);
  });

  it("api_retry events carry attempt, delay and status", () => {
    const { events } = feed([
      {
        type: "system",
        subtype: "api_retry",
        attempt: 2,
        max_retries: 3,
        retry_delay_ms: 1000,
        error_status: 529,
        error: "overloaded",
      },
    ]);
    expect(events).toEqual([
      { type: "api_retry", attempt: 2, maxRetries: 3, delayMs: 1000, status: 529, error: "overloaded" },
    ]);
  });

  it("formats durations", () => {
    expect(formatDuration(20 * 60_000)).toBe("20m");
    expect(formatDuration(2 * 3_600_000)).toBe("2h");
    expect(formatDuration(1500)).toBe("1500ms");
    expect(formatDuration(5000)).toBe("5s");
  });
});

describe("claude version", () => {
  it("parses --version output", () => {
    expect(parseClaudeVersion("2.1.329 (Claude Code)\n")).toBe("2.1.329");
    expect(parseClaudeVersion("claude 1.0.0-beta.2")).toBe("1.0.0-beta.2");
    expect(parseClaudeVersion("nope")).toBeUndefined();
  });
});
