/**
 * `pr.expires` in the Action: before the tasks run, a task PR open longer than that whose branch
 * carries only claude-tasks commits is closed with a comment, its tip kept as a backup ref on the
 * remote, its branch deleted; the run then proposes afresh.
 */
import { describe, expect, it } from "vitest";
import { results, startE2E } from "./harness.ts";

const TASK_DIR = ".github/claude-tasks";
const DAY = 24 * 60 * 60 * 1000;

describe("pr.expires (dist/action.js)", () => {
  it("a stale task PR is closed, backed up and its branch deleted before the task runs again", async () => {
    await using e2e = await startE2E({
      [`${TASK_DIR}/stamp.yml`]: 'run: "date +%s%N > STAMP.txt"\npr:\n  expires: 14d\n',
    });
    // git pushes (sign-commits: off): this test is about the PR's age, not how its commits are made
    const dispatch = () =>
      e2e.run({ event: "workflow_dispatch", payload: { inputs: {} }, inputs: { "sign-commits": "off" } });
    const first = await dispatch();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [made] = results(first.outputs);
    expect(made).toMatchObject({ task: "stamp", prAction: "created" });
    const number = Number(String(made.prUrl).split("/").at(-1));
    const tip = e2e.originBranches()["claude-tasks/stamp"]!;

    // a second run within the limit keeps and updates the same PR
    const fresh = await dispatch();
    expect(results(fresh.outputs)[0]).toMatchObject({ prAction: "updated" });
    expect(e2e.fake.state.issues.get(number)!.state).toBe("open");
    const tip2 = e2e.originBranches()["claude-tasks/stamp"]!;
    expect(tip2).not.toBe(tip);

    // the PR is 15 days old now
    e2e.fake.state.issues.get(number)!.createdAt = new Date(Date.now() - 15 * DAY).toISOString();
    const late = await dispatch();
    expect(late.code, late.stdout + late.stderr).toBe(0);
    expect(e2e.fake.state.issues.get(number)!.state).toBe("closed");
    const comments = [...e2e.fake.state.comments.values()].filter((c) => c.issueNumber === number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(
      /^closed: open for more than 14 days with no human commits; the branch's last state is kept as backup `refs\/claude-tasks\/backups\/claude-tasks\/stamp\/[^`]+`/,
    );
    const backup = /`(refs\/claude-tasks\/backups\/[^`]+)`/.exec(comments[0]!.body)![1]!;
    expect(await e2e.repo.git("ls-remote", "origin", backup)).toContain(tip2);
    expect(late.stdout).toContain(`closed pull request #${number}`);
    // the task ran after the expiry: a new PR for the new branch
    const [again] = results(late.outputs);
    expect(again).toMatchObject({ task: "stamp", status: "success", prAction: "created" });
    expect(again.prUrl).not.toBe(made.prUrl);
  });
});
