/**
 * Every shipped template, end to end: copied into a real repository, loaded by the real loader and
 * run by `runTasks` in dry-run mode. Claude templates run the REAL pinned Claude Code CLI against the
 * scripted model server on loopback (temp HOME, dummy key); the model makes a plausible edit inside
 * the template's allowed paths with the template's own allowed tools — no permission may be denied.
 * The command template runs its real command against a tiny fixture.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planOf } from "../../src/engine/plan/index.ts";
import { assertValid, loadProject } from "../../src/engine/project.ts";
import { type RunReport, runTasks } from "../../src/engine/run/index.ts";
import { CLAUDE_PATH, cliEnv, removeTempDirs } from "../agent/harness.ts";
import { type FileSpec, makeRepo, type TestRepo } from "../support/git-repo.ts";
import { type MessagesBody, type ModelServer, startModelServer, type Turn } from "../support/model-server.ts";

afterAll(removeTempDirs);

/** The scripted model's turns, given the worktree the CLI runs in (it says so in its first request). */
type Script = (cwd: string) => Turn[];

function scripted(script: Script) {
  let turns: Turn[] | undefined;
  const toolOutputs: string[] = [];
  const scenario = ({
    index,
    body,
    toolResults,
  }: {
    index: number;
    body: MessagesBody;
    toolResults: { text: string; isError: boolean }[];
  }) => {
    for (const r of toolResults) toolOutputs.push(`${r.isError ? "ERROR " : ""}${r.text}`);
    turns ??= script(workingDirectory(body));
    return turns[index] ?? { text: "done" };
  };
  return { scenario, toolOutputs };
}

