import { describe, expect, it } from "vitest";
import { DIR, load, problemLines, yaml } from "./helpers.ts";

const DEFAULTS = yaml(
  "timezone: Europe/Berlin", // 1
  "agent:", // 2
  "  model: claude-sonnet-4-5", // 3
  "  max_turns: 10", // 4
  "  env: { CI: 'true' }", // 5
  "paths:", // 6
  "  allow: [docs/**]", // 7
  "pr:", // 8
  "  labels: [automation]", // 9
);

describe("_defaults", () => {
  it("is merged under every task: mappings merge, lists and scalars replace", () => {
    const loaded = load({
      "_defaults.yml": DEFAULTS,
      "a.yml": yaml("run: x", "agent: { max_turns: 3, env: { A: '1' } }", "pr: { labels: [] }"),
      "b.yml": yaml("run: y", "timezone: UTC", "paths: { allow: [src/**, docs/**] }"),
    });
    expect(loaded.problems).toEqual([]);
    const [a, b] = loaded.tasks;
    expect(a).toMatchObject({
      timezone: "Europe/Berlin",
      agent: { model: "claude-sonnet-4-5", max_turns: 3, env: { CI: "true", A: "1" } },
      paths: { allow: ["docs/**"] },
      pr: { labels: [] },
    });
    expect(b).toMatchObject({
      timezone: "UTC",
      agent: { model: "claude-sonnet-4-5", max_turns: 10, env: { CI: "true" } },
      paths: { allow: ["src/**", "docs/**"] },
      pr: { labels: ["automation"] },
    });
  });

  it("accepts `_defaults.yaml` and an empty defaults file", () => {
    expect(load({ "_defaults.yaml": DEFAULTS, "a.yml": "run: x\n" }).tasks[0]?.timezone).toBe(
      "Europe/Berlin",
    );
    const empty = load({ "_defaults.yml": "# nothing yet\n", "a.yml": "run: x\n" });
    expect(empty.problems).toEqual([]);
    expect(empty.tasks).toHaveLength(1);
  });

  it("reports a problem of _defaults once, in _defaults, and keeps every task out", () => {
    const loaded = load({
      "_defaults.yml": yaml("agent:", "  max_turns: -1", "  modle: x"),
      "a.yml": "run: x\n",
      "b.yml": "run: y\n",
    });
    expect(problemLines(loaded.problems)).toEqual([
      "_defaults.yml:2:14: `agent.max_turns` must be a whole number 1 or more, got the number -1",
      "_defaults.yml:3:3: unknown key `modle` in `agent`, did you mean `model`?",
    ]);
    expect(loaded.tasks).toEqual([]);
    expect(loaded.invalidTasks).toEqual(["a", "b"]);
  });

  it("reports a problem of _defaults even with no task file", () => {
    const loaded = load({ "_defaults.yml": yaml("missed: never") });
    expect(problemLines(loaded.problems)).toEqual([
      ".github/claude-tasks:1:1: warning: no task files in .github/claude-tasks; add one or run `claude-tasks init`",
      '_defaults.yml:1:9: `missed` must be one of `skip`, `once` or `all`, got the string "never"',
    ]);
  });

  it("points at the task when the task overrides the bad default, and at _defaults otherwise", () => {
    const loaded = load({
      "_defaults.yml": yaml("retry:", "  attempts: 2", "  backoff: soon"),
      "a.yml": yaml("run: x", "retry: { attempts: 0, backoff: 1m }"),
    });
    expect(problemLines(loaded.problems)).toEqual([
      '_defaults.yml:3:12: `retry.backoff` must be a duration such as `30s`, `20m` or `1h30m` (at most 24h), got the string "soon"',
      "a.yml:2:20: `retry.attempts` must be a whole number from 1 to 10, got the number 0",
    ]);
  });

  it("cannot name a task or say what it does", () => {
    const loaded = load({ "_defaults.yml": yaml("name: shared", "prompt: hi"), "a.yml": "run: x\n" });
    expect(problemLines(loaded.problems)).toEqual([
      "_defaults.yml:1:1: `name` cannot be set in _defaults: every task has its own name",
      "_defaults.yml:2:1: `prompt` cannot be set in _defaults: each task file says what it does with `prompt`, `prompt_file` or `run`",
    ]);
  });

  it("must be a mapping, and there is only one", () => {
    expect(problemLines(load({ "_defaults.yml": "- a\n", "a.yml": "run: x\n" }).problems)).toEqual([
      "_defaults.yml:1:1: _defaults must be a mapping of keys such as `prompt:` and `schedule:`, got a list",
    ]);
    const both = load({ "_defaults.yml": "{}\n", "_defaults.yaml": "{}\n", "a.yml": "run: x\n" });
    expect(problemLines(both.problems)).toEqual([
      `_defaults.yml:1:1: both ${DIR}/_defaults.yaml and ${DIR}/_defaults.yml exist; keep one of them`,
    ]);
  });

  it("keeps tasks out when _defaults is not valid YAML", () => {
    const loaded = load({ "_defaults.yml": "agent: [\n", "a.yml": "run: x\n" });
    expect(problemLines(loaded.problems)).toEqual([
      "_defaults.yml:2:1: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(loaded.tasks).toEqual([]);
  });

  it("ignores other files starting with `_`, and warns about a likely typo of _defaults", () => {
    const loaded = load({
      "_shared.yml": "not: [valid\n",
      "_default.yml": "timezone: x\n",
      "a.yml": "run: x\n",
    });
    expect(problemLines(loaded.problems)).toEqual([
      "_default.yml:1:1: warning: `_default.yml` is ignored (files starting with `_` are not tasks); did you mean `_defaults.yml`?",
    ]);
    expect(loaded.tasks).toHaveLength(1);
  });
});

describe("locate", () => {
  const loaded = load({
    "_defaults.yml": DEFAULTS,
    "a.yml": yaml("run: x", "schedule: '@daily'", "agent:", "  max_turns: 3", "needs: [b, c]"),
    "b.yml": "run: y\n",
  });
  const at = (task: string, path: (string | number)[]) => {
    const l = loaded.locate(task, path);
    return `${l.file.replace(`${DIR}/`, "")}:${l.line}:${l.col}`;
  };

  it("finds values in the task file first", () => {
    expect(at("a", ["agent", "max_turns"])).toBe("a.yml:4:14");
    expect(at("a", ["needs", 1])).toBe("a.yml:5:12");
    expect(at("a", ["run"])).toBe("a.yml:1:6");
  });

  it("finds values that came from _defaults in _defaults", () => {
    expect(at("a", ["agent", "model"])).toBe("_defaults.yml:3:10");
    expect(at("b", ["pr", "labels", 0])).toBe("_defaults.yml:9:12");
  });

  it("falls back to the nearest written value, then to the task file's first line", () => {
    expect(at("a", ["schedule", 0])).toBe("a.yml:2:11");
    expect(at("a", ["agent", "timeout"])).toBe("a.yml:4:3");
    expect(at("b", ["limits", "max_files"])).toBe("b.yml:1:1");
  });

  it("points at the task directory for an unknown task", () => {
    expect(loaded.locate("nope", [])).toEqual({ file: DIR, line: 1, col: 1 });
  });
});
