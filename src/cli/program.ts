import { statSync } from "node:fs";
import { Command, CommanderError } from "commander";
import {
  EXIT,
  errorMessage,
  exitCodeFor,
  InterruptedError,
  TaskFailedError,
  UserError,
} from "../engine/errors.ts";
import { commands } from "./commands/index.ts";
import { printErr } from "./output.ts";
import { VERSION } from "./version.ts";

export function buildProgram(): Command {
  const program = new Command("claude-tasks")
    .description("Run Claude Code tasks from .github/claude-tasks in git worktrees, checked and backed up.")
    .version(VERSION, "-V, --version")
    .option("-C, --cwd <dir>", "run as if started in <dir>")
    .option("--config-dir <dir>", "task directory, relative to the repository root", ".github/claude-tasks")
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  program.hook("preAction", (_program, action) => {
    const cwd = action.optsWithGlobals<{ cwd?: string }>().cwd;
    if (cwd !== undefined && !isDirectory(cwd)) throw new UserError(`-C ${cwd}: no such directory`);
  });
  for (const register of commands) register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = buildProgram();
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; everything else it raises is bad usage.
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
      if (err.code === "commander.help") return EXIT.ok;
      return EXIT.badInput; // commander already printed "error: …" with a suggestion
    }
    // The run's report has said which tasks failed, or that the run was stopped: only the code is left.
    if (err instanceof TaskFailedError || err instanceof InterruptedError) return exitCodeFor(err);
    if (err instanceof UserError) {
      printErr(err.problems.length > 0 ? err.message : `claude-tasks: ${err.message}`);
      return EXIT.badInput;
    }
    printErr(`claude-tasks: ${errorMessage(err)}`);
    if (process.env.CLAUDE_TASKS_DEBUG && err instanceof Error && err.stack) printErr(err.stack);
    return exitCodeFor(err);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
