/** `init` as a user runs it: the built CLI, its flags and exit codes, and --interactive on a real terminal. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { taskTemplates } from "../../src/engine/init/templates.ts";
import { CLI, cli, taskDir } from "../support/cli.ts";
import { until } from "../support/wait.ts";

describe("init (built CLI)", () => {
  it("defaults: the example task and the schedule and comment workflows, then four next steps (the last: CI's token)", () => {
    using dir = taskDir({});
    const r = cli(["init"], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /created .github\/claude-tasks\/example.yml\ncreated .github\/workflows\/claude-tasks.yml\ncreated .github\/workflows\/claude-tasks-comments.yml\n/,
    );
    expect(r.stdout).toMatch(
      /Next steps:\n {2}1\. npx claude-tasks doctor +check .*\n {2}2\. npx claude-tasks run example --dry-run +.*\n {2}3\. git add .github && gh secret set ANTHROPIC_API_KEY +.*\n {2}4\. gh secret set CLAUDE_TASKS_APP_ID .*CI on the task's pull requests.*\n$/,
    );
    expect(cli(["validate"], { cwd: dir.path }).code).toBe(0);
  });

  it("--template/--workflows/--json; then a second init refuses with exit 2 and writes nothing", () => {
    using dir = taskDir({});
    const r = cli(["init", "--template", "dependency-update", "changelog", "--workflows", "push", "--json"], {
      cwd: dir.path,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      written: [
        ".github/claude-tasks/dependency-update.yml",
        ".github/claude-tasks/changelog.yml",
        ".github/workflows/claude-tasks-push.yml",
      ],
      tasks: ["dependency-update", "changelog"],
      nextSteps: [
        "npx claude-tasks doctor",
        "npx claude-tasks run dependency-update --dry-run",
        expect.any(String),
        expect.stringMatching(/CLAUDE_TASKS_APP_ID/),
      ],
    });
    const again = cli(["init", "-t", "docs-sync", "changelog", "-w", "none"], { cwd: dir.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      "claude-tasks: refusing to overwrite .github/claude-tasks/changelog.yml (already initialised?); nothing was written\n",
    );
    expect(existsSync(join(dir.path, ".github/claude-tasks/docs-sync.yml"))).toBe(false);
    // Adding a workflow later works.
    expect(cli(["init", "-t", "none", "-w", "schedule"], { cwd: dir.path }).code).toBe(0);
  });

  it("--list-templates lists every template; unknown names are one-line errors", () => {
    const list = cli(["init", "--list-templates"], { cwd: "." });
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^TEMPLATE\s+KIND\s+WHAT IT DOES$/);
    expect(list.stdout).toMatch(/^lint-fix\s+command\s+/m);
    const json = JSON.parse(cli(["init", "--list-templates", "--json"], { cwd: "." }).stdout);
    expect(json.templates.map((t: { name: string }) => t.name)).toEqual(taskTemplates().map((t) => t.name));
    using dir = taskDir({});
    for (const [args, re] of [
      [["init", "-t", "doc-sync"], /unknown template `doc-sync`, did you mean `docs-sync`\?/],
      [["init", "-w", "nightly"], /unknown workflow template nightly/],
      [["init", "--interactive"], /--interactive needs a terminal/],
    ] as const) {
      const r = cli([...args], { cwd: dir.path });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(existsSync(join(dir.path, ".github"))).toBe(false);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("--interactive on a real pseudo-terminal (util-linux `script`)", async () => {
    using dir = taskDir({});
    const child = spawn(
      "script",
      ["-q", "-e", "-c", `${process.execPath} ${CLI} init --interactive`, "/dev/null"],
      {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? "", HOME: dir.path, TERM: "dumb" },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = (text: string) =>
      until(() => out.includes(text), {
        on: child.stdout,
        what: `"${text}" on the terminal`,
        endsWith: child,
      });
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waitFor("Which templates?");
    child.stdin.write("typos-and-links\r");
    await waitFor("Which workflows?");
    child.stdin.write("schedule\r");
    await waitFor("Add it to .mcp.json?");
    child.stdin.write("y\r");
    await waitFor("Write these files?");
    child.stdin.write("y\r");
    expect(await exit).toBe(0);
    expect(out).toContain("created .github/claude-tasks/typos-and-links.yml");
    expect(existsSync(join(dir.path, ".github/workflows/claude-tasks.yml"))).toBe(true);
    expect(existsSync(join(dir.path, ".github/claude-tasks/example.yml"))).toBe(false);
    expect(out).toContain("created .mcp.json");
  });

  it("--mcp adds the MCP server to .mcp.json, alone or with the other files; a second time changes nothing", () => {
    using dir = taskDir({});
    const first = cli(["init", "-t", "none", "-w", "none", "--mcp"], { cwd: dir.path });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("created .mcp.json");
    expect(JSON.parse(readFileSync(join(dir.path, ".mcp.json"), "utf8")).mcpServers["claude-tasks"]).toEqual({
      command: "npx",
      args: ["claude-tasks", "mcp"],
    });
    const again = cli(["init", "--mcp", "--json"], { cwd: dir.path });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ mcpJson: "unchanged", tasks: ["example"] });
  });
});
