/** `prune` as a user runs it: the built CLI, its flags and exit codes. */
import { describe, expect, it } from "vitest";
import { listBackups, stateDir, writeBackup } from "../../src/engine/git/index.ts";
import type { BackupItem } from "../../src/engine/retention/index.ts";
import { cli } from "../support/cli.ts";
import { makeRepo } from "../support/git-repo.ts";

describe("prune (built CLI)", () => {
  it("--dry-run --json shows what would go; the environment sets the limit; bad flags exit 2", async () => {
    await using repo = await makeRepo();
    const state = await stateDir(repo.client());
    const base = await repo.head();
    for (const [i, runId] of ["20261101-000000-aaaa", "20261102-000000-bbbb"].entries()) {
      await writeBackup({
        stateDir: state,
        runId,
        task: "docs",
        base,
        reason: "run result",
        patch: Buffer.from(`diff --git a/${i} b/${i}\n`),
        now: new Date(`2026-11-0${i + 1}T00:00:00Z`),
      });
    }
    const dry = cli(["prune", "--dry-run", "--json"], {
      cwd: repo.path,
      env: { CLAUDE_TASKS_KEEP_BACKUPS: "1" },
    });
    expect(dry.code).toBe(0);
    const out = JSON.parse(dry.stdout);
    expect(out).toMatchObject({ dryRun: true, policy: { keep: 1, maxAge: null }, backups: { kept: 1 } });
    expect(out.backups.deleted.map((b: BackupItem) => b.id)).toEqual(["20261101-000000-aaaa-docs"]);
    expect((await listBackups(state)).length).toBe(2);
    const text = cli(["prune", "--keep", "1"], { cwd: repo.path });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/deleted backup 20261101-000000-aaaa-docs/);
    expect((await listBackups(state)).length).toBe(1);
    const bad = cli(["prune", "--max-age", "a month"], { cwd: repo.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "claude-tasks: --max-age: expected an age such as 30d, 12h or 2w, got `a month`\n",
    );
  });

  it("--help works for the new commands", () => {
    for (const c of ["doctor", "prune", "logs", "status", "init"]) {
      const r = cli([c, "--help"], { cwd: "." });
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/^Usage: claude-tasks /);
    }
  });
});
