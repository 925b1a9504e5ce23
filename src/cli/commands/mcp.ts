import { type Command, Option } from "commander";
import type { Isolation } from "../../engine/sandbox/types.ts";
import { globals } from "../context.ts";

export function registerMcp(program: Command): void {
  program
    .command("mcp")
    .description(
      "serve this repository's tasks to Claude Code over MCP (stdio): list, preview, run and delegate in the background",
    )
    .addOption(
      new Option(
        "--isolation <how>",
        "sandbox: agents run in a bubblewrap sandbox (default); none: without one — they can read your credentials and change anything you can",
      )
        .choices(["sandbox", "none"])
        .default("sandbox")
        .env("CLAUDE_TASKS_ISOLATION"),
    )
    .action(async (flags: { isolation: Isolation }, cmd: Command) => {
      // Loaded on demand: the MCP SDK and the run engine are not needed by other commands.
      const { serveMcp } = await import("../mcp.ts");
      await serveMcp({ ...globals(cmd), isolation: flags.isolation });
    });
}
