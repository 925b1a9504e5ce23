import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CacheService,
  ClaudeInstallError,
  claudeCacheKey,
  claudeToolDir,
  ensureClaude,
} from "../../src/action/claude-install.ts";
import { UserError } from "../../src/engine/errors.ts";
import { silentLogger } from "../../src/engine/logger.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), "ct-install-"));
  dirs.push(d);
  return d;
}

/**
 * A fake `npm` (never the network): records its arguments and environment, and "installs" a `claude`
 * script into `--prefix`. FAKE_NPM_MODE: ok | fail | hang | nobin.
 */
function fakeNpm(root: string): { bin: string; log: string } {
  const bin = join(root, "bin");
  mkdirSync(bin);
  const log = join(root, "npm.log");
  writeFileSync(
    join(bin, "npm"),
    `#!/bin/sh
echo "$@" >> "${log}"
env | grep -E '^(INPUT_|GITHUB_TOKEN|ANTHROPIC_API_KEY)' >> "${log}"
case "$FAKE_NPM_MODE" in
  fail) echo "npm ERR! 404 Not Found - @anthropic-ai/claude-code@9.9.9" >&2; exit 1 ;;
  hang) exec sleep 30 ;;
esac
prefix=""
while [ $# -gt 0 ]; do [ "$1" = "--prefix" ] && prefix="$2"; shift; done
mkdir -p "$prefix/node_modules/.bin"
[ "$FAKE_NPM_MODE" = nobin ] && exit 0
printf '#!/bin/sh\\necho "2.1.329 (Claude Code)"\\n' > "$prefix/node_modules/.bin/claude"
chmod +x "$prefix/node_modules/.bin/claude"
`,
  );
  chmodSync(join(bin, "npm"), 0o755);
  return { bin, log };
}

