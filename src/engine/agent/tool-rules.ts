/**
 * Claude Code's file tools, confined to the task's worktree by permission rules.
 *
 * What the pinned CLI (2.1.329, `-p`, rules given as `--allowedTools` / `--disallowedTools`) does,
 * observed with the real CLI and the scripted model server (tests/agent/tool-rules.int.test.ts):
 * - A bare `Read`, `Edit`, `Write`, `NotebookEdit`, `Glob` or `Grep` in `--allowedTools` allows the
 *   tool on ANY path: with bare `Read Edit Write Glob Grep` the agent read, globbed and grepped a file
 *   in another directory and created a file there, with or without `--permission-mode acceptEdits`.
 *   Bare `NotebookEdit` edited a notebook outside the working directory too.
 * - Path rules are gitignore-style; `//` starts an absolute path. With `Read(//<wt>/**)`,
 *   `Edit(//<wt>/**)`, `Glob(//<wt>/**)`, `Grep(//<wt>/**)` everything outside the worktree is refused
 *   ("Claude requested permissions to read from …, but you haven't granted it yet"; nobody answers in
 *   `-p`), `acceptEdits` included, while reading, editing, writing new files in new subfolders, Glob
 *   and Grep inside work. A path through a symlink in the worktree that points outside is refused.
 *   Paths holding spaces, `( ) [ ] * # !` work when the specials are escaped with a backslash.
 * - Writes are governed by `Edit(…)` rules alone: `Write(//<wt>/**)` and `NotebookEdit(//<wt>/**)` are
 *   accepted but never consulted (a write inside was refused with only those); `Edit(//<wt>/**)`
 *   allows Write and NotebookEdit inside and refuses them outside. `MultiEdit` does not exist in this
 *   CLI ("No such tool available").
 * - Glob and Grep are only offered when `--allowedTools` names them; a bare `Glob`/`Grep` then searches
 *   anywhere, even when Read is scoped. `Glob(//<wt>/**)` offers the tool and refuses other paths.
 * - Deny beats allow, always: `Read(//<dir>/**)` denied in `--disallowedTools` refuses Read, Glob,
 *   Grep, Edit and Write ("covered by a Read deny rule") under `<dir>`, even when an allow rule names
 *   a path inside it. So a deny rule must never cover the worktree: where it lies inside a denied
 *   directory (on a runner the worktree is under `$RUNNER_TEMP`, itself under `$HOME`), the
 *   directory's other entries are denied one by one. `Read(//<dir>)` (no `/**`) covers what is inside.
 * - A deny rule on a directory does not stop a Grep from its parent when the parent is allowed (bare
 *   Grep with path `/tmp` found files under a denied `/tmp/x`): the scoped allow rules are the
 *   boundary, the deny rules a second line for what a user's own wider rule might open.
 * - The Read tool refuses `/proc/self/environ` by itself ("a device or process file"); `/proc` is
 *   denied anyway.
 * - In `acceptEdits` the CLI runs some file commands without a rule (`touch`, `echo > f`, `mkdir`,
 *   `cp`, `mv`, `rm`, `sed -i`) inside the working directory only; aimed outside they were refused
 *   ("needs approval. The path is outside the working directory"), `cat ../f` and `ls ..` blocked.
 * - An exact Bash rule (`Bash(git log -n 300 --first-parent --format=%h%d%x09%s%n%b)`) allowed that
 *   command and refused it with `--output=x`/`--out=x` added anywhere; a prefix rule
 *   (`Bash(git log:*)`) would allow those.
 * - `bypassPermissions` could not be measured: the CLI refuses it when run as root.
 * None of this binds the Bash tool or what a Bash command runs: that is the sandbox's job.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The tools whose bare names become worktree rules, and the rule each becomes (see above). */
const SCOPED_RULE: Readonly<Record<string, string>> = {
  Read: "Read",
  Edit: "Edit",
  Write: "Edit",
  MultiEdit: "Edit",
  NotebookEdit: "Edit",
  Glob: "Glob",
  Grep: "Grep",
};

export const FILE_TOOLS: readonly string[] = Object.keys(SCOPED_RULE);

/**
 * A path as the body of a permission rule: `//abs/path`, gitignore specials escaped, control
 * characters (which no rule can spell) matched by `?`.
 */
