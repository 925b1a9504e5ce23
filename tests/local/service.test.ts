import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cronBlock,
  detectManager,
  installSchedule,
  readManifest,
  removeCronBlock,
  type ServiceHost,
  type ServiceSpec,
  uninstallSchedule,
} from "../../src/engine/local/service.ts";

const hasAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

interface FakeHost extends ServiceHost {
  calls: string[];
  crontab: string | undefined;
}

function fakeHost(home: string, platform: NodeJS.Platform, systemdUsable = true): FakeHost {
  const host: FakeHost = {
    platform,
    home,
    uid: 1234,
    calls: [],
    crontab: undefined,
    async exec(cmd, args, opts = {}) {
      host.calls.push([cmd, ...args].join(" "));
      if (cmd === "systemctl") return { code: systemdUsable ? 0 : 1, stdout: "", stderr: "" };
      if (cmd === "crontab" && args[0] === "-l")
        return host.crontab === undefined
          ? { code: 1, stdout: "", stderr: "no crontab for test" }
          : { code: 0, stdout: host.crontab, stderr: "" };
      if (cmd === "crontab" && args[0] === "-") {
        host.crontab = opts.input ?? "";
        return { code: 0, stdout: "", stderr: "" };
      }
      return { code: 0, stdout: "", stderr: "" };
    },
    async has(cmd) {
      return platform === "linux"
        ? cmd !== "launchctl" && (cmd !== "systemctl" || systemdUsable)
        : cmd !== "systemctl";
    },
  };
  return host;
}

let root: string;
let home: string;
let spec: ServiceSpec;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ct-service-"));
  home = join(root, "home");
  spec = {
    repoRoot: join(root, "my repo 100%"), // a space and a `%`: both must survive quoting
    stateDir: join(root, "my repo 100%", ".git", "claude-tasks"),
    node: process.execPath,
    cli: join(root, "cli.js"),
    claude: "/opt/claude/bin/claude",
    path: "/usr/local/bin:/usr/bin:/bin",
    intervalMinutes: 5,
    tickArgs: ["--pr"],
    watch: false,
  };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under HOME, relative to it, sorted. */
