/**
 * The shipped task templates: every one loads through the real config loader without a problem,
 * starts with the schema comment, says when to use it, and has tight guard rails.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import picomatch from "picomatch";
import { afterAll, describe, expect, it } from "vitest";
import { schemaComment } from "../../src/engine/config/index.ts";
import {
  describeTemplate,
  taskTemplateFiles,
  taskTemplates,
  whenToUse,
} from "../../src/engine/init/templates.ts";
import { loadProject } from "../../src/engine/project.ts";

const templates = taskTemplates();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function load(name: string, text: string) {
  const dir = await mkdtemp(join(tmpdir(), "ct-template-"));
  dirs.push(dir);
  await mkdir(join(dir, ".github/claude-tasks"), { recursive: true });
  await writeFile(join(dir, ".github/claude-tasks", `${name}.yml`), text);
  return loadProject({ cwd: dir, env: {} });
}

describe("task templates", () => {
  it("ships the example and at least 8 more, example first", () => {
    expect(templates[0]?.name).toBe("example");
    expect(templates.length).toBeGreaterThanOrEqual(9);
    expect(templates.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "dependency-update",
        "lint-fix",
        "flaky-tests",
        "docs-sync",
        "changelog",
        "dead-code",
        "test-coverage",
        "typos-and-links",
      ]),
    );
    expect(templates.find((t) => t.name === "lint-fix")?.kind).toBe("command");
  });

  describe.each(templates.map((t) => [t.name, t] as const))("%s", (name, t) => {
    const text = readFileSync(t.template, "utf8");

    it("starts with the schema comment and says when to use it", () => {
      expect(text.split("\n")[0]).toBe(schemaComment());
      expect(t.whenToUse.length).toBeGreaterThan(40);
      expect(t.description).not.toBe("");
    });

    it("loads through the real loader with no problem at all", async () => {
      const project = await load(name, text);
      expect(project.problems).toEqual([]);
      expect(project.tasks.map((x) => x.name)).toEqual([name]);
    });

    it("has tight guard rails: narrow paths, limits, a schedule, bounded cost", async () => {
      const [task] = (await load(name, text)).tasks;
      expect(task!.paths.allow).not.toContain("**");
      expect(task!.schedule.length).toBeGreaterThan(0);
      expect(text).toMatch(/^limits:/m);
      // Nothing a template may change reaches the workflows.
      for (const glob of task!.paths.allow) {
        expect(picomatch(glob, { dot: true })(".github/workflows/ci.yml"), glob).toBe(false);
      }
      if (task!.kind === "claude") {
        expect(task!.agent.max_turns).toBeGreaterThan(0);
        expect(task!.agent.max_budget_usd).toBeGreaterThan(0);
        expect(task!.agent.allowed_tools.length).toBeGreaterThan(0);
        // Shell access, when given, is to named commands only.
        for (const tool of task!.agent.allowed_tools) expect(tool).not.toMatch(/^Bash(\(\*?\))?$/);
        // No prefix rule for a git command that writes where `--output=<file>` says.
        for (const tool of task!.agent.allowed_tools)
          expect(tool).not.toMatch(/^Bash\(git (log|diff|show|format-patch)\b.*:\*\)$/);
        expect(task!.prompt).toMatch(/change nothing/i);
      }
    });
  });

  it("prompts that must keep the tests green may run them", async () => {
    for (const name of ["dependency-update", "flaky-tests", "dead-code", "test-coverage"]) {
      const t = templates.find((x) => x.name === name)!;
      const [task] = (await load(name, readFileSync(t.template, "utf8"))).tasks;
      expect(task!.prompt, name).toContain("npm test");
      expect(task!.agent.allowed_tools, name).toContain("Bash(npm test:*)");
    }
  });

  it("whenToUse joins the indented comment lines of the paragraph", () => {
    const text = "# header\n#\n# When to use: first part\n#   second part.\n#\n# Other notes.\nrun: x\n";
    expect(whenToUse(text)).toBe("first part second part.");
    expect(whenToUse("run: x\n")).toBe("");
    expect(describeTemplate('run: "x"\ndescription: d\n')).toEqual({
      kind: "command",
      description: "d",
      whenToUse: "",
    });
  });

  it("taskTemplateFiles maps names to files and suggests the closest for a typo", () => {
    expect(taskTemplateFiles(["docs-sync", "docs-sync"], ".github/claude-tasks/", templates)).toEqual([
      { target: ".github/claude-tasks/docs-sync.yml", template: "templates/tasks/docs-sync.yml" },
    ]);
    expect(() => taskTemplateFiles(["doc-sync"], ".github/claude-tasks", templates)).toThrow(
      /unknown template `doc-sync`, did you mean `docs-sync`\?/,
    );
    expect(() => taskTemplateFiles(["zzz"], ".github/claude-tasks", templates)).toThrow(/known: example, /);
  });
});
