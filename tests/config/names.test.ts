import { describe, expect, it } from "vitest";
import { isTaskName, slugifyTaskName } from "../../src/engine/config/index.ts";
import { DIR, load, problemLines, yaml } from "./helpers.ts";

describe("task names", () => {
  it("checks the pattern", () => {
    for (const ok of ["a", "0", "lint-fix", "a-", `a${"b".repeat(62)}`]) expect(isTaskName(ok)).toBe(true);
    for (const bad of ["", "-a", "A", "a_b", "a.b", "a b", `a${"b".repeat(63)}`])
      expect(isTaskName(bad)).toBe(false);
  });

  it("slugifies what people write", () => {
    expect(slugifyTaskName("Weekly Docs Sync")).toBe("weekly-docs-sync");
    expect(slugifyTaskName("__Ünïcode__")).toBe("unicode");
    expect(slugifyTaskName("!!!")).toBeUndefined();
  });

  it("needs a valid file stem when `name:` is absent, and says what to rename", () => {
    expect(problemLines(load({ "Lint Fix.yml": "run: x\n" }).problems)).toEqual([
      "Lint Fix.yml:1:1: the file name `Lint Fix.yml` is not a valid task name (lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters); rename it to `lint-fix.yml` or set `name:` in the file",
    ]);
    expect(problemLines(load({ "!!.yaml": "run: x\n" }).problems)).toEqual([
      "!!.yaml:1:1: the file name `!!.yaml` is not a valid task name (lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters); set `name:` in the file",
    ]);
    expect(load({ "Lint Fix.yml": "name: lint-fix\nrun: x\n" }).problems).toEqual([]);
  });

  it("must be unique across the directory, pointing at both files", () => {
    const loaded = load({
      "docs.yml": "run: x\n",
      "docs.yaml": "run: y\n",
      "other.yml": yaml("run: z", "name: docs"),
    });
    expect(problemLines(loaded.problems)).toEqual([
      "docs.yaml:1:1: duplicate task name `docs`; also in .github/claude-tasks/docs.yml:1:1",
      "docs.yml:1:1: duplicate task name `docs`; also in .github/claude-tasks/docs.yaml:1:1",
      "other.yml:2:7: duplicate task name `docs`; also in .github/claude-tasks/docs.yaml:1:1",
    ]);
    expect(loaded.tasks).toEqual([]);
    expect(loaded.invalidTasks).toEqual(["docs", "docs", "docs"]);
  });

  it("gives each task its own branch", () => {
    const loaded = load({
      "a.yml": yaml("run: x", "branch: bots/shared"),
      "b.yml": yaml("run: y", "branch: bots/shared"),
    });
    expect(problemLines(loaded.problems)).toEqual([
      "a.yml:2:9: branch `bots/shared` is used by another task too; use `{task}` in it; also in .github/claude-tasks/b.yml:2:9",
      "b.yml:2:9: branch `bots/shared` is used by another task too; use `{task}` in it; also in .github/claude-tasks/a.yml:2:9",
    ]);
  });

  it("warns when the directory has no task file", () => {
    expect(problemLines(load({}).problems)).toEqual([
      `${DIR}:1:1: warning: no task files in ${DIR}; add one or run \`claude-tasks init\``,
    ]);
  });

  it("ignores files that are not YAML", () => {
    expect(load({ "README.md": "# hi", "a.yml": "run: x\n" }).tasks.map((t) => t.name)).toEqual(["a"]);
  });

  it("reads task files in code-unit order, whatever the locale says", () => {
    // a locale would put `b.yml` before `B2.yml` and `z.yml` before `ä.yml` in some languages
    const files = {
      "z.yml": "run: x\n",
      "b.yml": "run: x\n",
      "ä.yml": "name: ae\nrun: x\n",
      "B2.yml": "name: b2\nrun: x\n",
    };
    expect(load(files).tasks.map((t) => t.file)).toEqual(
      ["B2.yml", "b.yml", "z.yml", "ä.yml"].map((f) => `${DIR}/${f}`),
    );
  });
});
