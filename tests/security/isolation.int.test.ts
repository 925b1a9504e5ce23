/**
 * Without the sandbox. `isolation: none` is an explicit opt-out: the agent then shares the
 * repository's git directory, so the integrity check after every agent run is what stands between it
 * and the user's setup — planted config, attributes and hooks, and moved or new refs are put back and
 * the task fails loudly. And where the sandbox cannot be had and the run did not opt out, nothing runs:
 * a one-line error, exit code 2, no agent started.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { results, startE2E } from "../action/harness.ts";
import { makeRepo } from "../support/git-repo.ts";
import { expectNothingRunning, gitSetup, marker, namesStartingWith, refsOf, runCli } from "./harness.ts";

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

describe("attack with isolation: none", () => {
  it("planted config, attributes, hooks and moved refs are restored, the task fails loudly, and nothing planted runs", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    const name = marker("pwned");
    const mark = join(tmpdir(), name);
    watch = [repo.root, name];
    await repo.git("checkout", "-q", "-b", "attacker");
    const evil = await repo.commit("add a workflow", { ".github/workflows/pwn.yml": "on: push\n" });
    await repo.git("checkout", "-q", "main");
    const t = (kind: string) => `touch ${mark}-${kind}`;
    const script = [
      `git config core.fsmonitor '${t("fsmonitor")}'`,
      `git config filter.x.clean '${t("clean")}; cat'`,
      `printf '[core]\\n\\tfsmonitor = ${t("include")}\\n' > "$C/../evil.config"`,
      'git config include.path "$C/../evil.config"',
      `printf '* filter=x\\n' >> "$C/info/attributes"`,
      `mkdir -p "$C/hooks" && printf '#!/bin/sh\\n${t("hook")}\\n' > "$C/hooks/post-commit" && chmod +x "$C/hooks/post-commit"`,
      `git update-ref refs/heads/main ${evil}`,
      "git tag evil-tag",
      "git symbolic-ref HEAD refs/heads/attacker-head",
    ].map((l) => `(${l}) 2>/dev/null || true`);
    script.unshift(
      "echo 'the unsandboxed attack ran' > proof.txt",
      "C=$(git rev-parse --path-format=absolute --git-common-dir)",
    );
    await repo.commit("tasks", {
      ".github/claude-tasks/attack.yml": `run: ${JSON.stringify(script.join("\n"))}\n`,
    });
    const gitDir = join(repo.path, ".git");
    const setup = gitSetup(gitDir);
    const refs = refsOf(repo.path, repo.env);

    const r = await runCli(
      ["run", "attack", "--json", "--quiet", "--isolation", "none"],
      repo.path,
      repo.env,
    );

    // Failed loudly: the task names what was changed, and the run's exit code says it failed.
    expect(r.code).toBe(1);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.status).toBe("failed");
    expect(res.message).toMatch(/changed the repository's git setup \(.*"config".*\); it was restored/);
    expect(res.message).toMatch(/info\/attributes/);
    expect(res.message).toMatch(/refs\/heads\/main/);
    expect(res.message).toMatch(/hooks\/post-commit/);
    // The attack ran: its proof is in the backup of the worktree's work.
    const backups = join(gitDir, "claude-tasks", "backups");
    const patches = readdirSync(backups).map((b) => readFileSync(join(backups, b, "changes.patch"), "utf8"));
    expect(patches.some((p) => p.includes("+the unsandboxed attack ran"))).toBe(true);
    // Everything is back: config, attributes, hooks, HEAD, every ref; no task branch; nothing ran.
    expect(gitSetup(gitDir)).toEqual(setup);
    const after = refsOf(repo.path, repo.env);
    // the moved tips are kept aside for inspection, under the engine's own namespace
    const kept = Object.keys(after).filter((k) => k.startsWith("refs/claude-tasks/tampered/"));
    expect(kept.map((k) => k.replace(/^refs\/claude-tasks\/tampered\/[^/]+\//, "")).sort()).toEqual([
      "heads/main",
      "tags/evil-tag",
    ]);
    for (const k of kept) delete after[k];
    // the engine's own spend ledger is written after every run (and fetched back): not the attack's
    for (const ref of ["refs/claude-tasks/state", "refs/claude-tasks/fetched-state"]) delete after[ref];
    expect(after).toEqual(refs);
    expect(namesStartingWith(tmpdir(), name)).toEqual([]);
    // The user's own git afterwards runs nothing planted either.
    await repo.write("README.md", "# widgets, edited\n");
    await repo.git("add", "-A");
    await repo.git("commit", "-qm", "the user's own commit");
    expect(namesStartingWith(tmpdir(), name)).toEqual([]);
  });
});

describe("no sandbox to be had", () => {
  it.each([
    ["bwrap is missing", "/nonexistent/bwrap", /bubblewrap \(bwrap\) is not installed/],
    // installed, but the kernel (or AppArmor, as on Ubuntu 24.04 runners) refuses its namespaces
    [
      "bwrap cannot make namespaces",
      "fake-bwrap",
      /bubblewrap cannot create a sandbox here \(bwrap: setting up uid map: Permission denied\)/,
    ],
  ])("%s: the CLI refuses with one line and exit code 2, and starts no agent", async (_, which, why) => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    let bin = which;
    if (which === "fake-bwrap") {
      bin = join(repo.root, "bwrap");
      writeFileSync(
        bin,
        '#!/bin/sh\n[ "$1" = --version ] && echo "bubblewrap 0.8.0" && exit 0\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n',
        { mode: 0o755 },
      );
    }
    const name = marker("ran");
    watch = [repo.root, name];
    await repo.commit("tasks", {
      ".github/claude-tasks/attack.yml": `run: "touch ${join(tmpdir(), name)}; echo ran > proof.txt"\n`,
    });
    const refs = refsOf(repo.path, repo.env);

    const r = await runCli(["run", "attack"], repo.path, { ...repo.env, CLAUDE_TASKS_BWRAP: bin });

    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(/--isolation none/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmpdir(), name))).toBe(false);
    expect(refsOf(repo.path, repo.env)).toEqual(refs);
    expect(existsSync(join(repo.path, ".git", "claude-tasks", "backups"))).toBe(false);
  });

  it("the Action refuses too, with an error annotation, and starts no agent", async () => {
    const name = marker("ran");
    await using e2e = await startE2E({
      ".github/claude-tasks/attack.yml": `run: "touch ${join(tmpdir(), name)}; echo ran > proof.txt"\n`,
    });
    watch = [e2e.repo.root, name];

    const r = await e2e.run({
      event: "workflow_dispatch",
      env: { CLAUDE_TASKS_BWRAP: "/nonexistent/bwrap" },
    });

    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^::error.*bubblewrap \(bwrap\) is not installed.*isolation: none/m);
    expect(existsSync(join(tmpdir(), name))).toBe(false);
    expect(results(r.outputs) ?? []).not.toContainEqual(expect.objectContaining({ status: "success" }));
    expect(Object.keys(e2e.originBranches())).toEqual(["main"]);
  });
});
