/** Retention: the policy from flags and the environment, the pure plan, and `prune` on a real state dir (the built CLI: retention.int.test.ts). */
import { existsSync } from "node:fs";
import { appendFile, mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listBackups, stateDir, writeBackup } from "../../src/engine/git/index.ts";
import {
  type BackupItem,
  parseAge,
  planPrune,
  prune,
  retentionPolicy,
  rewriteLog,
  runIdTime,
} from "../../src/engine/retention/index.ts";
import { type LogEntry, parseLog, type TaskEntry } from "../../src/engine/run/index.ts";
import { type BackgroundRecord, backgroundDir, writeRecord } from "../../src/engine/runs/record.ts";
import { makeRepo } from "../support/git-repo.ts";

const task = (runId: string, name: string, at: string): TaskEntry => ({
  type: "task",
  runId,
  mode: "local",
  task: name,
  status: "success",
  message: "ok",
  at,
  startedAt: at,
  durationMs: 1000,
  files: 1,
  branch: `claude-tasks/${name}`,
});
const start = (runId: string, at: string, pid = 999_999): LogEntry => ({
  type: "run-start",
  runId,
  mode: "local",
  tasks: [],
  pid,
  at,
});
const end = (runId: string, at: string): LogEntry => ({
  type: "run-end",
  runId,
  ok: true,
  durationMs: 1,
  at,
});
const backup = (id: string, taskName: string, runId: string, createdAt: string): BackupItem => ({
  id,
  task: taskName,
  runId,
  createdAt,
  size: 10,
});

describe("retentionPolicy", () => {
  it("flags, then the environment, then the default of 20", () => {
    expect(retentionPolicy({}, {})).toEqual({ keep: 20 });
    expect(retentionPolicy({}, { CLAUDE_TASKS_KEEP_BACKUPS: "5", CLAUDE_TASKS_MAX_AGE: "2w" })).toEqual({
      keep: 5,
      maxAgeMs: 14 * 86_400_000,
    });
    expect(retentionPolicy({ keep: "3", maxAge: "12h" }, { CLAUDE_TASKS_KEEP_BACKUPS: "5" })).toEqual({
      keep: 3,
      maxAgeMs: 12 * 3_600_000,
    });
  });
  it("bad values are one-line UserErrors naming their source", () => {
    expect(() => retentionPolicy({ keep: "0" }, {})).toThrow(/--keep: expected a whole number ≥ 1, got `0`/);
    expect(() => retentionPolicy({}, { CLAUDE_TASKS_KEEP_BACKUPS: "lots" })).toThrow(
      /CLAUDE_TASKS_KEEP_BACKUPS/,
    );
    expect(() => retentionPolicy({ maxAge: "30 days" }, {})).toThrow(
      /--max-age: expected an age such as 30d/,
    );
  });
  it("parses ages and run ids", () => {
    expect(parseAge("30d")).toBe(30 * 86_400_000);
    expect(parseAge("1.5d")).toBeUndefined();
    expect(parseAge("0d")).toBeUndefined();
    expect(runIdTime("20261120-060000-a1b2")?.toISOString()).toBe("2026-11-20T06:00:00.000Z");
    expect(runIdTime("nonsense")).toBeUndefined();
  });
});

