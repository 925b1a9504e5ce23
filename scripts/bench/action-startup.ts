// Benchmark child: the Action's start-up. Runs the committed bundle dist/action.js the way the runner
// does (INPUT_*, GITHUB_EVENT_NAME/PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP) on a
// `workflow_dispatch` of one task, in a local repository with a bare origin, with Claude Code already
// installed (on PATH), and measures process start → the first agent spawn (the Action logs a line when
// the engine reports the agent's `spawn`). Median of several runs, after one warm-up run; once for a
// command task and once for a Claude task (the real Claude Code CLI against the scripted model server).
// For the Claude task it also measures process start → the first model request (the scripted model
// server's first agent-loop request), against the floor: the bare Claude Code CLI (`claude -p`) started
// the same way, with the same model server. Both again against a model server whose connections take
// 100 ms to open (DNS, TCP and TLS to a remote API, which loopback does not have).
// Prints JSON: { commandMs, claudeMs, claudeFirstRequestMs, bareFirstRequestMs, remoteFirstRequestMs,
// bareRemoteFirstRequestMs, connectMs, nodeMs, runs }.
//
//   node scripts/bench/action-startup.ts [runs]
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startModelServer } from "../../tests/support/model-server.ts";

const RUNS = Number(process.argv[2] ?? 7);
const CONNECT_MS = 100;
const NODE = process.execPath;
const ACTION = resolve("dist/action.js");
const BIN = resolve("node_modules/.bin"); // the pinned Claude Code: "already installed"
const SPAWNED = /agent started \(pid \d+\)/;

const root = mkdtempSync(join(tmpdir(), "ct-bench-action-"));
const home = join(root, "home");
const repo = join(root, "repo");
const origin = join(root, "origin.git");
mkdirSync(home);
const gitConfig = join(home, ".gitconfig");
writeFileSync(
  gitConfig,
  "[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n",
);
const baseEnv = {
  PATH: `${BIN}:/usr/local/bin:/usr/bin:/bin`,
  HOME: home,
  GIT_CONFIG_GLOBAL: gitConfig,
  GIT_CONFIG_NOSYSTEM: "1",
  LANG: "C.UTF-8",
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: baseEnv, stdio: ["ignore", "pipe", "pipe"] }).toString();

mkdirSync(join(repo, ".github", "claude-tasks"), { recursive: true });
writeFileSync(join(repo, "README.md"), "# bench\n");
// both tasks change nothing, so a run makes no API call after the spawn being measured
writeFileSync(join(repo, ".github", "claude-tasks", "noop.yml"), 'run: "true"\n');
writeFileSync(
  join(repo, ".github", "claude-tasks", "ask.yml"),
  "prompt: Say done.\nagent:\n  max_turns: 2\n  allowed_tools: [Read]\n",
);
git(root, "init", "-q", "--bare", origin);
// the remote's own upkeep after a push (`gc --auto`) runs on GitHub's servers, not on the runner
git(origin, "config", "receive.autogc", "false");
git(repo, "init", "-q", "-b", "main");
git(repo, "add", "-A");
git(repo, "commit", "-q", "-m", "init");
git(repo, "remote", "add", "origin", origin);
git(repo, "push", "-q", "origin", "main");

let n = 0;
/** When the model server answered its first agent-loop request since the last reset. */
let firstRequestAt: number | undefined;
/** One run of dist/action.js; resolves with ms from spawn() to the agent's spawn line (and first request). */
function runAction(task: string, extra: Record<string, string> = {}): Promise<[number, number]> {
  const dir = join(root, `run-${++n}`);
  mkdirSync(join(dir, "temp"), { recursive: true });
  const event = join(dir, "event.json");
  writeFileSync(
    event,
    JSON.stringify({
      inputs: {},
      ref: "refs/heads/main",
      repository: { full_name: "acme/bench", default_branch: "main" },
    }),
  );
  writeFileSync(join(dir, "output"), "");
  writeFileSync(join(dir, "summary.md"), "");
  const env = {
    ...baseEnv,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    GITHUB_REPOSITORY: "acme/bench",
    GITHUB_WORKSPACE: repo,
    GITHUB_API_URL: "http://127.0.0.1:9", // nothing is published; a call would fail the run
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: String(n),
    RUNNER_TEMP: join(dir, "temp"),
    RUNNER_TOOL_CACHE: join(dir, "temp"),
    "INPUT_GITHUB-TOKEN": "ghs_benchTokenNeverSent000000000000000",
    INPUT_TASKS: task,
    ...extra,
  };
  firstRequestAt = undefined;
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(NODE, [ACTION], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let spawnedAt: number | undefined;
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (spawnedAt === undefined && SPAWNED.test(out)) spawnedAt = performance.now() - t0;
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("close", (code) => {
      if (code !== 0 || spawnedAt === undefined)
        fail(new Error(`dist/action.js (${task}) exited ${code} without the spawn line:\n${out}`));
      else ok([spawnedAt, firstRequestAt === undefined ? Number.NaN : firstRequestAt - t0]);
    });
  });
}