async function homeFiles(): Promise<string[]> {
  const out = (await readdir(home, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(home.length + 1));
  return out.sort();
}

describe("schedule install / uninstall", () => {
  it("systemd: a user timer and service, enabled; idempotent; uninstall removes exactly them", async () => {
    const host = fakeHost(home, "linux");
    expect(await detectManager(host)).toBe("systemd");
    const first = await installSchedule(spec, host, "systemd");
    const files = await homeFiles();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.startsWith(".config/systemd/user/claude-tasks-my_repo_100_-"))).toBe(true);
    expect(host.calls).toContain("systemctl --user daemon-reload");
    expect(host.calls.some((c) => /^systemctl --user enable --now claude-tasks-.*\.timer$/.test(c))).toBe(
      true,
    );
    const service = await readFile(join(home, files.find((f) => f.endsWith(".service"))!), "utf8");
    expect(service).toContain(`WorkingDirectory=${spec.repoRoot.replace("%", "%%")}`);
    expect(service).toContain(
      `"${process.execPath}" "--env-file-if-exists=${home}/.config/claude-tasks/env"`,
    );
    expect(service).toContain('"tick" "--quiet" "--pr"');
    expect(service).toContain('Environment="CLAUDE_TASKS_CLAUDE=/opt/claude/bin/claude"');
    expect(service).not.toMatch(/ANTHROPIC|GITHUB_TOKEN|sk-/);
    const timer = await readFile(join(home, files.find((f) => f.endsWith(".timer"))!), "utf8");
    expect(timer).toContain("OnCalendar=*-*-* *:00/5:00");
    expect(first.manifest.logs).toMatch(/^journalctl --user -u claude-tasks-.*\.service$/);

    if (hasAnalyze) {
      // the real systemd parser: no warnings about these units (the CLI script need not exist)
      const dir = join(home, ".config/systemd/user");
      const r = spawnSync("systemd-analyze", ["verify", "--man=no", ...files.map((f) => join(home, f))], {
        encoding: "utf8",
        env: { ...process.env, SYSTEMD_LOG_LEVEL: "warning" },
        cwd: dir,
      });
      expect(r.stderr.split("\n").filter((l) => l.includes(dir))).toEqual([]);
    }

    const again = await installSchedule(spec, host, "systemd");
    expect(again.changed).toEqual([]);
    expect(await homeFiles()).toEqual(files);

    host.calls.length = 0;
    const removed = await uninstallSchedule(spec.stateDir, host);
    expect(removed?.removed.sort()).toEqual(files.map((f) => join(home, f)).sort());
    host.calls.splice(0, host.calls.length, ...host.calls.filter((c) => !c.endsWith("show-environment")));
    expect(host.calls[0]).toMatch(/^systemctl --user disable --now claude-tasks-.*\.timer$/);
    expect(host.calls.at(-1)).toBe("systemctl --user daemon-reload");
    expect(await homeFiles()).toEqual([]);
    expect(await readManifest(spec.stateDir)).toBeUndefined();
    expect(await uninstallSchedule(spec.stateDir, host)).toBeUndefined();
  });

  it("systemd --watch adds a watcher service; installing again without it removes that one", async () => {
    const host = fakeHost(home, "linux");
    await installSchedule({ ...spec, watch: true }, host, "systemd");
    expect((await homeFiles()).filter((f) => f.endsWith("-watch.service"))).toHaveLength(1);
    const watch = await readFile(
      join(home, (await homeFiles()).find((f) => f.endsWith("-watch.service"))!),
      "utf8",
    );
    expect(watch).toContain('"watch" "--pr"');
    expect(watch).toContain("Restart=on-failure");
    await installSchedule(spec, host, "systemd");
    expect((await homeFiles()).filter((f) => f.endsWith("-watch.service"))).toEqual([]);
  });

  it("systemd without a usable systemctl: files written, the commands to run are returned", async () => {
    const host = fakeHost(home, "linux", false);
    expect(await detectManager(host)).toBe("cron");
    const r = await installSchedule(spec, host, "systemd");
    expect(r.todo[0]).toMatch(/^systemctl --user daemon-reload && systemctl --user enable --now /);
    expect(host.calls.filter((c) => !c.endsWith("show-environment"))).toEqual([]);
  });

  it("launchd: a plist that parses, with exact arguments; bootstrap; uninstall boots out and removes it", async () => {
    const host = fakeHost(home, "darwin");
    expect(await detectManager(host)).toBe("launchd");
    await installSchedule({ ...spec, cli: join(root, "a&b <c>.js") }, host, "launchd");
    const files = await homeFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^Library\/LaunchAgents\/claude-tasks-.*\.plist$/);
    const plist = parsePlist(await readFile(join(home, files[0]!), "utf8"));
    expect(plist.ProgramArguments).toEqual([
      process.execPath,
      `--env-file-if-exists=${home}/.config/claude-tasks/env`,
      join(root, "a&b <c>.js"),
      "tick",
      "--quiet",
      "--pr",
    ]);
    expect(plist.WorkingDirectory).toBe(spec.repoRoot);
    expect(plist.StartInterval).toBe(300);
    expect(plist.EnvironmentVariables).toEqual({ PATH: spec.path, CLAUDE_TASKS_CLAUDE: spec.claude });
    expect(plist.StandardOutPath).toBe(join(spec.stateDir, "schedule.log"));
    const label = plist.Label as string;
    expect(host.calls).toContain(`launchctl bootstrap gui/1234 ${join(home, files[0]!)}`);
    host.calls.length = 0;
    await uninstallSchedule(spec.stateDir, host);
    expect(host.calls).toEqual([`launchctl bootout gui/1234/${label}`]);
    expect(await homeFiles()).toEqual([]);
  });

  it("cron: one marked block, idempotent, the user's other lines untouched; uninstall removes the block only", async () => {
    const host = fakeHost(home, "linux", false);
    host.crontab = "MAILTO=me@example.com\n0 3 * * * /usr/bin/backup\n";
    await installSchedule({ ...spec, tickArgs: [] }, host, "cron");
    const installed = host.crontab;
    expect(
      installed.startsWith("MAILTO=me@example.com\n0 3 * * * /usr/bin/backup\n# BEGIN claude-tasks-"),
    ).toBe(true);
    const line = installed.split("\n").find((l) => l.startsWith("*/5 "))!;
    expect(line).toContain("100\\%"); // `%` escaped for cron
    expect(line).toMatch(/>> '.*schedule\.log' 2>&1$/);
    // the command, run by a shell as cron runs it (`\%` is `%` again), starts node with exactly these
    // arguments in the repository: a stand-in for node records them
    const fakeNode = join(root, "fake node");
    await mkdir(spec.stateDir, { recursive: true });
    await writeFile(
      fakeNode,
      `#!/bin/sh\npwd > "${root}/cwd"\nprintf '%s\\n' "$@" > "${root}/args"\necho "$CLAUDE_TASKS_CLAUDE" >> "${root}/args"\n`,
      { mode: 0o755 },
    );
    const probe = await (async () => {
      const h = fakeHost(home, "linux", false);
      await installSchedule({ ...spec, node: fakeNode, tickArgs: [] }, h, "cron");
      return h.crontab!.split("\n").find((l) => l.startsWith("*/5 "))!;
    })();
    execFileSync("sh", ["-c", probe.slice("*/5 * * * * ".length).replace(/\\%/g, "%")]);
    expect((await readFile(join(root, "args"), "utf8")).split("\n")).toEqual([
      `--env-file-if-exists=${home}/.config/claude-tasks/env`,
      spec.cli,
      "tick",
      "--quiet",
      "/opt/claude/bin/claude",
      "",
    ]);
    expect((await readFile(join(root, "cwd"), "utf8")).trim()).toBe(spec.repoRoot);
    await uninstallSchedule(spec.stateDir, fakeHost(home, "linux", false));
    await installSchedule({ ...spec, tickArgs: [] }, host, "cron");
    expect(host.crontab).toBe(installed);
    await uninstallSchedule(spec.stateDir, host);
    expect(host.crontab).toBe("MAILTO=me@example.com\n0 3 * * * /usr/bin/backup\n");
    expect(await homeFiles()).toEqual([]);
  });

  it("a path with a line break cannot add a line to the crontab or a directive to a unit", async () => {
    const evil = { ...spec, repoRoot: join(root, "x\n* * * * * touch /tmp/pwned\n") };
    for (const kind of ["cron", "systemd", "launchd"] as const) {
      const host = fakeHost(home, "linux");
      await expect(installSchedule(evil, host, kind)).rejects.toThrow(/control character/);
      expect(host.crontab).toBeUndefined();
    }
    expect(await homeFiles()).toEqual([]);
  });

  it("cron refuses --watch (it cannot keep a process running)", async () => {
    await expect(
      installSchedule({ ...spec, watch: true }, fakeHost(home, "linux", false), "cron"),
    ).rejects.toThrow(/--watch.*systemd or launchd/);
  });

  it("removeCronBlock leaves a look-alike block of another repository alone", () => {
    const a = cronBlock(spec, fakeHost(home, "linux"), "claude-tasks-a-1");
    const ab = cronBlock(spec, fakeHost(home, "linux"), "claude-tasks-a-12");
    expect(removeCronBlock(`${a}${ab}`, "claude-tasks-a-1")).toBe(ab);
  });
});