function workingDirectory(body: MessagesBody): string {
  const m = /Primary working directory: ([^\s"\\]+)/.exec(
    JSON.stringify(body.messages ?? []) + JSON.stringify(body.system ?? ""),
  );
  if (!m) throw new Error("the CLI did not say its working directory");
  return m[1]!;
}

const read = (cwd: string, path: string): Turn => ({ tool: "Read", input: { file_path: join(cwd, path) } });
const edit = (cwd: string, path: string, from: string, to: string): Turn => ({
  tool: "Edit",
  input: { file_path: join(cwd, path), old_string: from, new_string: to },
});
const bash = (command: string): Turn => ({ tool: "Bash", input: { command, description: command } });

interface Case {
  files: Record<string, FileSpec>;
  script?: Script;
  /** Extra repository setup (merge commits, tags). */
  setup?: (repo: TestRepo) => Promise<void>;
  /** Extra environment for the agent or command. */
  env?: Record<string, string>;
  /** Skip with this reason (a tool the command needs is not installed). */
  skip?: string;
  /** Checks on the run's tool outputs (e.g. the tests passed). */
  outputs?: RegExp[];
}

const PKG = (test: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: "fixture", version: "1.0.0", private: true, scripts: { test }, ...extra }, null, 2)}\n`;

const BIOME = resolve("node_modules/.bin/biome");

const CASES: Record<string, Case> = {
  example: {
    files: { "README.md": "# Fixture\n\nThis is teh fixture.\n" },
    script: (cwd) => [
      read(cwd, "README.md"),
      edit(cwd, "README.md", "teh", "the"),
      { text: "Fixed one typo." },
    ],
  },
  "dependency-update": {
    files: {
      "package.json": PKG("node test.js", { dependencies: { "left-pad": "1.1.0" } }),
      "test.js": 'console.log("all 3 tests pass");\n',
    },
    script: (cwd) => [
      read(cwd, "package.json"),
      edit(cwd, "package.json", '"left-pad": "1.1.0"', '"left-pad": "1.3.0"'),
      bash("npm test"),
      { text: "Updated left-pad 1.1.0 → 1.3.0; the tests pass." },
    ],
    outputs: [/all 3 tests pass/],
  },
  "lint-fix": {
    files: {
      "src/index.js": "const  greeting = 'hi'\nexport default   greeting\n",
      "docs/notes.yml": "a:   1\n", // outside the folder the command fixes: left alone
    },
    // As `npx claude-tasks` would: the project's node_modules/.bin on PATH.
    env: { PATH: `${dirname(BIOME)}${delimiter}${process.env.PATH ?? ""}` },
    skip: existsSync(BIOME) ? undefined : "biome is not installed in node_modules",
  },
  "flaky-tests": {
    files: {
      "package.json": PKG("node tests/time.test.js"),
      "tests/time.test.js":
        'const assert = require("node:assert");\nconst t0 = Date.now();\nsetTimeout(() => assert.ok(Date.now() - t0 < 60000, "too slow"), 10);\n',
    },
    script: (cwd) => [
      bash("npm test"),
      read(cwd, "tests/time.test.js"),
      edit(
        cwd,
        "tests/time.test.js",
        'assert.ok(Date.now() - t0 < 60000, "too slow")',
        'assert.equal(typeof t0, "number")',
      ),
      bash("npm test"),
      { text: "time.test.js: asserted on wall-clock time, which fails under load; now asserts no timing." },
    ],
  },
  "docs-sync": {
    files: {
      "README.md": "# Tool\n\nRun `tool --colour` for colours.\n",
      "src/cli.js": 'export const flags = ["--color"];\n',
    },
    script: (cwd) => [
      { tool: "Grep", input: { pattern: "--colou?r", path: cwd } },
      read(cwd, "README.md"),
      edit(cwd, "README.md", "tool --colour", "tool --color"),
      { text: "README: the flag is --color (src/cli.js)." },
    ],
  },
  changelog: {
    files: {
      "CHANGELOG.md": "# Changelog\n\n## Unreleased\n\n## 1.0.0\n\n- First release.\n",
      "a.txt": "a\n",
    },
    setup: async (repo) => {
      await repo.git("tag", "v1.0.0");
      await repo.git("checkout", "-q", "-b", "feature");
      await repo.commit("Add the --color flag", { "a.txt": "b\n" });
      await repo.git("checkout", "-q", "main");
      await repo.git(
        "merge",
        "-q",
        "--no-ff",
        "feature",
        "-m",
        "Merge pull request #12 from me/feature",
        "-m",
        "Add the --color flag",
      );
    },
    script: (cwd) => [
      bash("git log -n 300 --first-parent --format=%h%d%x09%s%n%b"),
      read(cwd, "CHANGELOG.md"),
      edit(
        cwd,
        "CHANGELOG.md",
        "## Unreleased\n",
        "## Unreleased\n\n### Added\n\n- A `--color` flag (#12)\n",
      ),
      { text: "Added #12." },
    ],
    outputs: [/tag: v1\.0\.0/, /Merge pull request #12/],
  },
  "dead-code": {
    files: {
      "package.json": PKG("node test.js", { type: "module" }),
      "src/util.js":
        "export function used() {\n  return 1;\n}\n\nexport function unused() {\n  return 2;\n}\n",
      "src/index.js": 'import { used } from "./util.js";\nexport default used();\n',
      "test.js":
        'import value from "./src/index.js";\nif (value !== 1) throw new Error("bad");\nconsole.log("tests pass");\n',
    },
    script: (cwd) => [
      { tool: "Grep", input: { pattern: "unused", path: cwd, output_mode: "files_with_matches" } },
      read(cwd, "src/util.js"),
      edit(cwd, "src/util.js", "\nexport function unused() {\n  return 2;\n}\n", ""),
      bash("npm test"),
      { text: "Removed unused() from src/util.js: nothing imports it." },
    ],
    outputs: [/tests pass/],
  },
  "test-coverage": {
    files: {
      "package.json": PKG("node --test", { type: "module" }),
      "src/math.js": "export function add(a, b) {\n  return a + b;\n}\n",
      "tests/.keep": "",
    },
    script: (cwd) => [
      { tool: "Glob", input: { pattern: "**/*.test.*", path: cwd } },
      read(cwd, "src/math.js"),
      {
        tool: "Write",
        input: {
          file_path: join(cwd, "tests/math.test.js"),
          content:
            'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { add } from "../src/math.js";\n\ntest("add", () => {\n  assert.equal(add(2, 3), 5);\n});\n',
        },
      },
      bash("npm test"),
      { text: "Tested src/math.js: add." },
    ],
    outputs: [/pass 1/],
  },
  "typos-and-links": {
    files: {
      "docs/guide.md": "# Guide\n\nSee [install](instal.md). This is teh guide.\n",
      "docs/install.md": "# Install\n",
    },
    script: (cwd) => [
      { tool: "Glob", input: { pattern: "**/*.md", path: cwd } },
      read(cwd, "docs/guide.md"),
      edit(cwd, "docs/guide.md", "(instal.md)", "(install.md)"),
      edit(cwd, "docs/guide.md", "teh guide", "the guide"),
      { text: "docs/guide.md: fixed a link and a typo." },
    ],
  },
};

async function runTemplate(
  name: string,
  c: Case,
): Promise<{ report: RunReport; toolOutputs: string[]; server?: ModelServer }> {
  await using repo = await makeRepo({
    files: {
      ...c.files,
      [`.github/claude-tasks/${name}.yml`]: readFileSync(`templates/tasks/${name}.yml`, "utf8"),
    },
  });
  await c.setup?.(repo);
  const project = assertValid(await loadProject({ cwd: repo.path, env: {} }));
  const script = c.script ? scripted(c.script) : undefined;
  const server = script ? await startModelServer(script.scenario) : undefined;
  try {
    const report = await runTasks({
      repoRoot: repo.path,
      tasks: project.tasks,
      plan: planOf(project.tasks, "test"),
      mode: "dry-run",
      env: cliEnv(server, {
        NPM_CONFIG_UPDATE_NOTIFIER: "false",
        npm_config_update_notifier: "false",
        ...c.env,
      }),
      gitEnv: repo.env,
      claudePath: CLAUDE_PATH,
    });
    // A dry run leaves the repository as it was.
    expect(await repo.status()).toBe("");
    return { report, toolOutputs: script?.toolOutputs ?? [], server };
  } finally {
    await server?.close();
  }
}

describe("every template runs end to end (dry run)", () => {
  const names = readdirNames();
  it("has a case for every shipped template", () => {
    expect(Object.keys(CASES).sort()).toEqual(names);
  });

  for (const name of names) {
    const c = CASES[name]!;
    it.skipIf(c.skip !== undefined)(`${name}${c.skip ? ` (skipped: ${c.skip})` : ""}`, async () => {
      const { report, toolOutputs } = await runTemplate(name, c);
      const [r] = report.results;
      if (process.env.DEBUG_TEMPLATES) console.log(name, JSON.stringify(r, null, 1), toolOutputs);
      expect(r?.message).toMatch(/^dry run: would update/);
      expect(r).toMatchObject({ task: name, status: "success", violations: [] });
      expect(r!.files.length).toBeGreaterThan(0);
      expect(r!.backup).toBeTruthy();
      if (r!.agent?.kind === "claude") {
        expect(r!.agent.permissionDenials ?? 0, JSON.stringify(toolOutputs)).toBe(0);
        expect(
          toolOutputs.filter((o) => o.startsWith("ERROR")),
          "tool errors",
        ).toEqual([]);
      }
      for (const re of c.outputs ?? []) expect(toolOutputs.join("\n")).toMatch(re);
    });
  }
});

function readdirNames(): string[] {
  return readdirSync("templates/tasks")
    .filter((f) => f.endsWith(".yml"))
    .map((f) => f.slice(0, -4))
    .sort();
}
