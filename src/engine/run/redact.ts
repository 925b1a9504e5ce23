/**
 * The agent's own words (its final answer, its error) go into the commit message, the PR body, the
 * report and the run log, none of which the credential guard sees: it scans the diff. A line of them
 * that looks like it holds a credential is withheld, so a summary such as "removed the leaked token
 * ghp_…" cannot publish the token it talks about.
 */
import type { AgentResult } from "../agent/index.ts";
import { scanText } from "../guard/index.ts";

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

/** The agent result with credentials withheld from everything that reaches reports and commits. */
export function withoutSecrets(result: AgentResult): AgentResult {
  return {
    ...result,
    summary: withholdSecrets(result.summary),
    ...(result.error !== undefined ? { error: withholdSecrets(result.error) } : {}),
  };
}
