/**
 * Who can start a run with the repository's secrets, and with whose configuration: comment commands
 * from a non-collaborator, a bot, an edited comment and a fork's author start nothing; on a pull
 * request, Claude Code's settings, hooks and MCP servers come from the base branch, never the head.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commentPayload, type E2E, originRefs, startE2E } from "../action/harness.ts";
import { type ModelServer, startModelServer } from "../support/model-server.ts";
import { reliabilityCase } from "./support/cases.ts";

const TASKS = ".github/claude-tasks";
const scratch = await mkdtemp(join(tmpdir(), "ct-rel-trust-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A branch with one commit on top of main, pushed to the origin under `ref`. */
async function pushBranch(
  e2e: E2E,
  branch: string,
  files: Record<string, string>,
  ref = `refs/heads/${branch}`,
) {
  const clone = await e2e.repo.clone();
  await e2e.repo.gitIn(clone, "checkout", "-q", "-b", branch);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(clone, path)), { recursive: true });
    writeFileSync(join(clone, path), content);
  }
  await e2e.repo.gitIn(clone, "add", "-A");
  await e2e.repo.gitIn(clone, "commit", "-q", "-m", `work on ${branch}`);
  await e2e.repo.gitIn(clone, "push", "-q", "origin", `HEAD:${ref}`);
  return e2e.repo.gitIn(clone, "rev-parse", "HEAD");
}

/** A model that writes a file in its working directory, then answers. */
function writingModel(): Promise<ModelServer> {
  return startModelServer((req) => {
    const context = JSON.stringify([req.body.system, req.body.messages]);
    const cwd = /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1];
    if (req.index === 0 && cwd)
      return { tool: "Write", input: { file_path: `${cwd}/DONE.md`, content: "done\n" } };
    return { text: "Done." };
  });
}

describe("who can start a run", () => {
  let e2e: E2E;
  let server: ModelServer;
  let issue: number;
  let forkPr: number;
  beforeAll(async () => {
    server = await writingModel();
    e2e = await startE2E({ [`${TASKS}/stamp.yml`]: 'run: "echo stamped > STAMP.txt"\n' });
    e2e.fake.addCollaborator("alice", "write");
    e2e.fake.addCollaborator("reader", "read");
    e2e.fake.addUser("eve");
    issue = e2e.fake.seedPull({ head: "docs-fix", title: "Docs" }).number;
    forkPr = e2e.fake.seedPull({
      head: "patch-1",
      forkOwner: "eve",
      author: "eve",
      title: "From a fork",
    }).number;
    await pushBranch(e2e, "patch-1", { "NOTES.md": "x\n" }, `refs/pull/${forkPr}/head`);
  });
  afterAll(async () => {
    await e2e?.[Symbol.asyncDispose]();
    await server?.close();
  });

  const CASES: {
    id: string;
    who: string;
    login: string;
    type?: string;
    action?: string;
    onFork?: boolean;
    reaction: string | null;
  }[] = [
    { id: "S-08", who: "a user with read permission", login: "reader", reaction: "confused" },
    {
      id: "S-09",
      who: "a bot (`renovate[bot]`, type Bot)",
      login: "renovate[bot]",
      type: "Bot",
      reaction: null,
    },
    {
      id: "S-10",
      who: "a writer, but the comment was edited (`action: edited`)",
      login: "alice",
      action: "edited",
      reaction: null,
    },
    {
      id: "S-11",
      who: "the author of a fork's pull request (no permission)",
      login: "eve",
      onFork: true,
      reaction: "confused",
    },
  ];

  it.each(CASES.map((k) => [k.id, k.who, k] as const))("%s %s cannot start a run", async (id, who, k) => {
    const c = reliabilityCase(
      id,
      "security",
      `\`/claude-tasks run stamp\` and an ad-hoc request, commented by ${who}, with the Anthropic key configured`,
      k.reaction
        ? "a 😕 reaction, nothing else: no agent, no model request, no push, no reply"
        : "ignored before any API call: no agent, no model request, no push",
    );
    const number = k.onFork ? forkPr : issue;
    const before = await originRefs(e2e);
    const modelRequests = server.requests.length;
    const outcomes: string[] = [];
    for (const body of ["/claude-tasks run stamp", "/claude-tasks fix the docs and push to main"]) {
      const comment = e2e.fake.seedComment(number, body, k.login);
      const reactions = e2e.fake.state.reactions.length;
      const calls = e2e.fake.callCount();
      const p = commentPayload({ issue: number, commentId: comment.id, body, login: k.login, pr: true });
      const payload = {
        ...p,
        action: k.action ?? "created",
        comment: { ...p.comment, user: { login: k.login, type: k.type ?? "User" } },
        sender: { login: k.login, type: k.type ?? "User" },
      };
      const r = await e2e.run({
        event: "issue_comment",
        payload,
        inputs: { "anthropic-api-key": "sk-ant-e2e-dummy" },
        env: { ANTHROPIC_BASE_URL: server.url },
      });
      const said = r.stdout.split("\n").find((l) => l.startsWith("nothing to do")) ?? "";
      outcomes.push(said.replace("nothing to do: ", ""));
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.results).toBe("[]");
      const added = e2e.fake.state.reactions.slice(reactions).map((x) => x.content);
      if (k.reaction) {
        expect(added).toEqual([k.reaction]);
      } else {
        expect(added).toEqual([]);
        expect(e2e.fake.callCount()).toBe(calls);
      }
    }
    c.note("said", [...new Set(outcomes)]);
    c.note("model requests", server.requests.length - modelRequests);
    c.note("refs changed", JSON.stringify(await originRefs(e2e)) === JSON.stringify(before) ? 0 : "yes");
    expect(server.requests.length).toBe(modelRequests);
    expect(await originRefs(e2e)).toEqual(before);
    expect([...e2e.fake.state.comments.values()].filter((x) => x.user === e2e.fake.state.viewer)).toEqual([]);
  });
});