describe("planPrune", () => {
  const now = new Date("2026-11-20T00:00:00Z");
  const entries: LogEntry[] = [
    start("r1", "2026-11-01T00:00:00Z"),
    task("r1", "a", "2026-11-01T00:01:00Z"),
    task("r1", "b", "2026-11-01T00:01:00Z"),
    end("r1", "2026-11-01T00:02:00Z"),
    start("r2", "2026-11-10T00:00:00Z"),
    task("r2", "a", "2026-11-10T00:01:00Z"),
    end("r2", "2026-11-10T00:02:00Z"),
    start("r3", "2026-11-19T00:00:00Z"),
    task("r3", "a", "2026-11-19T00:01:00Z"),
    end("r3", "2026-11-19T00:02:00Z"),
    start("r4", "2026-11-19T12:00:00Z"), // running, no task finished yet
  ];

  it("keeps the newest N runs of each task; a run stays while any of its tasks keeps it", () => {
    const plan = planPrune({
      backups: [],
      entries,
      reports: ["r1", "r2", "r3"],
      running: new Set(["r4"]),
      policy: { keep: 1 },
      now,
    });
    // a: r3 is its newest; b: r1 is its newest (and only) run, so r1 stays too.
    expect([...plan.keepRuns].sort()).toEqual(["r1", "r3", "r4"]);
    expect(plan.dropRuns).toEqual(["r2"]);
    expect(plan.deleteReports).toEqual(["r2"]);
  });

  it("max age drops old runs even within N, never a running one", () => {
    const plan = planPrune({
      backups: [],
      entries,
      reports: ["r1", "r2", "r3", "r0"],
      running: new Set(["r4", "r1"]),
      policy: { keep: 10, maxAgeMs: 5 * 86_400_000 },
      now,
    });
    expect([...plan.keepRuns].sort()).toEqual(["r1", "r3", "r4"]);
    expect(plan.deleteReports).toEqual(["r2"]); // r0 is unknown to the log and its id is no date: kept
  });

  it("backups: newest N per task; those of a running run always stay", () => {
    const backups = [
      backup("b1", "a", "r1", "2026-11-01T00:00:00Z"),
      backup("b2", "a", "r2", "2026-11-10T00:00:00Z"),
      backup("b3", "a", "r3", "2026-11-19T00:00:00Z"),
      backup("b4", "b", "r4", "2026-10-01T00:00:00Z"),
      backup("b5", "b", "r1", "2026-11-01T00:00:00Z"),
    ];
    const plan = planPrune({
      backups,
      entries,
      reports: [],
      running: new Set(["r4"]),
      policy: { keep: 1 },
      now,
    });
    expect(plan.deleteBackups.map((b) => b.id).sort()).toEqual(["b1", "b2"]);
    expect(plan.keepBackups.map((b) => b.id).sort()).toEqual(["b3", "b4", "b5"]);
  });

  it("reports of runs the log forgot go by the age in their id", () => {
    const plan = planPrune({
      backups: [],
      entries: [],
      reports: ["20261001-000000-aaaa", "20261119-000000-bbbb"],
      running: new Set(),
      policy: { keep: 5, maxAgeMs: 7 * 86_400_000 },
      now,
    });
    expect(plan.deleteReports).toEqual(["20261001-000000-aaaa"]);
  });
});

