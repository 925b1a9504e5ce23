/**
 * The README's shell snippets run as written: every `npx claude-tasks …` line of each ```sh block is
 * run in order with the built CLI, in a fresh repository holding the README's example task, with the
 * real Claude Code CLI talking to the scripted model. Each must succeed (exit 0).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo } from "../support/git-repo.ts";
import { type ModelRequest, startModelServer, type Turn } from "../support/model-server.ts";

const README = readFileSync("README.md", "utf8");
const CLI = resolve("dist/cli.js");
const shBlocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => ({
  line: README.slice(0, m.index).split("\n").length,
  commands: m[1]!
    .split("\n")
    .filter((l) => l.startsWith("npx claude-tasks "))
    .map((l) => l.replace(/\s+#.*$/, "").replace(/^npx claude-tasks /, "")),
}));
const taskBlock = /^## A task\n[\s\S]*?^```yaml\n([\s\S]*?)^```$/m.exec(README)?.[1];

/** Read README.md, fix a typo with Edit, then answer: whatever the task, a small allowed change. */
function scripted(req: ModelRequest): Turn {
  const step = Math.floor((req.body.messages?.length ?? 1) / 2);
  if (step === 0) return { tool: "Read", input: { file_path: "README.md" } };
  if (step === 1)
    return { tool: "Edit", input: { file_path: "README.md", old_string: "teh", new_string: "the" } };
  return { text: "Fixed a typo in README.md." };
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, stopAfterMs?: number) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c;
    });
    const timer = stopAfterMs ? setTimeout(() => child.kill("SIGINT"), stopAfterMs) : undefined;
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

describe("README shell snippets", () => {
  it("has the snippets this test runs", () => {
    expect(taskBlock).toBeDefined();
    expect(shBlocks.flatMap((b) => b.commands)).toEqual(
      expect.arrayContaining(["init", "validate", "run example --dry-run --diff", "run docs-sync"]),
    );
  });

  for (const block of shBlocks.filter((b) => b.commands.length > 0)) {
    it(`README.md:${block.line}: ${block.commands.length} command(s) succeed in order`, async () => {
      await using repo = await makeRepo({
        files: {
          "README.md": "# widgets\n\nteh widgets project\n",
          "src/cli/index.ts": "export {};\n",
          ".github/claude-tasks/docs-sync.yml": taskBlock!,
        },
      });
      const model = await startModelServer(scripted);
      await using _closeModel = { [Symbol.asyncDispose]: () => model.close() };
      const env = {
        ...process.env,
        ...repo.env,
        PATH: `${resolve("node_modules/.bin")}:${process.env.PATH}`,
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: "sk-ant-readme-test",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        CLAUDE_CODE_MAX_RETRIES: "0",
        NO_COLOR: "1",
      } as NodeJS.ProcessEnv;
      for (const command of block.commands) {
        const args = command.split(/\s+/);
        // `--follow` waits for new entries forever; a user ends it with Ctrl-C (exit 0).
        const r = await run(args, repo.path, env, args.includes("--follow") ? 1500 : undefined);
        expect(r.code, `claude-tasks ${command}\n${r.out}`).toBe(0);
        expect(r.out, command).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // never a stack trace
        // A run really ran Claude Code and changed README.md (not "no changes").
        if (args[0] === "run")
          expect(r.out, command).toMatch(/✅ \S+ success .*\n(.*\n)*\s+README\.md\s+modified/);
      }
    });
  }
});
