/**
 * `paths.allow` / `paths.deny`: every touched path must match an allow glob (when any are given) and
 * no deny glob. A rename checks where the file came from and where it went; a deletion counts.
 * Globs are picomatch globs relative to the repository root; dot files match. Deny globs also match
 * case-insensitively, so `.GitHub/Workflows/x.yml` cannot slip past `.github/workflows/**`.
 */
import { compileGlob } from "../glob.ts";
import { type ChangedFiles, code, type Violation } from "./types.ts";

export interface PathRules {
  allow: readonly string[];
  deny: readonly string[];
}

export { normalizeGlob } from "../glob.ts";

export function checkPaths(change: ChangedFiles, rules: PathRules): Violation[] {
  const deny = rules.deny.map((g) => ({
    glob: g,
    match: compileGlob(g, { nocase: true }),
  }));
  const allow = rules.allow.map((g) => compileGlob(g));
  const allowList = rules.allow.map(code).join(", ");
  const violations: Violation[] = [];
  for (const f of change.files) {
    const touched = f.status === "renamed" && f.oldPath ? [f.oldPath, f.path] : [f.path];
    for (const path of touched) {
      const label =
        f.status === "renamed" && f.oldPath
          ? path === f.oldPath
            ? `${code(path)} (renamed to ${code(f.path)})`
            : `${code(path)} (renamed from ${code(f.oldPath)})`
          : f.status === "deleted"
            ? `${code(path)} (deleted)`
            : code(path);
      const denied = deny.find((d) => d.match(path));
      if (denied) {
        violations.push({
          rule: "paths.deny",
          file: path,
          message: `${label} is denied by paths.deny ${code(denied.glob)}`,
        });
      } else if (allow.length > 0 && !allow.some((m) => m(path))) {
        violations.push({
          rule: "paths.allow",
          file: path,
          message: `${label} is outside paths.allow (${allowList})`,
        });
      }
    }
  }
  return violations;
}
