/**
 * The one glob compiler, for every glob a user writes: `paths.allow`, `paths.deny`, `watch`, and task
 * patterns (`claude-tasks run 'docs-*'`, `logs --task`). Globs are picomatch globs relative to the
 * repository root; dot files match; `./docs/` and `/docs/` mean `docs/**`.
 */
import picomatch from "picomatch";

export type GlobMatcher = (path: string) => boolean;

export interface GlobOptions {
  /** Match regardless of case (deny rules: `.GitHub/Workflows/x.yml` is still a workflow). */
  nocase?: boolean;
}

/** `./docs/` → `docs/**`; `/README.md` → `README.md`. */
export function normalizeGlob(glob: string): string {
  let g = glob.trim().replace(/^\.\//, "").replace(/^\/+/, "");
  if (g.endsWith("/")) g += "**";
  return g;
}

const cache = new Map<string, GlobMatcher>();

export function compileGlob(glob: string, opts: GlobOptions = {}): GlobMatcher {
  const key = `${opts.nocase ? "i" : "c"}${glob}`;
  let m = cache.get(key);
  if (!m) {
    const isMatch = picomatch(normalizeGlob(glob), { dot: true, nocase: opts.nocase === true });
    // One argument only: picomatch's second one turns the answer into an object (truthy), which
    // `names.some(matcher)` would pass as the index.
    m = (path) => isMatch(path);
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, m);
  }
  return m;
}
