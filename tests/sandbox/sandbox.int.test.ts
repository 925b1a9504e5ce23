/**
 * The sandbox's pieces, each against the real thing: the bwrap argv (order matters: hides before
 * re-exposures before the worktree), the host layout it hides, the agent's private git directory
 * (a real `git` inside a real bwrap), the repository integrity check on a real repository, and the
 * Action's runner setup decisions (with a recorder for the privileged commands).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apparmorProfile, ensureSandbox } from "../../src/action/sandbox-setup.ts";
import { createWorktree } from "../../src/engine/git/index.ts";
import { compareRepo, restoreRepo, snapshotRepo } from "../../src/engine/git/integrity.ts";
import { silentLogger } from "../../src/engine/logger.ts";
import {
  bwrapArgs,
  createSandboxProvider,
  hostMounts,
  outermost,
  probeBwrap,
} from "../../src/engine/sandbox/index.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";

describe("bwrap argv", () => {
  const plan = {
    command: "/usr/bin/bash",
    args: ["-c", "true"],
    cwd: "/w/t",
    worktree: "/w/t",
    agentGitDir: "/s/git",
    adminDir: "/r/.git/worktrees/t",
    objectsDir: "/r/.git/objects",
    hide: ["/tmp", "/tmp/x", "/home"],
    expose: ["/home/u/.nvm/versions/node/v24"],
    blank: ["/etc/shadow"],
    home: "/home/u",
    homeDir: "/s/home",
    uid: 1000,
  };
  const argv = bwrapArgs(plan);
  const at = (...opt: string[]) => {
    for (let i = 0; i < argv.length; i++) if (opt.every((o, j) => argv[i + j] === o)) return i;
    return -1;
  };

  it("starts a new PID and user namespace that dies with the engine, with no capabilities", () => {
    for (const o of ["--unshare-user", "--unshare-pid", "--die-with-parent", "--new-session"])
      expect(argv).toContain(o);
    expect(at("--cap-drop", "ALL")).toBeGreaterThan(-1);
    expect(at("--uid", "1000")).toBeGreaterThan(-1);
  });

  it("mounts the root read-only, then hides, then re-exposes, then binds the worktree writable", () => {
    const root = at("--ro-bind", "/", "/");
    const hideTmp = at("--tmpfs", "/tmp");
    const home = at("--bind", "/s/home", "/home/u");
    const expose = at("--ro-bind", plan.expose[0]!, plan.expose[0]!);
    const wt = at("--bind", "/w/t", "/w/t");
    const gitFile = at("--ro-bind", "/w/t/.git", "/w/t/.git");
    const agentGit = at("--bind", "/s/git", "/r/.git/worktrees/t");
    expect(root).toBeGreaterThan(-1);
    expect(root).toBeLessThan(hideTmp);
    expect(hideTmp).toBeLessThan(home);
    expect(home).toBeLessThan(expose); // a program under HOME (nvm) is bound back over it
    expect(at("--tmpfs", "/home/u")).toBe(-1);
    expect(expose).toBeLessThan(wt);
    expect(wt).toBeLessThan(gitFile);
    expect(gitFile).toBeLessThan(agentGit);
    // a path inside another hidden one is not mounted twice
    expect(at("--tmpfs", "/tmp/x")).toBe(-1);
    expect(argv.slice(-3)).toEqual(["/usr/bin/bash", "-c", "true"]);
  });

  it("outermost keeps only the top of nested paths", () => {
    expect(outermost(["/a/b", "/a", "/c", "/a/b/c", "/c"])).toEqual(["/a", "/c"]);
  });
});

describe("what is hidden on this host", () => {
  it("hides homes, temp dirs, the runner's files and the repository, never system directories", async () => {
    await using repo = await makeRepo();
    const m = hostMounts({
      env: { HOME: "/usr", RUNNER_TEMP: repo.root, GITHUB_WORKSPACE: repo.path, PATH: "/usr/bin" },
      worktree: join(repo.root, "wt", "t1"),
      repoRoot: repo.path,
      commonDir: join(repo.path, ".git"),
      stateDir: join(repo.path, ".git", "claude-tasks"),
      command: "/usr/bin/bash",
      path: "/usr/bin",
    });
    expect(m.hide).toEqual(expect.arrayContaining(["/tmp", repo.path, join(repo.path, ".git")]));
    expect(m.hide).not.toContain("/usr");
    expect(m.expose).not.toContain(repo.path);
    expect(m.blank).toContain("/etc/shadow");
  });
});

/** A worktree of `repo` and its sandbox, as a task gets them (the caller disposes both). */
async function sandboxFor(repo: TestRepo, runId: string, env: Record<string, string> = {}) {
  const git = repo.client();
  const state = join(repo.path, ".git", "claude-tasks");
  const wt = await createWorktree({
    git,
    task: "t",
    runId,
    base: "HEAD",
    branch: `x-${runId}`,
    stateDir: state,
  });
  const provider = await createSandboxProvider({
    isolation: "sandbox",
    env: { ...process.env, ...repo.env, ...env },
  });
  const privateDir = join(state, "sandbox", `t-${runId}`);
  const session = await provider.open({
    worktree: wt.path,
    commonDir: join(repo.path, ".git"),
    adminDir: (await wt.git.run(["rev-parse", "--absolute-git-dir"])).stdout.trim(),
    repoRoot: repo.path,
    privateDir,
    refs: async () => (await git.run(["for-each-ref", "--format=%(objectname) %(refname)"])).stdout,
  });
  return { wt, session, privateDir };
}

