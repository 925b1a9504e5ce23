import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCollect } from "../support/cli.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";

const CLI = resolve("dist/cli.js");

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return spawnCollect(process.execPath, [CLI, ...args], { cwd, env });
}

/** `crontab` and `systemctl` stand-ins that keep the crontab in a file and log every call. */
async function fakeManagers(repo: TestRepo): Promise<{ env: NodeJS.ProcessEnv; bin: string; log: string }> {
  const bin = join(repo.root, "bin");
  const log = join(repo.root, "calls.log");
  const tab = join(repo.root, "crontab.txt");
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, "crontab"),
    `#!/bin/sh\necho "crontab $*" >> '${log}'\nif [ "$1" = "-l" ]; then [ -f '${tab}' ] || { echo "no crontab" >&2; exit 1; }; cat '${tab}'; else cat > '${tab}'; fi\n`,
  );
  await writeFile(join(bin, "systemctl"), `#!/bin/sh\necho "systemctl $*" >> '${log}'\n`);
  await chmod(join(bin, "crontab"), 0o755);
  await chmod(join(bin, "systemctl"), 0o755);
  const env = {
    ...process.env,
    ...repo.env,
    PATH: `${bin}:${resolve("node_modules/.bin")}:/usr/bin:/bin`,
    NO_COLOR: "1",
  } as NodeJS.ProcessEnv;
  return { env, bin, log };
}

describe("claude-tasks schedule (built CLI)", () => {
  it("cron: install twice (one block), status and doctor see it, uninstall leaves the crontab as it was", async () => {
    await using repo = await makeRepo({
      files: { ".github/claude-tasks/stamp.yml": 'run: "true"\nschedule: "@hourly"\n' },
    });
    const { env } = await fakeManagers(repo);
    const tab = join(repo.root, "crontab.txt");
    await writeFile(tab, "0 3 * * * /usr/bin/backup\n");
    const first = await cli(["schedule", "install", "--manager", "cron"], repo.path, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^installed: tick every 5 min with cron/);
    expect(first.stdout).toMatch(/logs: .*schedule\.log/);
    const second = await cli(["schedule", "install", "--manager", "cron"], repo.path, env);
    expect(second.stdout).toMatch(/^already installed/);
    const text = await readFile(tab, "utf8");
    expect(text.match(/# BEGIN claude-tasks-/g)).toHaveLength(1);
    expect(text).toContain(`${resolve("dist/cli.js")} tick --quiet`);
    expect(text).not.toMatch(/ANTHROPIC|sk-/);

    const status = await cli(["schedule", "status"], repo.path, env);
    expect(status.stdout).toMatch(/installed: tick every 5 min with cron/);
    expect(status.stdout).toMatch(/last tick: never/);
    const doctor = JSON.parse((await cli(["doctor", "--json"], repo.path, env)).stdout);
    expect(doctor.checks.find((c: { id: string }) => c.id === "local-schedule")).toMatchObject({
      status: "ok",
    });

    const removed = await cli(["schedule", "uninstall"], repo.path, env);
    expect(removed.code).toBe(0);
    expect(await readFile(tab, "utf8")).toBe("0 3 * * * /usr/bin/backup\n");
    expect((await cli(["schedule", "status"], repo.path, env)).stdout).toMatch(/no timer installed/);
  });

  it("systemd: units in ~/.config/systemd/user, enabled; uninstall disables and removes them", async () => {
    await using repo = await makeRepo({
      files: { ".github/claude-tasks/stamp.yml": 'run: "true"\nschedule: "@hourly"\n' },
    });
    const { env, log } = await fakeManagers(repo);
    const r = await cli(["schedule", "install", "--every", "10", "--watch"], repo.path, env);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(repo.env.HOME!, ".config", "systemd", "user");
    const units = (await readdir(dir)).sort();
    expect(units.map((u) => u.replace(/-[0-9a-f]{8}/, "-ID"))).toEqual([
      "claude-tasks-repo-ID-watch.service",
      "claude-tasks-repo-ID.service",
      "claude-tasks-repo-ID.timer",
    ]);
    expect(await readFile(join(dir, units.find((u) => u.endsWith(".timer"))!), "utf8")).toContain(
      "OnCalendar=*-*-* *:00/10:00",
    );
    expect(r.stdout).toMatch(/logs: journalctl --user -u claude-tasks-repo-\w+\.service/);
    const calls = await readFile(log, "utf8");
    expect(calls).toMatch(
      /systemctl --user daemon-reload\nsystemctl --user enable --now \S+\.timer \S+-watch\.service/,
    );
    expect((await cli(["schedule", "install", "--every", "7"], repo.path, env)).stderr).toMatch(
      /divisor of 60/,
    );
    await cli(["schedule", "uninstall"], repo.path, env);
    expect(await readdir(dir)).toEqual([]);
    expect(await readFile(log, "utf8")).toMatch(/systemctl --user disable --now/);
  });
});
