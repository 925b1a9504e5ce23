import type { FileChange } from "../git/changes.ts";

/** The id of a guard rule: what a violation broke. */
export type GuardRule =
  | "paths.deny"
  | "paths.allow"
  | "limits.max_files"
  | "limits.max_lines"
  | "limits.max_bytes"
  /** The change is too large for the engine to diff and scan in memory. */
  | "limits.diff_size"
  | "symlink"
  | "path"
  /** A path git could not stage: it would be missing from the commit. */
  | "unstaged"
  /** A file that steers the repository, its CI or its agents (`.github/**`, `.claude/**`, …). */
  | "protected.path"
  /** A git link: a submodule, or a repository the agent created inside the worktree. */
  | "protected.gitlink"
  /** A file made executable. */
  | "protected.executable"
  | `secret.${string}`;

/** One broken guard rail, with a one-line message a user understands. */
export interface Violation {
  rule: GuardRule;
  file?: string;
  line?: number;
  message: string;
}

export interface GuardResult {
  ok: boolean;
  violations: Violation[];
  /** Changed paths whose name holds what looks like a credential: never show them. */
  withheldNames?: string[];
}

/** The part of a collected change the file guards look at. */
export interface ChangedFiles {
  files: readonly FileChange[];
}

/** Inline code in a message. */
export const code = (s: string): string => `\`${s}\``;
