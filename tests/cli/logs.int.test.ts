/** `logs` (filters, --follow) and `status` as a user runs them: the built CLI. */
import { spawn } from "node:child_process";
import { appendFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { TaskEntry } from "../../src/engine/run/index.ts";
import { CLI, cli } from "../support/cli.ts";
import { until } from "../support/wait.ts";
import { entry, jsonl, LOG, repoWithLog } from "./log-fixtures.ts";

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
    const waitFor = (re: RegExp) =>
      until(() => re.test(out), { on: child.stdout, what: `${re} in the output`, endsWith: child });
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
