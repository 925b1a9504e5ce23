/**
 * The guard rails a change must pass before anything is pushed: paths, protected files, limits,
 * symlinks and `..` paths, credentials (in the diff, in binary content, in file names and link
 * targets). Problems come back as data; nothing is thrown for a bad change.
 */
import type { Change } from "../git/changes.ts";
import { checkLimits, type Limits } from "./limits.ts";
import { checkPaths, type PathRules } from "./paths.ts";
import { checkProtected } from "./protected.ts";
import { credentialIn, scanAddedLines, scanSecrets } from "./secrets.ts";
import { checkSymlinks } from "./symlinks.ts";
import { code, type GuardResult, type Violation } from "./types.ts";

export { checkLimits, type Limits, megabytes } from "./limits.ts";
export { checkPaths, normalizeGlob, type PathRules } from "./paths.ts";
export { checkProtected, PROTECTED_PATHS } from "./protected.ts";
export {
  type AddedLine,
  addedLines,
  credentialIn,
  looksLikePlaceholder,
  type SecretFinding,
  scanAddedLines,
  scanSecrets,
  scanText,
} from "./secrets.ts";
export { checkSymlinks } from "./symlinks.ts";
export type { GuardResult, GuardRule, Violation } from "./types.ts";

export interface RunGuardsOptions {
  change: Change;
  /** The worktree the change was collected in (symlinks are resolved there). */
  worktreePath: string;
  paths?: PathRules;
  limits?: Limits;
  /** Default true. */
  secrets?: boolean;
}

export async function runGuards(opts: RunGuardsOptions): Promise<GuardResult> {
  const { change } = opts;
  const pathViolations = opts.paths ? checkPaths(change, opts.paths) : [];
  const ruled = new Set(pathViolations.map((v) => v.file));
  const names = opts.secrets === false ? [] : secretNames(change);
  const targets = opts.secrets === false ? [] : secretTargets(change);
  // names and link targets that hold a credential are never printed, by any guard
  const withheld = new Set([...names.map((n) => n.path), ...targets.map((t) => t.target)]);
  const violations = [
    ...pathViolations,
    // a path already refused by paths.allow/deny needs no second line
    ...checkProtected(change, opts.paths?.allow ?? ["**"]).filter(
      (v) => v.rule !== "protected.path" || !ruled.has(v.file),
    ),
    ...unstaged(change),
    ...checkLimits(change, opts.limits ?? {}),
    ...(await checkSymlinks(change, opts.worktreePath)),
    ...(opts.secrets === false ? [] : secretViolations(change, names, targets)),
  ].map((v) => (withheld.size > 0 ? withhold(v, withheld) : v));
  return {
    ok: violations.length === 0,
    violations,
    ...(names.length > 0 ? { withheldNames: [...new Set(names.map((n) => n.path))] } : {}),
  };
}

function unstaged(change: Change): Violation[] {
  return (change.unstaged ?? []).map((path) => ({
    rule: "unstaged",
    file: path,
    message: `${code(path)} could not be added to the change (an embedded git repository without a commit, or an unreadable file)`,
  }));
}

interface SecretName {
  path: string;
  id: string;
  what: string;
}

/** Changed paths (either side of a rename) whose name holds what looks like a credential. */
function secretNames(change: Change): SecretName[] {
  const out: SecretName[] = [];
  for (const f of change.files) {
    for (const path of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const hit = credentialIn(path.replaceAll("/", "\n"));
      if (hit) out.push({ path, ...hit });
    }
  }
  return out;
}

interface SecretTarget {
  path: string;
  target: string;
  id: string;
  what: string;
}

function secretTargets(change: Change): SecretTarget[] {
  const out: SecretTarget[] = [];
  for (const f of change.files) {
    if (f.symlinkTarget === undefined) continue;
    const hit = credentialIn(f.symlinkTarget.replaceAll("/", "\n"));
    if (hit) out.push({ path: f.path, target: f.symlinkTarget, ...hit });
  }
  return out;
}

function secretViolations(change: Change, names: SecretName[], targets: SecretTarget[]): Violation[] {
  const out: Violation[] = [...scanSecrets(change.patch), ...scanSecrets(change.textDiff)];
  out.push(...scanAddedLines(change.binaryLines ?? []));
  for (const n of names) {
    out.push({
      rule: `secret.${n.id}`,
      message: `a changed file's name looks like it holds ${n.what} (${n.id}); the name is withheld`,
    });
  }
  // a link's target is its content, so the diff scan usually found it already
  const found = new Set(out.map((v) => v.file));
  for (const t of targets.filter((x) => !found.has(x.path))) {
    out.push({
      rule: `secret.${t.id}`,
      file: t.path,
      message: `the target of symlink ${code(t.path)} looks like it holds ${t.what} (${t.id}); the target is withheld`,
    });
  }
  return out;
}

/** The list of changed files with every name that holds a credential (`withheldNames`) replaced. */
export function withholdFileNames<T extends { path: string; oldPath?: string }>(
  files: T[],
  names: readonly string[] | undefined,
): T[] {
  if (!names || names.length === 0) return files;
  const hidden = new Set(names);
  const name = (p: string) => (hidden.has(p) ? "[name withheld]" : p);
  return files.map((f) => ({
    ...f,
    path: name(f.path),
    ...(f.oldPath !== undefined ? { oldPath: name(f.oldPath) } : {}),
  }));
}

/** A violation about a file whose name holds a credential, with the name withheld. */
function withhold(v: Violation, names: Set<string>): Violation {
  let message = v.message;
  for (const n of names) message = message.replaceAll(n, "[name withheld]");
  const out: Violation = { ...v, message };
  if (v.file !== undefined && names.has(v.file)) delete out.file;
  return out;
}
