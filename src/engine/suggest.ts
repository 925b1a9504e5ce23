import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be what
 * was meant: at most 1 edit for short words, 2 for words of 5+ characters, 3 for 10+.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const max = w.length >= 10 ? 3 : w.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) >= bestDistance) continue;
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `", did you mean `x`?"` or `""`. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? "" : `, did you mean \`${c}\`?`;
}
