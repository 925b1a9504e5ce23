import { type Document, LineCounter, parseDocument, type YAMLError } from "yaml";
import { type Location, type Problem, problemAt } from "../errors.ts";
import { yamlToValue } from "./yaml-to-value.ts";

/** One parsed YAML file: its document (for positions), its plain value, and what went wrong. */
export interface YamlSource {
  /** Repository-relative path, as problems show it. */
  path: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data; `undefined` for an empty document. */
  value: unknown;
  problems: Problem[];
  /** False when the YAML itself is broken: the value is then not worth validating. */
  usable: boolean;
}

/** Parses one file. Never throws: every failure becomes a problem with a position. */
export function parseYamlSource(path: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false, // duplicates are reported by yamlToValue, with both positions
    schema: "core",
    resolveKnownTags: false,
    merge: false,
  });
  const at = (offset: number) => offsetLocation(path, lineCounter, offset);
  const problems = [
    ...doc.errors.map((e) => yamlProblem(e, at, "error")),
    ...doc.warnings.map((e) => yamlProblem(e, at, "warning")),
  ];
  const parsed = doc.errors.length === 0;
  const converted = parsed ? yamlToValue(doc, at) : { value: undefined, problems: [], fatal: true };
  const all = [...problems, ...converted.problems];
  return { path, doc, lineCounter, value: converted.value, problems: all, usable: !converted.fatal };
}

export function offsetLocation(file: string, lineCounter: LineCounter, offset: number): Location {
  const { line, col } = lineCounter.linePos(Math.max(0, offset));
  return line < 1 ? { file, line: 1, col: Math.max(1, col + 1) } : { file, line, col: Math.max(1, col) };
}

function yamlProblem(e: YAMLError, at: (offset: number) => Location, severity: Problem["severity"]): Problem {
  return problemAt(at(e.pos[0]), yamlMessage(e), severity);
}

/** yaml's message, with a clearer one for the mistakes people actually make. */
export function yamlMessage(e: Pick<YAMLError, "code" | "message">): string {
  switch (e.code) {
    case "TAB_AS_INDENT":
      return "tab character used for indentation; indent YAML with spaces";
    case "MULTIPLE_DOCS":
      return "a task file holds one YAML document; remove the `---` separator (one task per file)";
    case "DUPLICATE_KEY":
      return "duplicate key";
    case "TAG_RESOLVE_FAILED":
      return `${cleanMessage(e.message)}; the tag is ignored`;
    default:
      return `YAML syntax error: ${cleanMessage(e.message)}`;
  }
}

function cleanMessage(message: string): string {
  const first = (message.split("\n")[0] ?? "").replace(
    /^Missing closing (["'])quote/,
    "Missing closing $1 quote",
  );
  const trimmed = first
    .replace(/ at line \d+, column \d+:?$/, "")
    .replace(/; please use YAML\.\w+\(\)/, "")
    .replace(/[.:]\s*$/, "")
    .trim();
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
