/**
 * The task templates shipped in `templates/tasks/`: one YAML file per template, whose file name is
 * the template's (and, once copied, the task's) name. Each starts with the schema comment and a
 * `# When to use:` paragraph, which `init --list-templates` shows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { didYouMean } from "../config/index.ts";
import { UserError } from "../errors.ts";
import { compareCodeUnits } from "../order.ts";
import { packageRoot } from "../package-root.ts";

export const TASK_TEMPLATES_DIR = "templates/tasks";
/** The template `init` writes when no `--template` is given. */
export const DEFAULT_TASK_TEMPLATE = "example";

/** A shipped template and where `init` writes it. */
export interface InitFile {
  /** Path in the user's repository, relative to its root. */
  target: string;
  /** Path of the template inside the claude-tasks package. */
  template: string;
}

export interface TaskTemplate {
  name: string;
  /** Path inside the claude-tasks package. */
  template: string;
  kind: "claude" | "command";
  description: string;
  /** The `# When to use:` paragraph, as one line. */
  whenToUse: string;
}

/** Every shipped task template, `example` first, then by name. */
export function taskTemplates(root: string = packageRoot()): TaskTemplate[] {
  const names = readdirSync(join(root, TASK_TEMPLATES_DIR))
    .filter((f) => f.endsWith(".yml"))
    .map((f) => f.slice(0, -".yml".length))
    .sort(
      (a, b) =>
        Number(b === DEFAULT_TASK_TEMPLATE) - Number(a === DEFAULT_TASK_TEMPLATE) || compareCodeUnits(a, b),
    );
  return names.map((name) => {
    const template = `${TASK_TEMPLATES_DIR}/${name}.yml`;
    return { name, template, ...describeTemplate(readFileSync(join(root, template), "utf8")) };
  });
}

/** What a template's text says about itself. */
export function describeTemplate(text: string): Pick<TaskTemplate, "kind" | "description" | "whenToUse"> {
  const value = (parse(text) ?? {}) as { description?: unknown; run?: unknown };
  return {
    kind: value.run === undefined ? "claude" : "command",
    description: typeof value.description === "string" ? value.description : "",
    whenToUse: whenToUse(text),
  };
}

/** The comment paragraph that starts with `# When to use:`, joined into one line. */
export function whenToUse(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^#\s*When to use:/i.test(l));
  if (start === -1) return "";
  const out: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith("#")) break;
    const body = line.replace(/^#\s?/, "").trim();
    if (body === "" || (i > start && !/^#\s{2,}/.test(line))) break;
    out.push(i === start ? body.replace(/^When to use:\s*/i, "") : body);
  }
  return out.join(" ");
}

/**
 * The files `init` writes for the chosen templates: `<configDir>/<name>.yml` each. An unknown name is
 * a UserError with a suggestion.
 */
export function taskTemplateFiles(
  names: readonly string[],
  configDir: string,
  available: readonly TaskTemplate[] = taskTemplates(),
): InitFile[] {
  const known = available.map((t) => t.name);
  const files: InitFile[] = [];
  for (const name of new Set(names)) {
    const t = available.find((x) => x.name === name);
    if (!t) {
      const near = didYouMean(name, known);
      const hint = near ? `, did you mean \`${near}\`?` : ` (known: ${known.join(", ")})`;
      throw new UserError(`unknown template \`${name}\`${hint} — see \`claude-tasks init --list-templates\``);
    }
    files.push({ target: `${configDir.replace(/\/+$/, "")}/${t.name}.yml`, template: t.template });
  }
  return files;
}
