/**
 * Load: 50 tasks in one `claude-tasks run` at `--max-parallel 8` — Claude tasks against the scripted
 * model and command tasks, with failures of every kind chosen by a seeded generator. Every task must end
 * in exactly one recorded outcome (the report and runs.jsonl agree, and match what was scripted), and
 * nothing may be left behind: no worktree, lock or agent process. Peak memory is measured.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseLog } from "../../src/engine/run/index.ts";
import { makeEngineRepo } from "../support/engine.ts";
import { startModelServer, type Turn } from "../support/model-server.ts";
import { mb, reliabilityCase } from "./support/cases.ts";
import { claudeYaml, cliEnv, expectConsistent } from "./support/engine.ts";
import { sampleTreeRss, startCli } from "./support/proc.ts";

const TASKS = 50;
const SEED = 42;

type Outcome = "ok" | "fail" | "flaky" | "refuse" | "idle" | "timeout";
const EXPECTED: Record<Outcome, string> = {
  ok: "success",
  flaky: "success",
  fail: "failed",
  refuse: "refused",
  idle: "no_changes",
  timeout: "timeout",
};

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** What each task is scripted to do: 60% Claude tasks, 40% commands; about a third of them fail. */
function plan(): { name: string; kind: "claude" | "command"; outcome: Outcome }[] {
  const rand = prng(SEED);
  const pickOf = <T>(weighted: [T, number][]) => {
    let x = rand() * weighted.reduce((n, [, w]) => n + w, 0);
    for (const [v, w] of weighted) {
      x -= w;
      if (x < 0) return v;
    }
    return weighted.at(-1)![0];
  };
  return Array.from({ length: TASKS }, (_, i) => {
    const kind = rand() < 0.6 ? "claude" : "command";
    const outcome: Outcome =
      kind === "claude"
        ? pickOf<Outcome>([
            ["ok", 5],
            ["fail", 1],
            ["flaky", 1],
            ["refuse", 1],
            ["idle", 1],
          ])
        : pickOf<Outcome>([
            ["ok", 5],
            ["fail", 2],
            ["idle", 1],
            ["timeout", 1],
          ]);
    return { name: `load-${String(i + 1).padStart(2, "0")}`, kind, outcome };
  });
}

const COMMANDS: Record<Outcome, string> = {
  ok: "run: echo done > out.txt\n",
  fail: 'run: "echo broken >&2; exit 3"\n',
  idle: 'run: "true"\n',
  timeout: "run: sleep 30\nagent:\n  timeout: 2s\n",
  flaky: "",
  refuse: "",
};

it("L-01 50 tasks at --max-parallel 8 with seeded failures: one outcome each, nothing left behind", async () => {
  const c = reliabilityCase(
    "L-01",
    "load",
    `\`claude-tasks run 'load-*' --max-parallel 8\` over ${TASKS} tasks (Claude against the scripted model, and commands) with seeded failures: API errors, a transient 529 then a retry, refused changes, non-zero exits, timeouts`,
    "every task ends in exactly one outcome, the scripted one; report and runs.jsonl agree; no worktree, lock or agent process left; peak memory reported",
  );
  const tasks = plan();
  await using e = await makeEngineRepo();
  const files: Record<string, string> = {};
  for (const t of tasks) {
    // every Claude task may retry a transient failure once (only the `flaky` ones need it)
    files[t.name] =
      t.kind === "command" ? COMMANDS[t.outcome] : claudeYaml("retry:\n  attempts: 2\n  backoff: 1s\n");
  }
  await e.tasks(files);

  const byName = new Map(tasks.map((t) => [t.name, t]));
  const seen = new Map<string, number>();
  const server = await startModelServer((req) => {
    const context = JSON.stringify([req.body.system, req.body.messages]);
    const cwd = /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1] ?? "";
    const name = /(load-\d\d)-\d{8}-\d{6}-\w+$/.exec(cwd)?.[1] ?? "";
    const t = byName.get(name);
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    const write = (path: string): Turn => ({
      tool: "Write",
      input: { file_path: `${cwd}/${path}`, content: `${name}\n` },
    });
    if (!t) return { status: 400, message: `unknown working directory ${cwd}` };
    switch (t.outcome) {
      case "fail":
        return { status: 400, message: "scripted bad request" };
      case "flaky":
        return n === 0 ? { status: 529 } : n === 1 ? write("out.txt") : { text: "Done." };
      case "refuse":
        return n === 0 ? write(".github/workflows/evil.yml") : { text: "Done." };
      case "idle":
        return { text: "Nothing to do." };
      default:
        return n === 0 ? write("out.txt") : { text: "Done." };
    }
  });
  try {
    const started = Date.now();
    const cli = startCli(["run", "load-*", "--max-parallel", "8", "--json"], {
      cwd: e.path,
      env: cliEnv(e, server),
    });
    const tree = sampleTreeRss(cli.pid, 100);
    const out = await cli.done;
    tree.stop();
    const wall = Date.now() - started;
    const report = JSON.parse(out.stdout) as {
      runId: string;
      results: { task: string; status: string }[];
      totalCostUsd: number;
    };

    const log = parseLog(await readFile(join(e.state, "runs.jsonl"), "utf8"));
    const entries = log.entries.filter((l) => l.type === "task" && l.runId === report.runId);
    const logged = new Map(
      entries.map((l) => [l.type === "task" ? l.task : "", l.type === "task" ? l.status : ""]),
    );
    const histogram: Record<string, number> = {};
    for (const r of report.results) histogram[r.status] = (histogram[r.status] ?? 0) + 1;
    const mismatched = report.results.filter((r) => EXPECTED[byName.get(r.task)!.outcome] !== r.status);

    c.note(
      "tasks",
      `${tasks.filter((t) => t.kind === "claude").length} Claude + ${tasks.filter((t) => t.kind === "command").length} command`,
    );
    c.note("outcomes", histogram);
    c.note(
      "not as scripted",
      mismatched.map((r) => `${r.task}: ${r.status}`),
    );
    c.note("report results / log entries", `${report.results.length} / ${entries.length}`);
    c.note("wall time", `${(wall / 1000).toFixed(1)} s`);
    c.note("peak RSS of the CLI", mb(out.peakRss ?? 0));
    c.note("peak RSS of the CLI and its agents (sampled)", mb(tree.peak));
    c.note("model requests", server.mainRequests.length);

    expect(out.code, out.stderr).toBe(1); // some tasks fail, on purpose
    expect(report.results).toHaveLength(TASKS);
    expect(new Set(report.results.map((r) => r.task)).size).toBe(TASKS);
    expect(mismatched).toEqual([]);
    expect(entries).toHaveLength(TASKS);
    for (const r of report.results) expect(logged.get(r.task), r.task).toBe(r.status);
    expect(
      log.entries.filter((l) => l.runId === report.runId && l.type !== "task").map((l) => l.type),
    ).toEqual(["run-start", "run-end"]);
    await expectConsistent(e);
  } finally {
    await server.close();
  }
}, 240_000);
