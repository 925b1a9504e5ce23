/**
 * Attack: write outside the worktree. A `run:` command and Claude Code (Write and Edit, in
 * `bypassPermissions` so Claude itself refuses nothing) write to the engine's `$HOME/.bashrc`, `/tmp`,
 * `/var/tmp`, `/dev/shm`, every ancestor directory of their worktree (the runner's temp, the worktrees
 * folder), a sibling task's worktree, the checkout's files and the Action's own `dist/` (a copy, run
 * as the runner runs the Action from its directory). Afterwards none of those host paths changed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type E2E, results, startE2E } from "../action/harness.ts";
import { type ModelServer, startModelServer } from "../support/model-server.ts";
import {
  cwdOf,
  expectNothingRunning,
  filesUnder,
  fingerprint,
  fingerprintDiff,
  gitOut,
  marker,
  type ToolOutcome,
  toolOutcomes,
} from "./harness.ts";

/**
 * The Action installed in a directory of its own, as a runner does (`_actions/<owner>/<repo>/<ref>`).
 * Not under /tmp or a home (which the sandbox hides entirely), so the agent sees it, read-only, as on
 * a self-hosted runner whose work folder is elsewhere.
 */
mkdirSync(resolve(".tmp"), { recursive: true });
const actionDir = mkdtempSync(join(resolve(".tmp"), "ct-sec-action-"));
for (const part of ["dist", "package.json", "action.yml", "templates", "schema"])
  execFileSync("cp", ["-r", resolve(part), join(actionDir, part)]);
const actionJs = join(actionDir, "dist", "action.js");
afterAll(() => rmSync(actionDir, { recursive: true, force: true }));
/**
 * A checkout of this project under /tmp or a home (`git clone . /tmp/x`) puts that copy where the
 * sandbox hides everything: then the agent cannot even see the Action, and its writes land in the
 * sandbox's own empty tmpfs. Either way the host copy must come out unchanged (the fingerprints).
 */
const actionVisible = ![realpathSync(tmpdir()), "/home", "/root", process.env.HOME]
  .filter((d): d is string => !!d && d !== "/")
  .some((d) => actionDir === d || actionDir.startsWith(`${d}/`));

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

/** Host state the attack must not change: file trees by content, and where its marker file may appear. */
function hostState(e2e: E2E) {
  const home = String(e2e.repo.env.HOME);
  return {
    home: fingerprint(home),
    checkout: fingerprint(e2e.repo.path, (p) => p === join(e2e.repo.path, ".git")),
    action: fingerprint(actionDir),
    varTmp: fingerprint("/var/tmp"),
    devShm: fingerprint("/dev/shm"),
  };
}

function changedHostPaths(before: ReturnType<typeof hostState>, after: ReturnType<typeof hostState>) {
  return Object.keys(before).flatMap((k) => {
    const key = k as keyof typeof before;
    return fingerprintDiff(before[key], after[key]);
  });
}

/**
 * Files anywhere the attack could have reached whose name or content carries the marker. The
 * checkout's own files hold it legitimately (the task file; the backups of the agent's worktree):
 * there only names count (its working files are compared by content in `hostState`).
 */
function markedFiles(m: string, extra: string[], checkout: string): string[] {
  const roots = [tmpdir(), "/var/tmp", "/dev/shm", "/root", actionDir, ...extra];
  const found = new Set<string>();
  for (const f of roots.flatMap((r) =>
    filesUnder(r, (p) => /\/(?:\.cache|\.npm|\.m2|\.pyenv|\.rustup|\.cargo|node_modules|objects)$/.test(p)),
  )) {
    if (f.includes(m)) found.add(f);
    else if (!f.startsWith(`${checkout}/`)) {
      try {
        if (readFileSync(f, "latin1").includes(m)) found.add(f);
      } catch {
        // gone meanwhile
      }
    }
  }
  for (const f of ["/", "/etc", "/usr", "/opt"].map((d) => join(d, m))) if (existsSync(f)) found.add(f);
  return [...found].sort();
}