/** A minimal plist parser (plutil is not available): dict, array, string, integer, true/false. */
function parsePlist(text: string): Record<string, unknown> {
  const tokens = [
    ...text.replace(/<\?xml[^>]*>|<!DOCTYPE[^>]*>/g, "").matchAll(/<(\/?)(\w+)(?:\s[^>]*?)?(\/?)>|([^<]+)/g),
  ];
  let i = 0;
  const unxml = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
  const next = () => {
    while (i < tokens.length && tokens[i]![4] !== undefined && tokens[i]![4]!.trim() === "") i++;
    return tokens[i++]!;
  };
  const value = (open: RegExpMatchArray): unknown => {
    const tag = open[2]!;
    if (open[3] === "/") return tag === "true" ? true : tag === "false" ? false : null;
    if (tag === "string" || tag === "integer" || tag === "key") {
      let t = tokens[i++]!;
      let body = "";
      if (t[4] !== undefined) {
        body = unxml(t[4]);
        t = tokens[i++]!;
      }
      if (t[1] !== "/" || t[2] !== tag) throw new Error(`bad <${tag}>`);
      return tag === "integer" ? Number(body) : body;
    }
    if (tag === "array") {
      const out: unknown[] = [];
      for (let t = next(); t[1] !== "/"; t = next()) out.push(value(t));
      return out;
    }
    if (tag === "dict") {
      const out: Record<string, unknown> = {};
      for (let t = next(); t[1] !== "/"; t = next()) out[value(t) as string] = value(next());
      return out;
    }
    throw new Error(`unexpected <${tag}>`);
  };
  const plist = next();
  if (plist[2] !== "plist") throw new Error("no <plist>");
  return value(next()) as Record<string, unknown>;
}
