/**
 * `limits.max_files` / `limits.max_lines` / `limits.max_bytes`: text files count lines, every added
 * or changed file counts its new bytes (so a 50 MB one-line file or a large binary cannot slip under
 * the line limit), and a binary file's text-looking lines count as lines too. A change too large to
 * diff in memory is always refused (`limits.diff_size`).
 */
import type { Violation } from "./types.ts";

export interface Limits {
  max_files?: number | undefined;
  max_lines?: number | undefined;
  max_bytes?: number | undefined;
}

const n = (x: number) => x.toLocaleString("en-US");

/** `12.3 MB` (MiB, as `limits.max_bytes` is given in bytes). */
export function megabytes(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return `${mb < 10 ? mb.toFixed(1) : n(Math.round(mb))} MB`;
}

export function checkLimits(
  change: {
    files: readonly { binary: boolean; additions: number; deletions: number }[];
    totalLines: number;
    bytes?: number;
    oversized?: { bytes: number; cap: number } | undefined;
  },
  limits: Limits,
): Violation[] {
  const out: Violation[] = [];
  const files = change.files.length;
  if (change.oversized) {
    out.push({
      rule: "limits.diff_size",
      message: `the change is too large to check: its old and new content weigh ${megabytes(change.oversized.bytes)}, more than the ${megabytes(change.oversized.cap)} the engine diffs and scans`,
    });
  }
  if (limits.max_files !== undefined && files > limits.max_files) {
    out.push({
      rule: "limits.max_files",
      message: `the change touches ${n(files)} files, more than limits.max_files ${n(limits.max_files)}`,
    });
  }
  if (limits.max_lines !== undefined && change.totalLines > limits.max_lines) {
    const binary = change.files.filter((f) => f.binary && f.additions + f.deletions === 0).length;
    const note = binary > 0 ? ` (${n(binary)} binary files not counted)` : "";
    out.push({
      rule: "limits.max_lines",
      message: `the change adds or removes ${n(change.totalLines)} lines, more than limits.max_lines ${n(limits.max_lines)}${note}`,
    });
  }
  if (limits.max_bytes !== undefined && change.bytes !== undefined && change.bytes > limits.max_bytes) {
    out.push({
      rule: "limits.max_bytes",
      message: `the change adds or rewrites ${megabytes(change.bytes)} (${n(change.bytes)} bytes), more than limits.max_bytes ${n(limits.max_bytes)}`,
    });
  }
  return out;
}