describe("prune on a real state directory", () => {
  it("deletes old backups and reports, trims the log, leaves a running run alone; --dry-run deletes nothing", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const state = await stateDir(git);
    const base = await repo.head();
    const lines: LogEntry[] = [];
    const runs = ["20261101-000000-aaaa", "20261102-000000-bbbb", "20261103-000000-cccc"];
    for (const [i, runId] of runs.entries()) {
      const at = `2026-11-0${i + 1}T00:00:00.000Z`;
      lines.push(start(runId, at), task(runId, "docs", at), end(runId, at));
      await mkdir(join(state, "runs", runId), { recursive: true });
      await writeFile(join(state, "runs", runId, "report.json"), "{}\n");
      await writeBackup({
        stateDir: state,
        runId,
        task: "docs",
        base,
        reason: "run result",
        patch: Buffer.from(`diff --git a/${i} b/${i}\n`),
        now: new Date(at),
      });
    }
    // A run still going (this very process), with an old backup of its own.
    const live = "20261001-000000-dddd";
    lines.push(start(live, "2026-10-01T00:00:00.000Z", process.pid));
    await writeBackup({
      stateDir: state,
      runId: live,
      task: "docs",
      base,
      reason: "before rebase",
      patch: Buffer.from("diff --git a/l b/l\n"),
      now: new Date("2026-10-01T00:00:00Z"),
    });
    const log = join(state, "runs.jsonl");
    await writeFile(log, `${lines.map((l) => JSON.stringify(l)).join("\n")}\nnot json\n`);

    const dry = await prune({ git, policy: { keep: 1 }, dryRun: true });
    expect(dry.backups.deleted.map((b) => b.runId).sort()).toEqual(runs.slice(0, 2));
    expect(dry.running).toEqual([live]);
    expect((await listBackups(state)).length).toBe(4);
    expect(existsSync(join(state, "runs", runs[0]!))).toBe(true);

    const done = await prune({ git, policy: { keep: 1 } });
    expect(done).toMatchObject({
      dryRun: false,
      reports: { deleted: runs.slice(0, 2) },
      log: { keptLines: 4, droppedLines: 7, damagedLines: 1 },
    });
    expect((await listBackups(state)).map((b) => b.meta.runId).sort()).toEqual([live, runs[2]].sort());
    expect(existsSync(join(state, "runs", runs[0]!))).toBe(false);
    expect(existsSync(join(state, "runs", runs[2]!))).toBe(true);
    const kept = parseLog(await readFile(log, "utf8"));
    expect(kept.damagedLines).toEqual([]);
    expect(new Set(kept.entries.map((e) => e.runId))).toEqual(new Set([runs[2], live]));
  });

  it("rewriteLog keeps lines appended while it works", async () => {
    await using repo = await makeRepo();
    const file = join(repo.root, "runs.jsonl");
    await writeFile(file, Array.from({ length: 2000 }, (_, i) => `{"n":${i}}`).join("\n") + "\n");
    const appends = (async () => {
      for (let i = 0; i < 50; i++) {
        await appendFile(file, `{"late":${i}}\n`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await rewriteLog(file, (line) => line.includes('"late"') || /"n":19\d\d/.test(line));
    await appends;
    const text = await readFile(file, "utf8");
    const late = text.split("\n").filter((l) => l.includes('"late"'));
    expect(late).toHaveLength(50);
    expect(new Set(late).size).toBe(50);
    expect(text.split("\n").filter((l) => l.includes('"n"'))).toHaveLength(100);
  });

  it("deletes the MCP server's records of background runs that ended before --max-age, never one still waiting or running", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const state = await stateDir(git);
    const now = new Date("2026-12-01T00:00:00Z");
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
    const LIVE = 4242;
    const isAlive = (pid: number) => pid === LIVE;
    const record = (id: string, r: Partial<BackgroundRecord>): BackgroundRecord => ({
      version: 1,
      id,
      kind: "tasks",
      mode: "local",
      tasks: ["docs"],
      needs: [],
      status: "succeeded",
      pid: 1,
      createdAt: days(60),
      log: [],
      ...r,
    });
    const records = [
      record("20261001-000000-old1", { endedAt: days(40) }), // finished long ago: goes
      record("20261001-000000-old2", { status: "cancelled", endedAt: days(31) }), // goes
      record("20261125-000000-new1", { status: "failed", endedAt: days(2) }), // recent: stays
      record("20261001-000000-run1", { status: "running", pid: LIVE }), // still running: stays
      record("20261001-000000-need", { endedAt: days(40) }), // old, but a waiting run needs it
      record("20261001-000000-wait", { status: "waiting", pid: LIVE, needs: ["20261001-000000-need"] }),
      record("20261001-000000-dead", { status: "running", pid: 2 }), // its server died 40 days ago: goes
      record("20261001-000000-late", { status: "running", pid: 2 }), // its server died yesterday: stays
      record("20261001-000000-logd", { endedAt: days(40) }), // the run log says its run is running
    ];
    for (const r of records) await writeRecord(state, r);
    const file = (id: string) => join(backgroundDir(state), `${id}.json`);
    // last written 40 days ago: only liveness keeps the running and the waiting run's records
    for (const id of ["20261001-000000-dead", "20261001-000000-run1", "20261001-000000-wait"])
      await utimes(file(id), new Date(days(40)), new Date(days(40)));
    await utimes(file("20261001-000000-late"), new Date(days(1)), new Date(days(1)));
    await writeFile(
      join(state, "runs.jsonl"),
      `${JSON.stringify(start("20261001-000000-logd", days(40), LIVE))}\n`,
    );
    const gone = ["20261001-000000-dead", "20261001-000000-old1", "20261001-000000-old2"];
    const names = async () => (await readdir(backgroundDir(state))).sort();

    // without an age limit prune does not judge these records at all
    expect((await prune({ git, policy: { keep: 1 }, now, isAlive })).background.deleted).toEqual([]);
    expect(await names()).toHaveLength(records.length);

    const policy = { keep: 1, maxAgeMs: 30 * 86_400_000 };
    const dry = await prune({ git, policy, now, isAlive, dryRun: true });
    expect(dry.background.deleted.sort()).toEqual(gone);
    expect(await names()).toHaveLength(records.length);

    const done = await prune({ git, policy, now, isAlive });
    expect(done.background.deleted.sort()).toEqual(gone);
    expect(await names()).toEqual(
      records
        .map((r) => r.id)
        .filter((id) => !gone.includes(id))
        .map((id) => `${id}.json`)
        .sort(),
    );
  });
});
