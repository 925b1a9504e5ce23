/** `init` in-process: the files it writes, its refusal to overwrite, and the interactive questions (the built CLI: init.int.test.ts). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { askInitChoices, pick } from "../../src/cli/init-prompt.ts";
import {
  existingTargets,
  init,
  nextSteps,
  templateNames,
  workflowFiles,
} from "../../src/engine/init/init.ts";
import { taskTemplates } from "../../src/engine/init/templates.ts";
import { WORKFLOW_TEMPLATES } from "../../src/engine/init/workflow-templates.ts";
import { taskDir } from "../support/cli.ts";

describe("init (engine)", () => {
  it("writes the chosen templates and workflows; reports the task names", async () => {
    using dir = taskDir({});
    const r = await init({
      repoRoot: dir.path,
      configDir: ".github/claude-tasks",
      templates: ["docs-sync,lint-fix"],
      extra: workflowFiles("schedule"),
    });
    expect(r).toEqual({
      written: [
        ".github/claude-tasks/docs-sync.yml",
        ".github/claude-tasks/lint-fix.yml",
        ".github/workflows/claude-tasks.yml",
      ],
      tasks: ["docs-sync", "lint-fix"],
    });
    expect(readFileSync(join(dir.path, ".github/claude-tasks/lint-fix.yml"), "utf8")).toBe(
      readFileSync("templates/tasks/lint-fix.yml", "utf8"),
    );
  });

  it("refuses before writing anything when one target exists, counting x.yaml for x.yml", async () => {
    using dir = taskDir({ "docs-sync.yaml": 'run: "true"\n' });
    await expect(
      init({
        repoRoot: dir.path,
        configDir: ".github/claude-tasks",
        templates: ["example", "docs-sync"],
        extra: workflowFiles("schedule"),
      }),
    ).rejects.toThrow(/refusing to overwrite .github\/claude-tasks\/docs-sync.yaml .*nothing was written/);
    expect(readdirSync(join(dir.path, ".github/claude-tasks"))).toEqual(["docs-sync.yaml"]);
    expect(existsSync(join(dir.path, ".github/workflows"))).toBe(false);
    expect(
      existingTargets(dir.path, [{ target: ".github/claude-tasks/docs-sync.yml", template: "" }]),
    ).toEqual([".github/claude-tasks/docs-sync.yaml"]);
  });

  it("nothing to write is bad input", async () => {
    using dir = taskDir({});
    await expect(
      init({ repoRoot: dir.path, configDir: "c", templates: ["none"], extra: [] }),
    ).rejects.toThrow(/nothing to write/);
  });

  it("workflow names, aliases and none; unknown ones are listed", () => {
    expect(workflowFiles("schedule,comments").map((f) => f.target)).toEqual([
      ".github/workflows/claude-tasks.yml",
      ".github/workflows/claude-tasks-comments.yml",
    ]);
    expect(workflowFiles(["comment dispatch", "cron"]).map((f) => f.target)).toEqual([
      ".github/workflows/claude-tasks.yml",
      ".github/workflows/claude-tasks-comments.yml",
    ]);
    expect(workflowFiles("none")).toEqual([]);
    expect(() => workflowFiles("nightly")).toThrow(
      /unknown workflow template nightly \(known: schedule, comments, push, org, ci-fix\)/,
    );
    expect(templateNames(undefined)).toEqual(["example"]);
    expect(templateNames(["none"])).toEqual([]);
    expect(templateNames(["a, b", "c"])).toEqual(["a", "b", "c"]);
  });

  it("next steps: doctor, a dry run of the first task, then commit + secret and CI's token (or add a workflow)", () => {
    const withWorkflows = nextSteps({
      written: [".github/claude-tasks/docs-sync.yml", ".github/workflows/claude-tasks.yml"],
      tasks: ["docs-sync"],
    });
    expect(withWorkflows.map(([c]) => c)).toEqual([
      "npx claude-tasks doctor",
      "npx claude-tasks run docs-sync --dry-run",
      "git add .github && gh secret set ANTHROPIC_API_KEY",
      "gh secret set CLAUDE_TASKS_APP_ID && gh secret set CLAUDE_TASKS_APP_PRIVATE_KEY < app-key.pem",
    ]);
    expect(withWorkflows[3]?.[1]).toMatch(/no CI on pull requests made with the workflow's own token/);
    expect(nextSteps({ written: [".github/claude-tasks/x.yml"], tasks: ["x"] })).toHaveLength(3);
    expect(nextSteps({ written: [".github/claude-tasks/x.yml"], tasks: ["x"] })[2]?.[0]).toMatch(
      /--workflows schedule/,
    );
  });
});

describe("init --interactive questions (injected streams)", () => {
  const options = {
    templates: taskTemplates(),
    workflows: WORKFLOW_TEMPLATES,
    defaultTemplates: ["example"],
    defaultWorkflows: ["schedule", "comments"],
    configDir: ".github/claude-tasks",
  };

  async function answer(lines: string[]) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d: Buffer) => {
      shown += d.toString();
    });
    const pending = askInitChoices({ input, output, terminal: false }, options);
    for (const line of lines) input.write(`${line}\n`);
    input.end();
    return { result: await pending.catch((err: Error) => err), shown: () => shown };
  }

  it("Enter takes the defaults; the files are listed before the confirmation", async () => {
    const { result, shown } = await answer(["", "", ""]);
    expect(result).toEqual({ templates: ["example"], workflows: ["schedule", "comments"], confirmed: true });
    expect(shown()).toMatch(/1\. example/);
    expect(shown()).toContain(
      "  .github/claude-tasks/example.yml\n  .github/workflows/claude-tasks.yml\n  .github/workflows/claude-tasks-comments.yml",
    );
  });

  it("numbers and names; a bad answer is explained and asked again; n declines", async () => {
    const docs = options.templates.findIndex((t) => t.name === "docs-sync") + 1;
    const { result, shown } = await answer([`${docs}, lint-fix`, "push, nightly", "3", "maybe", "n"]);
    expect(result).toEqual({ templates: ["docs-sync", "lint-fix"], workflows: ["push"], confirmed: false });
    expect(shown()).toContain("unknown workflow `nightly`");
    expect(shown()).toContain("answer y or n");
  });

  it("none and none: nothing to confirm", async () => {
    const { result } = await answer(["none", "none"]);
    expect(result).toEqual({ templates: [], workflows: [], confirmed: false });
  });

  it("end of input cancels; three bad answers give up", async () => {
    expect(String((await answer([""])).result)).toMatch(/init cancelled; nothing was written/);
    expect(String((await answer(["x", "y", "z"])).result)).toMatch(
      /unknown template `z`.*nothing was written/,
    );
  });

  it("pick parses lists", () => {
    expect(pick("2 1 2", ["a", "b"], [], "t")).toEqual(["b", "a"]);
    expect(pick("", ["a"], ["a"], "t")).toEqual(["a"]);
    expect(pick("9", ["a"], [], "t")).toMatch(/numbers 1-1/);
  });
});
