import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cli, taskDir } from "../support/cli.ts";
import { makeRepo } from "../support/git-repo.ts";

const VALID = {
  "docs-sync.yml":
    'description: docs\nprompt: "Update the README"\nschedule: "0 6 * * 1-5"\ntimezone: Europe/Berlin\n',
  "lint-fix.yml": 'run: "npm run lint -- --fix"\nschedule: "@daily"\n',
  "after.yml": 'run: "true"\nneeds: [lint-fix]\nagent:\n  env: { TOKEN: "{{ env.CT_TEST_SECRET }}" }\n',
};

describe("claude-tasks CLI (built dist/cli.js)", () => {
  it("validate: exit 0 and a one-line confirmation for valid tasks", () => {
    using dir = taskDir(VALID);
    const r = cli(["validate"], { cwd: dir.path, env: { CT_TEST_SECRET: "s3cr3t-value" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 task\(s\) valid/);
  });

  it("validate: every problem of every file as file:line:col, exit 2, no stack trace", () => {
    using dir = taskDir({
      "a.yml": 'prompt: "x"\nschedul: "@daily"\n',
      "b.yml": 'run: "x"\nmissed: sometimes\n',
      "c.yml": 'run: "x"\nneeds: [nope]\n',
    });
    const r = cli(["validate"], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      ".github/claude-tasks/a.yml:2:1: unknown key `schedul`, did you mean `schedule`?",
    );
    expect(r.stderr).toMatch(/\.github\/claude-tasks\/b\.yml:2:9: .*skip.*once.*all/);
    expect(r.stderr).toMatch(/\.github\/claude-tasks\/c\.yml:2:9: unknown task `nope`/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("validate --json lists problems as data", () => {
    using dir = taskDir({ "a.yml": "prompt: [1, 2]\n" });
    const r = cli(["validate", "--json"], { cwd: dir.path });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.problems[0]).toMatchObject({ file: ".github/claude-tasks/a.yml", line: 1, severity: "error" });
  });

  it("list --json shows effective tasks with defaults, next fire time, and never a substituted secret", () => {
    using dir = taskDir(VALID);
    const r = cli(["list", "--json"], { cwd: dir.path, env: { CT_TEST_SECRET: "s3cr3t-value" } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("s3cr3t-value");
    const { tasks } = JSON.parse(r.stdout);
    const docs = tasks.find((t: { name: string }) => t.name === "docs-sync");
    expect(docs).toMatchObject({
      kind: "claude",
      branch: "claude-tasks/docs-sync",
      agent: { permission_mode: "acceptEdits", timeout: "20m" },
      paths: { deny: [".github/workflows/**"] },
    });
    expect(Date.parse(docs.next)).toBeGreaterThan(Date.now());
    const after = tasks.find((t: { name: string }) => t.name === "after");
    expect(after.agent.env.TOKEN).toBe("{{ env.CT_TEST_SECRET }}");
  });

  it("list prints a plain table (no colour codes) when stdout is not a terminal", () => {
    using dir = taskDir(VALID);
    const r = cli(["list"], { cwd: dir.path, env: { CT_TEST_SECRET: "x" } });
    expect(r.stdout.split("\n")[0]).toMatch(/^TASK\s+KIND\s+SCHEDULE\s+NEXT\s+NEEDS$/);
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("next previews fire times across a DST change in the task's time zone", () => {
    using dir = taskDir(VALID);
    const r = cli(["next", "docs-sync", "--count", "3", "--from", "2026-10-23T12:00:00Z", "--json"], {
      cwd: dir.path,
      env: { CT_TEST_SECRET: "x" },
    });
    expect(r.code).toBe(0);
    // 06:00 Berlin is 04:00Z in summer time, 05:00Z after the change on 2026-10-25.
    expect(JSON.parse(r.stdout).tasks[0].fireTimes).toEqual([
      "2026-10-26T05:00:00.000Z",
      "2026-10-27T05:00:00.000Z",
      "2026-10-28T05:00:00.000Z",
    ]);
  });

  it("plan --json groups due tasks into a matrix", () => {
    using dir = taskDir(VALID);
    const r = cli(["plan", "--since", "2026-11-19T23:00:00Z", "--now", "2026-11-20T07:00:00Z", "--json"], {
      cwd: dir.path,
      env: { CT_TEST_SECRET: "x" },
    });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.tasks.map((t: { name: string }) => t.name).sort()).toEqual(["docs-sync", "lint-fix"]);
    expect(plan.matrix.include.length).toBe(plan.groups.length);
  });

  it("init writes an example task that validates, and refuses to overwrite it", () => {
    using dir = taskDir({}, {});
    const first = cli(["init"], { cwd: dir.path });
    expect(first.code).toBe(0);
    const example = join(dir.path, ".github/claude-tasks/example.yml");
    expect(readFileSync(example, "utf8").split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(cli(["validate"], { cwd: dir.path }).code).toBe(0);
    const again = cli(["init"], { cwd: dir.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite .github\/claude-tasks\/example.yml/);
    expect(existsSync(example)).toBe(true);
  });

  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["list", "--jsn"], /unknown option '--jsn'/],
    [["next", "--count", "zero"], /expected a whole number/],
    [["plan", "--since", "yesterday"], /expected an ISO 8601 date/],
    [["run", "docs-snyc", "--dry-run"], /unknown task `docs-snyc`, did you mean `docs-sync`\?/],
  ])("bad input %j: one clear line, exit 2", (args, message) => {
    using dir = taskDir(VALID);
    const r = cli(args, { cwd: dir.path, env: { CT_TEST_SECRET: "x" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--help works for every command", () => {
    for (const c of [
      "init",
      "validate",
      "list",
      "next",
      "plan",
      "run",
      "logs",
      "status",
      "backups",
      "restore",
      "worktrees",
      "mcp",
    ]) {
      const r = cli([c, "--help"], { cwd: "." });
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/^Usage: claude-tasks /);
    }
  });

  it("run: a base branch that does not exist, or a repository without commits, is bad input (exit 2)", async () => {
    await using repo = await makeRepo({
      files: { ".github/claude-tasks/x.yml": 'run: "echo hi > out.txt"\n' },
    });
    const bad = cli(["run", "x", "--base", "nope"], { cwd: repo.path });
    expect(bad.stderr).toBe("claude-tasks: base branch `nope` not found\n");
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe(""); // no run report: nothing ran, nothing was logged
    expect(existsSync(join(repo.path, ".git/claude-tasks/runs.jsonl"))).toBe(false);
    expect(cli(["run", "x", "--base", "main", "-q"], { cwd: repo.path }).code).toBe(0);

    using empty = taskDir({ "x.yml": 'run: "true"\n' });
    const r = cli(["run", "x"], { cwd: empty.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "claude-tasks: the repository has no commits yet: commit the task files, then run again\n",
    );
  });

  it("run, backups, logs: a bare repository or a directory outside git is a one-line error, exit 2", async () => {
    await using repo = await makeRepo({
      files: { ".github/claude-tasks/x.yml": 'run: "true"\n' },
      origin: true,
    });
    for (const args of [["run", "x"], ["backups"], ["logs"]]) {
      const r = cli(args, { cwd: repo.origin! });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toBe(
        `claude-tasks: ${repo.origin} has no work tree (a bare repository, or inside .git): run claude-tasks in a work tree, or pass -C <dir>\n`,
      );
    }
    // outside git, `run` says so before looking for task files
    using outside = taskDir({ "x.yml": 'run: "true"\n' }, { git: false });
    const r = cli(["run", "x"], { cwd: outside.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^claude-tasks: \S+ is not in a git repository \(run claude-tasks inside one, or pass -C <dir>\)\n$/,
    );
  });

  it("a directory without tasks is a clear error", () => {
    using dir = taskDir({});
    const r = cli(["validate"], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/claude-tasks init/);
  });

  it("`run … | head`: the reader going away does not kill the run or leave its worktree behind", async () => {
    await using repo = await makeRepo({
      files: { ".github/claude-tasks/slow.yml": 'run: "sleep 1 && echo done > done.txt"\n' },
    });
    const env = { ...repo.env, PATH: process.env.PATH ?? "" } as Record<string, string>;
    const piped = spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" run slow 2>&1 | head -1`], {
      cwd: repo.path,
      env,
      encoding: "utf8",
    });
    expect(piped.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    // The pipeline ends when the CLI does: by then the task has finished and cleaned up.
    const logs = JSON.parse(cli(["logs", "--json"], { cwd: repo.path, env }).stdout);
    expect(logs.entries.map((e: { task: string; status: string }) => [e.task, e.status])).toEqual([
      ["slow", "success"],
    ]);
    expect(JSON.parse(cli(["worktrees", "--json"], { cwd: repo.path, env }).stdout).worktrees).toEqual([]);
  });
});

describe("the CLI's compile cache", () => {
  /** `claude-tasks --version` with its own HOME and TMPDIR; what Node left in each afterwards. */
  function versionRun(prepare?: (cache: string) => void) {
    const root = mkdtempSync(join(tmpdir(), "ct-cc-"));
    try {
      const home = join(root, "home");
      const tmp = join(root, "tmp");
      mkdirSync(home);
      mkdirSync(tmp);
      const cache = join(home, ".cache", "claude-tasks", "node-compile-cache");
      prepare?.(cache);
      const r = spawnSync(process.execPath, [CLI, "--version"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp },
      });
      expect(r.status, r.stderr).toBe(0);
      const files = (dir: string) =>
        existsSync(dir)
          ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
          : [];
      return {
        cached: files(cache).length,
        mode: existsSync(cache) ? statSync(cache).mode & 0o777 : undefined,
        inTmp: files(tmp).length,
      };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it("is kept in the user's own cache folder (0700), never in the shared temporary folder", () => {
    const r = versionRun();
    expect(r.cached).toBeGreaterThan(0);
    expect(r.mode).toBe(0o700);
    expect(r.inTmp).toBe(0);
  });

  it("is not used when the folder is one other accounts can write", () => {
    const r = versionRun((cache) => {
      mkdirSync(cache, { recursive: true });
      chmodSync(cache, 0o777);
    });
    expect(r.cached).toBe(0);
    expect(r.inTmp).toBe(0);
  });
});
