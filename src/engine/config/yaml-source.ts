import { type Document, LineCounter, parseDocument, type YAMLError } from "yaml";
import { type Location, type Problem, problemAt } from "../errors.ts";
import { fastParse } from "./fast-yaml.ts";
import { yamlToValue } from "./yaml-to-value.ts";

/** One YAML file as the loader sees it: its plain value and what went wrong. */
export interface YamlSource {
  /** Repository-relative path, as problems show it. */
  path: string;
  /** The document as plain data; `undefined` for an empty document. */
  value: unknown;
  problems: Problem[];
  /** False when the YAML itself is broken: the value is then not worth validating. */
  usable: boolean;
  /** The file, for positions. */
  file: YamlFile;
}

/** yaml's reading of a file: the Document (for positions), the plain value and every problem. */
export interface PreciseParse extends Pick<YamlSource, "value" | "problems" | "usable"> {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * A file's text and, parsed the first time it is asked for and then kept, yaml's reading of it.
 * This is what `locate` keeps of every task, so it is small until it is used.
 */
export class YamlFile {
  readonly path: string;
  readonly text: string;
  #parsed: PreciseParse | undefined;

  constructor(path: string, text: string) {
    this.path = path;
    this.text = text;
  }

  precise(): PreciseParse {
    this.#parsed ??= parsePrecisely(this.path, this.text);
    return this.#parsed;
  }

  /** Whether yaml has read the file yet. */
  get parsed(): boolean {
    return this.#parsed !== undefined;
  }
}

/** One file both ways (see `fast-yaml.ts`); yaml parses it at most once, and only when needed. */
export interface YamlReads {
  /** The file as the fast path read it: no problems, and no Document until positions are asked for. */
  fast: YamlSource | undefined;
  /** The file as yaml reads it, with every problem located. */
  precise: () => YamlSource;
}

/**
 * Reads one file. `strings` is shared by the files of one directory (see `fastParse`); without it,
 * there is no fast read.
 */
export function readYamlFile(
  path: string,
  text: string,
  strings: Map<string, string> | undefined,
): YamlReads {
  const read = strings && fastParse(text, strings);
  // The fast path's copy of the text, when it has one: its strings point into it, so keeping it
  // rather than `text` keeps one copy of the file instead of two.
  const file = new YamlFile(path, read?.text ?? text);
  const fast = read && { path, value: read.value, problems: [], usable: true, file };
  return { fast, precise: () => preciseSource(file) };
}

/** Parses one file with yaml. Never throws: every failure becomes a problem with a position. */
export function parseYamlSource(path: string, text: string): YamlSource {
  return preciseSource(new YamlFile(path, text));
}

function preciseSource(file: YamlFile): YamlSource {
  const { value, problems, usable } = file.precise();
  return { path: file.path, value, problems, usable, file };
}

function parsePrecisely(path: string, text: string): PreciseParse {
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
  return { doc, lineCounter, value: converted.value, problems: all, usable: !converted.fatal };
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
