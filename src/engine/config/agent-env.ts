import { type Problem, problemAt } from "../errors.ts";
import { isPlainObject, type PlainObject } from "./deep-merge.ts";
import { type Env, substituteEnv } from "./env-template.ts";
import type { LocateValue } from "./rules.ts";

export interface AgentEnv {
  /** `agent.env` with every `{{ env.NAME }}` substituted (a missing variable gives ""). */
  env: Record<string, string>;
  /** The values as written, for the keys that had placeholders. */
  envTemplates: Record<string, string>;
  problems: Problem[];
}

/**
 * Substitutes `agent.env` of a task (as written, before validation, so that placeholders are
 * checked even when other values of the file are wrong). Values that are not strings are left
 * to the schema.
 */
export function agentEnv(
  task: PlainObject,
  locate: LocateValue,
  opts: { env: Env; missingEnv: Problem["severity"] },
): AgentEnv {
  const out: AgentEnv = { env: {}, envTemplates: {}, problems: [] };
  const agent = task.agent;
  const values = isPlainObject(agent) && isPlainObject(agent.env) ? agent.env : {};
  for (const [key, template] of Object.entries(values)) {
    if (typeof template !== "string") continue;
    const result = substituteEnv(template, opts.env);
    if (result.ok) {
      out.env[key] = result.value;
      if (result.templated) out.envTemplates[key] = template;
      continue;
    }
    out.env[key] = "";
    out.envTemplates[key] = template;
    for (const error of result.errors) {
      const severity = error.kind === "missing" ? opts.missingEnv : "error";
      const message = `\`agent.env.${key}\`: ${error.message}`;
      out.problems.push(problemAt(locate(["agent", "env", key]), message, severity));
    }
  }
  return out;
}
