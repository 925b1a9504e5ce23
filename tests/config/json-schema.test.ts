import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  SCHEMA_RELATIVE_PATH,
  SCHEMA_URL,
  schemaComment,
  taskJsonSchema,
  taskJsonSchemaText,
} from "../../src/engine/config/index.ts";

type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
};

describe("schema/task.schema.json", () => {
  it("is up to date with the zod definition (run `npm run schema`)", () => {
    expect(readFileSync(SCHEMA_RELATIVE_PATH, "utf8")).toBe(taskJsonSchemaText());
  });

  it("`gen-schema --check` agrees", () => {
    const out = execFileSync("./node_modules/.bin/node", ["scripts/gen-schema.ts", "--check"], {
      encoding: "utf8",
    });
    expect(out).toContain("up to date");
  });

  it("identifies itself and describes every field", () => {
    const schema = taskJsonSchema() as JsonSchema & Record<string, unknown>;
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.$id).toBe(SCHEMA_URL);
    expect(schema.title).toBe("claude-tasks task file");
    const undocumented: string[] = [];
    const visit = (node: JsonSchema, path: string) => {
      if (node.type === "object" && node.properties) expect(node.additionalProperties, path).toBe(false);
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undocumented.push(`${path}${key}`);
        visit(child, `${path}${key}.`);
      }
    };
    visit(schema, "");
    expect(undocumented).toEqual([]);
  });

  it("gives the header line editors read", () => {
    expect(schemaComment()).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    expect(schemaComment("../../schema/task.schema.json")).toBe(
      "# yaml-language-server: $schema=../../schema/task.schema.json",
    );
  });
});
