import { describe, expect, it } from "vitest";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import { type WatchEvent, type WatchRunRequest, watchBranch } from "../../src/engine/local/watch.ts";
import type { RunReport } from "../../src/engine/run/index.ts";
import { makeRepo } from "../support/git-repo.ts";

const DIR = ".github/claude-tasks";

function load(files: Record<string, string>): Task[] {
  return parseConfigFiles(
    Object.entries(files).map(([name, text]) => ({ path: `${DIR}/${name}.yml`, text })),
    { configDir: DIR, env: {} },
  ).tasks;
}

const report = (ok = true): RunReport => ({
  version: 1,
  runId: "r",
  mode: "local",
  startedAt: "",
  durationMs: 0,
  results: [],
  crossConflicts: [],
  totalCostUsd: 0,
  ok,
});

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("watch: new commits on the base branch run the tasks that watch the changed files", () => {
  it("matches globs against the files between the old and the new tip; a series of commits is one run", async () => {
    await using repo = await makeRepo();
    await repo.commit("init", { "README.md": "hi\n", "src/a.ts": "1\n" });
    const tasks = load({
      docs: 'run: "true"\nwatch: ["docs/**", "README.md"]\n',
      code: 'run: "true"\nwatch: ["src/**"]\n',
      other: 'run: "true"\nwatch: ["src/**"]\nbase: release\n',
    });
    const runs: WatchRunRequest[] = [];
    const events: WatchEvent[] = [];
    const stop = new AbortController();
    const watching = watchBranch({
      git: repo.client(),
      branch: "main",
      loadTasks: async () => tasks,
      run: async (req) => {
        runs.push(req);
        return report();
      },
      signal: stop.signal,
      intervalMs: 30,
      debounceMs: 1500,
      onEvent: (e) => events.push(e),
    });
    try {
      await until(() => events.some((e) => e.type === "watching"));
      const before = await repo.head();
      await repo.commit("one", { "src/a.ts": "2\n" });
      await repo.commit("two", { "docs/x.md": "x\n" });
      await until(() => runs.length === 1);
      expect(runs[0]!.tasks.map((t) => t.name).sort()).toEqual(["code", "docs"]); // `other` follows release
      expect(runs[0]!.from).toBe(before);
      expect(runs[0]!.to).toBe(await repo.head());
      expect(runs[0]!.matches.find((m) => m.name === "docs")?.files).toEqual(["docs/x.md"]);

      // a commit nothing watches: seen, no run; a commit on another branch: not seen
      await repo.commit("three", { "notes.txt": "n\n" });
      await until(() => events.filter((e) => e.type === "moved").length === 2);
      await repo.git("checkout", "-q", "-b", "feature");
      await repo.commit("four", { "src/b.ts": "b\n" });
      await new Promise((r) => setTimeout(r, 500));
      expect(runs).toHaveLength(1);
    } finally {
      stop.abort();
      await watching;
    }
  });

  it("one run at a time: commits during a run are picked up after it, from the tip the run started at", async () => {
    await using repo = await makeRepo();
    await repo.commit("init", { "src/a.ts": "1\n" });
    const tasks = load({ code: 'run: "true"\nwatch: ["src/**"]\n' });
    const runs: WatchRunRequest[] = [];
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const stop = new AbortController();
    const watching = watchBranch({
      git: repo.client(),
      branch: "main",
      loadTasks: async () => tasks,
      run: async (req) => {
        runs.push(req);
        maxActive = Math.max(maxActive, ++active);
        if (runs.length === 1) await new Promise<void>((r) => (release = r));
        active--;
        return report();
      },
      signal: stop.signal,
      intervalMs: 30,
      debounceMs: 100,
    });
    await new Promise((r) => setTimeout(r, 100));
    await repo.commit("one", { "src/a.ts": "2\n" });
    await until(() => runs.length === 1);
    const first = runs[0]!.to;
    await repo.commit("two", { "src/a.ts": "3\n" });
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toHaveLength(1);
    release();
    await until(() => runs.length === 2);
    expect(runs[1]!.from).toBe(first);
    expect(maxActive).toBe(1);
    stop.abort();
    await watching;
  });

  it("stopping while a run is going: the run sees the signal, the watcher returns after it", async () => {
    await using repo = await makeRepo();
    await repo.commit("init", { "src/a.ts": "1\n" });
    const tasks = load({ code: 'run: "true"\nwatch: ["src/**"]\n' });
    const stop = new AbortController();
    let sawAbort = false;
    let started = false;
    const watching = watchBranch({
      git: repo.client(),
      branch: "main",
      loadTasks: async () => tasks,
      run: async () => {
        started = true;
        await new Promise<void>((r) => stop.signal.addEventListener("abort", () => r()));
        sawAbort = true;
        throw new Error("interrupted");
      },
      signal: stop.signal,
      intervalMs: 30,
      debounceMs: 50,
    });
    await new Promise((r) => setTimeout(r, 100));
    await repo.commit("one", { "src/a.ts": "2\n" });
    await until(() => started);
    stop.abort();
    await watching;
    expect(sawAbort).toBe(true);
  });
});

describe("watch: broken task files", () => {
  it("a commit that breaks the task files is reported; the watcher goes on and runs after the fix", async () => {
    await using repo = await makeRepo();
    await repo.commit("init", { "src/a.ts": "1\n" });
    const tasks = load({ code: 'run: "true"\nwatch: ["src/**"]\n' });
    let broken = true;
    const runs: WatchRunRequest[] = [];
    const events: WatchEvent[] = [];
    const stop = new AbortController();
    const watching = watchBranch({
      git: repo.client(),
      branch: "main",
      loadTasks: async () => {
        if (broken) throw new Error("bad task file");
        return tasks;
      },
      run: async (req) => {
        runs.push(req);
        return report();
      },
      signal: stop.signal,
      intervalMs: 30,
      debounceMs: 100,
      onEvent: (e) => events.push(e),
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      await repo.commit("one", { "src/a.ts": "2\n" });
      await until(() => events.some((e) => e.type === "run-failed"));
      expect(runs).toEqual([]);
      broken = false;
      const fixed = await repo.commit("two", { "src/a.ts": "3\n" });
      await until(() => runs.length === 1);
      expect(runs[0]!.to).toBe(fixed);
    } finally {
      stop.abort();
      await watching;
    }
  });
});
