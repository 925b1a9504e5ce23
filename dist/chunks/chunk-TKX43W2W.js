import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  UserError,
  orIfMissing
} from "./chunk-FNPOHAIZ.js";

// src/engine/local/service.ts
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
var MANIFEST = "schedule.json";
function serviceId(stateDir, repoRoot) {
  const name = basename(repoRoot).replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40) || "repo";
  return `claude-tasks-${name}-${createHash("sha256").update(stateDir).digest("hex").slice(0, 8)}`;
}
function envFilePath(home) {
  return join(home, ".config", "claude-tasks", "env");
}
function logFilePath(stateDir) {
  return join(stateDir, "schedule.log");
}
async function detectManager(host) {
  if (host.platform === "darwin") return "launchd";
  if (host.platform === "linux" && await host.has("systemctl")) {
    const r = await host.exec("systemctl", ["--user", "show-environment"]);
    if (r.code === 0) return "systemd";
  }
  return await host.has("crontab") ? "cron" : void 0;
}
function command(spec, host, sub) {
  const args = sub === "tick" ? ["tick", "--quiet", ...spec.tickArgs] : ["watch", ...spec.tickArgs];
  return [spec.node, `--env-file-if-exists=${envFilePath(host.home)}`, spec.cli, ...args];
}
function environment(spec) {
  return { PATH: spec.path, ...spec.claude ? { CLAUDE_TASKS_CLAUDE: spec.claude } : {} };
}
function sdQuote(word) {
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}
function sdPath(path) {
  return path.replace(/%/g, "%%");
}
function systemdUnits(spec, host, id) {
  const env = Object.entries(environment(spec)).map(([k, v]) => `Environment=${sdQuote(`${k}=${v}`)}`).join("\n");
  const service = (sub, extra) => [
    "[Unit]",
    `Description=claude-tasks ${sub} in ${spec.repoRoot.replace(/%/g, "%%")}`,
    "",
    "[Service]",
    extra,
    `WorkingDirectory=${sdPath(spec.repoRoot)}`,
    env,
    `ExecStart=${command(spec, host, sub).map(sdQuote).join(" ")}`,
    ""
  ].join("\n");
  const units = {
    [`${id}.service`]: service("tick", "Type=oneshot"),
    [`${id}.timer`]: [
      "[Unit]",
      `Description=claude-tasks tick every ${spec.intervalMinutes} min in ${spec.repoRoot.replace(/%/g, "%%")}`,
      "",
      "[Timer]",
      `OnCalendar=*-*-* *:00/${spec.intervalMinutes}:00`,
      "Persistent=true",
      "AccuracySec=30s",
      "",
      "[Install]",
      "WantedBy=timers.target",
      ""
    ].join("\n")
  };
  if (spec.watch) {
    units[`${id}-watch.service`] = `${service("watch", "Type=simple\nRestart=on-failure\nRestartSec=30s")}
[Install]
WantedBy=default.target
`;
  }
  return units;
}
function xml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function launchdPlist(spec, host, label, sub) {
  const strings = (items) => items.map((s) => `		<string>${xml(s)}</string>`).join("\n");
  const env = Object.entries(environment(spec)).map(([k, v]) => `		<key>${xml(k)}</key>
		<string>${xml(v)}</string>`).join("\n");
  const log = xml(logFilePath(spec.stateDir));
  const when = sub === "tick" ? `	<key>StartInterval</key>
	<integer>${spec.intervalMinutes * 60}</integer>
	<key>RunAtLoad</key>
	<true/>` : "	<key>KeepAlive</key>\n	<true/>\n	<key>RunAtLoad</key>\n	<true/>";
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>${xml(label)}</string>
	<key>ProgramArguments</key>
	<array>
${strings(command(spec, host, sub))}
	</array>
	<key>WorkingDirectory</key>
	<string>${xml(spec.repoRoot)}</string>
	<key>EnvironmentVariables</key>
	<dict>
${env}
	</dict>
${when}
	<key>StandardOutPath</key>
	<string>${log}</string>
	<key>StandardErrorPath</key>
	<string>${log}</string>
</dict>
</plist>
`;
}
function sh(word) {
  return /^[A-Za-z0-9_./=:@+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
function cronBlock(spec, host, id) {
  const env = Object.entries(environment(spec)).map(([k, v]) => `${k}=${sh(v)}`).join(" ");
  const line = `cd ${sh(spec.repoRoot)} && ${env} ${command(spec, host, "tick").map(sh).join(" ")} >> ${sh(logFilePath(spec.stateDir))} 2>&1`;
  const schedule = `*/${spec.intervalMinutes} * * * *`;
  return `${cronBegin(id)}
${schedule} ${line.replace(/%/g, "\\%")}
${cronEnd(id)}
`;
}
var cronBegin = (id) => `# BEGIN ${id} (written by \`claude-tasks schedule install\`; removed by \`schedule uninstall\`)`;
var cronEnd = (id) => `# END ${id}`;
function removeCronBlock(crontab, id) {
  const lines = crontab.split("\n");
  const out = [];
  let inside = false;
  for (const line of lines) {
    if (!inside && line.startsWith(`# BEGIN ${id} `)) inside = true;
    else if (inside && line === cronEnd(id)) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("\n");
}
async function installSchedule(spec, host, kind, now = /* @__PURE__ */ new Date()) {
  if (spec.watch && kind === "cron")
    throw new UserError("`--watch` needs systemd or launchd; with cron, run `claude-tasks watch` yourself");
  for (const [what, value] of Object.entries({
    "the repository path": spec.repoRoot,
    node: spec.node,
    "the CLI path": spec.cli,
    claude: spec.claude ?? "",
    PATH: spec.path,
    HOME: host.home
  })) {
    if (/[\u0000-\u001f\u007f]/.test(value))
      throw new UserError(
        `${what} ${JSON.stringify(value)} contains a control character; cannot install a timer for it`
      );
  }
  const id = serviceId(spec.stateDir, spec.repoRoot);
  const previous = await readManifest(spec.stateDir);
  if (previous && previous.kind !== kind) await uninstallSchedule(spec.stateDir, host);
  const files = [];
  const changed = [];
  const ran = [];
  const todo = [];
  const put = async (path, text, role) => {
    files.push({ path, role });
    const before = await orIfMissing(readFile(path, "utf8"), void 0);
    if (before === text) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    changed.push(path);
  };
  const run = async (cmd, args, opts = {}) => {
    const text = [cmd, ...args].join(" ");
    const r = await host.exec(cmd, args, opts.input !== void 0 ? { input: opts.input } : {});
    ran.push(text);
    if (r.code !== 0 && !opts.mayFail)
      throw new UserError(`\`${text}\` failed: ${r.stderr.trim().split("\n")[0] ?? `exit ${r.code}`}`);
    return r;
  };
  let units = [];
  let logs;
  let cronMarker;
  if (kind === "systemd") {
    const dir = join(host.home, ".config", "systemd", "user");
    for (const [name, text] of Object.entries(systemdUnits(spec, host, id)))
      await put(join(dir, name), text, `systemd unit ${name}`);
    units = [`${id}.timer`, ...spec.watch ? [`${id}-watch.service`] : []];
    logs = `journalctl --user -u ${id}.service${spec.watch ? ` -u ${id}-watch.service` : ""}`;
    if (await host.has("systemctl") && (await host.exec("systemctl", ["--user", "show-environment"])).code === 0) {
      await run("systemctl", ["--user", "daemon-reload"]);
      await run("systemctl", ["--user", "enable", "--now", ...units]);
    } else todo.push(`systemctl --user daemon-reload && systemctl --user enable --now ${units.join(" ")}`);
  } else if (kind === "launchd") {
    const dir = join(host.home, "Library", "LaunchAgents");
    const labels = [id, ...spec.watch ? [`${id}-watch`] : []];
    for (const label of labels) {
      const path = join(dir, `${label}.plist`);
      await put(
        path,
        launchdPlist(spec, host, label, label === id ? "tick" : "watch"),
        `launchd agent ${label}`
      );
      await run("launchctl", ["bootout", `gui/${host.uid}/${label}`], { mayFail: true });
      await run("launchctl", ["bootstrap", `gui/${host.uid}`, path]);
    }
    units = labels;
    logs = logFilePath(spec.stateDir);
  } else {
    const current = await readCrontab(host);
    const without = removeCronBlock(current, id).replace(/\n*$/, "");
    const next = `${without ? `${without}
` : ""}${cronBlock(spec, host, id)}`;
    if (next !== current) {
      await run("crontab", ["-"], { input: next });
      changed.push("crontab");
    }
    cronMarker = id;
    logs = logFilePath(spec.stateDir);
  }
  if (previous) {
    for (const f of previous.files) {
      if (!files.some((x) => x.path === f.path)) await rm(f.path, { force: true });
    }
  }
  const manifest = {
    version: 1,
    kind,
    id,
    installedAt: now.toISOString(),
    intervalMinutes: spec.intervalMinutes,
    tickArgs: [...spec.tickArgs],
    watch: spec.watch,
    files,
    ...cronMarker ? { cronMarker } : {},
    units,
    logs,
    envFile: envFilePath(host.home),
    node: spec.node,
    cli: spec.cli
  };
  await mkdir(spec.stateDir, { recursive: true });
  await writeFile(join(spec.stateDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}
`);
  return { manifest, changed, ran, todo };
}
async function uninstallSchedule(stateDir, host) {
  const m = await readManifest(stateDir);
  if (!m) return void 0;
  const removed = [];
  const ran = [];
  const run = async (cmd, args, input) => {
    ran.push([cmd, ...args].join(" "));
    return host.exec(cmd, args, input !== void 0 ? { input } : {});
  };
  const systemdUsable = m.kind === "systemd" && await host.has("systemctl") && (await host.exec("systemctl", ["--user", "show-environment"])).code === 0;
  if (systemdUsable) await run("systemctl", ["--user", "disable", "--now", ...m.units]);
  if (m.kind === "launchd")
    for (const label of m.units) await run("launchctl", ["bootout", `gui/${host.uid}/${label}`]);
  if (m.kind === "cron" && m.cronMarker) {
    const current = await readCrontab(host);
    const next = removeCronBlock(current, m.cronMarker);
    if (next !== current) {
      await run("crontab", ["-"], next);
      removed.push("crontab entry");
    }
  }
  for (const f of m.files) {
    await rm(f.path, { force: true });
    removed.push(f.path);
  }
  if (systemdUsable) await run("systemctl", ["--user", "daemon-reload"]);
  await rm(join(stateDir, MANIFEST), { force: true });
  return { removed, ran };
}
async function readManifest(stateDir) {
  try {
    const m = JSON.parse(await readFile(join(stateDir, MANIFEST), "utf8"));
    return m.version === 1 && Array.isArray(m.files) ? m : void 0;
  } catch {
    return void 0;
  }
}
async function readCrontab(host) {
  const r = await host.exec("crontab", ["-l"]);
  return r.code === 0 ? r.stdout : "";
}

export {
  detectManager,
  installSchedule,
  uninstallSchedule,
  readManifest
};
