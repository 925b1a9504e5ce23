import type { Command } from "commander";
import { UserError } from "../../engine/errors.ts";
import { init, nextSteps, templateNames, workflowFiles } from "../../engine/init/init.ts";
import { addMcpServer, MCP_JSON } from "../../engine/init/mcp-json.ts";
import { DEFAULT_TASK_TEMPLATE, taskTemplates } from "../../engine/init/templates.ts";
import { DEFAULT_WORKFLOW_IDS, WORKFLOW_TEMPLATES } from "../../engine/init/workflow-templates.ts";
import { findRepoRoot } from "../../engine/project.ts";
import { renderTable } from "../../engine/report/table.ts";
import { globals } from "../context.ts";
import { askInitChoices } from "../init-prompt.ts";
import { paint, print, printJson } from "../output.ts";

interface InitFlags {
  template?: string[];
  workflows?: string;
  listTemplates?: boolean;
  interactive?: boolean;
  mcp?: boolean;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("write task templates and the workflows that run them (never overwrites)")
    .option(
      "-t, --template <names...>",
      `task templates to write, or \`none\` (default: ${DEFAULT_TASK_TEMPLATE}; see --list-templates)`,
    )
    .option(
      "-w, --workflows <ids>",
      `workflows to write, comma-separated: ${WORKFLOW_TEMPLATES.map((t) => t.id).join(", ")}, or \`none\``,
      DEFAULT_WORKFLOW_IDS.join(","),
    )
    .option("--list-templates", "list the task templates and exit")
    .option("--mcp", "add the claude-tasks MCP server to .mcp.json, so Claude Code can delegate to it")
    .option(
      "-i, --interactive",
      "ask which templates and workflows, and whether to add the MCP server (needs a terminal)",
    )
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  npx claude-tasks init                                   example task + schedule and comment workflows\n" +
        "  npx claude-tasks init -t docs-sync lint-fix -w schedule two templates, the scheduled workflow\n" +
        "  npx claude-tasks init -t none -w push                   add the push workflow later",
    )
    .action(async (flags: InitFlags, cmd: Command) => {
      if (flags.listTemplates) return listTemplates(flags.json);
      const g = globals(cmd);
      const repoRoot = await findRepoRoot(g.cwd ?? process.cwd());
      let templates = templateNames(flags.template);
      let workflows = flags.workflows ?? DEFAULT_WORKFLOW_IDS.join(",");
      let mcp = flags.mcp === true;
      if (flags.interactive) {
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
          throw new UserError(
            "--interactive needs a terminal; choose with --template and --workflows instead",
          );
        }
        const choices = await askInitChoices(
          { input: process.stdin, output: process.stdout },
          {
            templates: taskTemplates(),
            workflows: WORKFLOW_TEMPLATES,
            defaultTemplates: templates,
            defaultWorkflows: workflowFiles(workflows).map(
              (f) => WORKFLOW_TEMPLATES.find((t) => t.target === f.target)!.id,
            ),
            configDir: g.configDir,
            askMcp: true,
            mcpDefault: mcp,
          },
        );
        if (!choices.confirmed) return print("nothing was written");
        templates = choices.templates;
        workflows = choices.workflows.join(",") || "none";
        mcp = choices.mcp === true;
      }
      const extra = workflowFiles(workflows);
      const nothingButMcp =
        mcp &&
        extra.length === 0 &&
        templateNames(templates.length === 0 ? ["none"] : templates).length === 0;
      const result = nothingButMcp
        ? { written: [], tasks: [] }
        : await init({
            repoRoot,
            configDir: g.configDir,
            templates: templates.length === 0 ? ["none"] : templates,
            extra,
          });
      const mcpJson = mcp ? await addMcpServer(repoRoot) : undefined;
      const steps = nextSteps(result);
      if (flags.json)
        return printJson({
          ...result,
          ...(mcpJson ? { mcpJson } : {}),
          nextSteps: steps.map(([command]) => command),
        });
      for (const f of result.written) print(`${paint("green", "created")} ${f}`);
      if (mcpJson === "unchanged")
        print(`${paint("dim", "unchanged")} ${MCP_JSON} (already has the claude-tasks server)`);
      else if (mcpJson) print(`${paint("green", mcpJson)} ${MCP_JSON} (the claude-tasks MCP server)`);
      print("\nNext steps:");
      const width = Math.max(...steps.map(([c]) => c.length));
      for (const [i, [command, why]] of steps.entries()) {
        print(`  ${i + 1}. ${paint("bold", command.padEnd(width))}  ${why}`);
      }
    });
}

function listTemplates(json?: boolean): void {
  const all = taskTemplates();
  if (json) {
    printJson({
      templates: all.map(({ name, kind, description, whenToUse }) => ({
        name,
        kind,
        description,
        whenToUse,
      })),
    });
    return;
  }
  print(
    renderTable(
      ["TEMPLATE", "KIND", "WHAT IT DOES"],
      all.map((t) => [t.name, t.kind, t.description]),
    ),
  );
  print("\nwrite some with `claude-tasks init --template <name…>`; each file says when to use it");
}
