/** `claude-tasks mcp` (the built CLI) in a test repository, driven by the MCP SDK's own client. */
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { TestRepo } from "../support/git-repo.ts";
import type { ModelServer } from "../support/model-server.ts";

export const CLI = resolve("dist/cli.js");

/** The environment `claude-tasks mcp` and the real Claude Code CLI get: hermetic git, the scripted model. */
export function mcpEnv(repo: TestRepo, model: ModelServer): Record<string, string> {
  return {
    ...(repo.env as Record<string, string>),
    PATH: `${resolve("node_modules/.bin")}:${resolve("node_modules/node/bin")}:${process.env.PATH}`,
    LANG: "C.UTF-8",
    ANTHROPIC_BASE_URL: model.url,
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
    NO_COLOR: "1",
  };
}

/** A tool result parsed from JSON: tests read it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked by the assertions that read it
export type Json = any;

export interface McpSession extends AsyncDisposable {
  client: Client;
  stderr(): string;
  /** Calls a tool; returns its text parsed as JSON (or the raw text of an error result). */
  call(name: string, args?: Record<string, unknown>): Promise<{ isError: boolean; text: string; json: Json }>;
  /** Closes the client: the server sees stdin close and exits. */
  close(): Promise<void>;
}

export async function connect(repo: TestRepo, env: Record<string, string>): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp"],
    cwd: repo.path,
    env,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (c: Buffer) => {
    err += c;
  });
  const client = new Client({ name: "claude-tasks-test", version: "1.0.0" });
  await client.connect(transport);
  const call: McpSession["call"] = async (name, args = {}) => {
    const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as {
      isError?: boolean;
      content: { type: string; text: string }[];
    };
    const text = r.content.map((c) => c.text).join("");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { isError: r.isError === true, text, json };
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close();
  };
  return { client, stderr: () => err, call, close, [Symbol.asyncDispose]: close };
}
