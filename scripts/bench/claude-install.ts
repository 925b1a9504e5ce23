// Benchmark child: Claude Code on a fresh hosted runner, installed from the registry vs restored from
// the Actions cache. `ensureClaude` (src/action/claude-install.ts) with a local stand-in for the cache
// service that does what @actions/cache does with the archive: `tar` compressed with zstd (gzip when
// zstd is absent) on save, extracted on restore — the upload/download itself is not measured. Each
// "job" has a fresh RUNNER_TEMP; npm uses its own (warm) cache, as on a machine that installed before.
// Prints JSON: { installMs, saveMs, restoreMs, archiveMb, installedMb, compression }.
//
//   node scripts/bench/claude-install.ts [version]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CacheService, ensureClaude } from "../../src/action/claude-install.ts";

const VERSION = process.argv[2] ?? "2.1.329";
const root = mkdtempSync(join(tmpdir(), "ct-bench-install-"));
const hasZstd = (() => {
  try {
    execFileSync("zstd", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const compress = hasZstd ? ["--use-compress-program", "zstd -T0"] : ["-z"];
const archive = join(root, hasZstd ? "cache.tzst" : "cache.tgz");
let saved = false;
let saveMs = 0;
const cache: CacheService = {
  async restore([dir]) {
    if (!saved) return undefined;
    mkdirSync(dir!, { recursive: true });
    execFileSync("tar", [...compress, "-xf", archive, "-C", dir!]);
    return "hit";
  },
  async save([dir]) {
    const t = performance.now();
    execFileSync("tar", [...compress, "-cf", archive, "-C", dir!, "."]);
    saveMs = performance.now() - t;
    saved = true;
  },
};
const job = (n: number) => ({
  ...process.env,
  // a fresh runner has no claude on PATH (`npm run` puts this repository's node_modules/.bin there)
  PATH: (process.env.PATH ?? "")
    .split(":")
    .filter((p) => !p.endsWith("node_modules/.bin"))
    .join(":"),
  RUNNER_TOOL_CACHE: undefined,
  RUNNER_TEMP: join(root, `job-${n}`),
});

try {
  let t0 = performance.now();
  const installed = await ensureClaude({ version: VERSION, env: job(1), cache });
  const installMs = performance.now() - t0 - saveMs; // the save (tar) after it is reported apart
  const installedMb = Number(
    execFileSync("du", ["-sm", installed.dir!], { encoding: "utf8" }).split("\t")[0],
  );
  t0 = performance.now();
  const restored = await ensureClaude({ version: VERSION, env: job(2), cache });
  const restoreMs = performance.now() - t0;
  if (installed.source !== "installed" || restored.source !== "actions-cache")
    throw new Error(`unexpected sources: ${installed.source}, ${restored.source}`);
  console.log(
    JSON.stringify({
      installMs,
      saveMs,
      restoreMs,
      archiveMb: statSync(archive).size / 2 ** 20,
      installedMb,
      compression: hasZstd ? "zstd" : "gzip",
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
