/**
 * Renders docs/configuration.md from the task file's JSON Schema (itself generated from the zod
 * definition in src/engine/config/schema.ts), so the reference can never drift from the loader.
 */
import { SCHEMA_RELATIVE_PATH, taskJsonSchema } from "../src/engine/config/index.ts";

type Schema = {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
};

export const CONFIGURATION_DOC = "docs/configuration.md";

const SECTION_EXAMPLES: Record<string, string> = {
  agent: `agent:
  model: claude-sonnet-4-5
  max_turns: 30
  max_budget_usd: 2
  timeout: 20m
  allowed_tools: [Read, Edit, Glob, Grep, "Bash(npm test:*)"]
  env: { NODE_ENV: test, NPM_TOKEN: "{{ env.NPM_TOKEN }}" }`,
  paths: `paths:
  allow: [README.md, "docs/**"]
  deny: ["docs/generated/**"]   # .github/workflows/** stays denied anyway`,
  limits: "limits: { max_files: 20, max_lines: 500 }",
  retry: "retry: { attempts: 3, backoff: 1m }",
  pr: `pr:
  title: "docs: sync the README"
  labels: [documentation]
  reviewers: [octocat, my-org/docs-team]
  draft: true
  on_no_changes: close`,
};

export function configurationMarkdown(): string {
  const schema = taskJsonSchema() as Schema;
  const props = schema.properties ?? {};
  const top = Object.entries(props).filter(([, s]) => s.type !== "object" || !s.properties);
  const sections = Object.entries(props).filter(([, s]) => s.type === "object" && s.properties);
  const out: string[] = [
    "# Task file reference",
    "",
    "<!-- Generated from the task file schema by `npm run docs` (scripts/gen-docs.ts). Do not edit by hand. -->",
    "",
    "A task is one YAML file in `.github/claude-tasks/` (`*.yml` or `*.yaml`); the file name without its",
    "extension is the task's name unless `name:` says otherwise. `_defaults.yml` in the same folder, if",
    "present, is deep-merged under every task (lists are replaced, not concatenated). Every field is",
    "optional except the one that says what the task does: exactly one of `prompt`, `prompt_file` or `run`.",
    "",
    `Editors validate and complete task files with the JSON Schema in [\`${SCHEMA_RELATIVE_PATH}\`](../${SCHEMA_RELATIVE_PATH}):`,
    "start a file with",
    "",
    "```yaml",
    "# yaml-language-server: $schema=https://raw.githubusercontent.com/claude-tasks/claude-tasks/main/schema/task.schema.json",
    "```",
    "",
    "`npx claude-tasks validate` checks every file and reports each problem as `file:line:col`;",
    "`npx claude-tasks init --list-templates` lists ready-made tasks.",
    "",
    "## Contents",
    "",
    "- [Top-level fields](#top-level-fields)",
    ...sections.map(([name]) => `- [\`${name}\`](#${name})`),
    "- [Rules across fields and files](#rules-across-fields-and-files)",
    "",
    "## Top-level fields",
    "",
    ...table(top.map(([name, s]) => [name, s])),
    "",
  ];
  for (const [name, s] of sections) {
    out.push(`## \`${name}\``, "", `${sentence(s.description ?? "")}`, "");
    out.push(...table(Object.entries(s.properties ?? {}).map(([k, v]) => [`${name}.${k}`, v])), "");
    const example = SECTION_EXAMPLES[name];
    if (example) out.push("```yaml", example, "```", "");
  }
  out.push(
    "## Rules across fields and files",
    "",
    "Checked by `validate` (and before every run), beyond the types above:",
    "",
    "- exactly one of `prompt`, `prompt_file` and `run`; a `prompt_file` must exist in the repository;",
    "- task names are unique across the folder (`a.yml` and `a.yaml` clash), and every name in `needs`",
    "  is a task of the folder; `needs` has no cycles;",
    "- every `schedule` entry parses (see [scheduling](scheduling.md)); entries that fire more often than",
    "  every 5 minutes, or twice the same, are warnings;",
    "- `{{ env.NAME }}` in `agent.env` needs `NAME` in the environment of the run;",
    "- `paths.deny` always includes `.github/workflows/**`, unless `paths.allow` names a path under",
    "  `.github/workflows/` explicitly (see [safety](safety.md));",
    "- unknown keys are errors, with a suggestion when one is close (`schedul` → `schedule`).",
    "",
  );
  return out.join("\n");
}

function table(rows: [string, Schema][]): string[] {
  return [
    "| Field | Type | Default | Description |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      ([name, s]) =>
        `| \`${name}\` | ${cell(typeOf(s))} | ${cell(defaultOf(s))} | ${cell(sentence(s.description ?? ""))} |`,
    ),
  ];
}

function typeOf(s: Schema): string {
  if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(", ");
  switch (s.type) {
    case "array":
      return s.items ? `list of ${plural(typeOf(s.items))}` : "list";
    case "object":
      return typeof s.additionalProperties === "object"
        ? `map of ${typeOf(s.additionalProperties)}`
        : "object";
    case "integer":
      return range("whole number", s);
    case "number":
      return range("number", s);
    case "boolean":
      return "`true` or `false`";
    case "string":
      return "string";
    default:
      return "any";
  }
}

function range(word: string, s: Schema): string {
  if (s.exclusiveMinimum !== undefined) return `${word} > ${s.exclusiveMinimum}`;
  if (s.minimum !== undefined && s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER)
    return `${word} ${s.minimum}–${s.maximum}`;
  if (s.minimum !== undefined) return `${word} ≥ ${s.minimum}`;
  return word;
}

function plural(t: string): string {
  return t === "string" ? "strings" : t;
}

function defaultOf(s: Schema): string {
  if (s.default === undefined) return "–";
  if (s.type === "object" && s.properties) return "–";
  const v = s.default;
  if (typeof v === "string") return v === "" ? '`""`' : `\`${v}\``;
  return `\`${JSON.stringify(v)}\``;
}

function sentence(text: string): string {
  const t = text.trim();
  return t === "" || /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
