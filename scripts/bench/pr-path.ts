// Benchmark child: commit + push + open (then update) a pull request, as the runner runs it, against the
// GitHub fake (REST) and a git smart-HTTP front (tests/support/git-http.ts) over a bare origin, which
// counts git's HTTP requests. claude-tasks: `dist/action.js` on a `workflow_dispatch` of one plain
// command task that writes a file. The peer, peter-evans/create-pull-request: its `dist/index.js`
// from `$BENCH_PEERS_DIR/create-pull-request/` (not part of this repository), after a step that writes
// the same file, with its action.yml defaults as INPUT_*. Each run is a fresh shallow clone (as
// actions/checkout leaves it); wall time and peak RSS (GNU time) of the Action's process. Median of N.
// Prints JSON: { "claude-tasks": { open: {requests, ms, rssMb}, update: {…} }, "create-pull-request": … | null }.
//
//   node scripts/bench/pr-path.ts [runs]
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { startGitHttp } from "../../tests/support/git-http.ts";
import { startGitHubFake } from "../../tests/support/github-fake/index.ts";

const RUNS = Number(process.argv[2] ?? 5);
const NODE = process.execPath;
const TOKEN = "ghs_benchTokenNeverSent000000000000000";
const PEER = process.env.BENCH_PEERS_DIR
  ? join(process.env.BENCH_PEERS_DIR, "create-pull-request")
  : undefined;
const BRANCH = "claude-tasks/bump";

interface Measure {
  requests: number;
  ms: number;
  rssMb: number;
}

const root = mkdtempSync(join(tmpdir(), "ct-bench-pr-"));
const home = join(root, "home");
mkdirSync(home);
const gitConfig = join(home, ".gitconfig");
writeFileSync(
  gitConfig,
  "[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n",
);
const baseEnv = {
  PATH: `${resolve("node_modules/.bin")}:/usr/local/bin:/usr/bin:/bin`,
  HOME: home,
  GIT_CONFIG_GLOBAL: gitConfig,
  GIT_CONFIG_NOSYSTEM: "1",
  LANG: "C.UTF-8",
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: baseEnv, stdio: ["ignore", "pipe", "pipe"] })
    .toString()
    .trim();

const srv = join(root, "srv");
mkdirSync(join(srv, "acme"), { recursive: true });
const front = await startGitHttp({ root: srv });