export function rulePath(abs: string): string {
  const escaped = abs
    .replace(/[\\*?[\]!#()]/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u001f\u007f]/g, "?")
    // gitignore drops trailing spaces
    .replace(/ $/, "?");
  return `/${escaped}`;
}

/**
 * The rules in a tool list, one per item. The CLI splits each `--allowedTools` value at commas and
 * spaces outside parentheses (`"Read, Edit"` is two tools), so the list is split the same way before
 * bare names are recognised.
 */
export function splitToolRules(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of list) {
    let depth = 0;
    let current = "";
    for (let i = 0; i < item.length; i++) {
      const c = item[i] ?? "";
      if (c === "\\") {
        current += c + (item[++i] ?? "");
        continue;
      }
      if (c === "(") depth++;
      else if (c === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (c === "," || /\s/.test(c))) {
        if (current) out.push(current);
        current = "";
      } else current += c;
    }
    if (current) out.push(current);
  }
  return out;
}

/** Bare file tools in `allowed` become rules limited to `worktree`; everything else passes unchanged. */
export function scopeAllowedTools(allowed: readonly string[], worktree: string): string[] {
  const out: string[] = [];
  for (const tool of splitToolRules(allowed)) {
    const rule = SCOPED_RULE[tool];
    const mapped = rule ? `${rule}(${rulePath(worktree)}/**)` : tool;
    if (!out.includes(mapped)) out.push(mapped);
  }
  return out;
}

/** How the deny rules see the file system; injectable for tests. */
export interface DirLister {
  /** Entry names of a directory; [] when it cannot be read. */
  list(dir: string): string[];
  isDir(path: string): boolean;
}

export const fsLister: DirLister = {
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  isDir: (path) => {
    try {
      return lstatSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

const isInside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * Deny rules (Read and Edit) for each of `roots`: the whole directory when the worktree is not in
 * it; when it is, every entry beside the path down to the worktree (the worktree's siblings, the
 * other entries of each directory above it, up to the root), since a deny on a directory would also
 * deny the worktree inside it. Roots inside the worktree are skipped. Paths are absolute and real.
 */
export function denyRules(worktree: string, roots: readonly string[], fs: DirLister = fsLister): string[] {
  const paths: { path: string; dir: boolean }[] = [];
  const add = (path: string, dir: boolean) => {
    if (!paths.some((p) => p.path === path)) paths.push({ path, dir });
  };
  for (const root of roots) {
    if (isInside(root, worktree)) continue;
    if (!isInside(worktree, root)) {
      add(root, true);
      continue;
    }
    for (let keep = worktree; keep !== root; keep = dirname(keep)) {
      const parent = dirname(keep);
      for (const name of fs.list(parent)) {
        const entry = join(parent, name);
        if (entry !== keep) add(entry, fs.isDir(entry));
      }
    }
  }
  return paths.flatMap(({ path, dir }) => {
    const body = dir ? `${rulePath(path)}/**` : rulePath(path);
    return [`Read(${body})`, `Edit(${body})`];
  });
}

/**
 * The directories the file tools must never reach, from where things are on this host: the engine's
 * `$HOME` (as `env` says, and the process's own), `$RUNNER_TEMP`, `/proc`, and the repository the worktree belongs to (its checkout and
 * git directory, found from the worktree's `.git` file, which the engine wrote and the sandbox keeps
 * read-only).
 */
export function protectedRoots(worktree: string, env: Record<string, string | undefined>): string[] {
  const roots = [env.HOME, homeOf(), env.RUNNER_TEMP, "/proc", ...repositoryOf(worktree)]
    .filter((p): p is string => !!p && isAbsolute(p))
    .map(real);
  return [...new Set(roots)];
}

/** The git common directory of a linked worktree, and the checkout around it. */
function repositoryOf(worktree: string): string[] {
  try {
    const dotGit = readFileSync(join(worktree, ".git"), "utf8");
    const m = /^gitdir: (.+)$/m.exec(dotGit);
    if (!m?.[1]) return [];
    const adminDir = resolve(worktree, m[1].trim());
    const common = resolve(adminDir, readFileSync(join(adminDir, "commondir"), "utf8").trim());
    return common.endsWith(`${sep}.git`) ? [common, dirname(common)] : [common];
  } catch {
    return [];
  }
}

function homeOf(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** The tool rules a run adds: the task's allow list scoped to the worktree, and the deny rules. */
export interface ToolScope {
  /** The worktree (absolute, real). */
  worktree: string;
  /** Added to `--disallowedTools` after the task's own. */
  deny: readonly string[];
}

/** The scope of one run in `cwd`, with the engine's environment `env`. */
export function toolScope(cwd: string, env: Record<string, string | undefined>): ToolScope {
  const worktree = real(cwd);
  return { worktree, deny: denyRules(worktree, protectedRoots(worktree, env)) };
}
