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
