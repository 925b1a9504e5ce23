/**
 * Shared by the attack suite: canary credentials, the Action run with a real Claude Code behind the
 * scripted model, and the checks every attack ends with — no canary anywhere, no host file changed,
 * no process left.
 *
 * Every attack proves it ran (it writes a harmless proof file inside its own worktree, and the test
 * finds that file in the result), then the test asserts the attack achieved nothing.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { E2E } from "../action/harness.ts";
import { spawnCollect } from "../support/cli.ts";
import type { ModelRequest, Turn } from "../support/model-server.ts";

/** A random marker for this test (file names, command lines). */
export const marker = (what: string) => `${what}-${randomBytes(6).toString("hex")}`;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const pick = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join("");
const cat = (a: string, b: string) => a + b; // keeps token prefixes from forming literal tokens here

/** Recognisable fake credentials: the model key, the Actions runtime token, an extra GitHub token. */
export function canaries() {
  return {
    anthropicKey: `${cat("sk-", "ant-")}api03-CANARY${pick(40)}AA`,
    runtimeToken: `runtime-CANARY-${pick(40)}`,
    idToken: `idtoken-CANARY-${pick(40)}`,
    envGithubToken: `${cat("gh", "p_")}CANARY${pick(30)}`,
  };
}

/** The canaries and the encodings they could leak in (git's Basic credential is base64). */
export function needles(values: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(values)) {
    out.push([name, v]);
    out.push([`${name} (base64 basic)`, Buffer.from(`x-access-token:${v}`).toString("base64")]);
    out.push([`${name} (base64)`, Buffer.from(v).toString("base64").slice(0, 40)]);
  }
  return out;
}

/** Regular files under `dir` (symlinks not followed); unreadable or vanishing entries are skipped. */
export function filesUnder(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (skip(path)) continue;
    if (e.isDirectory()) out.push(...filesUnder(path, skip));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** Caches and installed packages: large, and written by nothing a run does. */
const HEAVY = /\/(?:\.cache|\.npm|\.m2|\.pyenv|\.rustup|\.cargo|node_modules|\.git\/objects)$/;

/** Files under `roots` (recursively) changed since `sinceMs` that contain any needle: "needle in path". */
export function leaksInFiles(roots: string[], since: number, list: [string, string][]): string[] {
  const found: string[] = [];
  for (const root of roots) {
    for (const file of filesUnder(root, (p) => HEAVY.test(p))) {
      let text: string;
      try {
        const st = statSync(file);
        if (st.mtimeMs < since - 1000 || st.size > 64 << 20) continue;
        text = readFileSync(file, "latin1");
      } catch {
        continue;
      }
      for (const [name, needle] of list) if (text.includes(needle)) found.push(`${name} in ${file}`);
    }
  }
  return found;
}

/** Live processes (not zombies) whose command line or environment contains `needle`. */
export function processesWith(needle: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ");
      let environ = "";
      try {
        environ = readFileSync(`/proc/${pid}/environ`, "latin1");
      } catch {
        // another user's process: its command line is enough
      }
      if (cmdline.includes(needle) || environ.includes(needle)) out.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Nothing left running that mentions any of `needles` (temp dirs, markers). Waits a moment for exits. */
export async function expectNothingRunning(...list: string[]): Promise<void> {
  let left: string[] = [];
  for (let i = 0; i < 20; i++) {
    left = list.flatMap(processesWith);
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(left, "processes left running").toEqual([]);
}

/** Content (or type) of every file under `dir`, for before/after comparisons: path → sha-ish fingerprint. */
export function fingerprint(dir: string, skip: (path: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) {
        out.set(p, "dir");
        walk(p);
      } else {
        try {
          const st = lstatSync(p);
          out.set(p, e.isFile() ? `${st.mode}:${sha256(readFileSync(p))}` : `other:${st.mode}`);
        } catch {
          out.set(p, "gone");
        }
      }
    }
  };
  walk(dir);
  return out;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The paths that differ between two fingerprints (added, removed or changed). */
export function fingerprintDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n)).sort();
}

