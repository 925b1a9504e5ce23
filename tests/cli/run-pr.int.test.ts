import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { apiOps, startE2E, TOKEN } from "../action/harness.ts";
import { spawnCollect } from "../support/cli.ts";

const CLI = resolve("dist/cli.js");

/** Runs the built CLI without blocking this process (the GitHub fake answers from here). */
function cliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return spawnCollect(process.execPath, [CLI, ...args], { cwd, env }).then((r) => ({ ...r, status: r.code }));
}

describe("claude-tasks run --pr (built CLI) against a GitHub fake and a bare origin", () => {
  it("pushes the task branch and opens its pull request; a rerun updates it instead of opening another", async () => {
    await using e2e = await startE2E({
      ".github/claude-tasks/stamp.yml":
        'run: "echo $RANDOM$RANDOM > stamp.txt"\npr: { title: "chore: stamp" }\n',
    });
    const run = () =>
      cliAsync(["run", "stamp", "--pr", "--quiet", "--json"], e2e.repo.path, {
        ...process.env,
        ...e2e.repo.env,
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: e2e.apiUrl,
        GITHUB_REPOSITORY: "acme/widgets",
      } as NodeJS.ProcessEnv);

    const first = await run();
    expect(first.stderr).not.toContain(TOKEN);
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.results[0]).toMatchObject({ status: "success", pr: { action: "created", apiCalls: 1 } });
    expect(e2e.originBranches()["claude-tasks/stamp"]).toBe(report.results[0].commit);
    expect(e2e.fake.openPulls().map((p) => p.pull?.head)).toEqual(["claude-tasks/stamp"]);

    e2e.fake.resetCalls();
    const second = await run();
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout).results[0];
    expect(again.pr).toMatchObject({ action: "updated", number: report.results[0].pr.number });
    expect(apiOps(e2e.fake).length).toBeLessThanOrEqual(2);
    expect(e2e.fake.openPulls()).toHaveLength(1);
    e2e.fake.assertNoViolations();
  });

  it("pr.expires: a stale PR with only claude-tasks commits is closed and its branch backed up before the task runs", async () => {
    await using e2e = await startE2E({
      ".github/claude-tasks/stamp.yml": 'run: "echo $RANDOM$RANDOM > stamp.txt"\npr: { expires: 14d }\n',
    });
    const run = () =>
      cliAsync(["run", "stamp", "--pr", "--quiet", "--json"], e2e.repo.path, {
        ...process.env,
        ...e2e.repo.env,
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: e2e.apiUrl,
        GITHUB_REPOSITORY: "acme/widgets",
      } as NodeJS.ProcessEnv);
    const first = await run();
    expect(first.status, first.stderr).toBe(0);
    const number = JSON.parse(first.stdout).results[0].pr.number as number;
    const tip = e2e.originBranches()["claude-tasks/stamp"]!;
    e2e.fake.state.issues.get(number)!.createdAt = new Date(Date.now() - 15 * 86_400_000).toISOString();

    const second = await run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain(`stamp: closed pull request #${number}`);
    expect(e2e.fake.state.issues.get(number)!.state).toBe("closed");
    const backups = await e2e.repo.git("ls-remote", "origin", "refs/claude-tasks/backups/*");
    expect(backups).toContain(tip);
    const again = JSON.parse(second.stdout).results[0];
    expect(again.pr).toMatchObject({ action: "created" });
    expect(again.pr.number).not.toBe(number);
    e2e.fake.assertNoViolations();
  });

  it("without a token: a one-line error, exit 2, nothing pushed", async () => {
    await using e2e = await startE2E({ ".github/claude-tasks/stamp.yml": 'run: "echo x > x.txt"\n' });
    const env = { ...process.env, ...e2e.repo.env } as NodeJS.ProcessEnv;
    delete env.GITHUB_TOKEN;
    delete env.GH_TOKEN;
    const r = await cliAsync(["run", "stamp", "--pr"], e2e.repo.path, env);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--pr needs a GitHub token/);
    expect(e2e.originBranches()["claude-tasks/stamp"]).toBeUndefined();
  });
});
