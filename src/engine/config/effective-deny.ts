import { WORKFLOWS_GLOB } from "./schema.ts";

const WORKFLOWS_DIR = ".github/workflows/";

/**
 * The deny list a task is held to. `.github/workflows/**` is always in it, even when a task's own
 * `deny` list replaced the default one, unless `allow` names a path under `.github/workflows/`
 * explicitly (`**` or `.github/**` do not count): then that one pattern is dropped, and any
 * narrower workflow deny the task wrote stays. Idempotent.
 */
export function effectiveDeny(paths: { allow: readonly string[]; deny: readonly string[] }): string[] {
  const optedIn = paths.allow.some((g) => g.startsWith(WORKFLOWS_DIR) || g.startsWith(`./${WORKFLOWS_DIR}`));
  if (optedIn) return paths.deny.filter((g) => g !== WORKFLOWS_GLOB);
  return paths.deny.includes(WORKFLOWS_GLOB) ? [...paths.deny] : [...paths.deny, WORKFLOWS_GLOB];
}
