/**
 * `on_conflict`: the base moved and the task's change no longer applies. `regenerate` runs the task
 * again on the latest base (its first result stays in a backup); `resolve` merges the latest base into
 * a branch people pushed to, and the REAL Claude Code (scripted model) resolves the conflicted files —
 * a merge commit on top, nobody's history rewritten; a resolution that leaves markers is refused.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitAll } from "../../src/engine/git/commit.ts";
import { listBackups } from "../../src/engine/git/index.ts";
import { newRunId, type Publisher, type RunTasksOptions } from "../../src/engine/run/index.ts";
import { type EngineRepo, makeEngineRepo, meanwhile } from "../support/engine.ts";
import { startModelServer, type Turn } from "../support/model-server.ts";

const BRANCH = "claude-tasks/notes";
const RESOLVE_TASK = `prompt: Keep the notes tidy.
on_conflict: resolve
agent:
  permission_mode: acceptEdits
  timeout: 30s
`;

/**
 * The task's branch as an earlier run left it (a bot commit changing notes.txt), then a person's commit
 * on it, then main changing the same line: the branch conflicts with main in notes.txt.
 */
async function humanEditedConflict(e: EngineRepo): Promise<string> {
  await e.git("checkout", "-q", "-b", BRANCH);
  await e.write("notes.txt", "task line\n");
  await commitAll({ git: e.client(), subject: "claude-tasks: notes", task: "notes", runId: "r0" });
  await e.commit("a person's commit on the task branch", { "mine.txt": "mine\n" });
  const tip = await e.head();
  await e.git("checkout", "-q", "main");
  await e.commit("main changes the same line", { "notes.txt": "main line\n" });
  return tip;
}

async function resolveRun(e: EngineRepo, extra: Partial<RunTasksOptions>, turns: (wt: string) => Turn[]) {
  const [task] = await e.tasks({ notes: RESOLVE_TASK });
  const tip = await humanEditedConflict(e);
  if (e.origin) await e.git("push", "-q", "origin", "main", BRANCH);
  const runId = newRunId();
  const server = await startModelServer(turns(e.worktreePath("notes", runId)));
  try {
    const outcome = await e.run([task!], { runId, env: e.agentEnv(server), ...extra });
    return { ...outcome, tip, server };
  } finally {
    await server.close();
  }
}

describe("on_conflict", { timeout: 120_000 }, () => {
  it("regenerate: a bot-only result that conflicts with a base that moved during the run is made again on the latest base", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n" } });
    const [task] = await e.tasks({
      clash: "run: |\n  echo '# task title' > README.md\non_conflict: regenerate\n",
    });
    const onEvent = meanwhile(
      `echo '# user title' > "$REPO/README.md"\ngit -C "$REPO" commit -q -am "user commit"`,
      {
        REPO: e.path,
      },
    );
    const { report, result: r } = await e.run([task!], { onEvent });
    const main = await e.head("main");

    expect(r.status).toBe("success");
    expect(r.message).toMatch(
      /^regenerated on the latest base \(the first result conflicted in README\.md; it is in backup \S+\): branch `claude-tasks\/clash` created/,
    );
    expect(report.ok).toBe(true);
    expect(await e.git("rev-parse", "claude-tasks/clash^")).toBe(main);
    expect(await e.git("show", "claude-tasks/clash:README.md")).toBe("# task title");
    // the conflicting first result is kept
    expect((await listBackups(e.state)).length).toBeGreaterThanOrEqual(2);
    expect(await e.worktrees()).toEqual([e.path]);
  });

  it("report (the default) keeps a branch with a person's commits untouched", async () => {
    await using e = await makeEngineRepo({ files: { "notes.txt": "line\n" } });
    const [task] = await e.tasks({ notes: "prompt: Keep the notes tidy.\n" });
    const tip = await humanEditedConflict(e);
    const { result: r } = await e.run([task!]);
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/has commits not made by claude-tasks/);
    expect(await e.head(BRANCH)).toBe(tip);
  });

  it("resolve: the latest base is merged into a person's branch and the agent resolves the conflict", async () => {
    await using e = await makeEngineRepo({ files: { "notes.txt": "line\n" } });
    const {
      result: r,
      tip,
      server,
    } = await resolveRun(e, {}, (wt) => [
      { tool: "Write", input: { file_path: join(wt, "notes.txt"), content: "main line\ntask line\n" } },
      { text: "Kept both lines." },
    ]);
    const main = await e.head("main");

    expect(r.status, r.message).toBe("success");
    expect(r.conflicts).toEqual(["notes.txt"]);
    // a merge commit on top of the person's commit: [old tip, main]; nothing rewritten
    expect(await e.git("rev-parse", `${BRANCH}^1`)).toBe(tip);
    expect(await e.git("rev-parse", `${BRANCH}^2`)).toBe(main);
    expect(await e.git("show", `${BRANCH}:notes.txt`)).toBe("main line\ntask line");
    expect(await e.git("show", `${BRANCH}:mine.txt`)).toBe("mine");
    expect(await e.git("log", "-1", "--format=%s", BRANCH)).toBe(
      "Merge the latest main into claude-tasks/notes; conflicts resolved by claude-tasks",
    );
    expect(await e.git("log", "-1", "--format=%(trailers:key=Claude-Tasks-Task,valueonly)", BRANCH)).toBe(
      "notes",
    );
    // the agent was told which files conflict, and saw the markers
    const sent = JSON.stringify(server.mainRequests[0]?.body?.messages);
    expect(sent).toContain("Resolve merge conflicts");
    expect(sent).toContain("- notes.txt");
    // only the resolution counts as the agent's change (not the base's commits)
    expect(r.files.map((f) => f.path)).toEqual(["notes.txt"]);
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("resolve: a result that still holds conflict markers is refused; the branch stays, the attempt is backed up, the PR says why", async () => {
    await using e = await makeEngineRepo({ origin: true, files: { "notes.txt": "line\n" } });
    const comments: { branch: string; body: string }[] = [];
    const publisher: Publisher = {
      publish: async () => undefined,
      comment: async (ctx, body) => {
        comments.push({ branch: ctx.branch, body });
      },
    };
    const { result: r, tip } = await resolveRun(e, { mode: "pr", publisher }, (wt) => [
      {
        tool: "Write",
        input: {
          file_path: join(wt, "notes.txt"),
          content: "<<<<<<< HEAD\ntask line, edited\n=======\nmain line\n>>>>>>> main\n",
        },
      },
      { text: "Done." },
    ]);

    expect(r.status).toBe("conflict");
    expect(r.conflicts).toEqual(["notes.txt"]);
    expect(r.message).toMatch(
      /left conflict markers in 1 file\(s\): notes\.txt; nothing was pushed \(the attempt is in backup \S+\)/,
    );
    expect(await e.gitIn(e.origin!, "rev-parse", `refs/heads/${BRANCH}`)).toBe(tip);
    expect(r.backup).toBeDefined();
    expect((await listBackups(e.state)).map((b) => b.id)).toContain(r.backup);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.branch).toBe(BRANCH);
    expect(comments[0]!.body).toContain(
      "these files still hold conflict markers, so nothing was pushed:\n\n- `notes.txt`",
    );
    expect(comments[0]!.body).toContain(`backup \`${r.backup}\``);
    expect(await e.worktrees()).toEqual([e.path]);
  });
});