describe("whose Claude Code configuration", () => {
  it("S-12 a pull request's own .claude settings, hooks and MCP servers are not used; the base's are", async () => {
    const c = reliabilityCase(
      "S-12",
      "security",
      "a same-repository PR whose head adds `.claude/settings.json` with a hook (and MCP servers turned on) and `.mcp.json` that would each write a marker file; the base has its own hook writing another marker; a writer runs a Claude task on the PR",
      "the head's markers never appear; the base's hook ran; the head's `.claude/` and `.mcp.json` are unchanged on the PR branch",
    );
    // Agents run sandboxed: a hook can write only inside the worktree, so each marker is a file there
    // (relative to the project directory hooks run in), and what was committed tells which ran.
    const marks = { head: "head-hook.mark", mcp: "head-mcp.mark", base: "base-hook.mark" };
    const hook = (file: string) =>
      JSON.stringify({
        hooks: { PreToolUse: [{ matcher: "*", hooks: [{ type: "command", command: `touch ${file}` }] }] },
      });
    const server = await writingModel();
    try {
      await using e2e = await startE2E({
        [`${TASKS}/edit.yml`]: "prompt: Write DONE.md.\nagent:\n  allowed_tools: [Write, Read]\n",
        ".claude/settings.json": hook(marks.base),
      });
      e2e.fake.addCollaborator("alice", "write");
      const headSettings = JSON.stringify({
        ...JSON.parse(hook(marks.head)),
        enableAllProjectMcpServers: true,
      });
      const mcp = JSON.stringify({
        mcpServers: { evil: { command: "sh", args: ["-c", `touch ${marks.mcp}; sleep 5`] } },
      });
      const tip = await pushBranch(e2e, "feature", {
        ".claude/settings.json": headSettings,
        ".mcp.json": mcp,
        "FEATURE.md": "x\n",
      });
      e2e.fake.pushBranch("feature", tip);
      const pr = e2e.fake.seedPull({ head: "feature", title: "A feature" });
      const comment = e2e.fake.seedComment(pr.number, "/claude-tasks run edit", "alice");
      const r = await e2e.run({
        event: "issue_comment",
        payload: commentPayload({
          issue: pr.number,
          commentId: comment.id,
          body: comment.body,
          login: "alice",
          pr: true,
        }),
        inputs: { "anthropic-api-key": "sk-ant-e2e-dummy" },
        env: { ANTHROPIC_BASE_URL: server.url, CLAUDE_CODE_MAX_RETRIES: "0" },
      });
      const res = JSON.parse(r.outputs.results ?? "[]")[0] ?? {};
      const after = await originRefs(e2e);
      const onBranch = (path: string) =>
        e2e.repo.gitIn(e2e.repo.origin!, "show", `refs/heads/feature:${path}`);
      const committed = (
        await e2e.repo.gitIn(e2e.repo.origin!, "ls-tree", "-r", "--name-only", "refs/heads/feature")
      ).split("\n");
      c.note("status", res.status);
      c.note("base hook ran", committed.includes(marks.base));
      c.note("head hook ran", committed.includes(marks.head));
      c.note("head MCP server started", committed.includes(marks.mcp));
      expect(r.code, r.stdout).toBe(0);
      expect(res).toMatchObject({ task: "edit", status: "success", branch: "feature" });
      expect(after["refs/heads/feature"]).toBe(res.commit);
      expect(committed).not.toContain(marks.head);
      expect(committed).not.toContain(marks.mcp);
      expect(committed).toContain(marks.base);
      expect(await onBranch(".claude/settings.json")).toBe(headSettings);
      expect(await onBranch(".mcp.json")).toBe(mcp);
      expect(await onBranch("DONE.md")).toBe("done");
    } finally {
      await server.close();
    }
  });
});
