/**
 * Attack: a git repository nested in the worktree. The agent creates `sub/.git` — a repository of its
 * own whose config defines a `filter.x.clean` driver applied to all its files, and whose file is
 * stat-dirty so that the next `git status` there has to hash it through the filter. The engine's
 * `git add -A` stages `sub` as a gitlink; any later engine git command that looks at submodule
 * working trees (`git status --ignore-submodules=none`, as the dirtiness check before a rebase does)
 * runs `git status` inside `sub`, with `sub/.git/config`: the driver would run on the host, outside
 * the sandbox, with the engine's environment. The base moving during the run is all it takes.
 *
 * FINDING (fails on the sandbox as landed): `isDirty` (src/engine/git/refs.ts, called by
 * `rebaseOnto` and by the worktree's backup-before-removal) runs `git status --ignore-submodules=none`
 * in the worktree, which spawns `git status` in `sub/` with `sub/.git/config`, and the filter runs.
 */
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo } from "../support/git-repo.ts";
import { expectNothingRunning, marker, runCli } from "./harness.ts";

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

describe("attack: a nested repository's config", () => {
  it("a filter driver in sub/.git/config never runs outside the sandbox, even when the engine rebases", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    const name = marker("pwned");
    const mark = join(tmpdir(), name);
    watch = [repo.root, name];
    const script = [
      "git init -q sub",
      "echo aaaa > sub/f",
      "git -C sub add f",
      "git -C sub -c user.name=a -c user.email=a@b commit -qm sub",
      `git -C sub config filter.x.clean 'touch ${mark}; env > ${mark}.env; cat'`,
      "echo '* filter=x' > sub/.git/info/attributes",
      // same size, new mtime: `git status` in sub must hash it, through the filter
      "sleep 1.1; echo bbbb > sub/f",
      "echo 'the nested repository attack ran' > proof.txt",
      // give the test time to move main while this task runs
      "while [ ! -e moved ] && [ $((i=i+1)) -lt 100 ]; do sleep 0.1; done",
      "sleep 3",
    ].join("\n");
    await repo.commit("tasks", {
      // the gitlink is allowed explicitly (it is refused by default): the engine must still never
      // step into the nested repository, through the rebase and the backups
      ".github/claude-tasks/attack.yml": `run: ${JSON.stringify(script)}\npaths: { allow: ["**", "sub"] }\n`,
    });

    const running = runCli(["run", "attack", "--json", "--quiet"], repo.path, repo.env);
    // main moves while the task runs (someone merged a PR): the engine will rebase the task's commit
    await new Promise((ok) => setTimeout(ok, 2500));
    await repo.commit("meanwhile", { "OTHER.md": "other\n" });
    const r = await running;

    const [res] = JSON.parse(r.stdout).results;
    // The attack ran: its proof is in the result (the commit, or the backup of a refused change).
    expect(res.files?.map((f: { path: string }) => f.path)).toContain("proof.txt");
    expect(res.files?.map((f: { path: string }) => f.path)).toContain("sub");
    // The nested repository's filter never ran on the host.
    const ran = readdirSync(tmpdir()).filter((n) => n.startsWith(name));
    expect(ran, `the planted filter ran on the host (task ${res.status}: ${res.message})`).toEqual([]);
    expect(existsSync(mark)).toBe(false);
  });
});
