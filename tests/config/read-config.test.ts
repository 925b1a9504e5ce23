import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../src/engine/config/index.ts";
import { DIR, problemLines } from "./helpers.ts";

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claude-tasks-config-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("readConfig", () => {
  it("reads *.yml and *.yaml of the task directory, not its subdirectories", async () => {
    write({
      [`${DIR}/a.yml`]: "run: x\n",
      [`${DIR}/b.yaml`]: "prompt_file: prompts/b.md\n",
      [`${DIR}/_defaults.yml`]: "timezone: Europe/Berlin\n",
      [`${DIR}/notes.md`]: "# not a task\n",
      [`${DIR}/nested/c.yml`]: "run: nested\n",
      "prompts/b.md": "Do b.\n",
    });
    const loaded = await readConfig({ repoRoot: root });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks.map((t) => [t.name, t.file, t.timezone])).toEqual([
      ["a", `${DIR}/a.yml`, "Europe/Berlin"],
      ["b", `${DIR}/b.yaml`, "Europe/Berlin"],
    ]);
  });

  it("says how to start when the task directory is missing", async () => {
    const loaded = await readConfig({ repoRoot: root });
    expect(problemLines(loaded.problems)).toEqual([
      `${DIR}:1:1: no task directory ${DIR}; run claude-tasks init`,
    ]);
    expect(loaded.tasks).toEqual([]);
  });

  it("takes another task directory, relative or absolute", async () => {
    write({ "tasks/a.yml": "run: x\n" });
    expect((await readConfig({ repoRoot: root, configDir: "tasks" })).tasks[0]?.file).toBe("tasks/a.yml");
    expect((await readConfig({ repoRoot: root, configDir: join(root, "tasks") })).tasks[0]?.file).toBe(
      "tasks/a.yml",
    );
    const outside = await readConfig({ repoRoot: join(root, "tasks"), configDir: "../elsewhere" });
    expect(outside.problems[0]?.message).toMatch(/is outside the repository/);
    write({ "file.yml": "x: 1\n" });
    expect((await readConfig({ repoRoot: root, configDir: "file.yml" })).problems[0]?.message).toBe(
      "file.yml is a file, not a task directory",
    );
  });

  it("checks that prompt_file exists, is a file, and stays in the repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "claude-tasks-outside-"));
    try {
      writeFileSync(join(outside, "secret.md"), "secret\n");
      write({
        [`${DIR}/missing.yml`]: "prompt_file: prompts/missing.md\n",
        [`${DIR}/dir.yml`]: "prompt_file: prompts\n",
        [`${DIR}/link.yml`]: "prompt_file: prompts/link.md\n",
        "prompts/ok.md": "ok\n",
      });
      symlinkSync(join(outside, "secret.md"), join(root, "prompts/link.md"));
      const loaded = await readConfig({ repoRoot: root });
      expect(problemLines(loaded.problems)).toEqual([
        "dir.yml:1:14: `prompt_file` `prompts` is a directory, not a file",
        "link.yml:1:14: `prompt_file` `prompts/link.md` resolves to a file outside the repository",
        "missing.yml:1:14: `prompt_file` `prompts/missing.md` does not exist (paths are relative to the repository root)",
      ]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("substitutes agent.env from the given environment, process.env by default", async () => {
    write({ [`${DIR}/a.yml`]: "run: x\nagent: { env: { HOME_DIR: '{{ env.CLAUDE_TASKS_TEST_VAR }}' } }\n" });
    expect(
      (await readConfig({ repoRoot: root, env: { CLAUDE_TASKS_TEST_VAR: "v" } })).tasks[0]?.agent.env,
    ).toEqual({
      HOME_DIR: "v",
    });
    process.env.CLAUDE_TASKS_TEST_VAR = "from-process";
    try {
      expect((await readConfig({ repoRoot: root })).tasks[0]?.agent.env.HOME_DIR).toBe("from-process");
    } finally {
      delete process.env.CLAUDE_TASKS_TEST_VAR;
    }
    const missing = await readConfig({ repoRoot: root, env: {}, missingEnv: "warning" });
    expect(missing.problems.map((p) => p.severity)).toEqual(["warning"]);
  });
});
