/** `init --mcp`: the claude-tasks server added to `.mcp.json`, everything else in the file kept; the interactive question. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { askInitChoices } from "../../src/cli/init-prompt.ts";
import { addMcpServer } from "../../src/engine/init/mcp-json.ts";
import { taskTemplates } from "../../src/engine/init/templates.ts";
import { WORKFLOW_TEMPLATES } from "../../src/engine/init/workflow-templates.ts";

async function tempDir() {
  const path = await mkdtemp(join(tmpdir(), "ct-mcp-json-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

describe("addMcpServer", () => {
  it("creates .mcp.json, then leaves it unchanged", async () => {
    await using dir = await tempDir();
    expect(await addMcpServer(dir.path)).toBe("created");
    const text = await readFile(join(dir.path, ".mcp.json"), "utf8");
    expect(JSON.parse(text)).toEqual({
      mcpServers: { "claude-tasks": { command: "npx", args: ["claude-tasks", "mcp"] } },
    });
    expect(await addMcpServer(dir.path)).toBe("unchanged");
    expect(await readFile(join(dir.path, ".mcp.json"), "utf8")).toBe(text);
  });

  it("keeps the other servers and settings; never replaces an existing claude-tasks entry", async () => {
    await using dir = await tempDir();
    const other = { mcpServers: { db: { command: "db-mcp" } }, extra: 1 };
    await writeFile(join(dir.path, ".mcp.json"), JSON.stringify(other));
    expect(await addMcpServer(dir.path)).toBe("updated");
    expect(JSON.parse(await readFile(join(dir.path, ".mcp.json"), "utf8"))).toEqual({
      extra: 1,
      mcpServers: {
        db: { command: "db-mcp" },
        "claude-tasks": { command: "npx", args: ["claude-tasks", "mcp"] },
      },
    });
    const mine = JSON.stringify({ mcpServers: { "claude-tasks": { command: "my-own" } } });
    await writeFile(join(dir.path, ".mcp.json"), mine);
    expect(await addMcpServer(dir.path)).toBe("unchanged");
    expect(await readFile(join(dir.path, ".mcp.json"), "utf8")).toBe(mine);
  });

  it("a broken .mcp.json is a one-line error and stays as it was", async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, ".mcp.json"), "{ nope");
    await expect(addMcpServer(dir.path)).rejects.toThrow(/^\.mcp\.json is not valid JSON .*fix it/);
    await writeFile(join(dir.path, ".mcp.json"), '{"mcpServers": []}');
    await expect(addMcpServer(dir.path)).rejects.toThrow(/mcpServers is not an object/);
    expect(await readFile(join(dir.path, ".mcp.json"), "utf8")).toBe('{"mcpServers": []}');
  });
});

describe("init --interactive asks about the MCP server", () => {
  async function answer(lines: string[], mcpDefault = false) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d: Buffer) => {
      shown += d.toString();
    });
    const pending = askInitChoices(
      { input, output, terminal: false },
      {
        templates: taskTemplates(),
        workflows: WORKFLOW_TEMPLATES,
        defaultTemplates: ["example"],
        defaultWorkflows: ["schedule"],
        configDir: ".github/claude-tasks",
        askMcp: true,
        mcpDefault,
      },
    );
    for (const line of lines) input.write(`${line}\n`);
    input.end();
    return { result: await pending, shown };
  }

  it("no by default; yes lists .mcp.json among the files; --mcp makes yes the default", async () => {
    expect((await answer(["", "", "", ""])).result).toMatchObject({ mcp: false, confirmed: true });
    const yes = await answer(["none", "none", "y", "y"]);
    expect(yes.result).toEqual({ templates: [], workflows: [], mcp: true, confirmed: true });
    expect(yes.shown).toContain("This writes:\n  .mcp.json");
    expect((await answer(["", "", "", ""], true)).result).toMatchObject({ mcp: true });
  });
});
