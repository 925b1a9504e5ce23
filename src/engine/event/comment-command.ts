/**
 * Comment commands, parsed from untrusted text:
 *
 *   /claude-tasks run <task> [--dry-run]   run a configured task
 *   /claude-tasks [--dry-run] <free text>  an ad-hoc Claude task with that text as its prompt
 *   /claude-tasks help                     the usage
 *
 * The command must open the comment (its first non-blank line, after sanitising). The only flag there
 * is, anywhere, is `--dry-run`; a task name must be a valid task name, so the text can never choose a
 * file, a branch, a ref or an option. `run` followed by more than one word is free text ("run the
 * tests and fix what fails"). The free text only ever becomes a prompt, sent on stdin.
 */
import { TASK_NAME_PATTERN } from "../config/task-name.ts";
import { sanitizeCommentText } from "./sanitize.ts";

export const DEFAULT_COMMENT_COMMAND = "/claude-tasks";
/** Longest accepted prompt of an ad-hoc task (characters, after sanitising). */
export const MAX_PROMPT_CHARS = 8_000;
export const DRY_RUN_FLAG = "--dry-run";
const COMMAND_PATTERN = /^\/[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/;
/** A word that reads as a command-line option. */
const OPTION = /^--[A-Za-z][^\s]*/;

export type CommentCommand =
  /** The comment is not addressed to claude-tasks. */
  | { kind: "none" }
  | { kind: "help" }
  | { kind: "run"; task: string; dryRun: boolean }
  | { kind: "adhoc"; prompt: string; dryRun: boolean }
  /** Addressed to claude-tasks but not valid; `message` says why and what to write instead. */
  | { kind: "invalid"; message: string };

export function isValidCommentCommand(command: string): boolean {
  return COMMAND_PATTERN.test(command);
}

export function commentUsage(command = DEFAULT_COMMENT_COMMAND): string {
  return [
    `\`${command} run <task> [--dry-run]\` runs a task of \`.github/claude-tasks/\`;`,
    `\`${command} [--dry-run] <what to do>\` asks Claude Code to do it as an ad-hoc task;`,
    `\`${command} help\` shows this.`,
  ].join("\n");
}

export function parseCommentCommand(body: string, command = DEFAULT_COMMENT_COMMAND): CommentCommand {
  if (!isValidCommentCommand(command)) throw new Error(`invalid comment command ${JSON.stringify(command)}`);
  const text = sanitizeCommentText(body).replace(/^\s+/, "");
  if (!text.toLowerCase().startsWith(command.toLowerCase())) return { kind: "none" };
  const after = text.slice(command.length);
  if (after !== "" && !/^\s/.test(after)) return { kind: "none" }; // `/claude-tasksfoo`
  const newline = after.indexOf("\n");
  const first = (newline < 0 ? after : after.slice(0, newline)).trim();
  // the lines after the first, blank lines kept (they are part of the prompt's formatting)
  const rest = newline < 0 ? "" : after.slice(newline + 1).replace(/\s+$/, "");
  const words = first === "" ? [] : first.split(/\s+/);

  const more = rest.trim() !== "";
  if (words.length === 0 && !more) return { kind: "help" };
  if (words.length === 1 && words[0]!.toLowerCase() === "help" && !more) return { kind: "help" };

  if (words[0]?.toLowerCase() === "run") {
    const args = words.slice(1);
    const names = args.filter((w) => !w.startsWith("-"));
    if (names.length <= 1) return parseRun(args, names[0], rest, command);
  }
  return parseAdhoc(words, rest, command);
}

function parseRun(args: string[], name: string | undefined, rest: string, command: string): CommentCommand {
  const flags = args.filter((w) => w.startsWith("-"));
  const bad = flags.find((f) => f !== DRY_RUN_FLAG);
  if (bad !== undefined)
    return invalid(`unknown option \`${shown(bad)}\`: the only option is \`${DRY_RUN_FLAG}\``);
  if (name === undefined) return invalid(`\`run\` needs a task name: \`${command} run <task>\``);
  if (!TASK_NAME_PATTERN.test(name)) {
    return invalid(
      `\`${shown(name)}\` is not a task name (lowercase letters, digits and \`-\`, at most 63 characters)`,
    );
  }
  if (rest.trim() !== "") {
    return invalid(
      `\`${command} run <task>\` takes no further text; to ask for something else write \`${command} <what to do>\``,
    );
  }
  return { kind: "run", task: name, dryRun: flags.length > 0 };
}

function parseAdhoc(words: string[], rest: string, command: string): CommentCommand {
  let dryRun = false;
  const first = [...words];
  if (first[0] === DRY_RUN_FLAG) {
    dryRun = true;
    first.shift();
  } else if (first.length > 1 && first.at(-1) === DRY_RUN_FLAG) {
    dryRun = true;
    first.pop();
  }
  const option = first[0]?.startsWith("--") ? first[0] : undefined;
  if (option !== undefined) {
    return invalid(`unknown option \`${shown(option)}\`: the only option is \`${DRY_RUN_FLAG}\``);
  }
  let prompt = `${first.join(" ")}\n${rest}`.trim();
  // with nothing after the command on its line, flags opening the next line are read as flags too
  for (let lead = OPTION.exec(prompt)?.[0]; lead !== undefined; lead = OPTION.exec(prompt)?.[0]) {
    if (lead !== DRY_RUN_FLAG)
      return invalid(`unknown option \`${shown(lead)}\`: the only option is \`${DRY_RUN_FLAG}\``);
    dryRun = true;
    prompt = prompt.slice(lead.length).trim();
  }
  if (prompt === "") return invalid(`say what to do: \`${command} <what to do>\``);
  if (prompt.length > MAX_PROMPT_CHARS) {
    return invalid(
      `the request is too long (${prompt.length} characters; at most ${MAX_PROMPT_CHARS}): put the details in a task file and use \`${command} run <task>\``,
    );
  }
  return { kind: "adhoc", prompt, dryRun };
}

function invalid(message: string): CommentCommand {
  return { kind: "invalid", message };
}

/** A token echoed back in a reply: short, and without backticks that could break out of the code span. */
function shown(token: string): string {
  const clean = token.replace(/`/g, "'");
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
