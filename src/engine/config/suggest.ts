import { distance } from "fastest-levenshtein";

/**
 * The candidate `word` was most likely meant to be: same word in another case or with `-` for
 * `_`, else the closest by edit distance if it is close enough (about a third of the word).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-\s]/g, "_");
  const wanted = norm(word);
  const same = candidates.find((c) => norm(c) === wanted);
  if (same !== undefined) return same;
  const limit = wanted.length <= 3 ? 1 : Math.min(3, Math.max(2, Math.floor(wanted.length / 3)));
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(wanted, norm(candidate));
    if (d <= limit && (!best || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
}

/** "`a`, `b` or `c`" */
export function orList(items: readonly string[]): string {
  const coded = items.map((i) => `\`${i}\``);
  return coded.length <= 1 ? (coded[0] ?? "") : `${coded.slice(0, -1).join(", ")} or ${coded.at(-1)}`;
}