describe("the sandbox, for real", async () => {
  const bwrap = await probeBwrap();
  it.runIf(bwrap.ok)(
    "the agent's git works on its own copy; what it plants never reaches the repository",
    async () => {
      await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
      await repo.git("tag", "v1");
      const opened = await sandboxFor(repo, "r1");
      await using wt = opened.wt;
      await using session = opened.session;
      const launch = await session.wrap({
        command: "sh",
        args: [
          "-c",
          [
            "git describe --tags",
            'echo "status:$(git status --porcelain)"',
            "git config core.fsmonitor 'touch /tmp/pwned'",
            "git tag -f v1 HEAD~0",
            "git update-ref refs/heads/main 0000000000000000000000000000000000000000 2>/dev/null || git branch -f main HEAD",
            "echo hi > proof.txt",
            "cat " + join(repo.path, ".git", "config") + " 2>&1 | head -1",
          ].join("; "),
        ],
        cwd: wt.path,
        env: { PATH: process.env.PATH ?? "", HOME: repo.root },
      });
      const out = execFileSync(launch.command, launch.args, {
        cwd: launch.cwd,
        env: launch.env,
        encoding: "utf8",
      });
      const [describe, status] = out.split("\n");
      expect(describe).toBe("v1");
      expect(status).toBe("status:");
      expect(out).toContain("No such file or directory"); // the repository's config is not there
      expect(await readFile(join(wt.path, "proof.txt"), "utf8")).toBe("hi\n"); // the attack ran
      expect(await repo.git("config", "--get", "core.fsmonitor").catch(() => "unset")).toBe("unset");
      expect(await repo.git("rev-parse", "main")).toBe(await repo.head());
    },
  );

  it.runIf(bwrap.ok)(
    "the agent's HOME: each launch gets a new HOME holding only its homeFiles, writable, on disk, and gone with the sandbox",
    async () => {
      await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
      const hostHome = join(repo.root, "home");
      await mkdir(hostHome, { recursive: true });
      await writeFile(join(hostHome, ".claude.json"), '{"userID":"the user\'s own"}\n');
      const { wt: worktree, session, privateDir } = await sandboxFor(repo, "r1", { HOME: hostHome });
      await using wt = worktree;
      const inside = async (script: string, homeFiles?: Record<string, string>) => {
        const launch = await session.wrap({
          command: "sh",
          args: ["-c", script],
          cwd: wt.path,
          env: { PATH: process.env.PATH ?? "", HOME: hostHome },
          ...(homeFiles ? { homeFiles } : {}),
        });
        return execFileSync(launch.command, launch.args, {
          cwd: launch.cwd,
          env: launch.env,
          encoding: "utf8",
        });
      };
      // the first launch: its files, nothing of the user's; it writes, and a tool fills a cache
      const first = await inside(
        'echo "home=$HOME"; ls -A "$HOME"; cat "$HOME/.claude.json"; echo left > "$HOME/left.txt"; mkdir -p "$HOME/.npm/_cacache" && echo c > "$HOME/.npm/_cacache/x"; echo ran > proof.txt',
        { ".claude.json": '{"migrationVersion":15}\n' },
      );
      expect(await readFile(join(wt.path, "proof.txt"), "utf8")).toBe("ran\n");
      expect(first).toBe(`home=${hostHome}\n.claude.json\n{"migrationVersion":15}\n`);
      // …on disk in the engine's private folder (not in memory), never in the user's HOME
      expect(await readFile(join(privateDir, "home", "left.txt"), "utf8")).toBe("left\n");
      expect(await readFile(join(hostHome, ".claude.json"), "utf8")).toContain("the user's own");
      expect(existsSync(join(hostHome, "left.txt"))).toBe(false);
      // the next launch (a retry) starts from nothing again
      expect(await inside('ls -A "$HOME"')).toBe("");
      await session[Symbol.asyncDispose]();
      expect(existsSync(privateDir)).toBe(false);
    },
  );

  it.runIf(bwrap.ok)("a homeFiles name that is a path is refused before anything starts", async () => {
    await using repo = await makeRepo();
    const opened = await sandboxFor(repo, "r2");
    await using wt = opened.wt;
    await using session = opened.session;
    for (const name of ["../escape", "a/b", "..", ""])
      await expect(
        session.wrap({ command: "true", args: [], cwd: wt.path, env: {}, homeFiles: { [name]: "x" } }),
      ).rejects.toThrow(/not a file name/);
    expect(existsSync(join(opened.privateDir, "escape"))).toBe(false);
  });
});

