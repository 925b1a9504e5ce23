import type { FileChange } from "../git/changes.ts";

/** One broken guard rail, with a one-line message a user understands. */
export interface Violation {
  /** `paths.deny`, `paths.allow`, `limits.max_files`, `limits.max_lines`, `symlink`, `path`, `secret.<kind>` */
  rule: string;
  file?: string;
  line?: number;
  message: string;
}

export interface GuardResult {
  ok: boolean;
  violations: Violation[];
}

/** The part of a collected change the file guards look at. */
export interface ChangedFiles {
  files: readonly FileChange[];
}

/** Inline code in a message. */
export const code = (s: string): string => `\`${s}\``;
