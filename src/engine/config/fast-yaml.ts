/**
 * The fast path of the loader: `js-yaml` reads the ordinary task file about ten times faster than
 * `yaml` builds a Document. It is only trusted where it reads a file exactly as the precise path
 * (`parseYamlSource`: `yaml`'s YAML 1.2 core schema plus `yamlToValue`) would, with no problem; for
 * anything else it answers `undefined` and the caller takes the precise path. It judges
 * conservatively: a file it refuses may well be fine.
 *
 * Why it stays (measured 2026-12-02, 1,000 generated task files; target: `plan` over 1,000 files in
 * ≤ 500 ms as a whole process): loading them takes ≈ 75 ms of CPU with the fast path and ≈ 580 ms
 * with `yaml` alone (its `parse()` without a Document still ≈ 250 ms), and `plan` as a process took
 * 1.6 s vs 2.55 s of CPU (median of 9, alternating). Without it, `plan` is ≈ 600 ms on an idle
 * machine against ≈ 380 ms with it: over the target. `npm run bench` re-measures this every time.
 */
import { load, Schema, Type } from "js-yaml";
import { isPlainObject, type PlainObject } from "./deep-merge.ts";

/**
 * Longest text the fast path reads. Far above any real task file, and low enough that a file can
 * never reach `yamlToValue`'s node budget (which counts nodes, and every node takes a character).
 */
const MAX_TEXT = 50_000;

/**
 * Mapping keys the fast path accepts: those a valid task file can have (schema keys and environment
 * variable names). Anything else is a problem in the precise path anyway, or could be a key that
 * js-yaml turns into text differently (`null:`, `1:`, `? [a]`).
 */
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,999}$/;
/** Keys that match `KEY` but are not text in YAML 1.2 when written plain. */
const NOT_TEXT_KEYS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

/**
 * Text the fast path does not judge:
 * - tabs, lone carriage returns, NEL/LS/PS, a byte order mark after the start: whitespace rules
 *   where parsers differ (and `yaml` has its own messages for tabs); a byte order mark followed
 *   by a space (`yaml` counts the mark in the first line's indentation);
 * - a directive (`%YAML`, `%TAG`) or a document marker (`---`, `...`) other than a leading `---`;
 * - `?` where it can start a token: an explicit key (`? [a]` would become the key `a`);
 * - `!<`: a verbatim tag (`!<?>` cannot be told from a plain scalar afterwards);
 * - a line ending in an empty sequence item (`-`): js-yaml then takes a less indented `- x` on the
 *   next line as an item of the same sequence.
 */
