/**
 * The MCP tools' input schemas, made from the task schema's own field definitions (so the tools
 * describe and check `agent`, `paths` and `limits` exactly as a task file does) with their defaults
 * removed: what a caller leaves out comes from `_defaults.yml`, then the task schema's defaults.
 */
import { agentSchema, limitsSchema, pathsSchema, taskFileSchema } from "../engine/config/schema.ts";
import { z } from "../engine/zod.ts";

/** A field without its default or optionality, keeping its description. */
function bare(field: z.ZodType): z.ZodType {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional)
    inner = inner.unwrap() as z.ZodType;
  return field.description ? inner.describe(field.description) : inner;
}

function optionalShape<S extends z.ZodRawShape, K extends keyof S & string>(
  shape: S,
  keys: readonly K[],
): Record<K, z.ZodOptional<z.ZodType>> {
  return Object.fromEntries(keys.map((k) => [k, bare(shape[k] as z.ZodType).optional()])) as Record<
    K,
    z.ZodOptional<z.ZodType>
  >;
}

const AGENT_FIELDS = [
  "model",
  "max_turns",
  "max_budget_usd",
  "timeout",
  "allowed_tools",
  "disallowed_tools",
  "permission_mode",
] as const;

export const agentInput = z
  .strictObject(optionalShape(agentSchema.shape, AGENT_FIELDS))
  .describe(`${agentSchema.description} Unset fields come from _defaults.yml.`);
export const pathsInput = z
  .strictObject(optionalShape(pathsSchema.shape, ["allow", "deny"]))
  .describe(`${pathsSchema.description} Unset fields come from _defaults.yml.`);
export const limitsInput = z
  .strictObject(optionalShape(limitsSchema.shape, ["max_files", "max_lines", "max_bytes"]))
  .describe(`${limitsSchema.description} Unset fields come from _defaults.yml.`);

export const promptInput = bare(taskFileSchema.shape.prompt) as z.ZodString;
export const taskNameInput = taskFileSchema.shape.name;
export const baseInput = taskFileSchema.shape.base;

export const RUN_MODES = ["dry-run", "local", "pr"] as const;
export const modeInput = z
  .enum(RUN_MODES)
  .default("local")
  .describe(
    "`dry-run`: everything but updating a branch (only the report and the patch backup stay); " +
      "`local`: keep the result as the local branch claude-tasks/<task>; `pr`: push it and open or update its pull request (needs GITHUB_TOKEN).",
  );

export const runIdInput = z.string().min(1).describe("A run id returned by run_tasks or delegate.");
