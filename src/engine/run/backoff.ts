/**
 * Exponential backoff with jitter between attempts: base·2^(n-1), scaled by a random factor in
 * [0.5, 1.5). `random` is injectable so tests are deterministic.
 */
export function backoffDelay(baseMs: number, attempt: number, random: () => number = Math.random): number {
  const exp = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(exp * (0.5 + random()));
}