const UNJUDGED =
  /[\t\x85\u2028\u2029\uFEFF]|\r(?!\n)|^%|^(?:---|\.\.\.)(?=[ \r\n]|$)|(?:^|[\s[{,])\?|!<|^[ -]*- *(?:#.*)?$/mu;
/** A byte order mark and a `---` line at the very start are fine. */
const LEADING = /^(?:\uFEFF(?! ))?(?:--- *\r?\n)?/;

/**
 * The plain scalars of `yaml`'s core schema (`yaml/dist/schema/core`), with the same tests in the
 * same order and the same values, so that `0o17`, `+1`, `1.`, `.inf`, `1_000` or `0b1` read the
 * same in both paths.
 */
const CORE_PLAIN: readonly { test: RegExp; value: (s: string) => unknown }[] = [
  { test: /^(?:~|[Nn]ull|NULL)?$/, value: () => null },
  { test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, value: (s) => s[0] === "t" || s[0] === "T" },
  { test: /^0o[0-7]+$/, value: (s) => Number.parseInt(s.substring(2), 8) },
  { test: /^[-+]?[0-9]+$/, value: (s) => Number.parseInt(s, 10) },
  { test: /^0x[0-9a-fA-F]+$/, value: (s) => Number.parseInt(s.substring(2), 16) },
  {
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    value: (s) =>
      s.slice(-3).toLowerCase() === "nan"
        ? Number.NaN
        : s[0] === "-"
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, value: (s) => Number.parseFloat(s) },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, value: (s) => Number.parseFloat(s) },
];

/** Plain scalars that are not text start with one of these (or are empty). */
const CORE_FIRST = /^[-+.0-9~nNtTfF]/;

/** The last plain scalar resolved, and its value: js-yaml asks `resolve`, then `construct`. */
const resolved = { text: "", value: undefined as unknown };

function coreType(text: string): (typeof CORE_PLAIN)[number] | undefined {
  if (text !== "" && !CORE_FIRST.test(text)) return undefined;
  return CORE_PLAIN.find((t) => t.test.test(text));
}

function resolveCore(text: string): boolean {
  const found = coreType(text);
  if (!found) return false;
  resolved.text = text;
  resolved.value = found.value(text);
  return true;
}

/** A private tag: written explicitly (`!<...>`), it does not resolve. */
const CORE_TAG = "tag:claude-tasks.invalid,2026:core-plain";

/**
 * One implicit type for all of them, and no explicit types at all: every explicit tag (`!!str`,
 * `!foo`) is unknown and makes js-yaml throw. js-yaml calls `resolve` with one argument when it
 * resolves a plain scalar and with the tag when one is written; only the first is accepted.
 */
const SCHEMA = new Schema({
  implicit: [
    new Type(CORE_TAG, {
      kind: "scalar",
      resolve(this: unknown, data: unknown) {
        // biome-ignore lint/complexity/noArguments: the only way to tell the two calls apart
        return arguments.length === 1 && typeof data === "string" && resolveCore(data);
      },
      construct: (data: string) => (data === resolved.text ? resolved.value : coreType(data)?.value(data)),
    }),
  ],
});

/** The parser state js-yaml hands to a listener (only what is read here). */
interface ListenerState {
  input: string;
  position: number;
  kind: string | null;
  tag: string | null;
  anchor: string | null;
}

/**
 * Watches every node js-yaml builds and notes what the fast path does not judge:
 * - anchors (and so aliases) and explicit tags;
 * - flow collections, quoted and plain scalars over several lines: `yaml` checks their indentation,
 *   js-yaml does not (and `yaml` warns about a closing bracket as indented as its parent);
 * - a flow collection used as a key (`[a]: x` would become the key `a`);
 * - `#` right after a flow collection or a quoted scalar: `yaml` wants a space before a comment;
 * - block scalars other than the plain kind (see `plainBlockScalar`).
 * One watch at a time (`load` is synchronous), reset by `fastParse`.
 */
const watch = { starts: [] as number[], unjudged: false, input: "" };

function listener(event: "open" | "close", state: ListenerState): void {
  if (event === "open") {
    watch.starts.push(state.position);
    watch.input = state.input;
    return;
  }
  const start = watch.starts.pop() ?? 0;
  if (watch.unjudged) return;
  if (state.anchor !== null || (state.tag !== null && state.tag !== "?" && state.tag !== CORE_TAG)) {
    watch.unjudged = true;
    return;
  }
  if (state.kind === null) return;
  const input = state.input;
  const end = state.position;
  const first = firstContent(input, start, end);
  if (first >= end) return;
  const c = input.charCodeAt(first);
  const flowCollection = c === 0x5b /* [ */ || c === 0x7b; /* { */
  const blockScalar = c === 0x7c /* | */ || c === 0x3e; /* > */
  const flowScalar = state.kind === "scalar" && !blockScalar;
  const quoted = flowScalar && (c === 0x22 /* " */ || c === 0x27); /* ' */
  if (
    ((flowCollection || flowScalar) && hasLineBreak(input, first, end)) ||
    ((flowCollection || quoted) && input.charCodeAt(end) === 0x23) /* # */ ||
    (flowCollection && input.charCodeAt(skipSpaces(input, end)) === 0x3a) /* : */ ||
    (state.kind === "scalar" && blockScalar && !plainBlockScalar(input, first, end))
  )
    watch.unjudged = true;
}

function skipSpaces(input: string, from: number): number {
  let i = from;
  while (input.charCodeAt(i) === 0x20) i++;
  return i;
}

const onWarning = (): void => {
  watch.unjudged = true;
};

/** Where the node's own text starts: after spaces, line breaks and comments. */
function firstContent(input: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 /* # */) {
      const eol = input.indexOf("\n", i);
      i = eol === -1 ? to : eol + 1;
    } else break;
  }
  return i;
}

