/**
 * `init --mcp`: adds the claude-tasks MCP server to the project's `.mcp.json` (Claude Code's
 * project-scoped MCP configuration), keeping every other server and setting in the file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { UserError } from "../errors.ts";

export const MCP_JSON = ".mcp.json";
export const MCP_SERVER_NAME = "claude-tasks";
export const MCP_SERVER = { command: "npx", args: ["claude-tasks", "mcp"] } as const;

export type McpJsonAction = "created" | "updated" | "unchanged";

export async function addMcpServer(repoRoot: string): Promise<McpJsonAction> {
  const file = join(repoRoot, MCP_JSON);
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  let config: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== "") {
    try {
      config = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new UserError(
        `${MCP_JSON} is not valid JSON (${(err as Error).message}); fix it, then run init --mcp again`,
      );
    }
    if (!config || typeof config !== "object" || Array.isArray(config))
      throw new UserError(`${MCP_JSON} is not a JSON object; fix it, then run init --mcp again`);
  }
  const servers = config.mcpServers ?? {};
  if (typeof servers !== "object" || Array.isArray(servers) || servers === null)
    throw new UserError(`${MCP_JSON}: mcpServers is not an object; fix it, then run init --mcp again`);
  if (Object.hasOwn(servers, MCP_SERVER_NAME)) return "unchanged";
  const next = { ...config, mcpServers: { ...servers, [MCP_SERVER_NAME]: MCP_SERVER } };
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return text === undefined ? "created" : "updated";
}
