import { z } from "../zod.ts";
import { taskFileSchema } from "./schema.ts";
import { SCHEMA_URL } from "./schema-url.ts";

/**
 * The JSON Schema of a task file, generated from the zod definition (input side: what people
 * write, with defaults shown). Draft-07, which every YAML editor integration understands.
 */
export function taskJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(taskFileSchema, {
    io: "input",
    target: "draft-7",
    unrepresentable: "any",
  });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return { $schema, $id: SCHEMA_URL, ...rest };
}

/** The file's exact text: stable key order, two-space indent, trailing newline. */
export function taskJsonSchemaText(): string {
  return `${JSON.stringify(taskJsonSchema(), null, 2)}\n`;
}
