// Benchmark child: what the js-yaml fast path (src/engine/config/fast-yaml.ts) saves. N generated task
// files are loaded with readConfig, in a fresh process each time (import and start-up included), with
// the fast path and without it, alternating; median wall time of `runs` each. Prints one JSON line.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTaskFiles } from "./task-files.ts";

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const root = mkdtempSync(join(tmpdir(), "ct-bench-fast-path-"));
mkdirSync(join(root, ".github", "claude-tasks"), { recursive: true });
execFileSync("git", ["init", "-q", root]);
writeTaskFiles(join(root, ".github", "claude-tasks"), n);

const load = (fastPath: boolean) => `
  import { parseConfigFiles } from "${join(process.cwd(), "src/engine/config/parse-config-files.ts")}";
  import { readFileSync, readdirSync } from "node:fs";
  const dir = ${JSON.stringify(join(root, ".github", "claude-tasks"))};
  const files = readdirSync(dir).map((f) => ({ path: ".github/claude-tasks/" + f, text: readFileSync(dir + "/" + f, "utf8") }));
  const r = parseConfigFiles(files, { fastPath: ${fastPath} });
  if (r.tasks.length !== ${n}) throw new Error("loaded " + r.tasks.length);
`;
const samples: Record<"fast" | "precise", number[]> = { fast: [], precise: [] };
for (let i = 0; i < runs; i++) {
  for (const kind of ["fast", "precise"] as const) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", load(kind === "fast")], {
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(r.stderr);
    samples[kind].push(performance.now() - t0);
  }
}
rmSync(root, { recursive: true, force: true });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(JSON.stringify({ n, fastMs: median(samples.fast), preciseMs: median(samples.precise) }));
