/**
 * `if_command:` end to end: the real engine, the real sandbox, the ledger on a real remote's state
 * ref. A pre-check that says no never starts the task; one that says yes lets it run and leaves no
 * trace in its change; a hostile pre-check changes nothing outside its worktree and sees no credential.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRunControl } from "../../src/engine/budget/index.ts";
import type { Worktree } from "../../src/engine/git/index.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { IF_COMMAND_TIMEOUT_MS, runPrecheck } from "../../src/engine/run/precheck.ts";
import { readRemoteState } from "../../src/engine/schedule/state.ts";
import { fingerprint, fingerprintDiff, marker } from "../security/harness.ts";
import { type EngineRepo, makeEngineRepo } from "../support/engine.ts";

const control = (e: EngineRepo) => createRunControl({ git: e.client(), remote: "origin" });

describe("if_command", () => {
  it("exit 1: the task never starts, is skipped with the reason, and is listed as not run", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({
      gated: "run: echo ran > ran.txt\nif_command: 'echo checked > checked.txt; exit 1'\n",
    });
    const runId = newRunId();
    const r = await e.run([task!], { control: control(e), runId });
    expect(r.result).toMatchObject({ status: "skipped", notRun: "if_command" });
    expect(r.result.message).toBe("skipped: if_command exited 1");
    expect(r.spawned).toEqual([]); // the `run:` command never started
    expect(r.result.files).toEqual([]);
    expect(existsSync(join(e.worktreePath("gated", runId), "ran.txt"))).toBe(false);
    expect(await e.branches()).toEqual(["main"]);
    expect(r.report.ok).toBe(true);
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.notRun?.gated?.at(-1)).toMatchObject({
      kind: "if_command",
      reason: "skipped: if_command exited 1",
      runId,
    });
    expect(state.locks).toEqual({});
  });

  it("exit 0: the task runs; what the pre-check wrote is not part of its change", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({
      gated: "run: echo ran > ran.txt\nif_command: 'echo checked > checked.txt && test -f checked.txt'\n",
    });
    const r = await e.run([task!], { control: control(e) });
    expect(r.result.status).toBe("success");
    expect(r.result.notRun).toBeUndefined();
    expect(r.result.files.map((f) => f.path)).toEqual(["ran.txt"]);
  });

  it("a pre-check that does not answer in time is stopped and the task is skipped", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ slow: "run: echo ran > ran.txt\nif_command: sleep 600\n" });
    const wt = { path: e.path, git: e.client(), baseCommit: await e.git("rev-parse", "HEAD") } as Worktree;
    const t0 = Date.now();
    const out = await runPrecheck({ task: task!, worktree: wt, env: e.agentEnv(), timeoutMs: 500 });
    expect(out).toMatchObject({ run: false, reason: "skipped: if_command did not finish within 1s" });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(IF_COMMAND_TIMEOUT_MS).toBe(60_000);
  });

  it("attack: the pre-check writes outside its worktree and looks for credentials — nothing changes, nothing is visible", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const m = marker("ifcmd");
    const home = String(e.env.HOME);
    const canary = `CANARY-${m}`;
    const outside = [
      join(home, ".bashrc"),
      join(home, `${m}.txt`),
      join(tmpdir(), `${m}.txt`),
      join(e.path, `${m}.txt`),
      join(e.path, ".git", "hooks", "pre-commit"),
      join(e.worktreePath("attack", "x"), "..", `${m}.txt`),
    ];
    // every write is tried (no `set -e`); exit 0 only when it got to the end, saw the task's own
    // variable (the check works) and no canary in its whole environment
    const script = [
      ...outside.map((p) => `echo ${m} >> '${p}'`),
      `echo ${m} > proof.txt && test -f proof.txt || exit 5`,
      `test "$PLAIN" = visible || exit 6`,
      `env | grep -q CANARY && exit 7`,
      "exit 0",
    ].join("; ");
    const [task] = await e.tasks({
      attack: `run: echo ran > ran.txt\nagent:\n  env:\n    PLAIN: visible\nif_command: ${JSON.stringify(script)}\n`,
    });
    const before = { home: fingerprint(home), checkout: fingerprint(e.path) };
    const r = await e.run([task!], {
      env: e.agentEnv(undefined, {
        GITHUB_TOKEN: canary,
        GH_TOKEN: canary,
        ANTHROPIC_API_KEY: canary,
        ACTIONS_RUNTIME_TOKEN: canary,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: canary,
      }),
    });
    // the pre-check ran to its end (exit 0: the task ran), saw its own variable and no canary
    expect(r.result.status).toBe("success");
    expect(r.result.files.map((f) => f.path)).toEqual(["ran.txt"]);
    const after = { home: fingerprint(home), checkout: fingerprint(e.path) };
    expect(fingerprintDiff(before.home, after.home)).toEqual([]);
    // the checkout's .git changes with every run (refs, logs); only its working files and hooks count
    const relevant = (p: string) => !p.includes("/.git/") || p.includes("/.git/hooks/");
    expect(fingerprintDiff(before.checkout, after.checkout).filter(relevant)).toEqual([]);
    for (const p of outside.slice(1)) expect(existsSync(p), p).toBe(false);
  });
});