let n = 0;
/** A fresh origin (acme/bench-N) with one commit, its fake GitHub, and a proxy that syncs branches. */
async function freshRepo(withTasks: boolean) {
  const name = `bench-${++n}`;
  const origin = join(srv, "acme", `${name}.git`);
  const seed = join(root, `seed-${n}`);
  git(root, "init", "-q", "--bare", origin);
  mkdirSync(join(seed, ".github", "claude-tasks"), { recursive: true });
  writeFileSync(join(seed, "README.md"), "# bench\n");
  if (withTasks)
    writeFileSync(join(seed, ".github", "claude-tasks", "bump.yml"), 'run: "date +%s%N > stamp.txt"\n');
  git(seed, "init", "-q", "-b", "main");
  git(seed, "add", "-A");
  git(seed, "commit", "-q", "-m", "init");
  git(seed, "push", "-q", origin, "main");
  const fake = await startGitHubFake({ owner: "acme", repo: name, token: TOKEN, gitDir: origin });
  const branches = () =>
    git(origin, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ") as [string, string]);
  const proxy = createServer((req, res) => {
    for (const [b, sha] of branches()) fake.pushBranch(b, sha);
    const up = request(`${fake.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  const apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    name,
    apiUrl,
    fake,
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((ok) => proxy.close(() => ok()));
      await fake.close().catch(() => {}); // the peer's requests may fall outside the OpenAPI subset
    },
  };
}

/** A fresh job: a depth-1 clone of main, as actions/checkout leaves it. */
async function checkout(name: string): Promise<string> {
  const ws = join(root, `ws-${++n}`);
  // not execFileSync: the git front answers from this very process
  await execa("git", ["clone", "-q", "--depth=1", "--no-tags", `${front.url}/acme/${name}.git`, ws], {
    env: baseEnv,
    extendEnv: false,
  });
  git(ws, "config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"); // as actions/checkout sets it
  return ws;
}

function runAction(
  script: string,
  ws: string,
  repoName: string,
  apiUrl: string,
  inputs: Record<string, string>,
) {
  const dir = join(root, `run-${++n}`);
  mkdirSync(join(dir, "temp"), { recursive: true });
  const event = join(dir, "event.json");
  writeFileSync(event, JSON.stringify({ inputs: {}, repository: { default_branch: "main" } }));
  writeFileSync(join(dir, "output"), "");
  writeFileSync(join(dir, "summary.md"), "");
  const env = {
    ...baseEnv,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    GITHUB_REPOSITORY: `acme/${repoName}`,
    GITHUB_REF: "refs/heads/main",
    GITHUB_SHA: git(ws, "rev-parse", "HEAD"),
    GITHUB_WORKSPACE: ws,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: front.url,
    GITHUB_RUN_ID: String(n),
    GITHUB_ACTOR: "octocat",
    GITHUB_ACTOR_ID: "1",
    RUNNER_TEMP: join(dir, "temp"),
    RUNNER_TOOL_CACHE: join(dir, "temp"),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    // where the time goes: every git command with its start time (GIT_TRACE's own timestamps)
    ...(process.env.BENCH_GIT_TRACE ? { GIT_TRACE: `${process.env.BENCH_GIT_TRACE}-${n}` } : {}),
  };
  const rss = join(dir, "rss");
  front.reset();
  return new Promise<Measure>((ok, fail) => {
    const t0 = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", rss, NODE, script], {
      cwd: ws,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return fail(new Error(`${script} exited ${code}:\n${out}`));
      const kb = Number(readFileSync(rss, "utf8").trim().split("\n").pop());
      if (process.env.BENCH_SHOW_REQUESTS) console.error(script, JSON.stringify(front.requests()));
      ok({ requests: front.requests().length, ms, rssMb: kb / 1024 });
    });
  });
}

type Tool = (ws: string, repoName: string, apiUrl: string) => Promise<Measure>;

const claudeTasks: Tool = (ws, name, api) =>
  runAction(resolve("dist/action.js"), ws, name, api, {
    "github-token": TOKEN,
    tasks: "bump",
    isolation: "none",
  });

/** Like for like with the peer, which pushes with git: commits made by git, not signed through the API. */
const claudeTasksUnsigned: Tool = (ws, name, api) =>
  runAction(resolve("dist/action.js"), ws, name, api, {
    "github-token": TOKEN,
    tasks: "bump",
    isolation: "none",
    "sign-commits": "off",
  });

function peerTool(): Tool | undefined {
  if (!PEER || !existsSync(join(PEER, "dist", "index.js"))) return undefined;
  const spec = parse(readFileSync(join(PEER, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.inputs)) {
    if (v.default === undefined) continue;
    // the runner's own expressions in action.yml, filled in as the runner would
    defaults[k] = String(v.default)
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      .replace("${{ github.token }}", TOKEN)
      .replace(/\$\{\{ github\.actor \}\}/g, "octocat")
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      .replace("${{ github.actor_id }}", "1");
  }
  // It sends its API calls to https://<git host>/api/v3 (GitHub Enterprise): the one change made to a
  // scratch copy points them at the fake instead.
  const script = join(root, "create-pull-request.js");
  const source = readFileSync(join(PEER, "dist", "index.js"), "utf8");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the peer's source text, matched literally
  const apiBase = "options.baseUrl = `https://${githubServerHostname}/api/v3`;";
  if (!source.includes(apiBase)) return undefined;
  writeFileSync(script, source.replace(apiBase, "options.baseUrl = process.env.GITHUB_API_URL;"));
  return (ws, name, api) => {
    writeFileSync(join(ws, "stamp.txt"), `${process.hrtime.bigint()}\n`); // the workflow's own step
    return runAction(script, ws, name, api, {
      ...defaults,
      token: TOKEN,
      branch: BRANCH,
      title: "chore: bump",
    });
  };
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const median = (ms: Measure[]): Measure => ({
  requests: medianOf(ms.map((m) => m.requests)),
  ms: medianOf(ms.map((m) => m.ms)),
  rssMb: medianOf(ms.map((m) => m.rssMb)),
});

/** RUNS × (open on a fresh repository, then update it from a fresh checkout); the tools take turns. */
async function measure(tools: Record<string, Tool>) {
  const got: Record<string, { open: Measure[]; update: Measure[] }> = {};
  for (let i = 0; i <= RUNS; i++) {
    for (const [key, tool] of Object.entries(tools)) {
      const repo = await freshRepo(key.startsWith("claude-tasks"));
      try {
        const open = await tool(await checkout(repo.name), repo.name, repo.apiUrl);
        const update = await tool(await checkout(repo.name), repo.name, repo.apiUrl);
        if (i === 0) continue; // warm-up
        got[key] ??= { open: [], update: [] };
        got[key].open.push(open);
        got[key].update.push(update);
      } finally {
        await repo.close();
      }
    }
  }
  return Object.fromEntries(
    Object.entries(got).map(([k, v]) => [k, { open: median(v.open), update: median(v.update) }]),
  );
}

try {
  const peer = peerTool();
  const out = await measure({
    "claude-tasks": claudeTasks,
    "claude-tasks (sign-commits: off)": claudeTasksUnsigned,
    ...(peer ? { "create-pull-request": peer } : {}),
  });
  console.log(JSON.stringify({ "create-pull-request": null, ...out, runs: RUNS }));
} finally {
  await front.close();
  rmSync(root, { recursive: true, force: true });
}
