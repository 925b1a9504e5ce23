/**
 * `claude-tasks mcp` driven by the MCP SDK's own client over stdio, against the built CLI in a real
 * repository, with the real Claude Code CLI as the delegated agent talking to the scripted model.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cli, taskDir } from "../support/cli.ts";
import { makeRepo } from "../support/git-repo.ts";
import { type ModelRequest, startModelServer, type Turn } from "../support/model-server.ts";
import { connect, type Json, mcpEnv } from "./support.ts";

/** The first user message of a conversation: which delegated prompt the request belongs to. */
function promptOf(req: ModelRequest): string {
  return JSON.stringify(req.body.messages?.find((m) => m.role === "user")?.content ?? "");
}

describe("claude-tasks mcp (SDK client)", () => {
  it("outside a git repository: one line, exit 2", () => {
    using dir = taskDir({}, { git: false });
    const r = cli(["mcp"], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^claude-tasks: .* is not in a git repository .*\n$/);
  });

  it("lists, validates, delegates, waits, cancels, and a restarted server finds the earlier runs", async () => {
    await using repo = await makeRepo({
      files: {
        "README.md": "# widgets\n",
        ".github/claude-tasks/hello.yml": "run: echo hello > hello.txt\nschedule: '@daily'\n",
        ".github/claude-tasks/_defaults.yml": "limits:\n  max_files: 7\n",
      },
    });
    let reachedHang: () => void = () => {};
    const hanging = new Promise<void>((r) => {
      reachedHang = r;
    });
    const scripted = (req: ModelRequest): Turn => {
      const prompt = promptOf(req);
      const step = req.body.messages?.filter((m) => m.role === "assistant").length ?? 0;
      if (prompt.includes("Write the notes")) {
        if (step === 0)
          return { tool: "Write", input: { file_path: "NOTES.md", content: "notes from the agent\n" } };
        // The agent's own words carry a terminal escape and a bidi override: they must arrive inert.
        return { text: "Wrote NOTES.md \u001b]0;pwned\u0007 \u202egnp.exe" };
      }
      if (prompt.includes("Work slowly")) {
        if (step === 0) return { tool: "Write", input: { file_path: "WIP.md", content: "half done\n" } };
        reachedHang();
        return { hang: true };
      }
      if (prompt.includes("Never answer")) return { hang: true };
      return { text: "nothing to do" };
    };
    const model = await startModelServer(scripted, { hangPingMs: 200 });
    await using _model = { [Symbol.asyncDispose]: () => model.close() };
    const env = mcpEnv(repo, model);

    const first = await connect(repo, env);
    const { tools } = await first.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "cancel_run",
      "delegate",
      "list_backups",
      "list_tasks",
      "next",
      "plan",
      "restore_backup",
      "run_logs",
      "run_status",
      "run_tasks",
      "validate",
      "wait_run",
    ]);
    // The delegate tool's schema is the task schema's: its descriptions, without its defaults.
    const delegate = tools.find((t) => t.name === "delegate")!;
    const agent = (delegate.inputSchema.properties as Json).agent;
    expect(agent.properties.allowed_tools.description).toMatch(/--allowedTools/);
    expect(agent.properties.timeout.default).toBeUndefined();
    expect(delegate.inputSchema.required).toEqual(["prompt"]);

    const validate = await first.call("validate");
    expect(validate.json).toMatchObject({ valid: true, tasks: ["hello"] });
    const next = await first.call("next", { task: "hello", count: 2, from: "2026-01-01T10:00:00Z" });
    expect(next.json.tasks[0].fireTimes).toEqual(["2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"]);

    // A bad input is an error result naming the problem, from the task schema.
    const bad = await first.call("delegate", { prompt: "x", limits: { max_files: -1 } });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/max_files/);

    // Delegate: answered at once with a run id, run in the background.
    const started = Date.now();
    const d = await first.call("delegate", { prompt: "Write the notes file.", name: "notes" });
    expect(d.isError, d.text).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(d.json).toMatchObject({ task: "notes", branch: "claude-tasks/notes", kind: "delegate" });
    expect(["running", "succeeded"]).toContain(d.json.status);
    const runId: string = d.json.runId;

    const waited = await first.call("wait_run", { runId, timeoutSeconds: 120 });
    expect(waited.json, `${waited.text}\n${first.stderr()}`).toMatchObject({
      status: "succeeded",
      timedOut: false,
    });
    if (waited.json.results[0].status !== "success")
      console.log((await first.call("run_logs", { runId })).text);
    expect(waited.json.results[0]).toMatchObject({
      task: "notes",
      status: "success",
      branch: "claude-tasks/notes",
    });
    expect(waited.json.results[0].files).toEqual(["added NOTES.md (+1 -0)"]);
    // The agent's escape sequences arrive as visible escapes, never as raw control characters.
    expect(waited.text).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(waited.json.results[0].summary).toContain("\\x1b]0;pwned\\x07");
    expect(await repo.git("show", "claude-tasks/notes:NOTES.md")).toBe("notes from the agent");

    const logs = await first.call("run_logs", { runId });
    expect(logs.json.log.join("\n")).toMatch(/notes: tool Write/);
    expect(logs.json.log.join("\n")).toMatch(/notes: success/);
    expect(logs.text).not.toMatch(/[\u001b\u0007\u202e]/);
    // _defaults.yml applied to the delegated task.
    expect(
      JSON.parse(
        execFileSync("cat", [`${repo.path}/.git/claude-tasks/background/${runId}.json`], {
          encoding: "utf8",
        }),
      ).status,
    ).toBe("succeeded");

    // Cancel a run whose model never answers; a run that needs it is skipped.
    const slow = await first.call("delegate", { prompt: "Never answer this.", name: "stuck" });
    const after = await first.call("delegate", {
      prompt: "Write the notes again.",
      name: "after",
      needs: [slow.json.runId],
    });
    expect(after.json.status).toBe("waiting");
    const cancelled = await first.call("cancel_run", { runId: slow.json.runId });
    expect(cancelled.json).toMatchObject({ status: "cancelled" });
    const skipped = await first.call("wait_run", { runId: after.json.runId, timeoutSeconds: 30 });
    expect(skipped.json).toMatchObject({ status: "skipped", timedOut: false });
    expect(skipped.json.message).toContain(slow.json.runId);

    // A run interrupted by the server's exit (its client closes stdin) is backed up and marked so.
    const wip = await first.call("delegate", { prompt: "Work slowly.", name: "wip" });
    await hanging;
    await first.close();

    await using second = await connect(repo, env);
    const all = await second.call("run_status");
    const byId = new Map(all.json.runs.map((r: Json) => [r.runId, r]));
    expect(byId.get(runId)).toMatchObject({ status: "succeeded" });
    expect(byId.get(slow.json.runId)).toMatchObject({ status: "cancelled" });
    expect(byId.get(after.json.runId)).toMatchObject({ status: "skipped" });
    expect(byId.get(wip.json.runId)).toMatchObject({ status: "interrupted" });
    const backups = await second.call("list_backups", { task: "wip" });
    expect(backups.json.backups).toHaveLength(1);
    expect(backups.json.backups[0].runId).toBe(wip.json.runId);
    const restored = await second.call("restore_backup", { backup: backups.json.backups[0].id });
    expect(restored.isError, restored.text).toBe(false);
    expect(await repo.git("show", `${restored.json.branch}:WIP.md`)).toBe("half done");
    expect(await repo.git("worktree", "list", "--porcelain")).not.toContain("wip-");
  }, 240_000);
});
