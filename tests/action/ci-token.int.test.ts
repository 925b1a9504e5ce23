/**
 * CI on the task's pull requests: made with the workflow's own token (github-token equal to the
 * workflow-token input, as with the default), the PR and the run summary say that CI will not start and
 * how to fix it; made with an App or personal token they say nothing of the kind.
 */
import { describe, expect, it } from "vitest";
import { results, startE2E, TOKEN } from "./harness.ts";

const TASK = `run: 'echo stamped > STAMP.txt'
pr:
  title: "chore: stamp"
`;
/** The text as GitHub shows it (Markdown escapes removed). */
const rendered = (md: string) => md.replace(/\\(.)/g, "$1");
const NOTE =
  /CI will not start on this pull request: it was pushed and opened with the workflow's own GITHUB_TOKEN/;

describe("the workflow's own token and CI (dist/action.js)", () => {
  it("the default token: the PR body and the summary say CI will not start, and how to fix it", {
    timeout: 180_000,
  }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": TASK });
    const r = await e2e.run({
      event: "workflow_dispatch",
      payload: { inputs: {} },
      inputs: { tasks: "stamp", "workflow-token": TOKEN },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(results(r.outputs)[0]).toMatchObject({ status: "success", prAction: "created" });
    const body = rendered(e2e.fake.openPulls("claude-tasks/stamp")[0]?.body ?? "");
    expect(body).toMatch(NOTE);
    expect(body).toMatch(
      /a GitHub App token \(actions\/create-github-app-token\) or a fine-grained personal access token/,
    );
    expect(rendered(r.summary)).toMatch(NOTE);
  });

  it("an App or personal token: no such note", { timeout: 180_000 }, async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": TASK });
    const r = await e2e.run({
      event: "workflow_dispatch",
      payload: { inputs: {} },
      inputs: { tasks: "stamp", "workflow-token": "ghs_theWorkflowsOwnTokenNotTheOneUsed0001" },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(e2e.fake.openPulls("claude-tasks/stamp")[0]?.body).not.toMatch(/CI will not start/);
    expect(r.summary).not.toMatch(/CI will not start/);
  });
});
