/**
 * The agent's own words (its final answer, its error, its progress events) go into the commit message,
 * the PR body, the report, the run log and the Action's log, none of which the credential guard sees: it
 * scans the diff. So two things are withheld from them: a line that looks like it holds a credential
 * (a summary such as "removed the leaked token ghp_…" cannot publish the token it talks about), and the
 * values the task's `agent.env` took from the runner's environment (`{{ env.NAME }}`: its secrets),
 * whatever they look like.
 */
import type { AgentEvent, AgentResult } from "../agent/index.ts";
import type { Task } from "../config/index.ts";
import { scanText } from "../guard/index.ts";

/** Values shorter than this are too likely to be ordinary words to replace. */
const MIN_SECRET_LENGTH = 8;
export const REDACTED = "***";

export function withholdSecrets(text: string): string {
  const findings = scanText(text, "agent output");
  if (findings.length === 0) return text;
  const lines = text.split("\n");
  for (const f of findings) {
    const rule = f.rule.replace(/^secret\./, "");
    lines[f.line - 1] = `[line withheld: it looks like it contains a credential (${rule})]`;
  }
  return lines.join("\n");
}

export interface Redactor {
  text(s: string): string;
  result(r: AgentResult): AgentResult;
  event(e: AgentEvent): AgentEvent;
}

/** Withholds credentials and the task's own secrets (see above) from what the agent says. */
export function redactorFor(task: Pick<Task, "agent">): Redactor {
  const secrets = Object.keys(task.agent.env_templates ?? {})
    .map((k) => task.agent.env[k])
    .filter((v): v is string => typeof v === "string" && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  const text = (s: string) => {
    let out = s;
    for (const v of secrets) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return withholdSecrets(out);
  };
  return {
    text,
    result: (r) => ({
      ...r,
      summary: text(r.summary),
      ...(r.error !== undefined ? { error: text(r.error) } : {}),
    }),
    event(e) {
      switch (e.type) {
        case "text":
          return { ...e, text: text(e.text) };
        case "tool_use":
          return { ...e, description: text(e.description) };
        case "permission_denied":
          return { ...e, message: text(e.message) };
        case "output":
          return { ...e, line: text(e.line) };
        case "api_retry":
          return e.error === undefined ? e : { ...e, error: text(e.error) };
        default:
          return e;
      }
    },
  };
}