describe("repository integrity", () => {
  it("finds changed config, new hooks and moved refs, puts them back and keeps the moved tip", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const common = join(repo.path, ".git");
    const before = await snapshotRepo(git, common);
    const main = await repo.head();
    const config = await readFile(join(common, "config"), "utf8");
    await repo.git("config", "core.fsmonitor", "touch /tmp/x");
    await mkdir(join(common, "hooks"), { recursive: true });
    await writeFile(join(common, "hooks", "pre-commit"), "#!/bin/sh\n");
    const moved = await repo.commit("user work", { "b.txt": "b\n" });
    const changes = await compareRepo(git, before);
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: "file", name: "config" },
        { kind: "file", name: "hooks/pre-commit" },
        { kind: "ref", name: "refs/heads/main" },
      ]),
    );
    await restoreRepo(git, before, changes);
    expect(await readFile(join(common, "config"), "utf8")).toBe(config);
    expect(await repo.head("main")).toBe(main);
    expect(await compareRepo(git, before)).toEqual([]);
    const kept = await repo.git("for-each-ref", "--format=%(objectname)", "refs/claude-tasks/tampered/");
    expect(kept).toBe(moved);
  });

  it("without refs (inside the sandbox) a user's commit during the run is not taken for an attack", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const before = await snapshotRepo(git, join(repo.path, ".git"), { refs: false });
    await repo.commit("user work", { "b.txt": "b\n" });
    expect(await compareRepo(git, before)).toEqual([]);
  });
});

describe("runner setup", () => {
  it("installs bubblewrap when missing, then an AppArmor profile when user namespaces are restricted", async () => {
    const calls: string[] = [];
    const states = [
      { ok: false as const, reason: "bubblewrap (bwrap) is not installed" },
      {
        ok: false as const,
        reason: "bubblewrap cannot create a sandbox here (setting up uid map: Permission denied)",
      },
      { ok: true as const, path: "/usr/bin/bwrap", version: "bubblewrap 0.9.0" },
    ];
    await ensureSandbox({
      logger: silentLogger,
      env: {},
      probe: async () => states.shift()!,
      usernsRestricted: () => true,
      privileged: async (args, input) => {
        calls.push(args.join(" ") + (input ? ` <<${input.includes("userns,") ? "profile" : "?"}` : ""));
        return true;
      },
    });
    expect(calls).toEqual([
      "apt-get install -y -q bubblewrap",
      "tee /etc/apparmor.d/claude-tasks-bwrap <<profile",
      "apparmor_parser -r /etc/apparmor.d/claude-tasks-bwrap",
    ]);
  });

  it("says what to do when nothing can be fixed (no sudo)", async () => {
    await expect(
      ensureSandbox({
        logger: silentLogger,
        env: {},
        probe: async () => ({ ok: false, reason: "bubblewrap (bwrap) is not installed" }),
        usernsRestricted: () => false,
        privileged: async () => false,
      }),
    ).rejects.toThrow(/install the `bubblewrap` package in an earlier step, or set `isolation: none`/);
  });

  it("the profile grants user namespaces to bwrap alone", () => {
    const p = apparmorProfile("/usr/bin/bwrap");
    expect(p).toContain("profile claude-tasks-bwrap /usr/bin/bwrap flags=(unconfined) {");
    expect(p).toContain("  userns,");
  });

  it("no sandbox and no opt-out: the run refuses with the fix", async () => {
    await expect(
      createSandboxProvider({ isolation: "sandbox", env: {}, platform: "darwin" }),
    ).rejects.toThrow(/no sandbox for agents on darwin.*`isolation: none`/);
  });
});