describe("ensureClaude", () => {
  it("uses claude from PATH when there is one", async () => {
    const root = temp();
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "claude"), "#!/bin/sh\n");
    chmodSync(join(bin, "claude"), 0o755);
    const r = await ensureClaude({ version: "2.1.329", env: { PATH: bin } });
    expect(r).toEqual({ path: join(bin, "claude"), source: "path" });
  });

  it("installs the pinned version once, keeps it in a persistent tool cache, then reuses it", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const env = {
      PATH: `${npm.bin}:/usr/bin:/bin`,
      RUNNER_TEMP: join(root, "runner-temp"),
      RUNNER_TOOL_CACHE: join(root, "toolcache"),
      RUNNER_ENVIRONMENT: "self-hosted",
      INPUT_X: "secret-input",
      GITHUB_TOKEN: "ghs_x",
      ANTHROPIC_API_KEY: "sk",
    };
    const first = await ensureClaude({ version: "2.1.329", env });
    const kept = join(root, "toolcache", "claude-code", "2.1.329", process.arch);
    expect(first).toEqual({
      path: join(kept, "node_modules", ".bin", "claude"),
      source: "installed",
      dir: kept,
    });
    expect(existsSync(`${kept}.complete`)).toBe(true); // @actions/tool-cache's marker
    const log = readFileSync(npm.log, "utf8");
    expect(log).toMatch(/^install --prefix \S+ .*@anthropic-ai\/claude-code@2\.1\.329$/m);
    // npm and the package's install script see no inputs or tokens
    expect(log).not.toMatch(/INPUT_|GITHUB_TOKEN|ANTHROPIC_API_KEY/);
    // a later job on the same machine: a fresh RUNNER_TEMP, the same tool cache
    const second = await ensureClaude({ version: "2.1.329", env: { ...env, RUNNER_TEMP: join(root, "t2") } });
    expect(second).toMatchObject({ source: "cache", dir: kept });
    expect(readFileSync(npm.log, "utf8").match(/^install /gm)).toHaveLength(1);
  });

  it("a hosted runner: restored from the Actions cache (version, OS, arch), else installed and saved", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const archives = new Map<string, string>(); // key → a tar of the saved directory
    const calls: string[] = [];
    const cache: CacheService = {
      async restore([dir], key) {
        calls.push(`restore ${key}`);
        const tar = archives.get(key);
        if (!tar) return undefined;
        mkdirSync(dir!, { recursive: true });
        execFileSync("tar", ["-xf", tar, "-C", dir!]);
        return key;
      },
      async save([dir], key) {
        calls.push(`save ${key}`);
        const tar = join(root, `${archives.size}.tar`);
        execFileSync("tar", ["-cf", tar, "-C", dir!, "."]);
        archives.set(key, tar);
      },
    };
    const job = (n: number) => ({
      PATH: `${npm.bin}:/usr/bin:/bin`,
      RUNNER_TEMP: join(root, `job-${n}`),
      RUNNER_TOOL_CACHE: join(root, `hosted-tools-${n}`), // gone with the job
      RUNNER_ENVIRONMENT: "github-hosted",
    });
    const key = `claude-tasks-claude-code-2.1.329-${process.platform}-${process.arch}`;
    expect(claudeCacheKey("2.1.329")).toBe(key);
    const first = await ensureClaude({ version: "2.1.329", env: job(1), cache });
    expect(first.source).toBe("installed");
    expect(first.dir).toBe(claudeToolDir("2.1.329", job(1)));
    expect(existsSync(join(root, "hosted-tools-1", "claude-code"))).toBe(false); // no copy that would vanish
    const second = await ensureClaude({ version: "2.1.329", env: job(2), cache });
    expect(second).toMatchObject({ source: "actions-cache", dir: claudeToolDir("2.1.329", job(2)) });
    expect(execFileSync(second.path, { encoding: "utf8" })).toContain("2.1.329");
    expect(calls).toEqual([`restore ${key}`, `save ${key}`, `restore ${key}`]);
    expect(readFileSync(npm.log, "utf8").match(/^install /gm)).toHaveLength(1);
  });

  it("never fails a run because the cache service fails, and skips it when the job has none", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const broken: CacheService = {
      restore: () => Promise.reject(new Error("cache service unavailable (503)")),
      save: () => Promise.reject(new Error("cache service unavailable (503)")),
    };
    const warnings: string[] = [];
    const debug: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (m: string) => warnings.push(m),
      debug: (m: string) => debug.push(m),
    };
    const env = { PATH: `${npm.bin}:/usr/bin:/bin`, RUNNER_TEMP: join(root, "t") };
    const r = await ensureClaude({ version: "2.1.329", env, cache: broken, logger });
    expect(r.source).toBe("installed");
    expect(warnings).toEqual([
      "could not restore Claude Code from the Actions cache: cache service unavailable (503)",
      "could not save Claude Code to the Actions cache: cache service unavailable (503)",
    ]);
    // no ACTIONS_CACHE_URL / ACTIONS_RUNTIME_TOKEN: the default service is skipped with a debug line
    const again = await ensureClaude({
      version: "2.1.329",
      env: { ...env, RUNNER_TEMP: join(root, "t2") },
      logger,
    });
    expect(again.source).toBe("installed");
    expect(debug).toContain(
      "the Actions cache service is not available to this job: Claude Code is not cached across runs",
    );
  });

  it("installs under RUNNER_TEMP", () => {
    expect(claudeToolDir("2.1.329", { RUNNER_TEMP: "/tmp/r" })).toBe(
      "/tmp/r/claude-tasks-tools/claude-code/2.1.329",
    );
  });

  it("a failed install says what npm said and leaves nothing half-installed", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const env = {
      PATH: `${npm.bin}:/usr/bin:/bin`,
      RUNNER_TOOL_CACHE: join(root, "tc"),
      RUNNER_TEMP: join(root, "rt"),
      FAKE_NPM_MODE: "fail",
    };
    const p = ensureClaude({ version: "9.9.9", env });
    await expect(p).rejects.toThrow(ClaudeInstallError);
    await expect(ensureClaude({ version: "9.9.9", env })).rejects.toThrow(
      /failed \(exit 1\): npm ERR! 404 Not Found/,
    );
    expect(existsSync(join(root, "tc", "claude-code", "9.9.9"))).toBe(false);
    expect(existsSync(claudeToolDir("9.9.9", env))).toBe(false);
    // a package without the executable is an error too
    await expect(ensureClaude({ version: "9.9.9", env: { ...env, FAKE_NPM_MODE: "nobin" } })).rejects.toThrow(
      /no `claude` executable/,
    );
  });

  it("times out with a clear message", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const env = {
      PATH: `${npm.bin}:/usr/bin:/bin`,
      RUNNER_TOOL_CACHE: join(root, "tc"),
      RUNNER_TEMP: join(root, "rt"),
      FAKE_NPM_MODE: "hang",
    };
    await expect(ensureClaude({ version: "2.1.329", env, timeoutMs: 300 })).rejects.toThrow(
      /did not finish within 0s/,
    );
  });

  it("refuses a version that is not exact, and explains a missing npm", async () => {
    await expect(ensureClaude({ version: "latest", env: { PATH: "" } })).rejects.toThrow(UserError);
    await expect(ensureClaude({ version: "2.1.329", env: { PATH: temp() } })).rejects.toThrow(
      /npm was not found on PATH/,
    );
  });
});
