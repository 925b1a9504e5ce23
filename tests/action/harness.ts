/**
 * Runs the committed bundle `dist/action.js` the way the runner does: a child process with `INPUT_*`,
 * the event payload in a file, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files, `GITHUB_API_URL` pointing
 * at the fake GitHub, and `GITHUB_WORKSPACE` a clone whose `origin` is a bare repository.
 *
 * The fake GitHub keeps its own list of branches; a small proxy in front of it copies the bare origin's
 * branches into the fake before every request, so the pull requests the engine opens for the branches
 * it pushed are accepted as on GitHub.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type FileSpec, makeRepo, type TestRepo } from "../support/git-repo.ts";
import { type GitHubFake, startGitHubFake } from "../support/github-fake/index.ts";
import { intOnly } from "../support/project.ts";

/**
 * The Action's token in these tests. Made per process, never a literal: a literal would sit in every
 * transformed copy of this file that vitest writes under /tmp, where the leak scans would find it.
 */
export const TOKEN = `ghs_e2e${randomBytes(16).toString("hex")}`;
export const NODE = resolve("node_modules/.bin/node");
export const ACTION = resolve("dist/action.js");

export interface ActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

export interface E2E extends AsyncDisposable {
  repo: TestRepo;
  fake: GitHubFake;
  apiUrl: string;
  /** Runs the Action for an event; `inputs` by their names as in action.yml. */
  run(o: {
    event: string;
    payload?: unknown;
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    /** The action script to run (default: this checkout's `dist/action.js`). */
    action?: string;
  }): Promise<ActionResult>;
  /** The branches of the bare origin: name → sha. */
  originBranches(): Record<string, string>;
  /**
   * Called before each API request reaches the fake (e.g. to push to the origin "during" the run); the
   * request waits for a returned promise.
   */
  beforeRequest?: (method: string, path: string) => void | Promise<void>;
}

export async function startE2E(files: Record<string, FileSpec>): Promise<E2E> {
  intOnly("the built Action (dist/action.js)");
  const repo = await makeRepo({ origin: true, files: { "README.md": "# widgets\n", ...files } });
  const fake = await startGitHubFake({ owner: "acme", repo: "widgets", token: TOKEN, gitDir: repo.origin! });
  const gitEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...repo.env }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const originBranches = () => {
    const out = execFileSync(
      "git",
      ["for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads"],
      {
        cwd: repo.origin!,
        env: gitEnv,
        encoding: "utf8",
      },
    );
    return Object.fromEntries(
      out
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ") as [string, string]),
    );
  };
  const proxy = createServer(async (req, res) => {
    try {
      await e2e.beforeRequest?.(req.method ?? "GET", req.url ?? "/");
    } catch (err) {
      // a failing hook fails the test's request, not the whole test by a hang
      res.writeHead(599, { "content-type": "text/plain" }).end(`beforeRequest failed: ${err}`);
      return;
    }
    for (const [name, sha] of Object.entries(originBranches())) fake.pushBranch(name, sha);
    const up = request(`${fake.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  const apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const temp = mkdtempSync(join(tmpdir(), "ct-action-e2e-"));
  let runs = 0;

  const e2e: E2E = {
    repo,
    fake,
    apiUrl,
    originBranches,
    async run(o) {
      const dir = join(temp, `run-${++runs}`);
      execFileSync("mkdir", ["-p", join(dir, "runner-temp"), join(dir, "tool-cache")]);
      const eventPath = join(dir, "event.json");
      writeFileSync(eventPath, JSON.stringify(o.payload ?? {}));
      const outputPath = join(dir, "output");
      const summaryPath = join(dir, "summary.md");
      writeFileSync(outputPath, "");
      writeFileSync(summaryPath, "");
      const inputs = { "github-token": TOKEN, ...o.inputs };
      const env: Record<string, string> = {
        PATH: `${resolve("node_modules/.bin")}:/usr/local/bin:/usr/bin:/bin`,
        HOME: String(repo.env.HOME),
        GIT_CONFIG_GLOBAL: String(repo.env.GIT_CONFIG_GLOBAL),
        GIT_CONFIG_NOSYSTEM: "1",
        LANG: "C.UTF-8",
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: o.event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: outputPath,
        GITHUB_STEP_SUMMARY: summaryPath,
        GITHUB_REPOSITORY: "acme/widgets",
        GITHUB_API_URL: apiUrl,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_WORKSPACE: repo.path,
        GITHUB_RUN_ID: "4242",
        GITHUB_ACTOR: "octocat",
        RUNNER_TEMP: join(dir, "runner-temp"),
        RUNNER_TOOL_CACHE: join(dir, "tool-cache"),
        ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
        ...o.env,
      };
      const started = Date.now();
      const child = spawn(NODE, [o.action ?? ACTION], {
        cwd: repo.path,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const code = await new Promise<number | null>((ok) => child.on("close", (c) => ok(c)));
      return {
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputPath, "utf8")),
        summary: readFileSync(summaryPath, "utf8"),
        ms: Date.now() - started,
      };
    },
    async [Symbol.asyncDispose]() {
      proxy.closeAllConnections();
      await new Promise<void>((ok) => proxy.close(() => ok()));
      await fake.close();
      await repo[Symbol.asyncDispose]();
      rmSync(temp, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** `name<<delimiter\nvalue\ndelimiter\n` blocks of a GITHUB_OUTPUT file. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** GitHub's issue_comment payload (the fields the Action reads, plus realistic neighbours). */
export function commentPayload(o: {
  issue: number;
  commentId: number;
  body: string;
  login: string;
  pr?: boolean;
}) {
  return {
    action: "created",
    issue: {
      number: o.issue,
      title: "An issue",
      state: "open",
      user: { login: "acme", type: "User" },
      ...(o.pr
        ? { pull_request: { url: `https://api.github.com/repos/acme/widgets/pulls/${o.issue}` } }
        : {}),
    },
    comment: {
      id: o.commentId,
      body: o.body,
      user: { login: o.login, type: "User" },
      author_association: "COLLABORATOR",
    },
    repository: { full_name: "acme/widgets", default_branch: "main" },
    sender: { login: o.login, type: "User" },
  };
}

/** The `results` output, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: the output's JSON, checked with toMatchObject
export const results = (outputs: Record<string, string>): any[] => JSON.parse(outputs.results ?? "null");

/** The operation ids of the API calls the fake saw (GraphQL as `graphql`), in order. */
export function apiOps(fake: GitHubFake, o: { writes?: boolean } = {}): string[] {
  return fake.calls.filter((c) => !o.writes || c.method !== "GET").map((c) => c.operation ?? c.path);
}

/** Every ref of the bare origin: ref name → sha. */
export async function originRefs(e2e: E2E): Promise<Record<string, string>> {
  const out = await e2e.repo.gitIn(e2e.repo.origin!, "for-each-ref", "--format=%(refname) %(objectname)");
  return Object.fromEntries(
    out
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ") as [string, string]),
  );
}

/** GitHub's push payload for `after` on `main`, listing `files` as modified. */
export function pushPayload(after: string, message: string, files: string[]) {
  return {
    ref: "refs/heads/main",
    before: "1".repeat(40),
    after,
    commits: [{ id: after, message, added: [], modified: files, removed: [] }],
    head_commit: { id: after, message, committer: { email: "alice@example.com" } },
    repository: { default_branch: "main", full_name: "acme/widgets" },
    sender: { login: "alice", type: "User" },
    pusher: { name: "alice" },
  };
}
