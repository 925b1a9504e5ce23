/**
 * The questions of `init --interactive`: which task templates, which workflows, then a confirmation.
 * Streams are injected, so tests drive it without a terminal. Empty answers take the defaults; a bad
 * answer is explained and asked again.
 */
import { createInterface } from "node:readline/promises";
import { UserError } from "../engine/errors.ts";
import type { TaskTemplate } from "../engine/init/templates.ts";
import type { WorkflowTemplate } from "../engine/init/workflow-templates.ts";

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The input is a terminal (line editing, Ctrl-C). Default: `input.isTTY`. */
  terminal?: boolean;
}

export interface InitChoices {
  templates: string[];
  workflows: string[];
  /** Add the claude-tasks MCP server to `.mcp.json` (asked only when `askMcp`). */
  mcp?: boolean;
  /** The person said yes to writing the files. */
  confirmed: boolean;
}

export interface AskInitOptions {
  templates: readonly Pick<TaskTemplate, "name" | "description" | "kind">[];
  workflows: readonly Pick<WorkflowTemplate, "id" | "description" | "target">[];
  defaultTemplates: readonly string[];
  defaultWorkflows: readonly string[];
  /** Where the task files go, for the confirmation. */
  configDir: string;
  /** Also ask whether to add the claude-tasks MCP server to `.mcp.json` (default answer: `mcpDefault`). */
  askMcp?: boolean;
  mcpDefault?: boolean;
}

const MAX_TRIES = 3;

export async function askInitChoices(io: PromptStreams, opts: AskInitOptions): Promise<InitChoices> {
  const terminal = io.terminal ?? Boolean((io.input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: io.input, output: io.output, terminal });
  const lines = rl[Symbol.asyncIterator]();
  rl.on("SIGINT", () => rl.close());
  const say = (text: string) => io.output.write(`${text}\n`);
  const ask = async (question: string): Promise<string> => {
    io.output.write(question);
    const next = await lines.next();
    if (next.done) throw new UserError("init cancelled; nothing was written");
    return next.value.trim();
  };
  const askUntil = async <T>(question: string, parse: (answer: string) => T | string): Promise<T> => {
    for (let i = 1; ; i++) {
      const parsed = parse(await ask(question));
      if (typeof parsed !== "string") return parsed;
      say(`  ${parsed}`);
      if (i >= MAX_TRIES) throw new UserError(`${parsed}; nothing was written`);
    }
  };
  try {
    say("Task templates:");
    opts.templates.forEach((t, i) => {
      say(
        `  ${String(i + 1).padStart(2)}. ${t.name.padEnd(18)} ${t.description}${t.kind === "command" ? " (command)" : ""}`,
      );
    });
    const templates = await askUntil(
      `Which templates? Numbers or names, comma-separated, or none [${opts.defaultTemplates.join(",")}]: `,
      (a) =>
        pick(
          a,
          opts.templates.map((t) => t.name),
          opts.defaultTemplates,
          "template",
        ),
    );
    say("\nWorkflows (in .github/workflows/):");
    opts.workflows.forEach((w, i) => {
      say(`  ${String(i + 1).padStart(2)}. ${w.id.padEnd(18)} ${w.description}`);
    });
    const workflows = await askUntil(
      `Which workflows? Numbers or names, comma-separated, or none [${opts.defaultWorkflows.join(",")}]: `,
      (a) =>
        pick(
          a,
          opts.workflows.map((w) => w.id),
          opts.defaultWorkflows,
          "workflow",
        ),
    );
    let mcp = opts.mcpDefault ?? false;
    if (opts.askMcp) {
      say("\nClaude Code can delegate work to these tasks through the claude-tasks MCP server.");
      mcp = await askUntil(`Add it to .mcp.json? ${mcp ? "[Y/n]" : "[y/N]"} `, (a) => {
        if (a === "") return mcp;
        if (/^(y|yes)$/i.test(a)) return true;
        if (/^(n|no)$/i.test(a)) return false;
        return "answer y or n";
      });
    }
    const dir = opts.configDir.replace(/\/+$/, "");
    const targets = [
      ...templates.map((t) => `${dir}/${t}.yml`),
      ...workflows.map((id) => opts.workflows.find((w) => w.id === id)!.target),
      ...(mcp ? [".mcp.json (the claude-tasks server added)"] : []),
    ];
    if (targets.length === 0) {
      say("\nNothing chosen; nothing was written.");
      return { templates, workflows, ...(opts.askMcp ? { mcp } : {}), confirmed: false };
    }
    say(`\nThis writes:\n${targets.map((t) => `  ${t}`).join("\n")}`);
    const confirmed = await askUntil("Write these files? [Y/n] ", (a) => {
      if (/^(y|yes)?$/i.test(a)) return true;
      if (/^(n|no)$/i.test(a)) return false;
      return "answer y or n";
    });
    return { templates, workflows, ...(opts.askMcp ? { mcp } : {}), confirmed };
  } finally {
    rl.close();
  }
}

/**
 * Parses a list answer: numbers (1-based) or names, separated by commas or spaces; empty takes the
 * defaults; `none` takes nothing. Returns the names, or a message saying what is wrong.
 */
export function pick(
  answer: string,
  names: readonly string[],
  defaults: readonly string[],
  what: string,
): string[] | string {
  const items = answer
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return [...defaults];
  if (items.length === 1 && items[0]!.toLowerCase() === "none") return [];
  const out: string[] = [];
  for (const item of items) {
    const name = /^\d+$/.test(item) ? names[Number(item) - 1] : names.find((n) => n === item.toLowerCase());
    if (name === undefined) return `unknown ${what} \`${item}\`: give numbers 1-${names.length} or names`;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