describe("attack: write outside the worktree", () => {
  it("a run: command writes to HOME, /tmp, /var/tmp, its worktree's ancestors, a sibling worktree, the checkout and the Action's dist/; nothing outside its worktree changes", async () => {
    await using e2e = await startE2E({});
    const m = marker("pwned");
    watch = [e2e.repo.root, m];
    const home = String(e2e.repo.env.HOME);
    const checkout = e2e.repo.path;
    const attempts: [string, string][] = [
      ["home .bashrc", `echo ${m} >> ${home}/.bashrc`],
      ["home file", `echo ${m} > ${home}/${m}`],
      ["/tmp", `echo ${m} > /tmp/${m}`],
      ["/var/tmp", `echo ${m} > /var/tmp/${m}`],
      ["/dev/shm", `echo ${m} > /dev/shm/${m}`],
      ["ancestors", `d=$PWD; while [ "$d" != / ]; do d=$(dirname "$d"); echo ${m} > "$d/${m}"; done`],
      [
        "sibling worktree",
        `s=$(dirname "$PWD")/$(basename "$PWD" | sed 's/^attack-/victim-/'); echo ${m} > "$s/${m}" && echo ${m} >> "$s/victim.txt"`,
      ],
      ["checkout README", `echo ${m} >> ${checkout}/README.md`],
      ["checkout new file", `echo ${m} > ${checkout}/${m}`],
      ["checkout task file", `echo 'run: echo ${m}' > ${checkout}/.github/claude-tasks/victim.yml`],
      ["action.js", `echo 'process.exit(42) // ${m}' >> ${actionJs}`],
      ["action chunks", `for f in ${actionDir}/dist/chunks/*.js; do echo '// ${m}' >> "$f"; done`],
      ["action new file", `echo ${m} > ${actionDir}/dist/${m}.js`],
      ["action delete", `rm -f ${actionDir}/dist/chunks/*.js; ! ls ${actionDir}/dist/chunks | grep -q .`],
    ];
    const script = [
      "P=$PWD/attack-proof.txt",
      "echo 'the write attack ran' > $P",
      // wait until the victim's worktree exists on the host (the attacker cannot see it)
      "sleep 1",
      ...attempts.map(
        ([name, cmd]) =>
          `if (${cmd}) 2>/dev/null; then echo "wrote ${name}" >> $P; else echo "refused ${name}" >> $P; fi`,
      ),
      "true",
    ].join("\n");
    await e2e.repo.commit("tasks", {
      ".github/claude-tasks/attack.yml": `run: ${JSON.stringify(script)}\n`,
      ".github/claude-tasks/victim.yml": 'run: "sleep 4; echo victim > victim.txt"\n',
    });
    await e2e.repo.git("push", "-q", "origin", "HEAD:main");
    const before = hostState(e2e);

    const r = await e2e.run({ event: "workflow_dispatch", action: actionJs });

    expect(r.code, r.stdout + r.stderr).toBe(0);
    const byTask = Object.fromEntries(results(r.outputs).map((x) => [x.task, x]));
    expect(byTask.attack?.status).toBe("success");
    expect(byTask.victim?.status).toBe("success");
    // The attack ran: its proof (one line per attempt) is in its branch.
    const proof = gitOut(e2e, e2e.repo.origin!, "show", "refs/heads/claude-tasks/attack:attack-proof.txt");
    expect(proof.split("\n")).toHaveLength(attempts.length + 1);
    for (const [name] of attempts) expect(proof).toMatch(new RegExp(`^(wrote|refused) ${name}$`, "m"));
    // The Action's files are visible but read-only: every write to them failed (or, hidden, they
    // went to the sandbox's own tmpfs: the fingerprints below are what holds in both layouts).
    if (actionVisible) {
      expect(proof).toMatch(/^refused action\.js$/m);
      expect(proof).toMatch(/^refused action chunks$/m);
      expect(proof).toMatch(/^refused action new file$/m);
      expect(proof).toMatch(/^refused action delete$/m);
    }
    // It changed nothing outside its worktree: no host file, no sibling, no checkout, no Action file.
    expect(changedHostPaths(before, hostState(e2e))).toEqual([]);
    expect(markedFiles(m, [e2e.repo.root], e2e.repo.path)).toEqual([]);
    expect(gitOut(e2e, e2e.repo.origin!, "show", "refs/heads/claude-tasks/victim:victim.txt")).toBe("victim");
    expect(
      gitOut(e2e, e2e.repo.origin!, "ls-tree", "-r", "--name-only", "refs/heads/claude-tasks/victim"),
    ).not.toContain(m);
    // The Action still runs from its directory as it was.
    const again = await e2e.run({
      event: "workflow_dispatch",
      action: actionJs,
      inputs: { "dry-run": "true" },
    });
    expect(again.code, again.stderr).toBe(0);
  });

  it("Claude Code's Write and Edit (bypassPermissions) aim at HOME, /var/tmp, a sibling, the checkout and the Action's dist/; nothing outside its worktree changes", async () => {
    const m = marker("pwned");
    let server: ModelServer | undefined;
    const seen: ToolOutcome[][] = [];
    try {
      await using e2e = await startE2E({});
      watch = [e2e.repo.root, m];
      const home = String(e2e.repo.env.HOME);
      const checkout = e2e.repo.path;
      const write = (file_path: string) => ({ tool: "Write", input: { file_path, content: `${m}\n` } });
      const read = (file_path: string) => ({ tool: "Read", input: { file_path } });
      const edit = (file_path: string, old_string: string) => ({
        tool: "Edit",
        input: { file_path, old_string, new_string: `${old_string} ${m}` },
      });
      server = await startModelServer((req) => {
        seen.push(toolOutcomes(req));
        const cwd = cwdOf(req) ?? "";
        const sibling = cwd.replace(/\/claude-([^/]*)$/, "/victim-$1");
        switch (req.index) {
          case 0:
            return { tools: [read(`${checkout}/README.md`), read(actionJs), read(`${home}/.gitconfig`)] };
          case 1:
            return {
              tools: [
                edit(`${checkout}/README.md`, "# widgets"),
                edit(actionJs, "import"),
                write(`${home}/.bashrc`),
                write(`/var/tmp/${m}`),
                write(`/tmp/${m}`),
                write(`${sibling}/${m}`),
                write(`${checkout}/${m}`),
                write(`${actionDir}/dist/chunks/${m}.js`),
              ],
            };
          case 2:
            return { tool: "Write", input: { file_path: `${cwd}/claude-proof.txt`, content: "proof\n" } };
          default:
            return { text: "Wrote everywhere I could." };
        }
      });
      await e2e.repo.commit("tasks", {
        ".github/claude-tasks/claude.yml": [
          "prompt: Do the scripted thing.",
          "agent:",
          "  permission_mode: bypassPermissions",
          "  timeout: 60s",
          "",
        ].join("\n"),
        ".github/claude-tasks/victim.yml": 'run: "sleep 5; echo victim > victim.txt"\n',
      });
      await e2e.repo.git("push", "-q", "origin", "HEAD:main");
      const before = hostState(e2e);

      const r = await e2e.run({
        event: "workflow_dispatch",
        action: actionJs,
        inputs: { "anthropic-api-key": "sk-ant-sec-dummy" },
        env: { ANTHROPIC_BASE_URL: server.url, CLAUDE_CODE_MAX_RETRIES: "0" },
      });

      expect(r.code, r.stdout + r.stderr).toBe(0);
      const byTask = Object.fromEntries(results(r.outputs).map((x) => [x.task, x]));
      expect(byTask.claude?.status, r.stdout).toBe("success");
      // The attack ran: every tool call was made and answered, and the proof is in the branch.
      expect(server.mainRequests.length).toBe(4);
      expect(seen[1]).toHaveLength(3);
      expect(seen[2]).toHaveLength(8);
      expect(gitOut(e2e, e2e.repo.origin!, "show", "refs/heads/claude-tasks/claude:claude-proof.txt")).toBe(
        "proof",
      );
      // The checkout is hidden (reading its README fails); the Action's code is readable, but the
      // edit of it and the new file in its dist/ failed (read-only). The other writes "succeeded" —
      // into the sandbox's own empty HOME and temp dirs, which vanish with it.
      const [readme, action] = seen[1]!;
      expect(readme!.isError).toBe(true);
      expect(action!.isError, action!.text).toBe(!actionVisible);
      const [editReadme, editAction, , , , , , chunk] = seen[2]!;
      expect(editReadme!.isError).toBe(true);
      expect(editAction!.isError, editAction!.text).toBe(true);
      if (actionVisible) expect(chunk!.isError, chunk!.text).toBe(true);
      expect(changedHostPaths(before, hostState(e2e))).toEqual([]);
      expect(markedFiles(m, [e2e.repo.root], e2e.repo.path)).toEqual([]);
      expect(gitOut(e2e, e2e.repo.origin!, "show", "refs/heads/claude-tasks/victim:victim.txt")).toBe(
        "victim",
      );
      // Only the proof entered the result.
      expect(
        gitOut(e2e, e2e.repo.origin!, "diff", "--name-only", "main", "refs/heads/claude-tasks/claude"),
      ).toBe("claude-proof.txt");
    } finally {
      await server?.close();
    }
  });
});
