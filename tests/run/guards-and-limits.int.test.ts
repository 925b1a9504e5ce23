/**
 * Command tasks end to end: guard rails on the diff (paths, the default workflow deny) and the
 * wall-clock limit, checked in a real repository and in the process table.
 */
import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { listBackups } from "../../src/engine/git/index.ts";
import { leftoverProcesses, makeEngineRepo, processesNamed } from "../support/engine.ts";

describe("command tasks: guards and limits", () => {
  it("a change outside paths.allow and into .github/workflows is refused; the backup applies to the base", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n", "docs/guide.md": "old\n" } });
    const [task] = await e.tasks({
      sprawl: `run: |
  mkdir -p .github/workflows src
  echo new > docs/guide.md
  echo 'export {}' > src/extra.ts
  printf 'on: push\\njobs: {}\\n' > .github/workflows/evil.yml
paths:
  allow: ["docs/**", ".github/**"]
`,
    });
    const base = await e.head();
    const refsBefore = await e.refs();
    const { report, result: r } = await e.run([task!]);

    expect(r.status).toBe("refused");
    expect(report.ok).toBe(false);
    expect(r.violations.map((v) => [v.rule, v.file])).toEqual([
      ["paths.deny", ".github/workflows/evil.yml"],
      ["paths.allow", "src/extra.ts"],
    ]);
    expect(r.message).toMatch(
      /^the change was refused: `\.github\/workflows\/evil\.yml` is denied by paths\.deny .* \(\+1 more\)$/,
    );
    expect(r.files.map((f) => f.path).sort()).toEqual([
      ".github/workflows/evil.yml",
      "docs/guide.md",
      "src/extra.ts",
    ]);
    expect(r.commit).toBeUndefined();
    expect(await e.branches()).toEqual(["main"]);
    expect(await e.refs()).toEqual(refsBefore);

    // The refused work is kept, and the patch applies cleanly to the base it was made on.
    const backups = await listBackups(e.state);
    expect(backups.map((b) => b.id)).toEqual([r.backup]);
    expect(backups[0]!.meta).toMatchObject({ base, task: "sprawl", files: 3, reason: "run result" });
    expect(await e.git("apply", "--check", "--binary", backups[0]!.patchPath)).toBe("");
    expect(await readFile(backups[0]!.patchPath, "utf8")).toContain("+on: push");

    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });

  it("timeout: `sleep & sleep` is stopped after agent.timeout, whole process group included", async () => {
    await using e = await makeEngineRepo();
    // Unique durations, so the process-table check cannot see sleeps of a concurrent run of this suite.
    const n = 100_000 + randomInt(800_000);
    const command = `echo started > started.txt; sleep ${n}1 & sleep ${n}2`;
    const [task] = await e.tasks({ sleepy: `run: ${command}\nagent:\n  timeout: 2s\n` });
    const started = Date.now();
    const { result: r, spawned } = await e.run([task!]);
    expect(r.status).toBe("timeout");
    expect(r.message).toBe(
      `\`${command}\` did not finish within 2s; its partial work is in backup ${r.backup}`,
    );
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(spawned).toHaveLength(1);
    expect(leftoverProcesses(spawned)).toEqual([]);
    expect([...processesNamed(`sleep ${n}1`), ...processesNamed(`sleep ${n}2`)]).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(["started.txt"]);
    expect(await e.branches()).toEqual(["main"]);
    expect(await e.worktrees()).toEqual([e.path]);
    expect(await e.status()).toBe("");
  });
});