const medianOf = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** Medians per variant; the variants take turns, so a busy moment of the machine hits them alike. */
async function medians(variants: Record<string, [task: string, env?: Record<string, string>]>) {
  const entries = Object.entries(variants);
  for (const [, [task, env]] of entries) await runAction(task, env); // warm-up: file system caches
  await bareClaude(server.url);
  const times: Record<string, number[]> = Object.fromEntries(entries.map(([k]) => [k, []]));
  times.claudeFirstRequestMs = [];
  times.bareFirstRequestMs = [];
  times.remoteFirstRequestMs = [];
  times.bareRemoteFirstRequestMs = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [key, [task, env]] of entries) {
      const [spawned, first] = await runAction(task, env);
      times[key]!.push(spawned);
      if (key === "claudeMs") times.claudeFirstRequestMs.push(first);
      if (key === "remoteMs") times.remoteFirstRequestMs!.push(first);
    }
    times.bareFirstRequestMs.push(await bareClaude(server.url));
    times.bareRemoteFirstRequestMs!.push(await bareClaude(remote.url));
  }
  return Object.fromEntries(Object.keys(times).map((k) => [k, medianOf(times[k]!)]));
}

/** The floor: the bare Claude Code CLI, start → its first agent-loop request (then it is stopped). */
function bareClaude(url: string): Promise<number> {
  firstRequestAt = undefined;
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(
      join(BIN, "claude"),
      ["-p", "Say done.", "--max-turns", "2", "--allowedTools", "Read"],
      {
        cwd: repo,
        env: {
          ...baseEnv,
          ANTHROPIC_API_KEY: "sk-ant-bench-dummy",
          ANTHROPIC_BASE_URL: url,
          CLAUDE_CODE_MAX_RETRIES: "0",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        },
        stdio: ["ignore", "ignore", "ignore"],
      },
    );
    child.on("close", () =>
      firstRequestAt === undefined
        ? fail(new Error("claude made no model request"))
        : ok(firstRequestAt - t0),
    );
  });
}

function nodeAlone(): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(NODE, ["-e", ""]);
    times.push(performance.now() - t0);
  }
  return medianOf(times);
}

const answer = () => {
  firstRequestAt ??= performance.now();
  return { text: "done" as const };
};
const server = await startModelServer(answer);
const remote = await startModelServer(answer, { connectMs: CONNECT_MS });
try {
  const ms = await medians({
    commandMs: ["noop"],
    claudeMs: [
      "ask",
      {
        "INPUT_ANTHROPIC-API-KEY": "sk-ant-bench-dummy",
        ANTHROPIC_BASE_URL: server.url,
        CLAUDE_CODE_MAX_RETRIES: "0",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
    ],
    remoteMs: [
      "ask",
      {
        "INPUT_ANTHROPIC-API-KEY": "sk-ant-bench-dummy",
        ANTHROPIC_BASE_URL: remote.url,
        CLAUDE_CODE_MAX_RETRIES: "0",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
    ],
  });
  console.log(JSON.stringify({ ...ms, connectMs: CONNECT_MS, nodeMs: nodeAlone(), runs: RUNS }));
} finally {
  await server.close();
  await remote.close();
  rmSync(root, { recursive: true, force: true });
}
