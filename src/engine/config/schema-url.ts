/** Where the task file JSON Schema lives in this package (and in the repository). */
export const SCHEMA_RELATIVE_PATH = "schema/task.schema.json";

/** Public URL of the JSON Schema; also its `$id`. */
export const SCHEMA_URL =
  "https://raw.githubusercontent.com/claude-tasks/claude-tasks/main/schema/task.schema.json";

/**
 * The first line of a task file that makes editors (the YAML language server: VS Code's YAML
 * extension, JetBrains, Neovim) validate and complete it with the schema.
 */
export function schemaComment(url: string = SCHEMA_URL): string {
  return `# yaml-language-server: $schema=${url}`;
}
