import { describe, expect, it } from "vitest";
import { GitError } from "../../src/engine/errors.ts";
import { createGit, DEFAULT_IDENTITY, gitEnv, redactArgs } from "../../src/engine/git/exec.ts";
import { stateDir } from "../../src/engine/git/paths.ts";
import { makeRepo } from "../support/git-repo.ts";

describe("gitEnv", () => {
  it("turns prompts, pagers and editors off, fixes the locale and sets the bot identity", () => {
    const env = gitEnv(DEFAULT_IDENTITY, {}, { PATH: "/bin", GIT_DIR: "/elsewhere", GIT_INDEX_FILE: "/x" });
    expect(env).toMatchObject({
      PATH: "/bin",
      GIT_TERMINAL_PROMPT: "0",
      GIT_PAGER: "cat",
      GIT_EDITOR: "true",
      LC_ALL: "C",
      GIT_OPTIONAL_LOCKS: "0",
      GIT_AUTHOR_NAME: "claude-tasks[bot]",
      GIT_COMMITTER_EMAIL: "claude-tasks[bot]@users.noreply.github.com",
    });
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_INDEX_FILE).toBeUndefined();
  });

  it("lets the caller override and remove variables", () => {
    const env = gitEnv(DEFAULT_IDENTITY, { LC_ALL: undefined, FOO: "1" }, { PATH: "/bin" });
    expect(env.LC_ALL).toBeUndefined();
    expect(env.FOO).toBe("1");
  });
});

describe("redactArgs", () => {
  it("hides credentials in URLs and auth headers", () => {
    expect(
      redactArgs([
        "push",
        "https://x-access-token:ghs_secret@github.com/o/r.git",
        "http.https://github.com/.extraheader=AUTHORIZATION: basic abc",
      ]),
    ).toEqual(["push", "https://***@github.com/o/r.git", "http.https://github.com/.extraheader=***"]);
  });
});

describe("createGit", () => {
  it("runs git, feeds stdin, returns binary output intact and throws a GitError on failure", async () => {
    await using repo = await makeRepo();
    const git = repo.client({ identity: { name: "Bot", email: "bot@example.com" } });

    const blob = Buffer.from([0, 1, 2, 255, 10, 13]);
    const oid = (await git.run(["hash-object", "-w", "--stdin"], { input: blob })).stdout.trim();
    expect((await git.runBuffer(["cat-file", "blob", oid])).stdout.equals(blob)).toBe(true);

    const bad = await git.run(["rev-parse", "--verify", "nope"], { allowFailure: true });
    expect(bad.exitCode).not.toBe(0);
    const err = await git.run(["rev-parse", "--verify", "nope"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).args).toEqual(["rev-parse", "--verify", "nope"]);
    expect((err as GitError).message).toMatch(/^git rev-parse --verify nope failed \(exit 128\)/);

    const ident = await git.run(["var", "GIT_COMMITTER_IDENT"]);
    expect(ident.stdout).toMatch(/^Bot <bot@example\.com>/);
  });

  it("does not run the repository's hooks", async () => {
    await using repo = await makeRepo();
    await repo.write(".git/hooks/pre-commit", { content: "#!/bin/sh\nexit 1\n", mode: 0o755 });
    await repo.write("a.txt", "a\n");
    const git = repo.client();
    await git.run(["add", "a.txt"]);
    await git.run(["commit", "-m", "hooks are off"]);
    expect(await repo.git("log", "-1", "--format=%an")).toBe("claude-tasks[bot]");
  });

  it("starts no `git maintenance` of the user's repository after a fetch or a commit", async () => {
    await using repo = await makeRepo();
    await repo.write("a.txt", "a\n");
    const git = repo.client();
    const traced = { env: { GIT_TRACE: "1" } };
    const commit = await git.run(["commit", "-q", "--allow-empty", "-m", "x"], traced);
    const fetch = await git.run(["fetch", "-q", repo.path, "HEAD"], traced);
    // the same fetch with maintenance switched back on starts it: the trace would show it
    const bare = await git.run(["-c", "maintenance.auto=true", "fetch", "-q", repo.path, "HEAD"], traced);
    expect(bare.stderr).toMatch(/run_command: git maintenance run --auto/);
    expect(commit.stderr).toMatch(/built-in: git commit/);
    expect(commit.stderr).not.toMatch(/maintenance/);
    expect(fetch.stderr).not.toMatch(/maintenance/);
  });

  it("at() keeps env and identity for another directory; stateDir is the common dir's", async () => {
    await using repo = await makeRepo();
    const git = createGit({ cwd: repo.path, env: repo.env });
    expect(await stateDir(git)).toBe(`${repo.path}/.git/claude-tasks`);
    const sub = git.at(`${repo.path}/.git`);
    expect(sub.identity).toEqual(git.identity);
  });
});

describe("failures", () => {
  it("redacts credentials in stderr and explains a missing git or directory", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const err = (await git
      .run(["fetch", "https://user:s3cret@127.0.0.1:1/x.git"], { env: { GIT_HTTP_LOW_SPEED_TIME: "1" } })
      .catch((e: unknown) => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(`${err.message}${err.stderr}${err.args.join(" ")}`).not.toContain("s3cret");
    await expect(createGit({ cwd: repo.path, bin: "git-does-not-exist" }).run(["status"])).rejects.toThrow(
      /no such program or directory/,
    );
    await expect(createGit({ cwd: `${repo.path}/missing` }).run(["status"])).rejects.toThrow(/missing/);
  });
});