/** The worktree Claude Code runs in, from its system prompt ("Working directory: …"). */
export function cwdOf(req: ModelRequest): string | undefined {
  const context = JSON.stringify([req.body.system, req.body.messages]);
  return /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1];
}

/** A Bash tool call. */
export const bash = (command: string): Turn => ({
  tool: "Bash",
  input: { command, description: "scripted step" },
});

/** Every ref of a repository: name → sha. */
export function refsOf(gitDir: string, env: Record<string, string | undefined>): Record<string, string> {
  const out = execFileSync("git", ["for-each-ref", "--format=%(refname) %(objectname)"], {
    cwd: gitDir,
    env: definedEnv(env),
    encoding: "utf8",
  });
  return Object.fromEntries(
    out
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ").reverse() as [string, string])
      .map(([sha, name]) => [name, sha]),
  );
}

export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) out[k] = v;
  return out;
}

/** git in `cwd` with the repo's hermetic env; stdout trimmed. */
export function gitOut(e2e: E2E, cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: definedEnv(e2e.repo.env), encoding: "utf8" }).trim();
}

/** Everything the Action's run wrote where a reader would see it, by place (mask commands aside). */
export function actionPlaces(
  e2e: E2E,
  r: { stdout: string; stderr: string; summary: string; outputs: Record<string, string> },
): Record<string, string> {
  return {
    stdout: r.stdout
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n"),
    stderr: r.stderr,
    outputs: JSON.stringify(r.outputs),
    "step summary": r.summary,
    "requests to GitHub": JSON.stringify(e2e.fake.calls),
    "PRs and comments": JSON.stringify([
      ...e2e.fake.state.issues.values(),
      ...e2e.fake.state.comments.values(),
    ]),
    "pushed objects": execFileSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
      cwd: e2e.repo.origin!,
      encoding: "latin1",
      maxBuffer: 256 << 20,
    }),
    "local objects": execFileSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
      cwd: e2e.repo.path,
      encoding: "latin1",
      maxBuffer: 256 << 20,
    }),
  };
}

export interface ToolOutcome {
  tool: string;
  input: Record<string, unknown>;
  isError: boolean;
  text: string;
}

/** The tool calls of the model's last turn and what each returned, in the order they were asked for. */
export function toolOutcomes(req: ModelRequest): ToolOutcome[] {
  const messages = req.body.messages ?? [];
  const assistant = [...messages].reverse().find((m) => m.role === "assistant");
  const uses = Array.isArray(assistant?.content)
    ? (assistant.content as { type?: string; id?: string; name?: string; input?: Record<string, unknown> }[])
    : [];
  return uses
    .filter((u) => u.type === "tool_use")
    .map((u) => {
      const r = req.toolResults.find((t) => t.toolUseId === u.id);
      return {
        tool: String(u.name),
        input: u.input ?? {},
        isError: r?.isError ?? true,
        text: r?.text ?? "(no result)",
      };
    });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a user runs it, without blocking this process (a model server may answer from here). */
export function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<CliRun> {
  return spawnCollect(process.execPath, [resolve("dist/cli.js"), ...args], { cwd, env: definedEnv(env) });
}

/** Files directly in `dir` whose name starts with `prefix`. */
export function namesStartingWith(dir: string, prefix: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

/** The repository's own git setup, byte for byte: config, info/, hooks/, HEAD, packed-refs. */
export function gitSetup(gitDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ["config", "config.worktree", "HEAD", "packed-refs"]) {
    try {
      out.set(f, readFileSync(join(gitDir, f), "latin1"));
    } catch {
      out.set(f, "(absent)");
    }
  }
  for (const [k, v] of fingerprint(join(gitDir, "info"))) out.set(k, v);
  for (const [k, v] of fingerprint(join(gitDir, "hooks"))) out.set(k, v);
  return out;
}
