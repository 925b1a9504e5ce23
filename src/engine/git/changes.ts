/**
 * Collects the full change a task made in its worktree: everything is staged (`add -A`, so new files
 * count unless the repository ignores them), the index is written as one tree, and that tree is
 * compared with the base commit. Every guard looks at that tree, and the task commit is made of that
 * tree id (`commitTree`), so nothing that changes in the worktree after the checks can reach a commit.
 *
 * Sizes are known before anything is buffered (`cat-file --batch-check`): a change whose diff would
 * be larger than the engine holds in memory comes back `oversized`, without a patch, and the guards
 * refuse it; its backup is streamed to disk (`writePatchFile`). The result describes every file
 * (status, rename source, binary, line counts, size, mode, symlink target) and carries the binary-safe
 * patch that a backup stores and `git apply --binary` replays onto the base.
 */
import { binaryLines, countDiffLines, type NumberedLine } from "./diff-text.ts";
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

/**
 * The most a change's old and new content together may weigh for the engine to diff and scan it in
 * memory (the patch, the text diff and the blobs of binary files are each at most about this big).
 * A larger change is refused (`limits.diff_size`) and backed up by streaming.
 */
export const DIFF_MEMORY_CAP = 128 * 2 ** 20;

export interface FileChange {
  path: string;
  /** The source path of a rename or copy. */
  oldPath?: string;
  status: FileStatus;
  /** Rename/copy similarity in percent. */
  similarity?: number;
  /** The content has a NUL byte in its first 8000 bytes (git's test), whatever `.gitattributes` say. */
  binary: boolean;
  /**
   * Lines added/removed. For a binary file: its text-looking lines (NUL bytes dropped) that the
   * other side lacks, so text behind one NUL byte still counts; 0 for an image or an archive.
   */
  additions: number;
  deletions: number;
  /** Bytes of the new content (absent for a deletion or a git link). */
  size?: number;
  /** Git file modes ("100644", "100755", "120000", "160000"; "000000" when absent). */
  oldMode: string;
  newMode: string;
  /** Set when the mode changed on a file that exists on both sides, e.g. made executable. */
  modeChange?: { from: string; to: string };
  /** The link target, when the new side is a symlink. */
  symlinkTarget?: string;
}

/** A line of a binary file's new content, for the credential scan. */
export interface BinaryLine extends NumberedLine {
  file: string;
}

