/**
 * A commit as the file additions and deletions of GitHub's `createCommitOnBranch`, or the reasons it
 * cannot be one. The API writes regular files only (mode 100644, like the web editor): it cannot make
 * or keep an executable bit, a symbolic link or a submodule, and takes paths as text. Every file is
 * sent in one JSON request, so claude-tasks also caps file size, total size and file count. What
 * falls outside is detected here, before anything is sent.
 */
import type { Git } from "./exec.ts";
import { splitZ } from "./exec.ts";

export interface ApiFileChanges {
  additions: { path: string; contents: Buffer }[];
  deletions: string[];
}

export type ApiChangesResult = { ok: true; changes: ApiFileChanges } | { ok: false; reasons: string[] };

export interface ApiLimits {
  /** Largest single file. */
  fileBytes: number;
  /** All added or changed files together (before base64, which adds a third). */
  totalBytes: number;
  /** Added, changed and deleted paths together. */
  files: number;
}

/** claude-tasks' own caps (GitHub documents none for this mutation; these keep one request sane). */
export const API_LIMITS: ApiLimits = {
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 40 * 1024 * 1024,
  files: 2000,
};

const REGULAR = "100644";
const MODE_NAME: Record<string, string> = {
  "100755": "an executable file",
  "120000": "a symbolic link",
  "160000": "a submodule",
  "040000": "a directory",
};

/** What `commit` changes against `parent`, as API file changes; the reasons when it cannot be sent. */
export async function apiFileChanges(opts: {
  git: Git;
  parent: string;
  commit: string;
  limits?: ApiLimits;
}): Promise<ApiChangesResult> {
  const { git } = opts;
  const limits = opts.limits ?? API_LIMITS;
  const raw = await git.runBuffer([
    "diff-tree",
    "-r",
    "-z",
    "--raw",
    "--no-renames",
    "--no-abbrev",
    opts.parent,
    opts.commit,
  ]);
  const fields = splitZ(raw.stdout.toString("latin1"));
  const reasons: string[] = [];
  const additions: { path: string; blob: string }[] = [];
  const deletions: string[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, , blob, status] = fields[i]!.slice(1).split(" ") as [
      string,
      string,
      string,
      string,
      string,
    ];
    let path: string;
    try {
      path = decoder.decode(Buffer.from(fields[i + 1]!, "latin1"));
    } catch {
      reasons.push(`a path is not valid UTF-8 (${JSON.stringify(fields[i + 1])})`);
      continue;
    }
    if (status === "D") {
      if (oldMode === "160000") reasons.push(`\`${path}\` removes a submodule`);
      else deletions.push(path);
      continue;
    }
    const kind = MODE_NAME[newMode];
    if (newMode !== REGULAR) reasons.push(`\`${path}\` is ${kind ?? `mode ${newMode}`}`);
    else if (status === "M" && oldMode !== REGULAR)
      reasons.push(`\`${path}\` was ${MODE_NAME[oldMode] ?? `mode ${oldMode}`} and becomes a regular file`);
    else if (status === "T") reasons.push(`\`${path}\` changes type`);
    else additions.push({ path, blob });
  }
  if (additions.length + deletions.length > limits.files) {
    reasons.push(
      `${additions.length + deletions.length} files (the limit for one API commit is ${limits.files})`,
    );
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const sizes = await blobSizes(
    git,
    additions.map((a) => a.blob),
  );
  let total = 0;
  for (const a of additions) {
    const size = sizes.get(a.blob) ?? 0;
    total += size;
    if (size > limits.fileBytes)
      reasons.push(`\`${a.path}\` has ${mib(size)} (the limit is ${mib(limits.fileBytes)})`);
  }
  if (total > limits.totalBytes)
    reasons.push(`${mib(total)} in all (the limit is ${mib(limits.totalBytes)})`);
  if (reasons.length > 0) return { ok: false, reasons };
  const out: ApiFileChanges = { additions: [], deletions };
  for (const a of additions) {
    out.additions.push({
      path: a.path,
      contents: (await git.runBuffer(["cat-file", "blob", a.blob])).stdout,
    });
  }
  return { ok: true, changes: out };
}

async function blobSizes(git: Git, blobs: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (blobs.length === 0) return sizes;
  const r = await git.run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], {
    input: `${blobs.join("\n")}\n`,
  });
  for (const line of r.stdout.split("\n")) {
    const [oid, size] = line.split(" ");
    if (oid && size) sizes.set(oid, Number(size));
  }
  return sizes;
}

const mib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${n} bytes`);
