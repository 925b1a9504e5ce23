import { realpathSync } from "node:fs";
import type { Command } from "commander";
import { UserError } from "../../engine/errors.ts";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { systemHost } from "../../engine/local/host.ts";
import { inspectLock } from "../../engine/local/lock.ts";
import {
  detectManager,
  installSchedule,
  readManifest,
  type ServiceHost,
  uninstallSchedule,
} from "../../engine/local/service.ts";
import { readTickRecord } from "../../engine/local/tick.ts";
import { findOnPath } from "../../engine/process/path.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { globals, validProject } from "../context.ts";
import { print, printJson } from "../output.ts";
import type { ScheduleInstallFlags } from "./flags.ts";

function host(): ServiceHost {
  return systemHost();
}

async function repo(cmd: Command): Promise<{ root: string; state: string }> {
  const root = await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  return { root, state: await stateDir(createGit({ cwd: root })) };
}

export async function scheduleInstall(flags: ScheduleInstallFlags, cmd: Command): Promise<void> {
  if (flags.every > 59) throw new UserError("--every: at most 59 minutes");
  if (60 % flags.every !== 0)
    throw new UserError(`--every ${flags.every}: use a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)`);
  const project = await validProject(cmd); // a timer for invalid task files would fail every few minutes
  const { state } = await repo(cmd);
  const h = host();
  const kind = flags.manager ?? (await detectManager(h));
  if (!kind)
    throw new UserError(
      "no service manager found: neither systemd (systemctl --user) nor launchd nor crontab",
    );
  const claude = process.env.CLAUDE_TASKS_CLAUDE || findOnPath("claude");
  const cli = realpathSync(process.argv[1]!);
  const tickArgs = [
    ...(flags.pr ? ["--pr"] : []),
    ...(flags.isolation ? ["--isolation", flags.isolation] : []),
  ];
  const r = await installSchedule(
    {
      repoRoot: project.repoRoot,
      stateDir: state,
      node: process.execPath,
      cli,
      ...(claude ? { claude } : {}),
      path: process.env.PATH ?? "/usr/bin:/bin",
      intervalMinutes: flags.every,
      tickArgs,
      watch: Boolean(flags.watch),
    },
    h,
    kind,
  );
  if (flags.json) {
    printJson(r);
    return;
  }
  const m = r.manifest;
  print(
    `${r.changed.length > 0 ? "installed" : "already installed"}: tick every ${m.intervalMinutes} min with ${m.kind}`,
  );
  for (const f of m.files) print(`  ${f.path}`);
  if (m.kind === "cron") print("  a marked block in your crontab (`crontab -l`)");
  for (const t of r.todo) print(`systemctl is not usable here; run yourself: ${t}`);
  if (!claude && project.tasks.some((t) => t.kind === "claude"))
    print("warning: `claude` is not on PATH; set CLAUDE_TASKS_CLAUDE and install again");
  print(
    `credentials: put ANTHROPIC_API_KEY / GITHUB_TOKEN (if needed) in ${m.envFile} (chmod 600), or log in with \`claude\``,
  );
  print(`logs: ${m.logs}`);
}

export async function scheduleUninstall(cmd: Command): Promise<void> {
  const { state } = await repo(cmd);
  const r = await uninstallSchedule(state, host());
  if (!r) {
    print("nothing installed for this repository");
    return;
  }
  print("uninstalled:");
  for (const f of r.removed) print(`  ${f}`);
}

export async function scheduleStatus(flags: { json?: boolean }, cmd: Command): Promise<void> {
  const { state } = await repo(cmd);
  const manifest = await readManifest(state);
  const record = await readTickRecord(state);
  const lock = await inspectLock({ dir: state, name: "tick" });
  if (flags.json) {
    printJson({ installed: manifest ?? null, ...record, lock: lock ?? null });
    return;
  }
  if (!manifest) print("no timer installed (`claude-tasks schedule install`)");
  else {
    print(`installed: tick every ${manifest.intervalMinutes} min with ${manifest.kind} (${manifest.id})`);
    for (const f of manifest.files) print(`  ${f.path}`);
    print(`logs: ${manifest.logs}`);
  }
  const t = record.lastTick;
  print(t ? `last tick: ${t.at}${t.tasks.length === 0 ? " (nothing due)" : ""}` : "last tick: never");
  const run = record.lastRun;
  if (run) {
    const died = run.status === "running" && (lock === undefined || lock.stale);
    print(
      `last run: ${run.at} ${run.tasks.join(", ")} — ${died ? "interrupted (the tick ended during the run; see `claude-tasks backups`)" : run.status}${run.runId ? ` (run ${run.runId}; \`claude-tasks logs\`)` : ""}`,
    );
  }
  if (lock && !lock.stale)
    print(`running now: pid ${lock.holder?.pid ?? "?"} since ${lock.holder?.startedAt ?? "?"}`);
}
