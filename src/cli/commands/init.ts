import type { Command } from "commander";
import { init } from "../../engine/init.ts";
import { findRepoRoot } from "../../engine/project.ts";
import { globals } from "../context.ts";
import { paint, print } from "../output.ts";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("write an example task (never overwrites)")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const repoRoot = await findRepoRoot(g.cwd ?? process.cwd());
      const { written } = await init({ repoRoot, configDir: g.configDir });
      for (const f of written) print(`${paint("green", "created")} ${f}`);
      print("\nNext steps:");
      print("  1. npx claude-tasks validate               check the task files");
      print("  2. npx claude-tasks run example --dry-run  try the example locally; nothing is pushed");
      print("  3. commit .github/ and add the ANTHROPIC_API_KEY secret to the repository");
    });
}
