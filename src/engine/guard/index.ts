/**
 * The guard rails a change must pass before anything is pushed: paths, limits, symlinks and `..`
 * paths, credentials. Problems come back as data; nothing is thrown for a bad change.
 */
import type { Change } from "../git/changes.ts";
import { checkLimits, type Limits } from "./limits.ts";
import { checkPaths, type PathRules } from "./paths.ts";
import { scanSecrets } from "./secrets.ts";
import { checkSymlinks } from "./symlinks.ts";
import type { GuardResult } from "./types.ts";

export { checkLimits, type Limits } from "./limits.ts";
export { checkPaths, normalizeGlob, type PathRules } from "./paths.ts";
export {
  type AddedLine,
  addedLines,
  looksLikePlaceholder,
  type SecretFinding,
  scanSecrets,
  scanText,
} from "./secrets.ts";
export { checkSymlinks } from "./symlinks.ts";
export type { GuardResult, Violation } from "./types.ts";

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
  const violations = [
    ...(opts.paths ? checkPaths(change, opts.paths) : []),
    ...(opts.limits ? checkLimits(change, opts.limits) : []),
    ...(await checkSymlinks(change, opts.worktreePath)),
    ...(opts.secrets === false ? [] : [...scanSecrets(change.patch), ...scanSecrets(change.textDiff)]),
  ];
  return { ok: violations.length === 0, violations };
}
