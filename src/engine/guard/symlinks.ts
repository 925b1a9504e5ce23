/**
 * Paths that leave the worktree: a symlink whose target is absolute or resolves outside the worktree
 * (lexically, and through other symlinks on disk), a symlink into `.git`, and any changed path with a
 * `..` segment or an absolute path.
 */
import { realpath } from "node:fs/promises";
import { join, posix, sep } from "node:path";
import { MODE } from "../git/changes.ts";
import { orIfMissing } from "../missing.ts";
import { type ChangedFiles, code, type Violation } from "./types.ts";

const isAbsoluteTarget = (t: string) => t.startsWith("/") || t.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(t);
const hasDotDot = (p: string) => p.split(/[\\/]/).includes("..");

export async function checkSymlinks(change: ChangedFiles, worktreePath: string): Promise<Violation[]> {
  const out: Violation[] = [];
  const root = await orIfMissing(realpath(worktreePath), worktreePath);
  for (const f of change.files) {
    for (const p of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      if (hasDotDot(p) || isAbsoluteTarget(p)) {
        out.push({
          rule: "path",
          file: p,
          message: `${code(p)} leaves the repository (absolute or \`..\` path)`,
        });
      }
    }
    if (f.newMode !== MODE.symlink || f.symlinkTarget === undefined) continue;
    const target = f.symlinkTarget;
    const link = `symlink ${code(f.path)} → ${code(target)}`;
    const violation = (why: string) => out.push({ rule: "symlink", file: f.path, message: `${link} ${why}` });
    if (isAbsoluteTarget(target)) {
      violation("points to an absolute path");
      continue;
    }
    const lexical = posix.normalize(posix.join(posix.dirname(f.path), target.replace(/\\/g, "/")));
    if (lexical === ".." || lexical.startsWith("../")) {
      violation("points outside the repository");
      continue;
    }
    if (lexical === ".git" || lexical.startsWith(".git/")) {
      violation("points into `.git`");
      continue;
    }
    // Through other symlinks on disk (e.g. `a → b`, `b → ../..`). A dangling link (ENOENT) or a loop
    // of links (ELOOP) has nothing to follow; any other error is thrown.
    const real = await orIfMissing(realpath(join(root, f.path)), undefined, ["ELOOP"]);
    if (real !== undefined && real !== root && !real.startsWith(root + sep)) {
      violation("resolves outside the repository through another symlink");
    }
  }
  return out;
}
