import type { Command } from "commander";
import { UserError } from "../../engine/errors.ts";
import { init, nextSteps, templateNames, workflowFiles } from "../../engine/init/init.ts";
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
    .option("-i, --interactive", "ask which templates and workflows (needs a terminal)")
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
          },
        );
        if (!choices.confirmed) return print("nothing was written");
        templates = choices.templates;
        workflows = choices.workflows.join(",") || "none";
      }
      const result = await init({
        repoRoot,
        configDir: g.configDir,
        templates: templates.length === 0 ? ["none"] : templates,
        extra: workflowFiles(workflows),
      });
      const steps = nextSteps(result);
      if (flags.json) return printJson({ ...result, nextSteps: steps.map(([command]) => command) });
      for (const f of result.written) print(`${paint("green", "created")} ${f}`);
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
