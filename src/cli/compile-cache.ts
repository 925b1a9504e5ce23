/**
 * Where the CLI keeps V8's code cache (Node ≥ 22.1): in this user's own cache folder,
 * `$XDG_CACHE_HOME/claude-tasks/node-compile-cache` (else `~/.cache/…`). Never Node's default, the
 * shared temporary folder: a cache file there can be left by any account on the machine, and what
 * it holds is code this process would run as its own. Off when the folder cannot be made or is not
 * this user's alone. `NODE_COMPILE_CACHE` and `NODE_DISABLE_COMPILE_CACHE` keep their meaning.
 *
 * Node built-ins only: it runs before the rest of the CLI is loaded, so that all of it is cached.
 */
import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function privateCompileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  let home = "";
  try {
    home = homedir();
  } catch {}
  const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : home && join(home, ".cache");
  if (!base) return undefined;
  const dir = join(base, "claude-tasks", "node-compile-cache");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const uid = process.getuid?.();
    for (const d of [join(base, "claude-tasks"), dir]) {
      const s = statSync(d);
      if (!s.isDirectory() || (uid !== undefined && s.uid !== uid) || (s.mode & 0o022) !== 0)
        return undefined;
    }
  } catch {
    return undefined;
  }
  return dir;
}
