/**
 * The few ways untrusted text (file names, command output, the agent's words, error messages that quote
 * them) is written anywhere a reader or a machine interprets it. Every renderer uses these; nothing else
 * quotes. What each one guarantees:
 *
 * - {@link oneLine} / {@link quotePath} (log lines, annotations, terminal): one line, no control,
 *   invisible or bidirectional character (each shown as a visible `\n`, `\u202e` escape), and no
 *   workflow command — `::` at the start (the runner trims leading blanks first) and `##[` anywhere
 *   (the runner's older command form) are broken up.
 * - {@link inertLogLines} (the Action's log sink): the same command breaking for every line of a
 *   multi-line text, as the last line of defence for anything logged.
 * - {@link mdText} (Markdown prose and table cells): one line, Markdown punctuation backslash-escaped
 *   (so no code span, link, image, HTML tag or emphasis can be opened), pipes escaped for tables,
 *   mentions and issue references defused.
 * - {@link mdCode} (a path as inline code, also inside a table): a code span whose delimiter is longer
 *   than any backtick run in the text, pipes escaped, references defused.
 * - {@link mdFenced} (the agent's own text): a fenced block whose fence is longer than any backtick run,
 *   so nothing inside renders — no HTML (`</details>`, `<!-- -->`, `<img>`), no Markdown; invisible
 *   and bidirectional characters stripped.
 *
 * Mentions and closing keywords. GitHub does not turn `@name` into a mention inside code spans and
 * blocks (its mention filter skips `pre`/`code`), but a backslash or an HTML entity does not stop it
 * (both decode to a plain `@` before the filter runs), and closing keywords (`Fixes #1`) are read from
 * the raw text of a pull request's body. So untrusted text never carries them in a form GitHub acts
 * on: `@` before a name becomes the visible, inert `＠` (U+FF20), `#` before an issue number becomes
 * `＃` (U+FF03), and `https://` after a closing keyword becomes `https[:]//`. No invisible character
 * is used for this (invisible characters are what this module removes).
 */

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, format characters (zero-width,
 * bidi embeddings, overrides and isolates, soft hyphen, BOM, Unicode tags), lone surrogates, private-use
 * characters, variation selectors and the Hangul fillers that render as blanks.
 */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u2800\u3164\uFFA0]|[\u17B4\u17B5]|[\u180B-\u180F]|\u034F|[\u{FE00}-\u{FE0F}]|[\u{E0100}-\u{E01EF}]/gu;

const C_ESCAPES: Record<string, string> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
  "\0": "\\0",
};

const HIDDEN_ONE = new RegExp(HIDDEN.source, "u");

/** `\n`, `\x1b`, `\u202e`: a visible escape of one hidden character. */
function escapeChar(ch: string): string {
  const named = C_ESCAPES[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\u{${cp.toString(16)}}`;
}

/** Every hidden character (see HIDDEN), tabs and newlines included, as its visible escape. */
function showHidden(text: string): string {
  return text.replace(HIDDEN, escapeChar);
}

/** Removes hidden characters but keeps newlines and tabs (text shown as a block). */
export function stripInvisible(text: string): string {
  return text.replace(HIDDEN, (ch) => (ch === "\n" || ch === "\t" ? ch : ""));
}

/** Breaks the runner's workflow commands: `::` opening a line (after blanks), `##[` anywhere. */
function breakCommands(line: string): string {
  return line.replace(/##\[/g, "#\\#[").replace(/^(\s*):(?=:)/, "$1:\\");
}

/**
 * Untrusted text for one log line, annotation or terminal line: hidden characters (newlines included)
 * shown as escapes, no workflow command. Cut to `max` characters when given.
 */
export function oneLine(text: string, max?: number): string {
  const cut = max !== undefined && text.length > max ? `${text.slice(0, max)}…` : text;
  return breakCommands(showHidden(cut));
}

/**
 * A path for a message: as it is when it is plain; JSON-quoted, with hidden characters as escapes,
 * when it holds anything that could start a new line, a command, or hide text (quotes, backslashes,
 * control, invisible or bidi characters, a leading `:` or `#`, spaces at either end).
 */
export function quotePath(path: string): string {
  const plain = path !== "" && !HIDDEN_ONE.test(path) && !/["\\`]|^[\s:#]|\s$|##\[/.test(path);
  if (plain) return path;
  return `"${path.replace(/["\\]/g, "\\$&").replace(HIDDEN, escapeChar)}"`;
}

/** Each line of a (possibly multi-line) text with its workflow commands broken; nothing else changes. */
export function inertLogLines(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 === 0 ? breakCommands(part) : part))
    .join("");
}

/**
 * Mentions (`@user`, `@org/team`), issue references (`#12`, `org/repo#12`, `GH-12`) and closing
 * keywords followed by an issue URL, made inert with visible look-alikes (see the module comment).
 */
export function defuseReferences(text: string): string {
  return text
    .replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, "$1＠")
    .replace(/(^|[^\w&])([\w.-]+\/[\w.-]+)?#(?=\d)/g, "$1$2＃")
    .replace(/\bGH-(?=\d)/gi, (m) => `${m.slice(0, 2)}‐`)
    .replace(
      /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(\s*:?\s+)(https?):\/\//gi,
      (_m, kw: string, sp: string, scheme: string) => `${kw}${sp}${scheme}[:]//`,
    );
}

/** Markdown punctuation that can open a construct inline; each is backslash-escaped. */
const MD_PUNCT = /[\\`*_{}[\]()<>#!|~&$]/g;

/**
 * Untrusted text as Markdown prose on one line (also safe in a table cell): hidden characters shown as
 * escapes, every Markdown construct escaped, mentions and references defused.
 */
export function mdText(text: string, max?: number): string {
  const cut = max !== undefined && text.length > max ? `${text.slice(0, max)}…` : text;
  return defuseReferences(showHidden(cut)).replace(MD_PUNCT, "\\$&");
}

/**
 * Untrusted text as one inline code span, safe inside a table cell: hidden characters shown as escapes,
 * a delimiter longer than any backtick run inside, a space of padding where the text starts or ends
 * with a backtick or a space, pipes escaped (GitHub splits table cells on `|` even in code), mentions
 * and references defused (closing keywords are read from the raw text, code spans included).
 */
export function mdCode(text: string): string {
  const body = defuseReferences(showHidden(text)).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? " " : "";
  return `${tick}${pad}${body}${pad}${tick}`;
}

/**
 * Untrusted multi-line text (the agent's report, command output) as a fenced block that nothing in it
 * can close: hidden characters stripped (newlines and tabs kept), mentions and references defused,
 * the fence one backtick longer than the longest run inside (at least three).
 */
export function mdFenced(text: string, info = "text"): string {
  const body = defuseReferences(stripInvisible(text.replace(/\r\n?/g, "\n"))).replace(/\n+$/, "");
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}
