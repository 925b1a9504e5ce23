/** `logs` (filters, --follow) and `status`: the pure query, the file follower, and the built CLI. */
import { spawn } from "node:child_process";
import { appendFile, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { followFile, matchesQuery, queryTaskEntries } from "../../src/engine/report/log-query.ts";
import type { LogEntry, TaskEntry } from "../../src/engine/run/index.ts";
import { CLI, cli } from "../support/cli.ts";
import { makeRepo } from "../support/git-repo.ts";

const entry = (runId: string, task: string, at: string, over: Partial<TaskEntry> = {}): TaskEntry => ({
  type: "task",
  runId,
  mode: "local",
  task,
  status: "success",
  message: `${task} done`,
  at,
  startedAt: at,
  durationMs: 2000,
  costUsd: 0.5,
  files: 1,
  branch: `claude-tasks/${task}`,
  ...over,
});

const LOG: LogEntry[] = [
  {
    type: "run-start",
    runId: "r1",
    mode: "local",
    tasks: ["docs-sync", "lint-fix"],
    pid: 999_999,
    at: "2026-11-01T06:00:00.000Z",
  },
  entry("r1", "docs-sync", "2026-11-01T06:01:00.000Z"),
  entry("r1", "lint-fix", "2026-11-01T06:02:00.000Z", {
    status: "failed",
    costUsd: undefined,
    durationMs: 4000,
  }),
  { type: "run-end", runId: "r1", ok: false, durationMs: 1, at: "2026-11-01T06:03:00.000Z" },
  entry("r2", "docs-sync", "2026-11-10T06:01:00.000Z", { costUsd: 1.5 }),
  entry("r3", "docs-sync", "2026-11-20T06:01:00.000Z", { status: "no_changes" }),
];
const jsonl = (entries: LogEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join("");

describe("log query", () => {
  it("filters by task (name or glob) and by time, inclusive", () => {
    const q = (o: Parameters<typeof queryTaskEntries>[1]) =>
      queryTaskEntries(LOG, o).map((e) => `${e.runId}:${e.task}`);
    expect(q({})).toEqual(["r1:docs-sync", "r1:lint-fix", "r2:docs-sync", "r3:docs-sync"]);
    expect(q({ task: "lint-fix" })).toEqual(["r1:lint-fix"]);
    expect(q({ task: "docs-*", tail: 2 })).toEqual(["r2:docs-sync", "r3:docs-sync"]);
    expect(q({ since: new Date("2026-11-10T06:01:00Z") })).toEqual(["r2:docs-sync", "r3:docs-sync"]);
    expect(q({ until: new Date("2026-11-10T06:01:00Z"), since: new Date("2026-11-01T06:02:00Z") })).toEqual([
      "r1:lint-fix",
      "r2:docs-sync",
    ]);
  });
  it("run markers pass a task filter only when they name the task", () => {
    expect(matchesQuery(LOG[0]!, { task: "lint-fix" })).toBe(true);
    expect(matchesQuery(LOG[0]!, { task: "other" })).toBe(false);
    expect(matchesQuery(LOG[3]!, { task: "lint-fix" })).toBe(false);
    expect(matchesQuery(LOG[3]!, {})).toBe(true);
  });
});

describe("followFile", () => {
  it("delivers appended lines, survives a rewrite (prune) without repeating, stops on abort", async () => {
    await using repo = await makeRepo();
    const file = join(repo.root, "runs.jsonl");
    await writeFile(file, "a\nb\n");
    const got: string[] = [];
    const stop = new AbortController();
    const done = followFile(file, {
      from: 4,
      signal: stop.signal,
      intervalMs: 10,
      onLine: (l) => got.push(l),
    });
    const until = async (n: number) => {
      for (let i = 0; i < 300 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await appendFile(file, "c\nd");
    await until(1);
    await appendFile(file, "\n");
    await until(2);
    expect(got).toEqual(["c", "d"]);
    // prune: a new file (new inode) with old lines kept, plus a new one
    await writeFile(`${file}.tmp`, "b\nd\ne\n");
    await rename(`${file}.tmp`, file);
    await until(3);
    stop.abort();
    await done;
    expect(got).toEqual(["c", "d", "e"]);
  });
});

async function repoWithLog(entries: LogEntry[]) {
  const repo = await makeRepo();
  const dir = join(repo.path, ".git", "claude-tasks");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "runs.jsonl"), jsonl(entries));
  return { repo, log: join(dir, "runs.jsonl") };
}

describe("logs and status (built CLI)", () => {
  it("logs --task/--since/--until/--json", async () => {
    const { repo } = await repoWithLog(LOG);
    await using _ = repo;
    const r = cli(
      ["logs", "--task", "docs-sync", "--since", "2026-11-05", "--until", "2026-11-15T00:00:00Z", "--json"],
      { cwd: repo.path },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).entries.map((e: TaskEntry) => e.runId)).toEqual(["r2"]);
    const table = cli(["logs", "--since", "2026-11-15"], { cwd: repo.path });
    expect(table.stdout.split("\n")[0]).toMatch(/^WHEN\s+TASK\s+STATUS/);
    expect(table.stdout).toContain("r3");
    expect(table.stdout).not.toContain("r1");
    expect(cli(["logs", "--task", "nope"], { cwd: repo.path }).stdout).toBe("no matching entries\n");
  });

  it("bad time flags are one-line errors, exit 2", async () => {
    const { repo } = await repoWithLog(LOG);
    await using _ = repo;
    for (const [args, message] of [
      [["logs", "--since", "last week"], /expected an ISO 8601 date/],
      [["logs", "--follow", "--until", "2026-11-01"], /--follow and --until exclude each other/],
      [["logs", "--since", "2026-11-02", "--until", "2026-11-01"], /--since is after --until/],
    ] as const) {
      const r = cli([...args], { cwd: repo.path });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("status --json: per task runs, success rate, averages, last outcome; a dead run is not running", async () => {
    const { repo } = await repoWithLog([
      ...LOG,
      {
        type: "run-start",
        runId: "r9",
        mode: "dry-run",
        tasks: ["docs-sync"],
        pid: 999_999_9,
        at: "2026-11-21T00:00:00.000Z",
      },
    ]);
    await using _ = repo;
    const r = cli(["status", "--json"], { cwd: repo.path });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.running).toEqual([]);
    expect(s.interrupted).toMatchObject([{ runId: "r9", tasks: ["docs-sync"] }]);
    const docs = s.tasks.find((t: { task: string }) => t.task === "docs-sync");
    expect(docs).toMatchObject({
      runs: 3,
      successes: 3,
      failures: 0,
      successRate: 1,
      avgDurationMs: 2000,
      totalCostUsd: 2.5,
      last: { runId: "r3", status: "no_changes" },
    });
    expect(docs.avgCostUsd).toBeCloseTo(2.5 / 3);
    expect(s.tasks.find((t: { task: string }) => t.task === "lint-fix")).toMatchObject({
      runs: 1,
      successRate: 0,
      avgCostUsd: null,
    });
    const text = cli(["status"], { cwd: repo.path });
    expect(text.stdout).toMatch(
      /^interrupted run r9 \(dry-run, pid 9999999, .*\): docs-sync — it never finished/m,
    );
    expect(text.stdout).toMatch(
      /^docs-sync\s+➖ no_changes\s+2026-11-20 06:01\s+3\s+100%\s+2s\s+\$0\.83\s+\$2\.50$/m,
    );
  });

  it("status shows a run that is still running", async () => {
    const { repo } = await repoWithLog([
      {
        type: "run-start",
        runId: "live",
        mode: "local",
        tasks: ["docs-sync"],
        pid: process.pid,
        at: "2026-11-21T00:00:00.000Z",
      },
    ]);
    await using _ = repo;
    const s = JSON.parse(cli(["status", "--json"], { cwd: repo.path }).stdout);
    expect(s.running).toMatchObject([{ runId: "live", tasks: ["docs-sync"] }]);
  });

  it("logs --follow prints new entries as they are written and exits 0 on SIGINT", async () => {
    const { repo, log } = await repoWithLog(LOG.slice(0, 2));
    await using _ = repo;
    const child = spawn(process.execPath, [CLI, "logs", "--follow", "--json", "--task", "docs-*"], {
      cwd: repo.path,
      env: { PATH: process.env.PATH ?? "", HOME: repo.root },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 500 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 20));
      expect(out).toMatch(re);
    };
    await waitFor(/"runId":"r1"/); // the existing entry, as one JSON line
    await appendFile(
      log,
      jsonl([
        entry("r5", "lint-fix", "2026-11-21T00:00:00.000Z"),
        entry("r5", "docs-sync", "2026-11-21T00:00:01.000Z"),
      ]),
    );
    await waitFor(/"runId":"r5"/);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exit).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TaskEntry);
    expect(lines.map((e) => `${e.runId}:${e.task}`)).toEqual(["r1:docs-sync", "r5:docs-sync"]);
  });
});
