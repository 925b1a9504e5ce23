// Benchmark child: the time the ledger adds to one task's run — admission (budget reserved, lock
// taken) and settlement (cost recorded, both released), each a compare-and-swap round trip of the
// state ref — against one schedule claim, the round trip every scheduled run already makes. A bare
// remote on the local disk, so the figures are git's own cost; a network adds its latency to each.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunControl } from "../../src/engine/budget/index.ts";
import type { Task } from "../../src/engine/config/index.ts";
import { createGit } from "../../src/engine/git/index.ts";
import type { TaskResult } from "../../src/engine/run/types.ts";
import { claimDueTasks } from "../../src/engine/schedule/state.ts";

const ROUNDS = Number(process.argv[2] ?? 9);
const root = mkdtempSync(join(tmpdir(), "ct-bench-ledger-"));
const home = join(root, "home");
mkdirSync(home);
process.env.HOME = home;
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_CONFIG_GLOBAL = join(home, ".gitconfig");
process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = "Bench";
process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = "bench@example.com";
const sh = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "ignore" });
const origin = join(root, "origin.git");
const repo = join(root, "repo");
mkdirSync(repo);
sh(root, "init", "-q", "--bare", origin);
sh(repo, "init", "-q", "-b", "main");
sh(repo, "commit", "-q", "--allow-empty", "-m", "init");
sh(repo, "remote", "add", "origin", origin);
sh(repo, "push", "-q", "origin", "main");

const git = createGit({ cwd: repo });
const task = {
  name: "t",
  kind: "claude",
  schedule: ["every 15m"],
  timezone: "UTC",
  missed: "once",
  enabled: true,
  watch: [],
  budget: { daily_usd: 1_000_000 },
  retry: { attempts: 1, backoff: "0s" },
  agent: { timeout: "10m", max_budget_usd: 1 },
} as unknown as Task;
const result = { status: "success", durationMs: 1, agent: { costUsd: 0.5, numTurns: 3 } } as TaskResult;
const control = createRunControl({ git, remote: "origin" });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const ledger: number[] = [];
const claim: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  let t = performance.now();
  const a = await control.admit({ task, runId: `r${i}`, scheduled: false, baseCommit: async () => "" });
  if (!a.ok) throw new Error(a.reason);
  await control.settle(task, `r${i}`, result);
  ledger.push(performance.now() - t);
  t = performance.now();
  await claimDueTasks({
    git,
    remote: "origin",
    tasks: [task],
    now: new Date(Date.UTC(2026, 0, 1, 0, 15 * (i + 1))),
  });
  claim.push(performance.now() - t);
}
rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ ledgerMs: median(ledger), claimMs: median(claim) }));
