/**
 * Attack: plant git configuration that runs a command when the engine's git touches the worktree or
 * the repository — `core.fsmonitor`, a `filter.*.clean` driver with `.gitattributes`, `include.path`,
 * `core.hooksPath` and hooks, `diff.external`, `gpg.program` — through `git config` in the worktree,
 * written straight into the repository's `.git/config`, `info/attributes` and `hooks/`, and with
 * `git log --output=<common-dir>/config` (all Claude needs is `Bash(git log:*)`). Each planted
 * command would touch a marker file on the host. Afterwards the user's `.git/config`, `info/` and
 * hooks are byte for byte what they were, no marker exists, and later runs and the user's own git are
 * unaffected.
 */
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo } from "../support/git-repo.ts";
import { type ModelServer, startModelServer } from "../support/model-server.ts";
import {
  bash,
  cwdOf,
  expectNothingRunning,
  gitSetup,
  marker,
  namesStartingWith,
  runCli,
  type ToolOutcome,
  toolOutcomes,
} from "./harness.ts";

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

/** Shell lines that plant every kind of command-running git setting; each touches `<mark>-<kind>`. */
function plantEverything(mark: string, gitDir: string): string {
  const t = (kind: string) => `touch ${mark}-${kind}`;
  return [
    // in the worktree, as any agent would
    `git config core.fsmonitor '${t("fsmonitor")}'`,
    `git config filter.x.clean '${t("clean")}; cat'`,
    `git config filter.x.smudge '${t("smudge")}; cat'`,
    "git config filter.x.required true",
    `git config diff.external '${t("difftool")}'`,
    `git config gpg.program '${t("gpg")}'`,
    "git config commit.gpgSign true",
    `git config core.hooksPath "$PWD/hooks"`,
    "mkdir -p hooks",
    `for h in pre-commit commit-msg post-commit post-checkout post-rewrite reference-transaction pre-push; do printf '#!/bin/sh\\n${t("hook")}-%s\\n' $h > hooks/$h; chmod +x hooks/$h; done`,
    `printf '[core]\\n\\tfsmonitor = ${t("include")}\\n' > evil.config`,
    `git config include.path "$PWD/evil.config"`,
    "printf '* filter=x\\n' > .gitattributes",
    // the agent's own git dir, wherever it is
    `git log -1 --format='[core]%n%x09fsmonitor = ${t("log-output")}' --output="$(git rev-parse --git-common-dir)/config.worktree"`,
    // the repository's git directory, by its host path
    `git log -1 --format='[core]%n%x09fsmonitor = ${t("log-output-host")}' --output=${gitDir}/config`,
    `printf '[core]\\n\\tfsmonitor = ${t("host-config")}\\n[include]\\n\\tpath = ${gitDir}/../evil.config\\n' >> ${gitDir}/config`,
    `printf '* filter=x\\n' >> ${gitDir}/info/attributes`,
    `mkdir -p ${gitDir}/hooks && printf '#!/bin/sh\\n${t("host-hook")}\\n' > ${gitDir}/hooks/post-checkout && chmod +x ${gitDir}/hooks/post-checkout`,
    `git --git-dir=${gitDir} config core.fsmonitor '${t("host-git-config")}'`,
    // what a later step on the runner would run
    `git config --global core.fsmonitor '${t("global")}'`,
  ]
    .map((line) => `(${line}) 2>/dev/null || true`)
    .join("\n");
}