export interface Change {
  /** The commit the change is relative to. */
  base: string;
  /** The tree that was checked: the worktree as staged by `collectChanges`. Commit exactly this. */
  tree: string;
  files: FileChange[];
  additions: number;
  deletions: number;
  /** additions + deletions over all files (binary files: their text-looking lines). */
  totalLines: number;
  /** Bytes of new content: the sizes of every added or changed file's new version. */
  bytes: number;
  /**
   * `git diff --binary --full-index` from base to `tree`: applies with `git apply --binary` onto
   * base. Empty when the change is `oversized`.
   */
  patch: Buffer;
  /**
   * Set when old and new content together exceed the memory cap: nothing was buffered or scanned
   * (no patch, no text diff, no binary lines), and the guards refuse the change.
   */
  oversized?: { bytes: number; cap: number };
  /**
   * Text diff of files that `.gitattributes` marks binary although their content is text (they show
   * as "binary" in `patch`). Scanned for secrets with `patch`; usually empty.
   */
  textDiff: string;
  /** The lines of binary files' new content that their old content lacks (for the credential scan). */
  binaryLines: BinaryLine[];
  /**
   * Paths git could not stage (an embedded repository without a commit, an unreadable file): they are
   * not in `tree`, and the guards refuse the change rather than commit it without them.
   */
  unstaged: string[];
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

export interface CollectOptions {
  git: Git;
  base: string;
  /** Override of `DIFF_MEMORY_CAP` (tests). */
  memoryCap?: number;
}

/**
 * Stages everything in the worktree at `git.cwd`, writes it as a tree and describes the change from
 * `base` to that tree. The index is left staged; the working files are untouched.
 */
export async function collectChanges(opts: CollectOptions): Promise<Change> {
  const { git } = opts;
  const cap = opts.memoryCap ?? DIFF_MEMORY_CAP;
  const base = await requireCommit(git, opts.base);
  const { tree, unstaged } = await stageTree(git);
  // one diff for both: its raw records, then its numstat records
  const both = await git.run(["diff", "--raw", "--numstat", "-z", "--no-abbrev", ...DIFF_FLAGS, base, tree]);
  const fields = splitZ(both.stdout);
  const raw = rawRecords(fields, 0, { untilNumstat: true });
  const files = raw.entries;
  applyNumstat(files, numstatRecords(fields, raw.next));
  const sizes = await blobSizes(git, files);
  let bytes = 0;
  let weight = 0;
  for (const f of files) {
    const newSize = sizes.get(f.newBlob);
    const oldSize = sizes.get(f.oldBlob) ?? 0;
    if (newSize !== undefined) f.change.size = newSize;
    if (newSize !== undefined && f.newBlob !== f.oldBlob) bytes += newSize;
    weight += (newSize ?? 0) + oldSize;
  }
  await Promise.all(
    files
      .filter((f) => f.change.newMode === MODE.symlink && (sizes.get(f.newBlob) ?? 0) <= cap)
      .map(async (f) => {
        f.change.symlinkTarget = (await git.run(["cat-file", "blob", f.newBlob])).stdout;
      }),
  );
  const result: Change = {
    base,
    tree,
    files: files.map((f) => f.change),
    additions: 0,
    deletions: 0,
    totalLines: 0,
    bytes,
    patch: Buffer.alloc(0),
    textDiff: "",
    binaryLines: [],
    unstaged,
  };
  if (weight > cap) {
    result.oversized = { bytes: weight, cap };
  } else {
    result.patch = await diffPatch(git, [base, tree]);
    const binary = await readBinaries(git, files);
    result.textDiff = await unmaskText(git, base, tree, binary.masked);
    result.binaryLines = binary.lines;
  }
  result.additions = result.files.reduce((n, f) => n + f.additions, 0);
  result.deletions = result.files.reduce((n, f) => n + f.deletions, 0);
  result.totalLines = result.additions + result.deletions;
  return result;
}

/**
 * `add -A`, then `write-tree`. The worktree's files were written by the agent, so this always runs
 * with the untrusted client (no system or global config, no global attributes file, no untracked
 * cache; `core.fsmonitor` and hooks are off for every engine git call, and the agent's sandbox cannot
 * write the repository's config, where a clean filter would have to be defined). A path git cannot
 * add (an embedded repository without a commit, an unreadable file) does not stop the others; it is
 * reported instead.
 */
export async function stageTree(repoGit: Git): Promise<{ tree: string; unstaged: string[] }> {
  const git = repoGit.at(repoGit.cwd, { untrusted: true });
  const add = await git.run(["add", "-A", "--ignore-errors", "--", "."], { allowFailure: true });
  let unstaged: string[] = [];
  if (add.exitCode !== 0) {
    const [others, modified] = await Promise.all([
      git.run(["ls-files", "-z", "--others", "--exclude-standard", "--directory"]),
      git.run(["ls-files", "-z", "--modified"]),
    ]);
    unstaged = [...new Set([...splitZ(others.stdout), ...splitZ(modified.stdout)])];
    // Nothing left behind: a real failure (a damaged index, a full disk), not one path.
    if (unstaged.length === 0) await git.run(["add", "-A", "--", "."]);
  }
  const tree = (await git.run(["write-tree"])).stdout.trim();
  return { tree, unstaged };
}

/** The old and new content of the change from `base` to `tree` together, in bytes. */
export async function treeWeight(git: Git, base: string, tree: string): Promise<number> {
  const raw = await git.run(["diff", "--raw", "-z", "--no-abbrev", ...DIFF_FLAGS, base, tree]);
  const files = parseRaw(raw.stdout);
  const sizes = await blobSizes(git, files);
  return files.reduce((n, f) => n + (sizes.get(f.oldBlob) ?? 0) + (sizes.get(f.newBlob) ?? 0), 0);
}

/** Sizes of the regular-file and symlink blobs on either side of the change. */
async function blobSizes(git: Git, files: RawEntry[]): Promise<Map<string, number>> {
  const isBlob = (mode: string) => mode !== MODE.none && mode !== MODE.submodule;
  const oids = new Set<string>();
  for (const f of files) {
    if (isBlob(f.change.oldMode)) oids.add(f.oldBlob);
    if (isBlob(f.change.newMode)) oids.add(f.newBlob);
  }
  const sizes = new Map<string, number>();
  if (oids.size === 0) return sizes;
  const r = await git.run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], {
    input: `${[...oids].join("\n")}\n`,
  });
  for (const line of r.stdout.split("\n")) {
    const [oid, size] = line.split(" ");
    if (oid && size && /^\d+$/.test(size)) sizes.set(oid, Number(size));
  }
  return sizes;
}

