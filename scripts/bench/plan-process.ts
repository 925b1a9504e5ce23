// Benchmark child: generates N task files in a scratch repository, then runs the built CLI's `plan`
// over them as a user would (the executable itself, a fresh process each time) and reports the median
// wall time and the peak RSS of that whole process. Prints one JSON line.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeTaskFiles } from "./task-files.ts";

const n = Number(process.argv[2] ?? 100);
const runs = Number(process.argv[3] ?? 3);
const cli = resolve("dist/cli.js");
const root = mkdtempSync(join(tmpdir(), "ct-bench-plan-"));
const dir = join(root, ".github", "claude-tasks");
mkdirSync(dir, { recursive: true });
execFileSync("git", ["init", "-q", root]);
writeTaskFiles(dir, n);

// GNU time reports the child's peak RSS; without it, fall back to wall time only.
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const args = ["plan", "--since", "2026-11-19T06:00:00Z", "--now", "2026-11-20T06:00:00Z", "--json"];
const samples: { ms: number; peakMb: number }[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync(gnuTime, ["-f", "%M", cli, ...args], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 256 * 2 ** 20,
      })
    : spawnSync(cli, args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`);
  const kb = gnuTime ? Number(r.stderr.trim().split("\n").pop()) : Number.NaN;
  samples.push({ ms, peakMb: kb / 1024 });
}
rmSync(root, { recursive: true, force: true });
samples.sort((a, b) => a.ms - b.ms);
const mid = samples[Math.floor(samples.length / 2)]!;
console.log(JSON.stringify({ n, ms: mid.ms, peakMb: Math.max(...samples.map((s) => s.peakMb)) }));
