/**
 * Background runs (engine/runs): `runTasks` behind an id, with a persisted record — needs between
 * runs, cancelling (work backed up), and a later registry finding the runs of an earlier one.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Agent, AgentResult } from "../../src/engine/agent/index.ts";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import { type BackgroundRecord, readRecords, writeRecord } from "../../src/engine/runs/record.ts";
import { BackgroundRuns } from "../../src/engine/runs/registry.ts";
import { makeRepo } from "../support/git-repo.ts";

const result = (summary: string): AgentResult => ({
  status: "success",
  transient: false,
  exitCode: 0,
  summary,
  durationMs: 1,
  outputTail: "",
});

let slowStarted: () => void = () => {};
const slowRunning = new Promise<void>((r) => {
  slowStarted = r;
});

/** Writes `<task>.txt` in its worktree (the prompt is the task name); `slow-one` writes, then waits until it is stopped. */
const agent: Agent = {
  kind: "command",
  async run(input) {
    const name = /\b(slow-one|after|good|next|x)\b/.exec(input.prompt)?.[1] ?? "unknown";
    await writeFile(join(input.cwd, `${name}.txt`), `${name}\n`);
    if (name === "slow-one") {
      slowStarted();
      await new Promise<void>((resolve) => {
        if (input.signal?.aborted) resolve();
        input.signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      return { ...result("stopped"), status: "cancelled", exitCode: null, error: "cancelled" } as AgentResult;
    }
    return result(`wrote ${name}.txt \u001b[2J`);
  },
};

function tasks(...names: string[]): Task[] {
  const files = names.map((n) => ({ path: `.github/claude-tasks/${n}.yml`, text: `prompt: ${n}\n` }));
  return parseConfigFiles(files, { configDir: ".github/claude-tasks", env: {} }).tasks;
}

describe("BackgroundRuns", () => {
  it("runs in the background, orders runs by needs, cancels with a backup, and is found again", async () => {
    await using repo = await makeRepo();
    const state = join(repo.path, ".git", "claude-tasks");
    const open = () =>
      BackgroundRuns.open({ state, base: { repoRoot: repo.path, gitEnv: repo.env, agentFor: () => agent } });
    const runs = await open();

    const slow = await runs.start({ kind: "delegate", tasks: tasks("slow-one"), mode: "local" });
    expect(slow.status).toBe("running");
    const after = await runs.start({ kind: "tasks", tasks: tasks("after"), mode: "local", needs: [slow.id] });
    expect(after.status).toBe("waiting");
    expect((await runs.wait(after.id, 200)).timedOut).toBe(true);

    // Cancel: the slow run stops, its work is backed up; the run that needed it is skipped.
    await slowRunning;
    const cancelled = await runs.cancel(slow.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.report?.results[0]?.backup).toBeDefined();
    const skipped = await runs.wait(after.id, 10_000);
    expect(skipped.record).toMatchObject({
      status: "skipped",
      message: `needed run ${slow.id} ended cancelled`,
    });

    const good = await runs.start({ kind: "tasks", tasks: tasks("good"), mode: "local" });
    const followed = await runs.start({
      kind: "tasks",
      tasks: tasks("next"),
      mode: "dry-run",
      needs: [good.id],
    });
    expect((await runs.wait(followed.id, 20_000)).record.status).toBe("succeeded");
    const done = (await runs.wait(good.id, 0)).record;
    expect(done.status).toBe("succeeded");
    expect(done.log.join("\n")).toMatch(/good: success/);
    expect(await repo.git("show", "claude-tasks/good:good.txt")).toBe("good");

    // A record left "running" by a server that died is reported as interrupted.
    const dead: BackgroundRecord = {
      ...done,
      id: "20260101-000000-dead",
      status: "running",
      pid: 2 ** 22 + 12345,
    };
    delete dead.report;
    await writeRecord(state, dead);

    const again = await open();
    const byId = new Map((await again.list()).map((r) => [r.id, r.status]));
    expect(Object.fromEntries(byId)).toEqual({
      [slow.id]: "cancelled",
      [after.id]: "skipped",
      [good.id]: "succeeded",
      [followed.id]: "succeeded",
      [dead.id]: "interrupted",
    });
    expect((await readRecords(state)).find((r) => r.id === dead.id)?.status).toBe("interrupted");
    await expect(
      again.start({ kind: "tasks", tasks: tasks("x"), mode: "local", needs: ["nope"] }),
    ).rejects.toThrow(/no run "nope"/);
  }, 60_000);
});
