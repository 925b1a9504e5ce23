/**
 * Budgets, wind-down and skipping unchanged work, end to end: the real engine, the real Claude Code
 * CLI against the scripted model server, and the ledger on a real remote's state ref.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRunControl } from "../../src/engine/budget/index.ts";
import type { Task } from "../../src/engine/config/index.ts";
import { buildPlan } from "../../src/engine/plan/index.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { readRemoteState } from "../../src/engine/schedule/state.ts";
import { type EngineRepo, makeEngineRepo } from "../support/engine.ts";
import { startModelServer, type Turn } from "../support/model-server.ts";

const write = (path: string, content: string): Turn => ({
  tool: "Write",
  input: { file_path: path, content },
});

const control = (e: EngineRepo) => createRunControl({ git: e.client(), remote: "origin" });

const claudeTask = (extra: string) => `prompt: Do the scripted thing.
agent:
  permission_mode: acceptEdits
  timeout: 30s
${extra}`;

describe("budgets and the ledger, end to end", () => {
  it("a task runs until its daily budget is spent, then is refused before the agent starts: no model request", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ spend: claudeTask("budget:\n  daily_usd: 0.000001\n") });
    const first = await startModelServer([{ text: "Nothing to do." }]);
    try {
      const r = await e.run([task!], { env: e.agentEnv(first), control: control(e) });
      expect(r.result.status).toBe("no_changes");
      expect(r.result.agent?.costUsd).toBeGreaterThan(0);
    } finally {
      await first.close();
    }
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    const today = new Date().toISOString().slice(0, 10);
    expect(state.ledger?.tasks.spend?.days[today]?.runs).toBe(1);
    expect(state.ledger?.tasks.spend?.recent[0]).toMatchObject({ outcome: "no_changes" });
    expect(state.ledger?.reservations).toEqual([]);

    const second = await startModelServer([{ text: "must never be asked" }]);
    try {
      const runId = newRunId();
      const r = await e.run([task!], { env: e.agentEnv(second), control: control(e), runId });
      expect(r.result).toMatchObject({ status: "skipped", notRun: "budget" });
      expect(r.result.message).toMatch(
        /^refused by budget: the task's daily budget of \$0\.00 would be exceeded \(\$0\.\d+ spent today\)$/,
      );
      expect(second.requests).toHaveLength(0);
      expect(r.spawned).toEqual([]);
      expect(r.report.ok).toBe(true);
      const after = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
      expect(after.notRun?.spend?.at(-1)).toMatchObject({ kind: "budget", runId });
    } finally {
      await second.close();
    }
  });

  it("per-run budget reached mid-way: budget_exhausted, the work so far backed up, nothing lands", async () => {
    await using e = await makeEngineRepo({ origin: true });
    // what one turn costs here, so the cap falls between the first and the second turn
    const [probe] = await e.tasks({ probe: claudeTask("") });
    const one = await startModelServer([{ text: "first turn" }]);
    let turn: number;
    try {
      turn = (await e.run([probe!], { env: e.agentEnv(one) })).result.agent!.costUsd!;
    } finally {
      await one.close();
    }
    const cap = (turn * 1.5).toFixed(8);
    const [task] = await e.tasks({ capped: claudeTask(`  max_budget_usd: ${cap}\n`) });
    const runId = newRunId();
    const wt = e.worktreePath("capped", runId);
    const server = await startModelServer([
      write(join(wt, "a.txt"), "first\n"),
      write(join(wt, "b.txt"), "second\n"),
      { text: "never" },
    ]);
    try {
      const { result: r } = await e.run([task!], { env: e.agentEnv(server), runId, control: control(e) });
      expect(r.status).toBe("budget_exhausted");
      expect(r.message).toMatch(/^Claude Code stopped: .*budget.*; its partial work is in backup /);
      // how far it got depends on Claude Code's own cost estimate; what it did is kept, never the text turn
      expect(r.files.map((f) => f.path)).toContain("a.txt");
      const patch = await readFile(join(e.state, "backups", r.backup!, "changes.patch"), "utf8");
      expect(patch).toContain("+first");
      expect(server.mainRequests.length).toBeLessThan(3);
      expect(await e.branches()).toEqual(["main"]);
      const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
      expect(state.ledger?.tasks.capped?.recent[0]).toMatchObject({ outcome: "budget_exhausted" });
      expect(state.locks).toEqual({});
    } finally {
      await server.close();
    }
  });

  it("skip_if_unchanged: a scheduled run with nothing relevant changed does not start; a change makes it run", async () => {
    await using e = await makeEngineRepo({ origin: true, files: { "docs/a.md": "a\n", "src/x.ts": "x\n" } });
    const [task] = await e.tasks({
      docs: "run: date +%s%N > docs/stamp.txt\nskip_if_unchanged: true\nreads: [docs/a.md]\n",
    });
    // a scheduled run: the plan carries the fire time it covers
    const scheduled = (t: Task) => ({
      plan: buildPlan({
        tasks: [t],
        selected: [{ name: t.name, reason: "schedule", fireTimes: [new Date("2026-03-10T06:00:00Z")] }],
        now: new Date("2026-03-10T06:05:00Z"),
      }),
    });
    const first = await e.run([task!], { ...scheduled(task!), control: control(e) });
    expect(first.result.status).toBe("success");
    const base = first.result.baseCommit!;

    // an unrelated change: still skipped
    await e.commit("unrelated", { "src/x.ts": "y\n" });
    const second = await e.run([task!], { ...scheduled(task!), control: control(e) });
    expect(second.result).toMatchObject({ status: "skipped", notRun: "unchanged" });
    expect(second.result.message).toBe(`skipped: nothing changed since ${base.slice(0, 12)}`);
    expect(second.spawned).toEqual([]);

    // a run that was not scheduled (dispatch) runs whatever changed
    expect((await e.run([task!], { control: control(e) })).result.status).toBe("success");

    await e.commit("docs", { "docs/a.md": "b\n" });
    const third = await e.run([task!], { ...scheduled(task!), control: control(e) });
    expect(third.result.status).toBe("success");
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.notRun?.docs?.map((n) => n.kind)).toEqual(["unchanged"]);
  });
});
