/**
 * "Nothing there" is one error, not every error: a read that finds no file (ENOENT, or ENOTDIR when a
 * parent is a file) may fall back to a default; permission and I/O errors are thrown as they are.
 */

/** Whether a failed system call failed with `code` (`ENOENT`, `EEXIST`, …). */
export function isCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

/** The path (or one of its parents) does not exist. */
export function isMissing(err: unknown): boolean {
  return isCode(err, "ENOENT") || isCode(err, "ENOTDIR");
}

/**
 * What `read` gives, or `fallback` when there is nothing to read (or it failed with one of `alsoCodes`,
 * e.g. `ELOOP` for a link that leads nowhere); any other error is thrown.
 */
export async function orIfMissing<T, F>(
  read: Promise<T>,
  fallback: F,
  alsoCodes: readonly string[] = [],
): Promise<T | F> {
  try {
    return await read;
  } catch (err) {
    if (isMissing(err) || alsoCodes.some((code) => isCode(err, code))) return fallback;
    throw err;
  }
}
