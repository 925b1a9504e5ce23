/**
 * Claude tasks end to end: the engine runs the REAL pinned Claude Code CLI in a task worktree against
 * the scripted model server, then checks, backs up and lands the result in a real repository.
 */
import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listBackups, readBackup } from "../../src/engine/git/index.ts";
import { looksLikePlaceholder } from "../../src/engine/guard/index.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { type EngineRepo, leftoverProcesses, makeEngineRepo } from "../support/engine.ts";
import { type Scenario, startModelServer, type Turn } from "../support/model-server.ts";

const write = (path: string, content: string): Turn => ({
  tool: "Write",
  input: { file_path: path, content },
});

const claudeTask = (extra = "") => `prompt: Do the scripted thing.
agent:
  permission_mode: acceptEdits
  timeout: 30s
${extra}`;

/** Runs one Claude task against a scenario; `turns` gets the task's worktree path. */
async function runClaude(
  e: EngineRepo,
  name: string,
  yaml: string,
  turns: (wt: string) => Scenario,
  opts: Parameters<EngineRepo["run"]>[1] = {},
) {
  const [task] = await e.tasks({ [name]: yaml });
  const runId = newRunId();
  const server = await startModelServer(turns(e.worktreePath(name, runId)));
  try {
    const outcome = await e.run([task!], { runId, env: e.agentEnv(server), ...opts });
    return { ...outcome, server };
  } finally {
    await server.close();
  }
}

/** Nothing left behind in the user's checkout: no extra worktree, clean status, still on main. */
async function expectUserRepoUntouched(e: EngineRepo) {
  expect(await e.worktrees()).toEqual([e.path]);
  expect(await e.status()).toBe("");
  expect(await e.git("symbolic-ref", "--short", "HEAD")).toBe("main");
}

