/**
 * Faults of the agent: killed mid-edit, hung, printing garbage or a cut stream, printing 100 MB, and
 * API errors from the (scripted) model. Each run must end with a clear status, keep the work in a
 * backup, leave the state consistent, and a rerun of the same task must complete normally.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listBackups } from "../../src/engine/git/index.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { makeEngineRepo, type RunOutcome } from "../support/engine.ts";
import { startModelServer } from "../support/model-server.ts";
import { firstLine, mb, type ReliabilityCase, reliabilityCase } from "./support/cases.ts";
import {
  backupPatch,
  claudeYaml,
  cliEnv,
  consistency,
  expectConsistent,
  patchFiles,
  rerunClaude,
  runClaude,
  write,
} from "./support/engine.ts";
import { runCli } from "./support/proc.ts";

const scratch = await mkdtemp(join(tmpdir(), "ct-rel-agent-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Heap limit for the loud runs: memory that grew with the output would end in a V8 out-of-memory crash. */
const HEAP_CAP = ["--max-old-space-size=64"];

/** An executable script standing in for `claude`. */
async function fakeClaude(name: string, script: string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

/** Every fault must leave things so that the next run completes normally. */
async function expectRerunSucceeds(c: ReliabilityCase, rerun: Promise<RunOutcome>): Promise<RunOutcome> {
  const again = await rerun;
  c.note("rerun", again.result.status);
  expect(again.result.status).toBe("success");
  return again;
}

describe("agent faults", () => {
  it("F-01 agent killed (SIGKILL) right after it wrote a file", async () => {
    const c = reliabilityCase(
      "F-01",
      "fault",
      "Claude Code is killed with SIGKILL right after its first edit",
      "failed (killed by SIGKILL); the edit is in the backup; no process or worktree left; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    let pid: number | undefined;
    const run = await runClaude(
      e,
      "crash",
      claudeYaml(),
      (wt) =>
        ({ index }) => {
          if (index === 0) return write(join(wt, "half.txt"), "half done\n");
          process.kill(pid!, "SIGKILL"); // the edit is on disk: the tool result came back
          return { hang: true };
        },
      {
        onEvent: (ev) => {
          if (ev.type === "agent" && ev.event.type === "spawn") pid = ev.event.pid;
        },
      },
    );
    const r = run.result;
    const patch = await backupPatch(e, r.backup);
    c.note("status", r.status);
    c.note("message", firstLine(r.message));
    c.note("backup holds", patchFiles(patch));
    const state = await consistency(e, run.spawned);
    c.note("left behind", state);
    expect(r.status).toBe("failed");
    expect(r.message).toMatch(
      /^Claude Code was killed by SIGKILL before it reported a result; its partial work is in backup \S+$/,
    );
    expect(patch).toContain("+half done");
    await expectConsistent(e, run.spawned);
    const again = await expectRerunSucceeds(c, rerunClaude(e, run.task));
    await expectConsistent(e, again.spawned);
  });

  it("F-02 model stream hangs: agent.timeout kills Claude Code", async () => {
    const c = reliabilityCase(
      "F-02",
      "fault",
      "the model stops answering mid-run (stream open, no data)",
      "timeout after agent.timeout (3s); the edit before the hang is in the backup; nothing left; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const run = await runClaude(
      e,
      "stuck",
      claudeYaml("", "3s"),
      (wt) =>
        ({ index }) =>
          index === 0 ? write(join(wt, "before-hang.txt"), "x\n") : { hang: true },
    );
    const r = run.result;
    c.note("status", r.status);
    c.note("message", firstLine(r.message));
    c.note("stopped after", `${(r.durationMs / 1000).toFixed(1)} s`);
    expect(r.status).toBe("timeout");
    expect(r.message).toMatch(/^Claude Code did not finish within 3s; its partial work is in backup /);
    expect(await backupPatch(e, r.backup)).toContain("+x");
    expect(r.durationMs).toBeLessThan(10_000);
    await expectConsistent(e, run.spawned);
    await expectRerunSucceeds(c, rerunClaude(e, run.task));
  });

  it("F-03 command hangs with a grandchild in its own session that ignores SIGTERM", async () => {
    const c = reliabilityCase(
      "F-03",
      "fault",
      "a `run:` command hangs; a grandchild `setsid`s away and ignores SIGTERM",
      "timeout after 2s; the whole tree is killed (SIGTERM, then SIGKILL); the partial file is in the backup",
    );
    await using e = await makeEngineRepo();
    const [task] = await e.tasks({
      hang: `run: |\n  echo partial > p.txt\n  setsid sh -c 'trap "" TERM; sleep 300' &\n  sleep 300\nagent:\n  timeout: 2s\n`,
    });
    const out = await e.run([task!]);
    const r = out.result;
    c.note("status", r.status);
    c.note("message", firstLine(r.message));
    c.note("stopped after", `${(r.durationMs / 1000).toFixed(1)} s`);
    const state = await consistency(e, out.spawned);
    c.note("processes left", state.agentProcesses);
    expect(r.status).toBe("timeout");
    expect(await backupPatch(e, r.backup)).toContain("+partial");
    await expectConsistent(e, out.spawned);
    const [fixed] = await e.tasks({ hang: "run: echo done > p.txt\n" });
    await expectRerunSucceeds(c, e.run([fixed!]));
  });

  it("F-04 the agent prints binary garbage instead of stream-json", async () => {
    const c = reliabilityCase(
      "F-04",
      "fault",
      "the `claude` executable prints 64 KB of random bytes and exits 0",
      "failed: `printed output that is not stream-json`; no crash; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const claude = await fakeClaude(
      "garbage",
      "#!/bin/sh\nhead -c 65536 /dev/urandom\necho changed > g.txt\nexit 0\n",
    );
    const run = await runClaude(e, "garbage", claudeYaml(), () => [], { claudePath: claude });
    const r = run.result;
    c.note("status", r.status);
    c.note("message", firstLine(r.message, 90).replace(/[^\x20-\x7e…]/g, "?"));
    expect(r.status).toBe("failed");
    expect(r.message).toMatch(
      /^Claude Code printed output that is not stream-json: .*; its partial work is in backup /,
    );
    expect(await backupPatch(e, r.backup)).toContain("+changed");
    await expectConsistent(e, run.spawned);
    await expectRerunSucceeds(c, rerunClaude(e, run.task));
  });

  it("F-05 the agent's stream-json stops mid-line and it exits", async () => {
    const c = reliabilityCase(
      "F-05",
      "fault",
      "`claude` prints its init line and half an assistant message, then exits 0",
      "failed: `exited with code 0 without reporting a result`",
    );
    await using e = await makeEngineRepo();
    const claude = await fakeClaude(
      "truncated",
      `#!/bin/sh\nprintf '%s\\n' '{"type":"system","subtype":"init","session_id":"s-1","model":"m","tools":[]}'\nprintf '%s' '{"type":"assistant","message":{"content":[{"type":"text","text":"I will'\nexit 0\n`,
    );
    const run = await runClaude(e, "cut", claudeYaml(), () => [], { claudePath: claude });
    const r = run.result;
    c.note("status", r.status);
    c.note("message", firstLine(r.message));
    expect(r.status).toBe("failed");
    expect(r.message).toBe("Claude Code exited with code 0 without reporting a result");
    await expectConsistent(e, run.spawned);
  });

  it("F-06 the model answers with a body that is not an event stream", async () => {
    const c = reliabilityCase(
      "F-06",
      "fault",
      "the scripted API answers 200 with garbage instead of server-sent events",
      "failed with Claude Code's error, one line; nothing left; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const run = await runClaude(e, "sse", claudeYaml(), () => () => ({ garbage: true }));
    const r = run.result;
    c.note("status", r.status);
    c.note("message", firstLine(r.message));
    expect(r.status).toBe("failed");
    expect(r.message).not.toContain("\n");
    expect(r.message.length).toBeGreaterThan(10);
    await expectConsistent(e, run.spawned);
    await expectRerunSucceeds(c, rerunClaude(e, run.task));
  });

  it("F-07 the model's stream is cut mid-message; the engine retries", async () => {
    const c = reliabilityCase(
      "F-07",
      "fault",
      "the API connection drops mid-message (after an edit); `retry: {attempts: 2, backoff: 1s}`",
      "attempt 1 fails as transient, its edit is backed up; attempt 2 succeeds from a clean worktree",
    );
    await using e = await makeEngineRepo();
    const run = await runClaude(
      e,
      "cut",
      claudeYaml("retry:\n  attempts: 2\n  backoff: 1s\n"),
      (wt) =>
        ({ index }) => {
          if (index === 0) return write(join(wt, "attempt1.txt"), "one\n");
          if (index === 1) return { truncate: true };
          if (index === 2) return write(join(wt, "attempt2.txt"), "two\n");
          return { text: "Done." };
        },
    );
    const r = run.result;
    const retry = run.events.find((ev) => ev.type === "task-retry");
    c.note("status", r.status);
    c.note("attempts", r.attempts);
    c.note("retry reason", retry && "reason" in retry ? firstLine(retry.reason, 100) : "none");
    c.note(
      "files",
      r.files.map((f) => f.path),
    );
    const partial = (await listBackups(e.state)).find((b) => b.meta.reason.startsWith("before retry 2"));
    const partialFiles = patchFiles(partial ? await readFile(partial.patchPath, "utf8") : "");
    c.note("attempt 1's backup holds", partialFiles);
    expect(partialFiles).toEqual(["attempt1.txt"]);
    expect(r).toMatchObject({ status: "success", attempts: 2 });
    expect(r.files.map((f) => f.path)).toEqual(["attempt2.txt"]);
    await expectConsistent(e, run.spawned);
  });

  it("F-08 API 429 → 529 → 500, then success (engine retry policy)", async () => {
    const c = reliabilityCase(
      "F-08",
      "fault",
      "the API answers 429, 529 and 500 in turn, then works; `retry: {attempts: 4, backoff: 1s}`",
      "success on attempt 4; each retry waits the backoff (with jitter) and says why",
    );
    await using e = await makeEngineRepo();
    const started = Date.now();
    const run = await runClaude(
      e,
      "flaky",
      claudeYaml("retry:\n  attempts: 4\n  backoff: 1s\n"),
      (wt) =>
        ({ index }) => {
          if (index === 0) return { status: 429, retryAfter: 0 };
          if (index === 1) return { status: 529 };
          if (index === 2) return { status: 500 };
          if (index === 3) return write(join(wt, "ok.txt"), "ok\n");
          return { text: "Done." };
        },
    );
    const r = run.result;
    const retries = run.events.flatMap((ev) => (ev.type === "task-retry" ? [ev] : []));
    c.note("status", r.status);
    c.note("attempts", r.attempts);
    c.note(
      "waits",
      retries.map((x) => `${(x.delayMs / 1000).toFixed(1)} s`),
    );
    c.note(
      "reasons",
      retries.map((x) => /\b(429|529|500)\b/.exec(x.reason)?.[1] ?? "?"),
    );
    c.note("total", `${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r).toMatchObject({ status: "success", attempts: 4 });
    expect(retries.map((x) => /\b(429|529|500)\b/.exec(x.reason)?.[1])).toEqual(["429", "529", "500"]);
    expect(retries.every((x) => x.delayMs >= 500)).toBe(true);
    await expectConsistent(e, run.spawned);
  });

  it("F-09 API 529 that never ends: a clear failure after the allowed attempts", async () => {
    const c = reliabilityCase(
      "F-09",
      "fault",
      "the API answers 529 (overloaded) to every request; `retry: {attempts: 2, backoff: 1s}`",
      "failed after 2 attempts, marked transient, the message names the 529; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const run = await runClaude(
      e,
      "overloaded",
      claudeYaml("retry:\n  attempts: 2\n  backoff: 1s\n"),
      () => () => ({
        status: 529,
      }),
    );
    const r = run.result;
    c.note("status", r.status);
    c.note("attempts", r.attempts);
    c.note("transient", r.agent?.transient);
    c.note("message", firstLine(r.message));
    expect(r).toMatchObject({ status: "failed", attempts: 2 });
    expect(r.agent?.transient).toBe(true);
    expect(r.message).toMatch(/^Claude Code reported an error: .*529/);
    await expectConsistent(e, run.spawned);
    await expectRerunSucceeds(c, rerunClaude(e, run.task));
  });

  it("F-10 API 429 and 529 absorbed by Claude Code's own retries (CLAUDE_CODE_MAX_RETRIES=2)", async () => {
    const c = reliabilityCase(
      "F-10",
      "fault",
      "429 then 529, with Claude Code allowed 2 retries of its own",
      "success in one engine attempt; the CLI's retries show as api_retry events",
    );
    await using e = await makeEngineRepo();
    const [task] = await e.tasks({ inner: claudeYaml() });
    const runId = newRunId();
    const wt = e.worktreePath("inner", runId);
    const server = await startModelServer([
      { status: 429, retryAfter: 0 },
      { status: 529, retryAfter: 0 },
      write(join(wt, "ok.txt"), "ok\n"),
      { text: "Done." },
    ]);
    try {
      const out = await e.run([task!], { runId, env: e.agentEnv(server, { CLAUDE_CODE_MAX_RETRIES: "2" }) });
      const apiRetries = out.events.filter((ev) => ev.type === "agent" && ev.event.type === "api_retry");
      c.note("status", out.result.status);
      c.note("engine attempts", out.result.attempts);
      c.note("api_retry events", apiRetries.length);
      c.note("duration", `${(out.result.durationMs / 1000).toFixed(1)} s`);
      expect(out.result).toMatchObject({ status: "success", attempts: 1 });
      expect(apiRetries).toHaveLength(2);
      await expectConsistent(e, out.spawned);
    } finally {
      await server.close();
    }
  });

  it("F-11 a command prints 100 MB: the CLI's memory stays bounded", async () => {
    const c = reliabilityCase(
      "F-11",
      "fault",
      "`claude-tasks run` of a command printing 100 MB (one 50 MB line and 50 MB of short lines)",
      "success with the CLI's V8 heap capped at 64 MB; peak RSS noted against a run printing nothing",
    );
    await using e = await makeEngineRepo();
    await e.tasks({
      quiet: "run: echo q > q.txt\n",
      loud: "run: |\n  head -c 50000000 /dev/zero | tr '\\0' a\n  echo\n  yes 'a short line of output' | head -c 50000000\n  echo done > loud.txt\n",
    });
    const env = cliEnv(e);
    const base = await runCli(["run", "quiet", "--dry-run", "--quiet"], { cwd: e.path, env });
    const loud = await runCli(["run", "loud", "--dry-run", "--quiet"], {
      cwd: e.path,
      env,
      nodeArgs: HEAP_CAP,
    });
    c.note("baseline peak RSS", mb(base.peakRss ?? 0));
    c.note("100 MB run peak RSS", mb(loud.peakRss ?? 0));
    c.note("100 MB run time", `${(loud.ms / 1000).toFixed(1)} s`);
    c.note("exit", loud.code);
    expect(base.code, base.stderr).toBe(0);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.peakRss! - base.peakRss!).toBeLessThan(128 * 2 ** 20);
    await expectConsistent(e);
  });

  it("F-12 Claude Code's stream-json carries 120 MB (100 × 1 MB messages and one 20 MB line)", async () => {
    const c = reliabilityCase(
      "F-12",
      "fault",
      "`claude` prints 100 one-MB assistant messages, one 20 MB line, then its result",
      "success (the over-long line is cut, never parsed) with the CLI's V8 heap capped at 64 MB; peak RSS noted",
    );
    await using e = await makeEngineRepo();
    const claude = await fakeClaude(
      "loud-claude",
      `#!${process.execPath}
const fs = require("node:fs");
const out = (s) => new Promise((ok) => process.stdout.write(s + "\\n", ok));
const big = "x".repeat(1 << 20);
(async () => {
  await out(JSON.stringify({ type: "system", subtype: "init", session_id: "s-1", model: "m", tools: [] }));
  for (let i = 0; i < 100; i++)
    await out(JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text: i + big }] } }));
  await out("y".repeat(20 << 20));
  fs.writeFileSync("loud.txt", "done\\n");
  await out(JSON.stringify({ type: "result", subtype: "success", is_error: false, result: "Done.", num_turns: 1, total_cost_usd: 0 }));
})();
`,
    );
    await e.tasks({ quiet: "run: echo q > q.txt\n", loud: claudeYaml() });
    const env = cliEnv(e, undefined, { CLAUDE_TASKS_CLAUDE: claude });
    const base = await runCli(["run", "quiet", "--dry-run", "--quiet"], { cwd: e.path, env });
    const loud = await runCli(["run", "loud", "--dry-run", "--json"], {
      cwd: e.path,
      env,
      nodeArgs: HEAP_CAP,
    });
    const report = JSON.parse(loud.stdout || "{}");
    c.note("status", report.results?.[0]?.status);
    c.note("baseline peak RSS", mb(base.peakRss ?? 0));
    c.note("120 MB run peak RSS", mb(loud.peakRss ?? 0));
    c.note("run time", `${(loud.ms / 1000).toFixed(1)} s`);
    expect(loud.code, loud.stderr).toBe(0);
    expect(report.results[0].status).toBe("success");
    expect(loud.peakRss! - base.peakRss!).toBeLessThan(128 * 2 ** 20);
    await expectConsistent(e);
  });
});
