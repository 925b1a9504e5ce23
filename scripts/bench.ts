// `npm run bench`: measures the targets of the issues, prints a table, writes docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

interface Row {
  what: string;
  measured: string;
  target: string;
  ok: boolean;
}

const rows: Row[] = [];
const node = process.execPath;

function child(script: string, args: string[]): Record<string, number> {
  // what the previous benchmark left to write back (10,000-file worktrees deleted) is not this one's cost
  execFileSync("sync");
  execFileSync(node, ["-e", "setTimeout(() => {}, 2000)"]);
  const out = execFileSync(node, [script, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

// 1. Planning: `claude-tasks plan` (parse + validate + schedule + graph) over N generated task files,
// timed as a whole process, as a user runs it. The target is 1,000 task files in ≤ 500 ms; 100 and
// 10,000 files are measured to show how it scales (10,000 was the target before; no longer).
const planMs: Record<number, number> = {};
for (const n of [100, 1000, 10000]) {
  const r = child("scripts/bench/plan-process.ts", [String(n), "5"]);
  planMs[n] = r.ms!;
  const target = n === 1000 ? "≤ 500 ms" : "–";
  const ok = n === 1000 ? r.ms! <= 500 : true;
  rows.push({
    what: `\`plan\` over ${n} task files (whole process)`,
    measured: `${r.ms!.toFixed(0)} ms, ${r.peakMb!.toFixed(0)} MB peak`,
    target,
    ok,
  });
}

// 1b. Whether the js-yaml fast path (config/fast-yaml.ts) pays: it stays only while `plan` over 1,000
// files would take more than 500 ms without it.
{
  const r = child("scripts/bench/fast-path.ts", ["1000", "5"]);
  const saved = r.preciseMs! - r.fastMs!;
  const without = planMs[1000]! + saved;
  rows.push({
    what: "`plan` over 1000 task files without the js-yaml fast path (the plan above + what it saves)",
    measured: `≈ ${without.toFixed(0)} ms: loading takes ${r.fastMs!.toFixed(0)} ms with it, ${r.preciseMs!.toFixed(0)} ms without (fresh processes)`,
    target: "> 500 ms, or the fast path goes",
    ok: without > 500,
  });
}

// 2. Engine overhead per task vs the bare git commands, and 8 × 2 s tasks at --max-parallel 4.
{
  const r = child("scripts/bench/engine-worker.ts", ["10000", "5"]);
  const ratio = r.engineMs! / r.bareMs!;
  rows.push({
    what: "engine overhead per task (10,000-file repo, instant agent)",
    measured: `${r.engineMs!.toFixed(0)} ms vs ${r.bareMs!.toFixed(0)} ms bare git = ${ratio.toFixed(2)}×`,
    target: "≤ 1.3×",
    ok: ratio <= 1.3,
  });
  // Ideal: two waves of four 2 s tasks, each wave also paying one task's engine overhead.
  const ideal = 4000 + 2 * r.taskOverheadMs!;
  const parRatio = r.parallelMs! / ideal;
  rows.push({
    what: "8 tasks × 2 s agent, --max-parallel 4",
    measured: `${(r.parallelMs! / 1000).toFixed(2)} s = ${parRatio.toFixed(2)}× the ideal ${(ideal / 1000).toFixed(2)} s (4 s + 2 × ${r.taskOverheadMs!.toFixed(0)} ms overhead); one task's CPU: ${r.taskCpuMs!.toFixed(0)} ms, ${r.taskMainCpuMs!.toFixed(0)} ms of it on the engine's one thread (${cpus().length} cores)`,
    target: "≤ 1.15×",
    ok: parRatio <= 1.15,
  });
}

// 3. The Action's start-up: dist/action.js run as the runner runs it (workflow_dispatch, one task, Claude
//    Code already installed), from process start to the first agent spawn; and, for the Claude task,
//    start → first model request over the floor: the bare Claude Code CLI started the same way.
{
  const r = child("scripts/bench/action-startup.ts", ["7"]);
  rows.push({
    what: "Action start-up → first agent spawn (dist/action.js, command task)",
    measured: `${r.commandMs!.toFixed(0)} ms, median of ${r.runs} (node alone: ${r.nodeMs!.toFixed(0)} ms)`,
    target: "≤ 500 ms",
    ok: r.commandMs! <= 500,
  });
  rows.push({
    what: "Action start-up → first agent spawn (dist/action.js, Claude task)",
    measured: `${r.claudeMs!.toFixed(0)} ms, median of ${r.runs}`,
    target: "≤ 500 ms",
    ok: r.claudeMs! <= 500,
  });
  const over = r.claudeFirstRequestMs! - r.bareFirstRequestMs!;
  rows.push({
    what: "Action start → first model request, over the bare Claude Code CLI (Claude task, sandboxed)",
    measured: `+${over.toFixed(0)} ms (${r.claudeFirstRequestMs!.toFixed(0)} ms vs the bare CLI's ${r.bareFirstRequestMs!.toFixed(0)} ms; from the agent's spawn ~${(r.claudeFirstRequestMs! - r.claudeMs!).toFixed(0)} ms), median of ${r.runs}`,
    target: "≤ +150 ms",
    ok: over <= 150,
  });
  const remoteOver = r.remoteFirstRequestMs! - r.bareRemoteFirstRequestMs!;
  rows.push({
    what: `the same, when opening a connection to the API takes ${r.connectMs} ms (DNS, TCP and TLS to a remote host)`,
    measured: `${remoteOver >= 0 ? "+" : "−"}${Math.abs(remoteOver).toFixed(0)} ms (${r.remoteFirstRequestMs!.toFixed(0)} ms vs the bare CLI's ${r.bareRemoteFirstRequestMs!.toFixed(0)} ms), median of ${r.runs}: the model-key proxy opens its connection while Claude Code starts`,
    target: "–",
    ok: true,
  });
}

// 3c. Commit + push + open / update a PR: git HTTP requests (counted by the smart-HTTP front), wall time
//     and peak RSS, beside peter-evans/create-pull-request on the same fakes (when BENCH_PEERS_DIR has it).
{
  type M = { requests: number; ms: number; rssMb: number };
  const r = child("scripts/bench/pr-path.ts", ["5"]) as unknown as Record<
    string,
    { open: M; update: M } | null
  >;
  const ours = r["claude-tasks"]!;
  const unsigned = r["claude-tasks (sign-commits: off)"]!;
  const peer = r["create-pull-request"];
  const fmt = (m: M) => `${m.requests} requests, ${(m.ms / 1000).toFixed(2)} s, ${m.rssMb.toFixed(0)} MB`;
  for (const k of ["open", "update"] as const) {
    rows.push({
      what: `${k} a PR (plain-command task, dist/action.js, \`sign-commits: off\`: pushed with git like the peer): git HTTP requests, wall time, peak RSS`,
      measured: `${fmt(unsigned[k])}; create-pull-request: ${peer ? fmt(peer[k]) : "not measured (set BENCH_PEERS_DIR)"}`,
      target: "≤ create-pull-request's requests and wall time",
      ok: peer
        ? unsigned[k].requests <= peer[k].requests && unsigned[k].ms <= peer[k].ms
        : unsigned[k].requests <= (k === "open" ? 6 : 7),
    });
    rows.push({
      what: `${k} a PR, the default (\`sign-commits: required\`: the commit made and signed through the API)`,
      measured: fmt(ours[k]),
      target: "– (create-pull-request signs nothing by default)",
      ok: true,
    });
  }
  rows.push({
    what: "peak RSS, one task (open)",
    measured: `${ours.open.rssMb.toFixed(0)} MB; create-pull-request: ${peer ? `${peer.open.rssMb.toFixed(0)} MB` : "not measured"}`,
    target: "≤ create-pull-request's, or the difference explained (below)",
    ok: !peer || ours.open.rssMb <= peer.open.rssMb,
  });
}

// 3d. Claude Code on a fresh hosted runner: installed from the registry vs restored from the cache.
{
  const r = child("scripts/bench/claude-install.ts", []);
  rows.push({
    what: "Claude Code on a fresh runner: npm install vs restore from the Actions cache (archive extraction)",
    measured: `install ${(r.installMs! / 1000).toFixed(1)} s (warm npm cache; saving the archive ${(r.saveMs! / 1000).toFixed(1)} s more, once) vs restore ${(r.restoreMs! / 1000).toFixed(1)} s; ${r.installedMb!.toFixed(0)} MB installed, ${r.archiveMb!.toFixed(0)} MB archive`,
    target: "restore < install",
    ok: r.restoreMs! < r.installMs!,
  });
}

// 4. GitHub API calls per task, per pull request path (the publisher against the fake GitHub).
{
  const c = child("scripts/bench/publish-calls.ts", []) as unknown as Record<
    string,
    { calls: number; writes: number }
  >;
  const calls = (path: string) => c[path]!.calls;
  const extras = calls("open + 4 extra kinds") - calls("open");
  rows.push({
    what: "GitHub API calls per task: open · update · unchanged · dry run",
    measured:
      `${calls("open")} · ${calls("update")} (same report: ${calls("update, same report")}) · ` +
      `${calls("no changes")} · ${c["dry run"]!.writes} writes; extras: +${extras} for 4 kinds, ` +
      `+${calls("update, 1 new label") - calls("update")} for a new label`,
    target: "≤ 1 · ≤ 2 · ≤ 1 · 0 writes; +1 per extra kind",
    ok:
      calls("open") <= 1 &&
      calls("update") <= 2 &&
      calls("update, same report") <= 2 &&
      calls("no changes") <= 1 &&
      c["dry run"]!.writes === 0 &&
      extras <= 4 &&
      calls("update + 4 extra kinds") <= 2 &&
      calls("update, 1 new label") - calls("update") <= 1,
  });
}

// 5. The reliability suite's fuzzing of the parsers of untrusted text, 20 times longer than in CI.
{
  const r = child("scripts/bench/fuzz-worker.ts", ["20"]) as unknown as {
    inputs: number;
    ms: number;
    failures: number;
  };
  rows.push({
    what: "fuzzing: task loader, durations, schedules, comment commands (fixed seed, 20× the CI runs)",
    measured: `${r.inputs.toLocaleString("en")} inputs in ${(r.ms / 1000).toFixed(1)} s, ${r.failures} failure(s)`,
    target: "0 failures",
    ok: r.failures === 0,
  });
}

// 6. The credential scan over ordinary files, with every form it decodes; its false positives.
{
  const r = child("scripts/bench/secret-scan-worker.ts", []);
  const rate = (mb: number, ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  rows.push({
    what: `credential scan, every decoded form (${r.textFiles!.toLocaleString("en")} source files of src/, TypeScript's lib/*.d.ts and node_modules; ${r.binaryFiles} binary files of node_modules)`,
    measured: `text ${r.textMb!.toFixed(0)} MB at ${rate(r.textMb!, r.textMs!)} (the bare pre-check alone: ${rate(r.textMb!, r.quickMs!)}), binary ${r.binaryMb!.toFixed(0)} MB at ${rate(r.binaryMb!, r.binaryMs!)}; ${r.textFindings! + r.binaryFindings!} false positive(s)`,
    target: "0 false positives",
    ok: r.textFindings === 0 && r.binaryFindings === 0,
  });
}

// 7. The spend ledger: what admission + settlement add to one task's run, against one schedule claim.
{
  const r = child("scripts/bench/ledger.ts", ["9"]);
  rows.push({
    what: "ledger per task run: admission (budget reserved, lock taken) + settlement (cost recorded), against one schedule claim of the state ref",
    measured: `${r.ledgerMs!.toFixed(0)} ms for both (2 compare-and-swap round trips); one claim: ${r.claimMs!.toFixed(0)} ms`,
    target: "≤ 2 claim round trips",
    ok: r.ledgerMs! <= 2.5 * r.claimMs!,
  });
}

const table = [
  "| benchmark | measured | target | met |",
  "|---|---|---|---|",
  ...rows.map((r) => `| ${r.what} | ${r.measured} | ${r.target} | ${r.ok ? "✅" : "❌"} |`),
].join("\n");
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(table);
const HOW = `## How each figure is measured

- **plan**: N generated task files (cron, intervals, macros, five time zones, chains of \`needs\`) in a
  scratch repository; the built \`dist/cli.js plan --since … --now … --json\` run as its own process,
  median wall time of 5 runs, peak RSS of that process (GNU time).
- **fast path**: the 1,000 files loaded by \`parseConfigFiles\` with and without the js-yaml fast path,
  each in a fresh node process (start-up and imports included), alternating, median of 5; what it
  saves is added to the \`plan\` figure. The fast path is kept only while that sum is over 500 ms.
- **engine overhead**: a generated repository of 10,000 files; one task with an instant agent run
  through the engine as a dry run (worktree, change collection, guards, backup, commit, conflict check,
  removal), against the bare git commands the same work needs (worktree add, add, commit, merge-tree,
  worktree remove), alternating, median of 5. Both are dominated by checking out and deleting 10,000
  files, whose cost varies with the disk.
- **8 × 2 s tasks**: command tasks \`sleep 2\` at \`--max-parallel 4\` in a small repository, the median
  of three rounds; the ideal is two waves of 2 s plus the engine's own overhead for one task
  (measured alone), twice. The row
  also gives one task's CPU time (the engine's process and every process it waited for, from
  \`/proc/self/stat\`) and the part of it on the engine's one JavaScript thread, most of which is
  Node starting processes (\`fork\` of a ~100 MB process, ~5 ms each on this machine). Four tasks at
  once on two cores pay that CPU four times per wave, which the ideal (one task's overhead per wave)
  leaves out: the ratio measures the machine's cores as much as the engine.
- **Action start-up**: \`dist/action.js\` run as the runner runs it (\`INPUT_*\`, event file with the
  repository's default branch, outputs) on a \`workflow_dispatch\`, from process start to the first
  agent process, median of 7. What it costs (a CPU profile of one run): Node itself (~40 ms),
  compiling and running the start-up bundle (~110 ms, ~40 of them compiling: the engine with yaml,
  js-yaml and zod; Octokit, the Actions cache, tool-cache and artifact packages load only when used),
  then ~110 ms of the engine's own work, nearly all of it on its one thread: reading and checking the
  task files, about ten short processes before the spawn (the repository's git dir and remotes, the
  base commit, \`git worktree add\`, the refs the agent's private git dir gets, the sandbox probe; ~2 ms
  of the thread each to start), the model-key proxy's \`listen\` (Node compiles its IPv6 pattern on the
  first one, 5–8 ms). The run's one fetch, the task's lock in the ledger and the list of leftover
  worktrees happen while or after the agent starts.
- **start → first model request**: the same runs of \`dist/action.js\` (Claude task, in the sandbox),
  to the scripted model server's first agent-loop request; the floor is the bare \`claude -p\` started
  the same way against the same server, alternating, median of 7. Over the floor: the Action's
  start-up above; then Claude Code's own start, ~60 ms slower than the bare CLI's. It was ~120–170 ms
  slower until the sandbox's \`HOME\` came with Claude Code's settings file: in the sandbox every start
  is a first start in an empty \`HOME\`, and there Claude Code ran its twelve settings migrations, each
  reading \`~/.claude.json\` (some rewriting it), before its first request; the file now starts as those
  migrations leave it (\`src/engine/agent/claude-home.ts\`; half that file's reads and writes, counted
  with \`strace\`). The rest is spread over the hop through the model-key proxy, a linked worktree as
  its directory, the permission rules (\`--allowedTools\`/\`--disallowedTools\`) and \`stream-json\`
  output (10–30 ms each, measured earlier with the bare CLI changed one thing at a time). What the engine does beside
  it (the task's lock, loading the API client) costs nothing measurable: held back 1.5 s, the figure
  did not move. Claude Code 2.1 is a single Bun executable, so Node's compile cache does not apply.
- **with a remote API**: the same pair against a model server that answers a new connection's
  requests no earlier than 100 ms after it opened (\`tests/support/model-server.ts\`), as DNS, TCP
  and TLS to api.anthropic.com would make it wait. Claude Code opens its connection while it starts
  (\`HEAD /api/hello\`), but not with nonessential traffic off, as both are started here and as the
  engine starts it; the model-key proxy makes that request itself when it starts, so the agent's first
  request finds the connection open. The bare CLI pays the wait on its first request.
- **PR path**: \`scripts/bench/pr-path.ts\`: a fresh repository behind a git smart-HTTP front
  (\`git http-backend\`, \`tests/support/git-http.ts\`, which counts requests) and the GitHub fake; each
  run a fresh depth-1 clone as actions/checkout leaves it; \`dist/action.js\` on a dispatch of a plain
  command task that writes a file, then the same again (update); once with \`sign-commits: off\`
  (pushed with git, like the peer) and once with the default (the commit made and signed through
  GitHub's API). The peer is peter-evans/create-pull-request's committed \`dist/index.js\`, fetched
  from its public repository into \`$BENCH_PEERS_DIR/create-pull-request/\` (never committed here),
  run with its action.yml defaults as \`INPUT_*\` after a step that writes the same file; its API base
  (hard-wired to \`https://<git host>/api/v3\` off github.com) is pointed at the fake in a scratch copy.
  Median of 5, wall time and peak RSS (GNU time) of the Action's process. claude-tasks' requests with
  \`sign-commits: off\`: one fetch while the agent starts (the base, the task branch and the ledger's
  state ref in one call: 2; 4 on an update, when the branch's pack comes after two negotiation
  rounds), and one atomic push (2) of the branch, the backup ref of its old tip when it is rewritten,
  the ledger's record of the run and a lease on the base that updates nothing (the push fails if the
  base moved since the fetch; then the base is fetched, followed, and the push made again). The
  command ends within a second, before the task's lock is asked for, so the record claims the lock in
  that push (made only if no other run holds it, under the ledger's compare-and-swap); an agent that
  runs longer takes the lock in a push of its own (2 more requests) while it runs.
  Signed, the branch (or, on an update, a temporary one) is first created at the parent in a push
  that also carries the base's lease, then the commit is made through GraphQL. On an open its tree and
  parent are checked as GraphQL's answer reports them; on an update the commit is fetched (the push
  that moves the task branch to it needs it here) and checked as fetched. The ledger's record rides
  in the last push (on an update, the one that moves the task branch to the signed commit), and
  claims the task's lock there as it does unsigned. The
  GraphQL mutation and the pull request's own write follow each other at once: the API client lets
  a task's first writes go without the 1 s gap plugin-throttling keeps between any two (a token
  bucket, \`WRITE_PACE\` in \`src/engine/github/octokit.ts\`); that gap was ~1 s of each signed run.
- **Peak RSS**: Node 24 alone is ~44 MB; the start-up bundle loaded brings the process to ~65 MB
  (V8's code, the zod schemas and parsers; the peer's one file, loaded the same way, ~74 MB); the
  GitHub client and the run add the rest. What is left of the difference is V8's heap, not code:
  measured inside both processes (\`process.memoryUsage\` every 5 ms), the heap reserved at the
  peak is ~33 MB for claude-tasks and ~24 MB for the peer, while the heap in use is ~22 and ~18 MB:
  more of it is a young generation that V8 grew for the run's short-lived objects (the Action's
  \`node\` takes no flags to bound it). Agents start through \`node:child_process\`: execa and
  the built-ins it loads added 12 MB.
  Trimmed in this round: zod's locales and @actions/core's unused OIDC client (undici) are left out
  of the bundle, Octokit loads with the first API call, and it talks HTTP with \`node:http\` instead
  of Node's fetch: undici parses HTTP with llhttp compiled to WebAssembly, which V8 compiled again
  with TurboFan on a background thread as the PR was opened (a core for ~200 ms, seen with
  \`perf\`), +12 MB, and the process's exit waited for it (~100 ms from the last line to the end of
  the process, against ~35 ms without it, as for the peer).
- **Claude Code install**: \`ensureClaude\` on a fresh RUNNER_TEMP with a local stand-in for the cache
  service that archives as @actions/cache does (tar + zstd); install = npm from the registry with a
  warm npm cache; restore = extracting the archive (the download from the cache service comes on top).
- **API calls**: the publisher against the OpenAPI-checked GitHub fake, counted by the fake.
- **fuzzing**: the reliability suite's properties with a fixed seed, 20 × the runs CI uses.
- **ledger**: a bare remote on the local disk; one task admitted and settled through
  \`createRunControl\` (each a read, a state commit and a push with lease of
  \`refs/claude-tasks/state\`) against one \`claimDueTasks\` of the same ref, median of 9. Over a
  network each round trip adds its latency.
- **credential scan**: \`scanText\` over every text file of \`src/\`, TypeScript's \`lib/*.d.ts\`
  and up to 20,000 text files of \`node_modules\` (test and fixture folders left out); and the binary
  content scan (raw bytes and the same without NUL bytes) over up to 500 files of \`node_modules\` with
  a NUL byte in their first 8000 bytes. Each line is also read reversed, base64 runs holding an
  encoded prefix are decoded, and a line is joined with the next where a token could be split; the
  bare pre-check (one regex per line, all the scan did for most lines before) is timed for
  comparison. Every finding on these files is a false positive.
`;
writeFileSync(
  "docs/benchmarks.md",
  `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${machine}).\n\n${table}\n\n${HOW}`,
);
if (rows.some((r) => !r.ok)) process.exitCode = 1;
