import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  detectManager,
  installSchedule,
  readManifest,
  uninstallSchedule
} from "./chunk-TKX43W2W.js";
import {
  inspectLock,
  readTickRecord
} from "./chunk-2XB3KPM4.js";
import "./chunk-I2XT4IXD.js";
import "./chunk-G57XZF37.js";
import {
  globals,
  print,
  printJson,
  validProject
} from "./chunk-7NLGVGZU.js";
import "./chunk-OD55LRLJ.js";
import {
  findOnPath
} from "./chunk-AWNG4QJT.js";
import {
  requireRepoRoot
} from "./chunk-DUTI55RA.js";
import {
  UserError,
  createGit,
  runCommand,
  stateDir
} from "./chunk-FNPOHAIZ.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";

// src/cli/commands/schedule-action.ts
import { realpathSync } from "node:fs";

// src/engine/local/host.ts
import { homedir } from "node:os";
function systemHost(env = process.env) {
  return {
    platform: process.platform,
    home: env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    async exec(command, args, opts = {}) {
      const defined = Object.entries(env).filter((e) => e[1] !== void 0);
      const r = await runCommand(command, args, {
        env: Object.fromEntries(defined),
        ...opts.input !== void 0 ? { input: opts.input } : {},
        timeoutMs: 3e4
      });
      return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
    },
    async has(command) {
      return findOnPath(command, env.PATH) !== void 0;
    }
  };
}

// src/cli/commands/schedule-action.ts
function host() {
  return systemHost();
}
async function repo(cmd) {
  const root = await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  return { root, state: await stateDir(createGit({ cwd: root })) };
}
async function scheduleInstall(flags, cmd) {
  if (flags.every > 59) throw new UserError("--every: at most 59 minutes");
  if (60 % flags.every !== 0)
    throw new UserError(`--every ${flags.every}: use a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)`);
  const project = await validProject(cmd);
  const { state } = await repo(cmd);
  const h = host();
  const kind = flags.manager ?? await detectManager(h);
  if (!kind)
    throw new UserError(
      "no service manager found: neither systemd (systemctl --user) nor launchd nor crontab"
    );
  const claude = process.env.CLAUDE_TASKS_CLAUDE || findOnPath("claude");
  const cli = realpathSync(process.argv[1]);
  const tickArgs = [
    ...flags.pr ? ["--pr"] : [],
    ...flags.isolation ? ["--isolation", flags.isolation] : []
  ];
  const r = await installSchedule(
    {
      repoRoot: project.repoRoot,
      stateDir: state,
      node: process.execPath,
      cli,
      ...claude ? { claude } : {},
      path: process.env.PATH ?? "/usr/bin:/bin",
      intervalMinutes: flags.every,
      tickArgs,
      watch: Boolean(flags.watch)
    },
    h,
    kind
  );
  if (flags.json) {
    printJson(r);
    return;
  }
  const m = r.manifest;
  print(
    `${r.changed.length > 0 ? "installed" : "already installed"}: tick every ${m.intervalMinutes} min with ${m.kind}`
  );
  for (const f of m.files) print(`  ${f.path}`);
  if (m.kind === "cron") print("  a marked block in your crontab (`crontab -l`)");
  for (const t of r.todo) print(`systemctl is not usable here; run yourself: ${t}`);
  if (!claude && project.tasks.some((t) => t.kind === "claude"))
    print("warning: `claude` is not on PATH; set CLAUDE_TASKS_CLAUDE and install again");
  print(
    `credentials: put ANTHROPIC_API_KEY / GITHUB_TOKEN (if needed) in ${m.envFile} (chmod 600), or log in with \`claude\``
  );
  print(`logs: ${m.logs}`);
}
async function scheduleUninstall(cmd) {
  const { state } = await repo(cmd);
  const r = await uninstallSchedule(state, host());
  if (!r) {
    print("nothing installed for this repository");
    return;
  }
  print("uninstalled:");
  for (const f of r.removed) print(`  ${f}`);
}
async function scheduleStatus(flags, cmd) {
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
    const died = run.status === "running" && (lock === void 0 || lock.stale);
    print(
      `last run: ${run.at} ${run.tasks.join(", ")} \u2014 ${died ? "interrupted (the tick ended during the run; see `claude-tasks backups`)" : run.status}${run.runId ? ` (run ${run.runId}; \`claude-tasks logs\`)` : ""}`
    );
  }
  if (lock && !lock.stale)
    print(`running now: pid ${lock.holder?.pid ?? "?"} since ${lock.holder?.startedAt ?? "?"}`);
}
export {
  scheduleInstall,
  scheduleStatus,
  scheduleUninstall
};