describe("a Claude task, end to end", () => {
  it("success: one commit on claude-tasks/<task> with the title, trailers and the file; cost and turns reported", async () => {
    await using e = await makeEngineRepo();
    const yaml = claudeTask(`pr:\n  title: "docs: add a greeting"\n`);
    const base = await e.head();
    const {
      report,
      result: r,
      spawned,
    } = await runClaude(e, "greet", yaml, (wt) => [
      write(join(wt, "hello.txt"), "hello\n"),
      { text: "Added hello.txt." },
    ]);
    const main = await e.head("main");

    expect(r).toMatchObject({
      status: "success",
      attempts: 1,
      branch: "claude-tasks/greet",
      baseCommit: main,
    });
    expect(r.message).toBe("branch `claude-tasks/greet` created with 1 file (+1 −0)");
    expect(r.agent).toMatchObject({
      kind: "claude",
      status: "success",
      numTurns: 2,
      summary: "Added hello.txt.",
    });
    expect(r.agent?.costUsd).toBeGreaterThan(0);
    expect(report.totalCostUsd).toBe(r.agent?.costUsd);
    expect(report.ok).toBe(true);
    expect(r.files).toEqual([
      { path: "hello.txt", status: "added", additions: 1, deletions: 0, binary: false },
    ]);

    // One commit on top of main, by the bot, with the PR title as subject and the trailers.
    expect(main).not.toBe(base); // the task file was committed by the helper
    expect(await e.git("rev-list", "--count", "main..claude-tasks/greet")).toBe("1");
    expect(await e.git("rev-parse", "claude-tasks/greet^")).toBe(main);
    expect(await e.git("rev-parse", "claude-tasks/greet")).toBe(r.commit);
    const message = await e.git("log", "-1", "--format=%B", "claude-tasks/greet");
    expect(message.split("\n")[0]).toBe("docs: add a greeting");
    expect(message).toMatch(/\n\nClaude-Tasks-Task: greet\nClaude-Tasks-Run: \S+$/);
    expect(message).toContain(`Claude-Tasks-Run: ${report.runId}`);
    expect(await e.git("log", "-1", "--format=%an <%ae>", "claude-tasks/greet")).toBe(
      "claude-tasks[bot] <claude-tasks[bot]@users.noreply.github.com>",
    );
    expect(await e.git("show", "claude-tasks/greet:hello.txt")).toBe("hello");
    expect(await e.git("diff", "--name-only", "main", "claude-tasks/greet")).toBe("hello.txt");

    // The result is also in a backup; the worktree and the CLI are gone.
    expect((await readBackup(e.state, r.backup!)).meta).toMatchObject({ task: "greet", base: main });
    expect(spawned).toHaveLength(1);
    expect(leftoverProcesses(spawned)).toEqual([]);
    await expectUserRepoUntouched(e);

    // The run log and the report.
    const log = await e.runLog();
    expect(log.map((l) => l.type)).toEqual(["run-start", "task", "run-end"]);
    expect(log[1]).toMatchObject({ task: "greet", status: "success", commit: r.commit, numTurns: 2 });
    const onDisk = JSON.parse(await readFile(join(e.state, "runs", report.runId, "report.json"), "utf8"));
    expect(onDisk).toEqual(report);
    expect(await readFile(join(e.state, "runs", report.runId, "report.md"), "utf8")).toContain("greet");
  });

  it("no change: no_changes, no branch, no backup", async () => {
    await using e = await makeEngineRepo();
    const { report, result: r } = await runClaude(e, "idle", claudeTask(), () => [
      { text: "Everything is already fine." },
    ]);
    expect(r).toMatchObject({ status: "no_changes", message: "the task ran and changed nothing", files: [] });
    expect(r.commit).toBeUndefined();
    expect(r.backup).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(await e.branches()).toEqual(["main"]);
    await expectUserRepoUntouched(e);
  });

  it("a credential in the diff: refused; file and line named, the secret appears nowhere in the report", async () => {
    await using e = await makeEngineRepo();
    const token = githubToken();
    const {
      report,
      result: r,
      logged,
    } = await runClaude(e, "config", claudeTask(), (wt) => [
      write(join(wt, "src/config.ts"), `// settings\nexport const token = "${token}";\n`),
      { text: "Added the configuration." },
    ]);
    expect(r.status).toBe("refused");
    expect(r.violations).toEqual([
      {
        rule: "secret.github-token",
        file: "src/config.ts",
        line: 2,
        message: "`src/config.ts` line 2 adds what looks like a GitHub token (github-token)",
      },
    ]);
    expect(r.message).toContain("`src/config.ts` line 2");
    expect(await e.branches()).toEqual(["main"]);
    // The work itself is kept locally (in the backup), but no report, log or message repeats it.
    expect(await readFile(join(e.state, "backups", r.backup!, "changes.patch"), "utf8")).toContain(token);
    const texts = [
      JSON.stringify(report),
      await readFile(join(e.state, "runs.jsonl"), "utf8"),
      await readFile(join(e.state, "runs", report.runId, "report.md"), "utf8"),
      logged.join("\n"),
    ];
    for (const text of texts) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(4, 16));
    }
    await expectUserRepoUntouched(e);
  });

  it("a credential in the agent's answer is withheld from the commit message and the report", async () => {
    await using e = await makeEngineRepo({
      files: { "src/config.ts": "export const token = process.env.TOKEN;\n" },
    });
    const token = githubToken();
    const { report, result: r } = await runClaude(e, "scrub", claudeTask(), (wt) => [
      write(join(wt, "NOTES.md"), "Rotate the old token.\n"),
      { text: `Added a note.\nThe old token was ${token} and it must be rotated.\nNothing else changed.` },
    ]);
    expect(r.status).toBe("success");
    expect(r.agent?.summary).toBe(
      "Added a note.\n[line withheld: it looks like it contains a credential (github-token)]\nNothing else changed.",
    );
    const message = await e.git("log", "-1", "--format=%B", "claude-tasks/scrub");
    expect(message).not.toMatch(/Added a note|line withheld|Nothing else changed/); // the answer is the PR's, never the commit's
    const texts = [
      message,
      JSON.stringify(report),
      await readFile(join(e.state, "runs", report.runId, "report.md"), "utf8"),
    ];
    for (const text of texts) expect(text).not.toContain(token);
  });

  it("max_turns: stopped after the first turn; that turn's edit is in the backup", async () => {
    await using e = await makeEngineRepo();
    const yaml = claudeTask().replace("timeout: 30s", "timeout: 30s\n  max_turns: 1");
    const { result: r, spawned } = await runClaude(e, "busy", yaml, (wt) => [
      write(join(wt, "a.txt"), "first\n"),
      write(join(wt, "b.txt"), "second\n"),
      { text: "never" },
    ]);
    expect(r.status).toBe("max_turns");
    expect(r.message).toMatch(
      /^Claude Code stopped: .*maximum number of turns \(1\).*; its partial work is in backup /,
    );
    expect(r.files.map((f) => f.path)).toEqual(["a.txt"]);
    const patch = await readFile(join(e.state, "backups", r.backup!, "changes.patch"), "utf8");
    expect(patch).toContain("+first");
    expect(patch).not.toContain("b.txt");
    expect(await e.branches()).toEqual(["main"]);
    expect(leftoverProcesses(spawned)).toEqual([]);
    await expectUserRepoUntouched(e);
  });

  it("a hung model stream: timeout after agent.timeout, and no process of the CLI survives", async () => {
    await using e = await makeEngineRepo();
    const yaml = claudeTask().replace("timeout: 30s", "timeout: 2s");
    const started = Date.now();
    const { result: r, spawned } = await runClaude(e, "stuck", yaml, () => () => ({ hang: true }));
    expect(r.status).toBe("timeout");
    expect(r.message).toBe("Claude Code did not finish within 2s");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(spawned).toHaveLength(1);
    expect(leftoverProcesses(spawned)).toEqual([]);
    await expectUserRepoUntouched(e);
  });

  it("a transient error (529) is retried by the engine; the partial first attempt is backed up", async () => {
    await using e = await makeEngineRepo();
    const yaml = claudeTask("retry:\n  attempts: 2\n  backoff: 0s\n");
    const {
      result: r,
      events,
      server,
    } = await runClaude(e, "flaky", yaml, (wt) => ({ index }) => {
      if (index === 0) return write(join(wt, "partial.txt"), "partial\n");
      if (index === 1) return { status: 529 };
      if (index === 2) return write(join(wt, "final.txt"), "final\n");
      return { text: "Done on the second try." };
    });
    expect(r).toMatchObject({ status: "success", attempts: 2 });
    expect(server.mainRequests).toHaveLength(4);
    expect(events).toContainEqual(expect.objectContaining({ type: "task-retry", task: "flaky", attempt: 2 }));
    // The second attempt started from a clean base: only its own file is on the branch.
    expect(await e.git("diff", "--name-only", "main", "claude-tasks/flaky")).toBe("final.txt");
    const backups = await listBackups(e.state);
    const partial = backups.find((b) => b.meta.reason === "before retry 2: partial work of attempt 1");
    expect(partial?.meta.details).toMatchObject({ apiErrorStatus: 529 });
    expect(await readFile(partial!.patchPath, "utf8")).toContain("+partial");
    expect(backups.find((b) => b.id === r.backup)?.meta.reason).toBe("run result");
    await expectUserRepoUntouched(e);
  });

  it("a permanent error (401) is not retried: failed after one attempt", async () => {
    await using e = await makeEngineRepo();
    const yaml = claudeTask("retry:\n  attempts: 3\n  backoff: 0s\n");
    const { report, result: r, server } = await runClaude(e, "denied", yaml, () => () => ({ status: 401 }));
    expect(r).toMatchObject({ status: "failed", attempts: 1 });
    expect(r.agent).toMatchObject({ transient: false, apiErrorStatus: 401 });
    expect(r.message).toMatch(/^Claude Code reported an error: .*API key/);
    expect(server.mainRequests).toHaveLength(1);
    expect(report.ok).toBe(false);
    await expectUserRepoUntouched(e);
  });

  it("cancelled while waiting to retry: cancelled (not the transient failure), the partial work named", async () => {
    await using e = await makeEngineRepo();
    const [task] = await e.tasks({ flaky: claudeTask("retry:\n  attempts: 3\n  backoff: 30s\n") });
    const runId = newRunId();
    const wt = e.worktreePath("flaky", runId);
    const server = await startModelServer(({ index }) =>
      index === 0 ? write(join(wt, "partial.txt"), "partial\n") : { status: 529 },
    );
    const abort = new AbortController();
    try {
      const started = Date.now();
      const { result: r } = await e.run([task!], {
        runId,
        env: e.agentEnv(server),
        signal: abort.signal,
        onEvent: (ev) => ev.type === "task-retry" && abort.abort("SIGINT"),
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r).toMatchObject({ status: "cancelled", attempts: 1 });
      expect(r.message).toMatch(
        /^cancelled while waiting to retry \(attempt 1 failed: Claude Code reported an error: .*529.*\); its partial work is in backup \S+$/,
      );
      const partial = (await listBackups(e.state)).find((b) => b.id === r.backup);
      expect(partial?.meta.reason).toBe("before retry 2: partial work of attempt 1");
      await expectUserRepoUntouched(e);
    } finally {
      await server.close();
    }
  });

  it("cancellation: the running task ends cancelled with its work backed up; queued tasks never start", async () => {
    await using e = await makeEngineRepo();
    const [first, second] = await e.tasks({
      first: claudeTask(),
      second: "run: echo should-not-run > never.txt\n",
    });
    const runId = newRunId();
    const wt = e.worktreePath("first", runId);
    const abort = new AbortController();
    const server = await startModelServer(({ index }) => {
      if (index === 0) return write(join(wt, "partial.txt"), "partial\n");
      setTimeout(() => abort.abort("SIGINT"), 100);
      return { hang: true };
    });
    try {
      const { report, byTask, spawned } = await e.run([first!, second!], {
        runId,
        env: e.agentEnv(server),
        maxParallel: 1,
        signal: abort.signal,
      });
      const r = byTask("first");
      expect(r.status).toBe("cancelled");
      expect(r.message).toMatch(/^cancelled; its partial work is in backup /);
      const patch = await readFile(join(e.state, "backups", r.backup!, "changes.patch"), "utf8");
      expect(patch).toContain("+partial");
      expect(byTask("second")).toMatchObject({
        status: "cancelled",
        attempts: 0,
        message: "run cancelled before the task started",
      });
      expect(report.ok).toBe(false);
      expect(spawned.map((s) => s.task)).toEqual(["first"]);
      expect(leftoverProcesses(spawned)).toEqual([]);
      expect(await e.branches()).toEqual(["main"]);
      await expectUserRepoUntouched(e);
      const log = await e.runLog();
      expect(
        log.filter((l) => l.type === "task").map((l) => l.type === "task" && [l.task, l.status]),
      ).toEqual([
        ["first", "cancelled"],
        ["second", "cancelled"],
      ]);
    } finally {
      await server.close();
    }
  });
});

/** A GitHub token shaped like a real one, made fresh for each run (never stored in this repository). */
function githubToken(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (;;) {
    const body = Array.from({ length: 36 }, () => alphabet[randomInt(alphabet.length)]).join("");
    if (!looksLikePlaceholder(body)) return `ghp_${body}`;
  }
}
