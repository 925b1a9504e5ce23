import { mkdtemp, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCollect } from "../support/cli.ts";
import { makeRepo } from "../support/git-repo.ts";
import { type ModelRequest, startModelServer, type Turn } from "../support/model-server.ts";
import { CLI, mcpEnv } from "./support.ts";

const TOOL = (name: string) => `mcp__claude-tasks__${name}`;

function claude(args: string[], cwd: string, env: Record<string, string>) {
  return spawnCollect(resolve("node_modules/.bin/claude"), args, { cwd, env });
}

describe("claude-tasks mcp (Claude Code as the client)", () => {
  it("a Claude Code session delegates a task through the server and gets its branch back", async () => {
    await using repo = await makeRepo({ files: { "README.md": "# widgets\n" } });
    const outer: ModelRequest[] = [];
    const scripted = (req: ModelRequest): Turn => {
      const step = req.body.messages?.filter((m) => m.role === "assistant").length ?? 0;
      const firstUser = JSON.stringify(req.body.messages?.find((m) => m.role === "user")?.content ?? "");
      if (firstUser.includes("Delegate writing the notes file")) {
        // The outer session: delegate, wait, report the branch.
        outer.push(req);
        if (step === 0)
          return { tool: TOOL("delegate"), input: { prompt: "Write the notes file.", name: "notes" } };
        if (step === 1) {
          const { runId } = JSON.parse(req.toolResults[0]!.text) as { runId: string };
          return { tool: TOOL("wait_run"), input: { runId, timeoutSeconds: 120 } };
        }
        const result = JSON.parse(req.toolResults[0]!.text) as {
          status: string;
          results: { branch: string; files: string[] }[];
        };
        return {
          text: `Delegated run ${result.status}: branch ${result.results[0]!.branch} (${result.results[0]!.files.join(", ")})`,
        };
      }
      // The delegated agent (its own Claude Code, in its worktree).
      if (step === 0)
        return { tool: "Write", input: { file_path: "NOTES.md", content: "notes from the agent\n" } };
      return { text: "Wrote NOTES.md." };
    };
    const model = await startModelServer(scripted);
    await using _model = { [Symbol.asyncDispose]: () => model.close() };
    const env = mcpEnv(repo, model);
    const dir = await mkdtemp(join(repo.root, "mcp-config-"));
    const config = join(dir, "mcp.json");
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { "claude-tasks": { command: process.execPath, args: [CLI, "mcp"] } } }),
    );

    const r = await claude(
      [
        "-p",
        "Delegate writing the notes file and tell me the branch.",
        "--mcp-config",
        config,
        "--strict-mcp-config",
        "--allowedTools",
        `${TOOL("delegate")},${TOOL("wait_run")}`,
        "--output-format",
        "stream-json",
        "--verbose",
      ],
      repo.path,
      env,
    );
    const events = r.stdout
      .split("\n")
      .filter(Boolean)
      .map(
        (l) => JSON.parse(l) as { type: string; subtype?: string; result?: string; mcp_servers?: unknown },
      );
    const init = events.find((e) => e.type === "system" && e.subtype === "init");
    expect(init?.mcp_servers, r.stderr).toEqual([
      expect.objectContaining({ name: "claude-tasks", status: "connected" }),
    ]);
    const result = events.find((e) => e.type === "result");
    expect(result?.result, `${r.stdout}\n${r.stderr}`).toBe(
      "Delegated run succeeded: branch claude-tasks/notes (added NOTES.md (+1 -0))",
    );
    expect(r.code).toBe(0);
    expect(outer).toHaveLength(3);
    expect(await repo.git("show", "claude-tasks/notes:NOTES.md")).toBe("notes from the agent");
  }, 240_000);
});
