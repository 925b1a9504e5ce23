/**
 * Attack: move the user's refs. The command moves `main` onto an attacker's commit (one that adds a
 * workflow), creates tags, deletes the engine's own `refs/claude-tasks/*` (backups, schedule state) —
 * in its own git, through `--git-dir=<repo>/.git`, and by writing ref files directly. Afterwards every
 * ref of the repository is as it was (the task's own branch aside), and the task's commit sits on the
 * real `main`: the engine did not rebase onto the moved one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo } from "../support/git-repo.ts";
import { expectNothingRunning, refsOf, runCli } from "./harness.ts";

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

describe("attack: move the user's refs", () => {
  it("a run: command moves main, tags, and deletes refs/claude-tasks/*; every ref is unchanged and the task commit is on the real main", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    watch = [repo.root];
    // The attacker's commit, already in the repository (a fork's branch, say).
    await repo.git("checkout", "-q", "-b", "attacker");
    const evil = await repo.commit("add a workflow", { ".github/workflows/pwn.yml": "on: push\n" });
    await repo.git("checkout", "-q", "main");
    await repo.git("branch", "-q", "-D", "attacker");
    await repo.git("update-ref", "refs/claude-tasks/backups/claude-tasks/old/20260101T000000Z", "HEAD");
    await repo.git("update-ref", "refs/claude-tasks/state", "HEAD");
    await repo.git("tag", "v1");
    const gitDir = `${repo.path}/.git`;
    const script = [
      // its own git: the view it has
      `git update-ref refs/heads/main ${evil} && echo "own main: $(git rev-parse main)" >> $P`,
      "git tag -f evil-tag && git tag -f v1 HEAD~0",
      "git update-ref -d refs/claude-tasks/state",
      // the repository's git directory, by its host path
      `git --git-dir=${gitDir} update-ref refs/heads/main ${evil}`,
      `git --git-dir=${gitDir} tag -f v1 ${evil}`,
      `git --git-dir=${gitDir} tag evil-tag ${evil}`,
      `git --git-dir=${gitDir} update-ref -d refs/claude-tasks/state`,
      `git --git-dir=${gitDir} for-each-ref --format='%(refname)' 'refs/claude-tasks/' | while read r; do git --git-dir=${gitDir} update-ref -d "$r"; done`,
      // raw ref files
      `mkdir -p ${gitDir}/refs/heads && echo ${evil} > ${gitDir}/refs/heads/main`,
      `rm -rf ${gitDir}/refs/claude-tasks ${gitDir}/packed-refs`,
      `echo 'ref: refs/heads/evil' > ${gitDir}/HEAD`,
      "true",
    ].map((l) => `(${l}) 2>/dev/null || true`);
    script.unshift("P=$PWD/proof.txt", "echo 'the refs attack ran' > $P");
    await repo.commit("tasks", {
      ".github/claude-tasks/attack.yml": `run: ${JSON.stringify(script.join("\n"))}\n`,
    });
    const main = await repo.head("main");
    const before = refsOf(repo.path, repo.env);
    const headBefore = await repo.git("symbolic-ref", "HEAD");

    const r = await runCli(["run", "attack", "--json", "--quiet"], repo.path, repo.env);

    expect(r.code, r.stderr).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.status, res.message).toBe("success");
    // The attack ran, and in its own view it had moved main.
    const proof = await repo.git("show", "claude-tasks/attack:proof.txt");
    expect(proof).toBe(`the refs attack ran\nown main: ${evil}`);
    // Every ref is as it was (the task's new branch aside), HEAD too.
    const after = refsOf(repo.path, repo.env);
    delete after["refs/heads/claude-tasks/attack"];
    // The attack deleted refs/claude-tasks/state in its own view; the engine's spend ledger (and its
    // fetched copy) is rewritten by the engine after the run, so it exists and is the only ref to move.
    expect(after["refs/claude-tasks/state"]).toBeDefined();
    for (const ref of ["refs/claude-tasks/state", "refs/claude-tasks/fetched-state"]) {
      delete after[ref];
      delete before[ref];
    }
    expect(after).toEqual(before);
    expect(await repo.git("symbolic-ref", "HEAD")).toBe(headBefore);
    // The task commit is on the real main, with nothing of the attacker's commit.
    expect(await repo.git("rev-parse", "claude-tasks/attack^")).toBe(main);
    expect(res.commit).toBe(await repo.head("claude-tasks/attack"));
    expect(await repo.git("diff", "--name-only", main, "claude-tasks/attack")).toBe("proof.txt");
  });
});
