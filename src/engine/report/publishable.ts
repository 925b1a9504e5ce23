/**
 * The last check before text leaves for GitHub (a comment, a pull request's title or body) or the step
 * summary: the credential scan of the guard (`scanText`), plus the exact values the caller knows to be
 * secret (the GitHub token, the model key) in the forms a script can cheaply turn them into — reversed,
 * base64 (each of the three alignments, standard and URL alphabets), reversed base64, base64 of the
 * reversed value. A hit replaces the whole text by a notice that says what was found and on which
 * line, never what it was.
 */
import { scanText } from "../guard/secrets.ts";

export interface Finding {
  /** `github-token`, `known-secret`, … */
  kind: string;
  /** 1-based line of the text. */
  line: number;
}

/** Known secrets shorter than this are not searched for (too likely to occur by chance). */
const MIN_KNOWN = 8;

const reverse = (s: string) => [...s].reverse().join("");

/** The base64 characters that depend on `value` alone, at each of the three byte alignments. */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const core = enc.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= MIN_KNOWN) out.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return out;
}

/** The forms of a known secret that are searched for. */
export function secretForms(value: string): string[] {
  if (value.length < MIN_KNOWN) return [];
  const cores = [...base64Cores(value), ...base64Cores(reverse(value))];
  return [...new Set([value, reverse(value), ...cores, ...cores.map(reverse)])];
}

/** What in `text` looks like a credential, by kind and line; empty when it is publishable. */
export function credentialFindings(text: string, known: readonly string[] = []): Finding[] {
  const findings: Finding[] = scanText(text, "text").map((f) => ({
    kind: f.rule.replace(/^secret\./, ""),
    line: f.line,
  }));
  for (const secret of known) {
    for (const form of secretForms(secret)) {
      for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
        findings.push({ kind: "known-secret", line: lineAt(text, at) });
      }
    }
  }
  return findings;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The notice that replaces withheld text: what kind of credential, on which lines, nothing of it. */
export function withheldNotice(what: string, findings: readonly Finding[]): string {
  const kinds = [...new Set(findings.map((f) => f.kind))].join(", ");
  const lines = [...new Set(findings.map((f) => f.line))].sort((a, b) => a - b).slice(0, 10);
  return (
    `🛡️ claude-tasks withheld this ${what}: it contained what looks like a credential ` +
    `(${kinds}; line${lines.length === 1 ? "" : "s"} ${lines.join(", ")} of the text). ` +
    "Nothing of it is shown here; the run's outcome is in the workflow run's log."
  );
}

/** `text` when it holds no credential, else the notice (see {@link withheldNotice}). */
export function publishable(text: string, o: { what: string; known?: readonly string[] }): string {
  const findings = credentialFindings(text, o.known);
  return findings.length === 0 ? text : withheldNotice(o.what, findings);
}
