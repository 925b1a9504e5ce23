/**
 * Collects the full change a task made in its worktree: everything is staged (`add -A`, so new files
 * count unless the repository ignores them) and compared with the base commit. The result describes
 * every file (status, rename source, binary, line counts, mode, symlink target) and carries the
 * binary-safe patch that a backup stores and `git apply --binary` replays onto the base.
 */
import { countDiffLines } from "./diff-text.ts";
import { type Git, splitZ } from "./exec.ts";
import { requireCommit } from "./refs.ts";

export type FileStatus = "added" | "modified" | "deleted" | "renamed" | "copied" | "type-changed";

export const MODE = {
  file: "100644",
  executable: "100755",
  symlink: "120000",
  submodule: "160000",
  none: "000000",
} as const;

export interface FileChange {
  path: string;
  /** The source path of a rename or copy. */
  oldPath?: string;
  status: FileStatus;
  /** Rename/copy similarity in percent. */
  similarity?: number;
  binary: boolean;
  /** Lines added/removed; 0 for binary files (they count as files, not lines). */
  additions: number;
  deletions: number;
  /** Git file modes ("100644", "100755", "120000", "160000"; "000000" when absent). */
  oldMode: string;
  newMode: string;
  /** Set when the mode changed on a file that exists on both sides, e.g. made executable. */
  modeChange?: { from: string; to: string };
  /** The link target, when the new side is a symlink. */
  symlinkTarget?: string;
}

export interface Change {
  /** The commit the change is relative to. */
  base: string;
  files: FileChange[];
  additions: number;
  deletions: number;
  /** additions + deletions over text files. */
  totalLines: number;
  /** `git diff --binary --full-index` from base: applies with `git apply --binary` onto base. */
  patch: Buffer;
  /**
   * Text diff of files that `.gitattributes` marks binary although their content is text (they show
   * as "binary" in `patch`). Scanned for secrets with `patch`; usually empty.
   */
  textDiff: string;
}

/** Diff options that ignore user configuration that would change the output format. */
const DIFF_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-relative",
  "--find-renames",
  "--ignore-submodules=none",
];

/**
 * Stages everything in the worktree at `git.cwd` and describes the change against `base`.
 * The index is left staged; the working files are untouched.
 */
export async function collectChanges(opts: { git: Git; base: string }): Promise<Change> {
  const { git } = opts;
  const base = await requireCommit(git, opts.base);
  await git.run(["add", "-A", "--", "."]);
  const [raw, numstat, patch] = await Promise.all([
    git.run(["diff", "--cached", "--raw", "-z", "--no-abbrev", ...DIFF_FLAGS, base]),
    git.run(["diff", "--cached", "--numstat", "-z", ...DIFF_FLAGS, base]),
    diffPatch(git, ["--cached", base]),
  ]);
  const files = parseRaw(raw.stdout);
  applyNumstat(files, parseNumstat(numstat.stdout));
  await Promise.all(
    files
      .filter((f) => f.change.newMode === MODE.symlink)
      .map(async (f) => {
        f.change.symlinkTarget = (await git.run(["cat-file", "blob", f.newBlob])).stdout;
      }),
  );
  const textDiff = await unmaskText(git, base, files);
  const list = files.map((f) => f.change);
  const additions = list.reduce((n, f) => n + f.additions, 0);
  const deletions = list.reduce((n, f) => n + f.deletions, 0);
  return { base, files: list, additions, deletions, totalLines: additions + deletions, patch, textDiff };
}

/**
 * `.gitattributes` (which the agent can edit) decides what git calls binary: `* binary` would hide
 * every line from the line limit and the secret scan. So a file counts as binary only when its
 * content is (a NUL byte in the first 8000 bytes, git's own test); text files that attributes mark
 * binary get real line counts and a text diff for the secret scan.
 */
