// Benchmark child: the engine's overhead per task against the bare git commands the same work needs,
// on a generated repository of 10,000 files, plus 8 × 2 s tasks at --max-parallel 4. Prints JSON.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent } from "../../src/engine/agent/index.ts";
import { parseConfigFiles } from "../../src/engine/config/index.ts";
import { planOf } from "../../src/engine/plan/index.ts";
import { runTasks } from "../../src/engine/run/index.ts";

const FILES = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const root = mkdtempSync(join(tmpdir(), "ct-bench-engine-"));
const home = join(root, "home");
mkdirSync(home);
process.env.HOME = home;
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_CONFIG_GLOBAL = join(home, ".gitconfig");
process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = "Bench";
process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = "bench@example.com";
const repo = join(root, "repo");
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"] }).toString();

mkdirSync(repo);
git("init", "-q", "-b", "main");
for (let i = 0; i < FILES; i++) {
  const dir = join(repo, "src", `d${i % 100}`);
  if (i < 100) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`);
}
git("add", "-A");
git("commit", "-q", "-m", "10k files");

// The bare git work of one task: worktree add, write, add/commit, merge-tree against the base, remove.
function bareRound(i: number): number {
  const t0 = performance.now();
  const wt = join(root, `bare-${i}`);
  git("worktree", "add", "-q", "--detach", wt, "main");
  writeFileSync(join(wt, "CHANGED.md"), `round ${i}\n`);
  execFileSync("git", ["add", "-A"], { cwd: wt });
  execFileSync("git", ["commit", "-q", "-m", "x"], { cwd: wt });
  const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: wt }).toString().trim();
  git("merge-tree", "--write-tree", "main", head);
  git("worktree", "remove", "--force", wt);
  return performance.now() - t0;
}

const instant: Agent = {
  kind: "command",
  async run(input) {
    await writeFile(join(input.cwd, "CHANGED.md"), "engine\n");
    return {
      status: "success",
      transient: false,
      exitCode: 0,
      summary: "done",
      durationMs: 0,
      outputTail: "",
    };
  },
};
const [task] = parseConfigFiles(
  [{ path: ".github/claude-tasks/bench.yml", text: 'run: "true"\n' }],
  {},
).tasks;

async function engineRound(): Promise<number> {
  const t0 = performance.now();
  const report = await runTasks({
    repoRoot: repo,
    tasks: [task!],
    plan: planOf([task!], "bench"),
    mode: "dry-run",
    agentFor: () => instant,
  });
  if (report.results[0]?.status !== "success")
    throw new Error(`engine round failed: ${report.results[0]?.message}`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
bareRound(-1); // warm the file cache
await engineRound();
const bare: number[] = [];
const engine: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  bare.push(bareRound(i));
  engine.push(await engineRound());
}

// 8 tasks whose agent takes 2 s, at most 4 at once: ideally 2 waves = 4 s. A small repository, so
// that this measures the scheduling, not checkouts (the first part measures those).
const small = join(root, "small");
mkdirSync(small);
execFileSync("git", ["init", "-q", "-b", "main"], { cwd: small });
writeFileSync(join(small, "README.md"), "small\n");
execFileSync("git", ["add", "-A"], { cwd: small });
execFileSync("git", ["commit", "-q", "-m", "small"], { cwd: small });
const sleepers = parseConfigFiles(
  Array.from({ length: 8 }, (_, i) => ({
    path: `.github/claude-tasks/s${i}.yml`,
    text: `run: "sleep 2 && echo ${i} > s${i}.txt"\n`,
  })),
  {},
).tasks;
// The engine's own overhead for one such task, alone (same command without the sleep).
const quick = parseConfigFiles(
  [{ path: ".github/claude-tasks/q.yml", text: 'run: "echo q > q.txt"\n' }],
  {},
).tasks;
const overheads: number[] = [];
/** CPU time of this process and of its waited-for children so far, in ms (Linux: /proc/self/stat). */
const cpu = () => {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const tick = 1000 / 100; // USER_HZ
  return { all: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick };
};
const c0 = cpu();
const m0 = process.cpuUsage();
for (let i = 0; i < 3; i++) {
  const q0 = performance.now();
  await runTasks({ repoRoot: small, tasks: quick, plan: planOf(quick, "bench"), mode: "dry-run" });
  overheads.push(performance.now() - q0);
}
const m1 = process.cpuUsage(m0);
const taskCpuMs = (cpu().all - c0.all) / 3;
const taskMainCpuMs = (m1.user + m1.system) / 1000 / 3;
// three rounds, the median: one round is one sample of a busy two-core machine
const rounds: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const par = await runTasks({
    repoRoot: small,
    tasks: sleepers,
    plan: planOf(sleepers, "bench"),
    mode: "dry-run",
    maxParallel: 4,
  });
  rounds.push(performance.now() - t0);
  if (!par.ok)
    throw new Error(
      `parallel round failed: ${par.results.map((r) => `${r.task} ${r.status} ${r.message}`).join("; ")}`,
    );
}
const parallelMs = median(rounds);

rmSync(root, { recursive: true, force: true });
console.log(
  JSON.stringify({
    files: FILES,
    bareMs: median(bare),
    engineMs: median(engine),
    parallelMs,
    taskOverheadMs: median(overheads),
    taskCpuMs,
    taskMainCpuMs,
    peakMb: process.resourceUsage().maxRSS / 1024,
  }),
);
