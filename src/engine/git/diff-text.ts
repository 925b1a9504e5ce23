/** Reading unified diffs as text: file paths in headers and per-file line counts. */

/** The path in a `+++ b/path` / `--- a/path` header (C-quoted or not); "" for `/dev/null`. */
export function diffPath(header: string): string {
  let p = header.replace(/\t.*$/, "");
  if (p.startsWith('"') && p.endsWith('"')) p = unquoteC(p.slice(1, -1));
  if (p === "/dev/null") return "";
  return p.replace(/^[ab]\//, "");
}

/** Git's C-style quoting: `\t`, `\"`, `\\` and octal bytes (`\303\244` → `ä`). */
export function unquoteC(s: string): string {
  const bytes: number[] = [];
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const nx = s[i + 1] ?? "";
    if (/[0-7]/.test(nx)) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(esc[nx] ?? nx.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Lines added and removed per file (keyed by the new path, or the old one for a deletion). */
export function countDiffLines(diff: string): Map<string, { additions: number; deletions: number }> {
  const counts = new Map<string, { additions: number; deletions: number }>();
  let oldPath = "";
  let cur: { additions: number; deletions: number } | undefined;
  let inHunk = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      inHunk = false;
      cur = undefined;
      oldPath = "";
    } else if (!inHunk && line.startsWith("--- ")) {
      oldPath = diffPath(line.slice(4));
    } else if (!inHunk && line.startsWith("+++ ")) {
      const path = diffPath(line.slice(4)) || oldPath;
      cur = { additions: 0, deletions: 0 };
      counts.set(path, cur);
    } else if (line.startsWith("@@ ")) {
      inHunk = true;
    } else if (inHunk && cur) {
      if (line.startsWith("+")) cur.additions++;
      else if (line.startsWith("-")) cur.deletions++;
    }
  }
  return counts;
}

export interface NumberedLine {
  /** 1-based, counting `\n` in the content. */
  line: number;
  text: string;
}

/** Longer runs without a newline are cut into overlapping pieces for the scan. */
const PIECE = 4096;
const OVERLAP = 512;

/**
 * What a diff cannot show of a binary file (git prints "Binary files differ"): its lines, read as
 * bytes (latin1) and split at `\n`.
 * - `additions`/`deletions`: the text-looking lines (NUL bytes dropped, so UTF-16 text and text behind
 *   one NUL byte count; printable ASCII or well-formed UTF-8, no control characters) that the other
 *   side lacks. An image or an archive has next to none.
 * - `added`: every line of the new content the old content lacks — the raw bytes, and again without
 *   NUL bytes when it has any (UTF-16) — for the credential scan.
 */
export function binaryLines(
  next: Buffer,
  prev: Buffer,
): { additions: number; deletions: number; added: NumberedLine[] } {
  const newLines = next.toString("latin1").split("\n");
  const oldLines = prev.length > 0 ? prev.toString("latin1").split("\n") : [];
  const oldSet = new Set(oldLines);
  const newText = multiset(newLines.map(stripNul).filter(isTextLine));
  const oldText = multiset(oldLines.map(stripNul).filter(isTextLine));
  let additions = 0;
  let deletions = 0;
  for (const [l, n] of newText) additions += Math.max(0, n - (oldText.get(l) ?? 0));
  for (const [l, n] of oldText) deletions += Math.max(0, n - (newText.get(l) ?? 0));
  const added: NumberedLine[] = [];
  newLines.forEach((text, i) => {
    if (text === "" || oldSet.has(text)) return;
    const variants = text.includes("\0") ? [text, stripNul(text)] : [text];
    for (const v of variants) {
      if (v.length <= PIECE) added.push({ line: i + 1, text: v });
      else
        for (let at = 0; at < v.length; at += PIECE - OVERLAP)
          added.push({ line: i + 1, text: v.slice(at, at + PIECE) });
    }
  });
  return { additions, deletions, added };
}

const stripNul = (s: string) => (s.includes("\0") ? s.replaceAll("\0", "") : s);

/** Printable ASCII or well-formed UTF-8 (as latin1 characters), tabs allowed, not empty. */
const TEXT_LINE =
  /^(?:[\t\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+\r?$/;

function isTextLine(s: string): boolean {
  return s.length > 0 && TEXT_LINE.test(s);
}

function multiset(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}