async function unmaskText(git: Git, base: string, files: RawEntry[]): Promise<string> {
  const suspects = files.filter((f) => f.change.binary);
  const masked: RawEntry[] = [];
  for (const f of suspects) {
    if (!(await blobIsBinary(git, f.oldBlob)) && !(await blobIsBinary(git, f.newBlob))) masked.push(f);
  }
  if (masked.length === 0) return "";
  const paths = masked.flatMap((f) =>
    f.change.oldPath ? [f.change.oldPath, f.change.path] : [f.change.path],
  );
  const pathspec = paths.map((p) => `:(literal)${p}`);
  const diff = await git.run(["diff", "--cached", "--text", ...DIFF_FLAGS, base, "--", ...pathspec]);
  // numstat ignores --text for attribute-binary files: count the text diff's lines instead.
  const counts = countDiffLines(diff.stdout);
  for (const f of masked) {
    const c = counts.get(f.change.path);
    f.change.binary = false;
    f.change.additions = c?.additions ?? 0;
    f.change.deletions = c?.deletions ?? 0;
  }
  return diff.stdout;
}

async function blobIsBinary(git: Git, oid: string): Promise<boolean> {
  if (/^0+$/.test(oid)) return false;
  const blob = (await git.runBuffer(["cat-file", "blob", oid])).stdout;
  return blob.subarray(0, 8000).includes(0);
}

/** The binary-safe, full-index patch for `git diff <args>`, with fixed `a/` `b/` prefixes. */
export async function diffPatch(git: Git, args: readonly string[]): Promise<Buffer> {
  const r = await git.runBuffer([
    "diff",
    "--binary",
    "--full-index",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    ...DIFF_FLAGS,
    ...args,
  ]);
  return r.stdout;
}

interface RawEntry {
  change: FileChange;
  oldBlob: string;
  newBlob: string;
}

const STATUS: Record<string, FileStatus> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type-changed",
};

/** Parses `git diff --raw -z` output. */
export function parseRaw(out: string): RawEntry[] {
  const fields = splitZ(out);
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const header = fields[i++]!;
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(header);
    if (!m) throw new Error(`unexpected git diff --raw output: ${JSON.stringify(header)}`);
    const [oldMode, newMode, oldBlob, newBlob, letter, score] = [m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!];
    const status = STATUS[letter];
    if (!status) throw new Error(`unexpected git diff status ${letter} for ${fields[i]}`);
    const twoPaths = letter === "R" || letter === "C";
    const oldPath = twoPaths ? fields[i++] : undefined;
    const path = fields[i++]!;
    const change: FileChange = {
      path,
      status,
      binary: false,
      additions: 0,
      deletions: 0,
      oldMode,
      newMode,
    };
    if (oldPath !== undefined) {
      change.oldPath = oldPath;
      change.similarity = Number(score);
    }
    if (oldMode !== MODE.none && newMode !== MODE.none && oldMode !== newMode && status !== "type-changed") {
      change.modeChange = { from: oldMode, to: newMode };
    }
    entries.push({ change, oldBlob, newBlob });
  }
  return entries;
}

interface NumstatEntry {
  path: string;
  additions: number | undefined;
  deletions: number | undefined;
}

/** Parses `git diff --numstat -z` output; binary files have undefined counts. */
export function parseNumstat(out: string): NumstatEntry[] {
  const fields = splitZ(out);
  const entries: NumstatEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const head = fields[i++]!;
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(head);
    if (!m) throw new Error(`unexpected git diff --numstat output: ${JSON.stringify(head)}`);
    let path = m[3]!;
    if (path === "") {
      i++; // the rename source
      path = fields[i++]!;
    }
    const num = (s: string) => (s === "-" ? undefined : Number(s));
    entries.push({ path, additions: num(m[1]!), deletions: num(m[2]!) });
  }
  return entries;
}

function applyNumstat(files: RawEntry[], stats: NumstatEntry[]): void {
  const byPath = new Map(stats.map((s) => [s.path, s]));
  for (const { change } of files) {
    const s = byPath.get(change.path);
    if (!s) continue;
    if (s.additions === undefined || s.deletions === undefined) {
      change.binary = true;
    } else {
      change.additions = s.additions;
      change.deletions = s.deletions;
    }
  }
}
