/** `limits.max_files` / `limits.max_lines`: binary files count as files, not lines. */
import type { Violation } from "./types.ts";

export interface Limits {
  max_files?: number | undefined;
  max_lines?: number | undefined;
}

const n = (x: number) => x.toLocaleString("en-US");

export function checkLimits(
  change: { files: readonly { binary: boolean }[]; totalLines: number },
  limits: Limits,
): Violation[] {
  const out: Violation[] = [];
  const files = change.files.length;
  if (limits.max_files !== undefined && files > limits.max_files) {
    out.push({
      rule: "limits.max_files",
      message: `the change touches ${n(files)} files, more than limits.max_files ${n(limits.max_files)}`,
    });
  }
  if (limits.max_lines !== undefined && change.totalLines > limits.max_lines) {
    const binary = change.files.filter((f) => f.binary).length;
    const note = binary > 0 ? ` (${n(binary)} binary files not counted)` : "";
    out.push({
      rule: "limits.max_lines",
      message: `the change adds or removes ${n(change.totalLines)} lines, more than limits.max_lines ${n(limits.max_lines)}${note}`,
    });
  }
  return out;
}
