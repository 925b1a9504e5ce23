import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClaudeInstallError, claudeToolDir, ensureClaude } from "../../src/action/claude-install.ts";
import { UserError } from "../../src/engine/errors.ts";

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

  it("installs the pinned version into the tool cache once, then reuses it", async () => {
    const root = temp();
    const npm = fakeNpm(root);
    const cache = join(root, "toolcache");
    const env = {
      PATH: `${npm.bin}:/usr/bin:/bin`,
      RUNNER_TOOL_CACHE: cache,
      INPUT_X: "secret-input",
      GITHUB_TOKEN: "ghs_x",
      ANTHROPIC_API_KEY: "sk",
    };
    const first = await ensureClaude({ version: "2.1.329", env });
    const dir = join(cache, "claude-code", "2.1.329");
    expect(first).toEqual({ path: join(dir, "node_modules", ".bin", "claude"), source: "installed", dir });
    expect(existsSync(`${dir}.complete`)).toBe(true);
    const log = readFileSync(npm.log, "utf8");
    expect(log).toMatch(/^install --prefix \S+ .*@anthropic-ai\/claude-code@2\.1\.329$/m);
    // npm and the package's install script see no inputs or tokens
    expect(log).not.toMatch(/INPUT_|GITHUB_TOKEN|ANTHROPIC_API_KEY/);
    const second = await ensureClaude({ version: "2.1.329", env });
    expect(second.source).toBe("cache");
    expect(readFileSync(npm.log, "utf8").match(/^install /gm)).toHaveLength(1);
  });

  it("installs under RUNNER_TEMP without a tool cache", () => {
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
      FAKE_NPM_MODE: "fail",
    };
    const p = ensureClaude({ version: "9.9.9", env });
    await expect(p).rejects.toThrow(ClaudeInstallError);
    await expect(ensureClaude({ version: "9.9.9", env })).rejects.toThrow(
      /failed \(exit 1\): npm ERR! 404 Not Found/,
    );
    expect(existsSync(join(root, "tc", "claude-code", "9.9.9"))).toBe(false);
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