/**
 * A block scalar (`|`, `>-`...) both parsers read alike. Not judged: an indentation indicator
 * (`|2`: the two count it from different places), keep chomping (`|+`: js-yaml adds a line break
 * to a file that does not end with one), anything but a space or a line break after the header,
 * and a first line of spaces only (`yaml` then wants an indentation indicator, js-yaml does not).
 */
function plainBlockScalar(input: string, from: number, to: number): boolean {
  let i = from + 1;
  if (input.charCodeAt(i) === 0x2d /* - */) i++;
  const next = input.charCodeAt(i);
  if (next !== 0x20 && next !== 0x0a && next !== 0x0d) return false;
  i = input.indexOf("\n", i) + 1;
  while (i > 0 && i < to) {
    let j = i;
    while (input.charCodeAt(j) === 0x20) j++;
    const c = input.charCodeAt(j);
    if (c !== 0x0a && c !== 0x0d) return true;
    if (j > i) return false;
    i = input.indexOf("\n", j) + 1;
  }
  return true;
}

function hasLineBreak(input: string, from: number, to: number): boolean {
  const at = input.indexOf("\n", from);
  return at !== -1 && at < to;
}

export interface FastRead {
  /** The task file's mapping, as the precise path reads it. */
  value: PlainObject;
  /**
   * The text, equal to the one given, but the copy js-yaml read: the strings of `value` point
   * into it, so keeping this one (and not the other) keeps a single copy of the file.
   */
  text: string;
}

/**
 * The task file's mapping as the precise path would read it, or `undefined` when the fast path
 * cannot say so: js-yaml refuses the text, the text has something the fast path does not judge,
 * or the document is not a mapping with ordinary keys. Never throws. `strings` is shared by the
 * files of one directory (see `settle`).
 */
export function fastParse(text: string, strings?: Map<string, string>): FastRead | undefined {
  if (text.length > MAX_TEXT) return undefined;
  if (UNJUDGED.test(text.replace(LEADING, ""))) return undefined;
  watch.starts.length = 0;
  watch.unjudged = false;
  watch.input = "";
  let value: unknown;
  try {
    // `json: false`: a duplicate key throws.
    value = load(text, { schema: SCHEMA, json: false, onWarning, listener: listener as never });
  } catch {
    return undefined;
  }
  const input = watch.input;
  watch.input = "";
  if (watch.unjudged || !isPlainObject(value) || !settle(value, strings)) return undefined;
  // js-yaml's copy drops a leading byte order mark and may end with a line break it added.
  const copy = input.slice(0, text.length);
  return { value, text: copy === text ? copy : text };
}

/**
 * Whether every key is ordinary (see `KEY`). On the way, short strings are replaced by an equal one
 * seen before (`strings`): 10,000 tasks then share one `README.md` instead of holding a copy each.
 */
function settle(value: PlainObject | unknown[], strings: Map<string, string> | undefined): boolean {
  const isList = Array.isArray(value);
  const keys = isList ? undefined : Object.keys(value);
  const length = isList ? value.length : keys!.length;
  for (let i = 0; i < length; i++) {
    const key = isList ? i : keys![i]!;
    if (typeof key === "string" && !ordinaryKey(key)) return false;
    const item = (value as Record<string | number, unknown>)[key];
    if (typeof item === "string") {
      if (strings && item.length <= MAX_SHARED) {
        const seen = strings.get(item);
        if (seen === undefined) strings.set(item, item);
        else (value as Record<string | number, unknown>)[key] = seen;
      }
    } else if (typeof item === "object" && item !== null && !settle(item as PlainObject, strings))
      return false;
  }
  return true;
}

function ordinaryKey(key: string): boolean {
  if (ordinaryKeys.has(key)) return true;
  if (!KEY.test(key) || NOT_TEXT_KEYS.has(key)) return false;
  if (ordinaryKeys.size < 10_000) ordinaryKeys.add(key);
  return true;
}

/** Keys already found ordinary: a directory's files use the same few dozen. */
const ordinaryKeys = new Set<string>();

/** Longest string worth sharing between files. */
const MAX_SHARED = 64;
