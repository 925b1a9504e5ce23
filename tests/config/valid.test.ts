import { describe, expect, it } from "vitest";
import { DIR, load, problemLines, yaml } from "./helpers.ts";
import { SPEC_EXAMPLE } from "./spec-example.ts";

describe("valid task files", () => {
  it("loads the SPEC example with no problems", () => {
    const loaded = load({ "readme-sync.yml": SPEC_EXAMPLE, "lint-fix.yml": "run: npm run lint -- --fix\n" });
    expect(problemLines(loaded.problems)).toEqual([]);
    const task = loaded.tasks.find((t) => t.name === "readme-sync")!;
    expect(task).toEqual({
      name: "readme-sync",
      file: `${DIR}/readme-sync.yml`,
      kind: "claude",
      description: "Keep the CLI reference in README in sync with src/cli",
      prompt: 'Update the "Commands" section of README.md from src/cli. Change nothing else.\n',
      schedule: ["0 6 * * 1-5"],
      timezone: "Europe/Berlin",
      missed: "once",
      on_conflict: "report",
      watch: ["src/cli/**"],
      needs: ["lint-fix"],
      if: "success",
      base: "main",
      branch: "claude-tasks/readme-sync",
      agent: {
        model: "claude-sonnet-4-5",
        max_turns: 30,
        max_budget_usd: 2,
        timeout: "20m",
        allowed_tools: ["Read", "Edit", "Write", "Bash(npm test:*)"],
        disallowed_tools: [],
        permission_mode: "acceptEdits",
        append_system_prompt: "",
        args: [],
        env: { NODE_ENV: "test" },
        env_templates: {},
      },
      paths: { allow: ["README.md", "docs/**"], deny: [".github/workflows/**"] },
      limits: { max_files: 50, max_lines: 2000, max_bytes: 10 * 2 ** 20 },
      retry: { attempts: 2, backoff: "30s" },
      pr: {
        title: "docs: sync README with the CLI",
        body: "",
        labels: ["automation"],
        reviewers: [],
        assignees: [],
        draft: false,
        auto_merge: false,
        on_no_changes: "keep",
      },
      enabled: true,
    });
  });

  it("applies every default to a minimal task", () => {
    const loaded = load({ "lint-fix.yml": "run: npm run lint -- --fix\n" });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks).toEqual([
      {
        name: "lint-fix",
        file: `${DIR}/lint-fix.yml`,
        kind: "command",
        run: "npm run lint -- --fix",
        schedule: [],
        timezone: "UTC",
        missed: "once",
        on_conflict: "report",
        watch: [],
        needs: [],
        if: "success",
        branch: "claude-tasks/lint-fix",
        agent: {
          timeout: "20m",
          allowed_tools: [],
          disallowed_tools: [],
          permission_mode: "acceptEdits",
          append_system_prompt: "",
          args: [],
          env: {},
          env_templates: {},
        },
        paths: { allow: ["**"], deny: [".github/workflows/**"] },
        limits: { max_files: 50, max_lines: 2000, max_bytes: 10 * 2 ** 20 },
        retry: { attempts: 2, backoff: "30s" },
        pr: {
          title: "claude-tasks: lint-fix",
          body: "",
          labels: [],
          reviewers: [],
          assignees: [],
          draft: false,
          auto_merge: false,
          on_no_changes: "keep",
        },
        enabled: true,
      },
    ]);
  });

  it("takes `name:` over the file stem and fills the branch template with it", () => {
    const loaded = load({ "Weekly Docs.yaml": yaml("name: docs", "prompt: x", "branch: bots/{task}/work") });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks[0]).toMatchObject({
      name: "docs",
      branch: "bots/docs/work",
      pr: { title: "claude-tasks: docs" },
    });
  });

  it("accepts a list of schedules, a fixed branch, a prompt file and a disabled task", () => {
    const loaded = load(
      {
        "a.yml": yaml(
          "prompt_file: prompts/a.md",
          "schedule: ['@daily', every 6h]",
          "branch: bots/a",
          "enabled: false",
        ),
      },
      { statFile: () => "file" },
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks[0]).toMatchObject({
      kind: "claude",
      prompt_file: "prompts/a.md",
      schedule: ["@daily", "every 6h"],
      branch: "bots/a",
      enabled: false,
    });
  });

  it("keeps the time zone as written and accepts zone links", () => {
    const loaded = load({ "a.yml": yaml("run: x", "timezone: US/Eastern") });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks[0]?.timezone).toBe("US/Eastern");
  });

  it("accepts every duration form", () => {
    for (const d of ["30s", "20m", "2h", "1h30m", "1h30m15s", "90m"]) {
      const loaded = load({
        "a.yml": yaml("run: x", `agent: { timeout: ${d} }`, `retry: { backoff: ${d} }`),
      });
      expect(loaded.problems).toEqual([]);
    }
    expect(load({ "a.yml": yaml("run: x", "retry: { backoff: 0s }") }).problems).toEqual([]);
  });

  it("enforces the workflows deny even when a task's deny list replaces the default", () => {
    const loaded = load({
      "a.yml": yaml("run: x", "paths: { deny: [secrets/**] }"),
      "b.yml": yaml("run: x", "paths: { allow: [.github/workflows/ci.yml] }"),
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks.map((t) => t.paths.deny)).toEqual([["secrets/**", ".github/workflows/**"], []]);
  });

  it("sorts tasks by file and resolves aliases", () => {
    const loaded = load({
      "b.yml": yaml("run: x", "watch: &w [src/**]", "paths: { allow: *w }"),
      "a.yml": "run: y\n",
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks.map((t) => t.name)).toEqual(["a", "b"]);
    expect(loaded.tasks[1]?.paths.allow).toEqual(["src/**"]);
  });
});
