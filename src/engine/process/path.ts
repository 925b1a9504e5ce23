/**
 * The one PATH lookup: where a command name resolves, the way a shell's `execvp` finds it, minus the
 * parts that would let the current directory choose the program.
 * - A name with a `/` is not looked up: an absolute one is itself (if it is an executable file); a
 *   relative one resolves against a directory only its runner knows, so it is not found here.
 * - Only absolute PATH entries are searched. An empty entry means "the current directory" to a shell
 *   and a relative one is relative to it; both would let a repository's files (a worktree is
 *   attacker-written) stand in for a tool, so both are skipped.
 * - A candidate must be a regular file (or a link to one) with the executable bit for this process.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** The absolute path `name` runs as on `path` (a PATH value), or undefined when nothing matches. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  if (name === "") return undefined;
  if (name.includes("/")) return isAbsolute(name) && isExecutableFile(name) ? name : undefined;
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
