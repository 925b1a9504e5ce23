/**
 * tick and watch as a user runs them: the built CLI in a real repository, `run:` tasks in the sandbox,
 * and one Claude task (the real Claude Code CLI with the scripted model).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCollect } from "../support/cli.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";
import { type ModelRequest, startModelServer, type Turn } from "../support/model-server.ts";

const CLI = resolve("dist/cli.js");

function envFor(repo: TestRepo, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...repo.env,
    PATH: `${resolve("node_modules/.bin")}:${process.env.PATH}`,
    NO_COLOR: "1",
    ...extra,
  } as NodeJS.ProcessEnv;
}

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return spawnCollect(process.execPath, [CLI, ...args], { cwd, env });
}

/** A long-running CLI process (watch): its output so far, waiting for text, and Ctrl-C. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c;
  });
  const closed = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return {
    output: () => out,
    async waitFor(re: RegExp, ms = 60_000) {
      const end = Date.now() + ms;
      while (!re.test(out)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    closed,
    kill() {
      child.kill("SIGKILL");
    },
    async interrupt() {
      child.kill("SIGINT");
      return closed;
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await closed;
    },
  };
}

const processes = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });

describe("claude-tasks tick (built CLI)", () => {
  it("runs a due `run:` task into its branch, exits 0 with nothing due, runs again at the next fire time", async () => {
    await using repo = await makeRepo({
      files: {
        "README.md": "hi\n",
        ".github/claude-tasks/stamp.yml": 'run: "date +%s%N > stamp.txt"\nschedule: "@hourly"\n',
      },
    });
    const at = (now: string) => envFor(repo, { CLAUDE_TASKS_NOW: now });
    const first = await cli(["tick"], repo.path, at("2026-03-10T10:05:00Z"));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/stamp/);
    const tip = await repo.git("rev-parse", "claude-tasks/stamp");
    expect(await repo.git("show", "claude-tasks/stamp:stamp.txt")).toMatch(/^\d+$/);

    const idle = await cli(["tick"], repo.path, at("2026-03-10T10:30:00Z"));
    expect(idle).toMatchObject({ code: 0, stdout: "nothing due at 2026-03-10T10:30:00.000Z\n" });

    const json = await cli(["tick", "--json"], repo.path, at("2026-03-10T11:00:10Z"));
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({
      status: "ran",
      due: [{ name: "stamp", fireTimes: ["2026-03-10T11:00:00.000Z"] }],
    });
    expect(out.report.results[0].status).toBe("success");
    expect(await repo.git("rev-parse", "claude-tasks/stamp")).not.toBe(tip);

    const status = await cli(["schedule", "status"], repo.path, envFor(repo));
    expect(status.stdout).toMatch(/no timer installed/);
    expect(status.stdout).toMatch(/last run: .* stamp — ok/);
  });

  it("a Claude task with the scripted model: due, run by tick, its change on the task branch", async () => {
    const scripted = (req: ModelRequest): Turn => {
      const step = Math.floor((req.body.messages?.length ?? 1) / 2);
      if (step === 0) return { tool: "Read", input: { file_path: "README.md" } };
      if (step === 1)
        return { tool: "Edit", input: { file_path: "README.md", old_string: "teh", new_string: "the" } };
      return { text: "Fixed a typo." };
    };
    const model = await startModelServer(scripted);
    await using _m = { [Symbol.asyncDispose]: () => model.close() };
    await using repo = await makeRepo({
      files: {
        "README.md": "teh widgets\n",
        ".github/claude-tasks/typos.yml": 'prompt: "Fix typos in README.md"\nschedule: "0 6 * * *"\n',
      },
    });
    const env = envFor(repo, {
      CLAUDE_TASKS_NOW: "2026-03-10T06:20:00Z",
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: "sk-ant-tick-test",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: "0",
    });
    const r = await cli(["tick"], repo.path, env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(await repo.git("show", "claude-tasks/typos:README.md")).toBe("the widgets");
  });
});

describe("claude-tasks tick: a crash mid-run", () => {
  it("a tick killed (SIGKILL) during a run: the next tick takes the stale lock over, the claim holds, status says interrupted", async () => {
    await using repo = await makeRepo({
      files: {
        ".github/claude-tasks/slow.yml": 'run: "echo wip > wip.txt; sleep 43.1"\nschedule: "@hourly"\n',
      },
    });
    const env = envFor(repo, { CLAUDE_TASKS_NOW: "2026-03-10T10:05:00Z" });
    await using t = start(["tick"], repo.path, env);
    await t.waitFor(/running command/);
    // the `sleep` itself, not the shell or bwrap whose command lines also name it: wip.txt is written
    const sleeping = () =>
      processes()
        .split("\n")
        .some((line) => line.trim() === "sleep 43.1");
    const started = Date.now() + 30_000;
    while (!sleeping() && Date.now() < started) await new Promise((r) => setTimeout(r, 100));
    expect(sleeping()).toBe(true);
    t.kill();
    await t.closed;
    // the sandboxed command dies with the tick (nothing keeps running after a crash)
    const end = Date.now() + 10_000;
    while (processes().includes("sleep 43.1") && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(processes()).not.toContain("sleep 43.1");
    expect(await readFile(join(repo.path, ".git/claude-tasks/tick.lock"), "utf8")).toMatch(/"pid"/);
    const status = await cli(["schedule", "status"], repo.path, envFor(repo));
    expect(status.stdout).toMatch(/last run: .* slow — interrupted/);

    const next = await cli(["tick"], repo.path, envFor(repo, { CLAUDE_TASKS_NOW: "2026-03-10T10:20:00Z" }));
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/ended without releasing its lock; taken over/);
    // the crashed run's worktree is backed up and removed (nobody is there to run `worktrees --prune`)
    expect(next.stderr).toMatch(/leftover worktree of slow removed; its work is in backup (\S+)/);
    const id = /its work is in backup (\S+)/.exec(next.stderr)![1]!;
    const backups = await cli(["backups", "--json"], repo.path, envFor(repo));
    expect(backups.stdout).toContain(id);
    expect(await repo.git("worktree", "list")).not.toMatch(/slow/);
    expect(next.stdout).toBe("nothing due at 2026-03-10T10:20:00.000Z\n"); // 10:00 was claimed
    expect(existsSync(join(repo.path, ".git/claude-tasks/tick.lock"))).toBe(false);
  });
});

describe("claude-tasks watch (built CLI)", () => {
  it("a commit to the base branch starts the task that watches its files; Ctrl-C leaves nothing running", async () => {
    await using repo = await makeRepo({
      files: {
        "src/a.ts": "1\n",
        ".github/claude-tasks/on-src.yml": 'run: "ls src > listing.txt"\nwatch: ["src/**"]\n',
        ".github/claude-tasks/slow.yml": 'run: "sleep 41.7"\nwatch: ["slow/**"]\n',
      },
    });
    await using w = start(["watch", "--interval", "100", "--debounce", "300"], repo.path, envFor(repo));
    await w.waitFor(/watching main/);
    await repo.commit("add b", { "src/b.ts": "2\n" });
    await w.waitFor(/on-src/);
    await w.waitFor(/✅/);
    expect(await repo.git("show", "claude-tasks/on-src:listing.txt")).toBe("a.ts\nb.ts");
    expect(w.output()).not.toMatch(/running .*slow/);

    // a slow task, interrupted: the watcher stops it and exits 130; no process of it is left
    await repo.commit("slow", { "slow/x": "x\n" });
    await w.waitFor(/running slow/);
    const end = Date.now() + 30_000;
    while (!processes().includes("sleep 41.7") && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(processes()).toContain("sleep 41.7");
    expect(await w.interrupt()).toBe(130);
    expect(processes()).not.toContain("sleep 41.7");
    expect(w.output()).toMatch(/SIGINT: stopping running tasks and backing up their work/);
    expect(w.output()).toMatch(/🛑 slow cancelled/); // stopped through the engine, reported as `run` does
  });

  it("a Claude task (scripted model) that watches README.md runs when a commit changes it", async () => {
    const model = await startModelServer((req: ModelRequest): Turn => {
      const step = Math.floor((req.body.messages?.length ?? 1) / 2);
      if (step === 0) return { tool: "Read", input: { file_path: "README.md" } };
      if (step === 1)
        return { tool: "Edit", input: { file_path: "README.md", old_string: "teh", new_string: "the" } };
      return { text: "Fixed a typo." };
    });
    await using _m = { [Symbol.asyncDispose]: () => model.close() };
    await using repo = await makeRepo({
      files: {
        "README.md": "widgets\n",
        ".github/claude-tasks/typos.yml": 'prompt: "Fix typos in README.md"\nwatch: ["README.md"]\n',
      },
    });
    const env = envFor(repo, {
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: "sk-ant-watch-test",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: "0",
    });
    await using w = start(["watch", "--interval", "100", "--debounce", "300"], repo.path, env);
    await w.waitFor(/watching main/);
    await repo.commit("readme", { "README.md": "teh widgets\n" });
    await w.waitFor(/✅ typos success/, 120_000);
    expect(await repo.git("show", "claude-tasks/typos:README.md")).toBe("the widgets");
    expect(await w.interrupt()).toBe(130);
  });
});