describe("attack: planted git configuration", () => {
  it("a run: command plants fsmonitor, filter drivers, include.path, hooks and git log --output; none of it reaches the repository or ever runs", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    const mark = `${tmpdir()}/${marker("pwned")}`;
    const gitDir = `${repo.path}/.git`;
    watch = [repo.root, mark];
    const script = [
      plantEverything(mark, gitDir),
      "git add -A 2>/dev/null; git status >/dev/null 2>&1", // the agent's own git uses what it planted
      "echo 'the git config attack ran' > proof.txt",
      "true",
    ].join("\n");
    await repo.commit("tasks", {
      // the task allows even the protected files, so the result lands and can be inspected
      ".github/claude-tasks/attack.yml": `run: ${JSON.stringify(script)}\npaths: { allow: ["**", ".gitattributes", "hooks/**"] }\n`,
      ".github/claude-tasks/later.yml": 'run: "echo later > later.txt"\n',
    });
    const before = gitSetup(gitDir);

    const r = await runCli(["run", "attack", "--json", "--quiet"], repo.path, repo.env);

    expect(r.code, r.stderr).toBe(0);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.status, res.message).toBe("success");
    // The attack ran: its proof and the files it planted in its worktree are in the task's commit,
    // as the agent wrote them (no filter ran on the way in).
    expect(await repo.git("show", "claude-tasks/attack:proof.txt")).toBe("the git config attack ran");
    expect(await repo.git("show", "claude-tasks/attack:.gitattributes")).toBe("* filter=x");
    expect(await repo.git("show", "claude-tasks/attack:evil.config")).toContain("fsmonitor");
    expect(await repo.git("show", "claude-tasks/attack:hooks/pre-commit")).toContain(mark);
    // Nothing of it reached the repository's git setup, and nothing it planted ever ran on the host.
    expect(gitSetup(gitDir)).toEqual(before);
    expect(namesStartingWith(tmpdir(), mark.slice(tmpdir().length + 1))).toEqual([]);

    // A later run, and the user's own git in the checkout, run nothing of it either.
    const later = await runCli(["run", "later", "--json", "--quiet"], repo.path, repo.env);
    expect(later.code, later.stderr).toBe(0);
    await repo.write("README.md", "# widgets, edited\n");
    await repo.git("add", "-A");
    await repo.git("commit", "-qm", "the user's own commit");
    await repo.git("checkout", "-q", "-b", "other");
    await repo.git("checkout", "-q", "main");
    await repo.git("diff", "HEAD~1");
    expect(gitSetup(gitDir)).toEqual(before);
    expect(namesStartingWith(tmpdir(), mark.slice(tmpdir().length + 1))).toEqual([]);
  });

  it("Claude Code with only Bash(git log:*) writes git config with `git log --output`; the repository's config is unchanged and nothing runs", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    const mark = `${tmpdir()}/${marker("pwned")}`;
    const gitDir = `${repo.path}/.git`;
    watch = [repo.root, mark];
    const outcomes: ToolOutcome[][] = [];
    const logTo = (path: string, kind: string) =>
      bash(`git log -1 --format='[core]%n%x09fsmonitor = touch ${mark}-${kind}' --output=${path}`);
    let server: ModelServer | undefined;
    try {
      server = await startModelServer((req) => {
        outcomes.push(toolOutcomes(req));
        const cwd = cwdOf(req) ?? "";
        const adminDir = `${gitDir}/worktrees/${cwd.split("/").at(-1)}`;
        switch (req.index) {
          case 0:
            return logTo(`${gitDir}/config`, "common-config");
          case 1:
            return logTo(`${adminDir}/config.worktree`, "worktree-config");
          case 2:
            return logTo(`${cwd}/.git`, "dot-git");
          case 3:
            return {
              tool: "Write",
              input: { file_path: `${cwd}/proof.txt`, content: "the git log attack ran\n" },
            };
          default:
            return { text: "Changelog updated." };
        }
      });
      await repo.commit("tasks", {
        ".github/claude-tasks/changelog.yml": [
          "prompt: Update the changelog.",
          "agent:",
          "  permission_mode: acceptEdits",
          '  allowed_tools: ["Bash(git log:*)", Write]',
          "  timeout: 60s",
          "",
        ].join("\n"),
      });
      const before = gitSetup(gitDir);

      const r = await runCli(["run", "changelog", "--json", "--quiet"], repo.path, {
        ...repo.env,
        ANTHROPIC_API_KEY: "sk-ant-sec-dummy",
        ANTHROPIC_BASE_URL: server.url,
        CLAUDE_CODE_MAX_RETRIES: "0",
      });

      expect(r.code, r.stderr).toBe(0);
      const [res] = JSON.parse(r.stdout).results;
      expect(res.status, res.message).toBe("success");
      // The attack ran: Claude ran each `git log --output` (none was refused by its permissions),
      // and its proof is in the task's commit.
      const runs = outcomes.slice(1, 4).map((o) => o[0]!);
      expect(runs.map((o) => o.tool)).toEqual(["Bash", "Bash", "Bash"]);
      for (const o of runs) expect(o.text).not.toMatch(/permission|not allowed|requires approval/i);
      expect(await repo.git("show", "claude-tasks/changelog:proof.txt")).toBe("the git log attack ran");
      // The `.git` file of the worktree is read-only: it still points where the engine put it.
      expect(outcomes[3]![0]!.isError).toBe(true);
      expect(gitSetup(gitDir)).toEqual(before);
      expect(namesStartingWith(tmpdir(), mark.slice(tmpdir().length + 1))).toEqual([]);
      expect(await repo.git("diff", "--name-only", "main", "claude-tasks/changelog")).toBe("proof.txt");
    } finally {
      await server?.close();
    }
  });
});