/**
 * The files git's numstat calls binary. Content decides, not `.gitattributes` (which the agent can
 * edit: `* binary` would hide every line from the line limit and the secret scan): a file is binary
 * only when its content is (a NUL byte in the first 8000 bytes, git's own test). Files that are
 * binary by attribute only are `masked` (they get a text diff); for really binary ones, the lines of
 * their content count and are scanned.
 */
async function readBinaries(
  git: Git,
  files: RawEntry[],
): Promise<{ masked: RawEntry[]; lines: BinaryLine[] }> {
  const masked: RawEntry[] = [];
  const lines: BinaryLine[] = [];
  for (const f of files.filter((x) => x.change.binary)) {
    const [oldBlob, newBlob] = await Promise.all([readBlob(git, f.oldBlob), readBlob(git, f.newBlob)]);
    if (!isBinary(oldBlob) && !isBinary(newBlob)) {
      masked.push(f);
      continue;
    }
    const b = binaryLines(newBlob, oldBlob);
    f.change.additions = b.additions;
    f.change.deletions = b.deletions;
    for (const l of b.added) lines.push({ file: f.change.path, ...l });
  }
  return { masked, lines };
}

const isBinary = (blob: Buffer) => blob.subarray(0, 8000).includes(0);

async function readBlob(git: Git, oid: string): Promise<Buffer> {
  if (/^0+$/.test(oid)) return Buffer.alloc(0);
  return (await git.runBuffer(["cat-file", "blob", oid])).stdout;
}

async function unmaskText(git: Git, base: string, tree: string, masked: RawEntry[]): Promise<string> {
  if (masked.length === 0) return "";
  const paths = masked.flatMap((f) =>
    f.change.oldPath ? [f.change.oldPath, f.change.path] : [f.change.path],
  );
  const pathspec = paths.map((p) => `:(literal)${p}`);
  const diff = await git.run(["diff", "--text", ...DIFF_FLAGS, base, tree, "--", ...pathspec]);
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

const PATCH_FLAGS = ["diff", "--binary", "--full-index", "--src-prefix=a/", "--dst-prefix=b/", ...DIFF_FLAGS];

/** The binary-safe, full-index patch for `git diff <args>`, with fixed `a/` `b/` prefixes. */
export async function diffPatch(git: Git, args: readonly string[]): Promise<Buffer> {
  const r = await git.runBuffer([...PATCH_FLAGS, ...args]);
  return r.stdout;
}

/** Like `diffPatch`, streamed into `file` (never held in memory): for changes of any size. */
export async function writePatchFile(git: Git, args: readonly string[], file: string): Promise<void> {
  await git.run([...PATCH_FLAGS, ...args], { stdoutFile: file });
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
  return rawRecords(splitZ(out), 0).entries;
}

/**
 * The raw records from `fields[start]` on. `untilNumstat`: they are followed by numstat records
 * (`--raw --numstat`), which start where a record's header does not: a raw header starts with ":",
 * a numstat record with a count or "-" (read at a record's start, never inside a path).
 */
function rawRecords(
  fields: string[],
  start: number,
  how: { untilNumstat?: boolean } = {},
): { entries: RawEntry[]; next: number } {
  const entries: RawEntry[] = [];
  let i = start;
  while (i < fields.length) {
    if (how.untilNumstat && !fields[i]!.startsWith(":")) break;
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
  return { entries, next: i };
}

interface NumstatEntry {
  path: string;
  additions: number | undefined;
  deletions: number | undefined;
}

/** Parses `git diff --numstat -z` output; binary files have undefined counts. */
export function parseNumstat(out: string): NumstatEntry[] {
  return numstatRecords(splitZ(out), 0);
}

function numstatRecords(fields: string[], start: number): NumstatEntry[] {
  const entries: NumstatEntry[] = [];
  for (let i = start; i < fields.length; ) {
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
