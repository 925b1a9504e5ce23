/**
 * `claude-tasks schedule install | uninstall | status`: a timer that runs `tick` in one repository
 * every few minutes, with the service manager the machine has:
 * - Linux with a usable `systemctl --user`: a user timer + service in `~/.config/systemd/user/`;
 * - macOS: a launchd agent in `~/Library/LaunchAgents/`, loaded with `launchctl bootstrap`;
 * - elsewhere: a marked block in the user's crontab.
 *
 * What runs is exact: the absolute node binary, the absolute CLI script, PATH as at install time, the
 * Claude Code binary (CLAUDE_TASKS_CLAUDE), the repository as working directory. Credentials are never
 * written into a unit: node reads the user's own file `~/.config/claude-tasks/env` when it exists
 * (`--env-file-if-exists`), else Claude Code uses the user's login. What install wrote is recorded in
 * `<git-common-dir>/claude-tasks/schedule.json`, so `uninstall` removes exactly that. All I/O on the
 * service manager goes through `ServiceHost`, so tests run against a temporary HOME.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.ts";
import { orIfMissing } from "../missing.ts";

export type ManagerKind = "systemd" | "launchd" | "cron";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The machine: platform, home, and the service manager's commands. Injected in tests. */
export interface ServiceHost {
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  exec(command: string, args: readonly string[], opts?: { input?: string }): Promise<ExecResult>;
  /** Whether a command exists on PATH. */
  has(command: string): Promise<boolean>;
}

export interface ServiceSpec {
  repoRoot: string;
  /** `<git-common-dir>/claude-tasks`. */
  stateDir: string;
  node: string;
  cli: string;
  claude?: string;
  path: string;
  intervalMinutes: number;
  /** Options for `tick` (`--pr`, `--isolation none` …). */
  tickArgs: readonly string[];
  /** Also run `watch` as a service (systemd, launchd). */
  watch: boolean;
}

export interface InstalledFile {
  path: string;
  /** What the file is, for people. */
  role: string;
}

export interface Manifest {
  version: 1;
  kind: ManagerKind;
  id: string;
  installedAt: string;
  intervalMinutes: number;
  tickArgs: string[];
  watch: boolean;
  files: InstalledFile[];
  /** The cron block's marker, for cron. */
  cronMarker?: string;
  /** systemd unit names / launchd labels enabled. */
  units: string[];
  logs: string;
  envFile: string;
  /** The programs the timer starts (they must still exist: a Node upgrade can remove one). */
  node: string;
  cli: string;
}

export const MANIFEST = "schedule.json";

export function serviceId(stateDir: string, repoRoot: string): string {
  const name =
    basename(repoRoot)
      .replace(/[^A-Za-z0-9_-]/g, "_")
      .slice(0, 40) || "repo";
  return `claude-tasks-${name}-${createHash("sha256").update(stateDir).digest("hex").slice(0, 8)}`;
}

export function envFilePath(home: string): string {
  return join(home, ".config", "claude-tasks", "env");
}

export function logFilePath(stateDir: string): string {
  return join(stateDir, "schedule.log");
}

/** Which manager this machine has: systemd when `systemctl --user` answers, launchd on macOS, else cron. */
export async function detectManager(host: ServiceHost): Promise<ManagerKind | undefined> {
  if (host.platform === "darwin") return "launchd";
  if (host.platform === "linux" && (await host.has("systemctl"))) {
    const r = await host.exec("systemctl", ["--user", "show-environment"]);
    if (r.code === 0) return "systemd";
  }
  return (await host.has("crontab")) ? "cron" : undefined;
}

// ---- the generated files ---------------------------------------------------------------------------

function command(spec: ServiceSpec, host: ServiceHost, sub: "tick" | "watch"): string[] {
  const args = sub === "tick" ? ["tick", "--quiet", ...spec.tickArgs] : ["watch", ...spec.tickArgs];
  return [spec.node, `--env-file-if-exists=${envFilePath(host.home)}`, spec.cli, ...args];
}

function environment(spec: ServiceSpec): Record<string, string> {
  return { PATH: spec.path, ...(spec.claude ? { CLAUDE_TASKS_CLAUDE: spec.claude } : {}) };
}

/** A word of a systemd command line or assignment: quoted, with `\`, `"`, `%` and `$` escaped. */
function sdQuote(word: string): string {
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

function sdPath(path: string): string {
  // WorkingDirectory= takes a path, not a quoted word; `%` is still a specifier
  return path.replace(/%/g, "%%");
}

export function systemdUnits(spec: ServiceSpec, host: ServiceHost, id: string): Record<string, string> {
  const env = Object.entries(environment(spec))
    .map(([k, v]) => `Environment=${sdQuote(`${k}=${v}`)}`)
    .join("\n");
  const service = (sub: "tick" | "watch", extra: string) =>
    [
      "[Unit]",
      `Description=claude-tasks ${sub} in ${spec.repoRoot.replace(/%/g, "%%")}`,
      "",
      "[Service]",
      extra,
      `WorkingDirectory=${sdPath(spec.repoRoot)}`,
      env,
      `ExecStart=${command(spec, host, sub).map(sdQuote).join(" ")}`,
      "",
    ].join("\n");
  const units: Record<string, string> = {
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
      "",
    ].join("\n"),
  };
  if (spec.watch) {
    units[`${id}-watch.service`] =
      `${service("watch", "Type=simple\nRestart=on-failure\nRestartSec=30s")}\n[Install]\nWantedBy=default.target\n`;
  }
  return units;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function launchdPlist(
  spec: ServiceSpec,
  host: ServiceHost,
  label: string,
  sub: "tick" | "watch",
): string {
  const strings = (items: readonly string[]) => items.map((s) => `\t\t<string>${xml(s)}</string>`).join("\n");
  const env = Object.entries(environment(spec))
    .map(([k, v]) => `\t\t<key>${xml(k)}</key>\n\t\t<string>${xml(v)}</string>`)
    .join("\n");
  const log = xml(logFilePath(spec.stateDir));
  const when =
    sub === "tick"
      ? `\t<key>StartInterval</key>\n\t<integer>${spec.intervalMinutes * 60}</integer>\n\t<key>RunAtLoad</key>\n\t<true/>`
      : "\t<key>KeepAlive</key>\n\t<true/>\n\t<key>RunAtLoad</key>\n\t<true/>";
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>${xml(label)}</string>
\t<key>ProgramArguments</key>
\t<array>
${strings(command(spec, host, sub))}
\t</array>
\t<key>WorkingDirectory</key>
\t<string>${xml(spec.repoRoot)}</string>
\t<key>EnvironmentVariables</key>
\t<dict>
${env}
\t</dict>
${when}
\t<key>StandardOutPath</key>
\t<string>${log}</string>
\t<key>StandardErrorPath</key>
\t<string>${log}</string>
</dict>
</plist>
`;
}

/** A POSIX shell word. */
function sh(word: string): string {
  return /^[A-Za-z0-9_./=:@+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

export function cronBlock(spec: ServiceSpec, host: ServiceHost, id: string): string {
  const env = Object.entries(environment(spec))
    .map(([k, v]) => `${k}=${sh(v)}`)
    .join(" ");
  const line = `cd ${sh(spec.repoRoot)} && ${env} ${command(spec, host, "tick").map(sh).join(" ")} >> ${sh(logFilePath(spec.stateDir))} 2>&1`;
  // `%` ends a cron command (the rest becomes its stdin) unless escaped
  const schedule = `*/${spec.intervalMinutes} * * * *`;
  return `${cronBegin(id)}\n${schedule} ${line.replace(/%/g, "\\%")}\n${cronEnd(id)}\n`;
}

const cronBegin = (id: string) =>
  `# BEGIN ${id} (written by \`claude-tasks schedule install\`; removed by \`schedule uninstall\`)`;
const cronEnd = (id: string) => `# END ${id}`;

/** The crontab without the block of `id` (exactly the lines between its markers, markers included). */
export function removeCronBlock(crontab: string, id: string): string {
  const lines = crontab.split("\n");
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (!inside && line.startsWith(`# BEGIN ${id} `)) inside = true;
    else if (inside && line === cronEnd(id)) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("\n");
}

// ---- install / uninstall / status -------------------------------------------------------------------

export interface InstallResult {
  manifest: Manifest;
  /** Files whose content changed (a second install with the same settings changes none). */
  changed: string[];
  /** Commands run on the service manager, and ones the user must run (when it is not usable). */
  ran: string[];
  todo: string[];
}

export async function installSchedule(
  spec: ServiceSpec,
  host: ServiceHost,
  kind: ManagerKind,
  now: Date = new Date(),
): Promise<InstallResult> {
  if (spec.watch && kind === "cron")
    throw new UserError("`--watch` needs systemd or launchd; with cron, run `claude-tasks watch` yourself");
  // a line break in a path would add a directive to a unit or a line to the crontab
  for (const [what, value] of Object.entries({
    "the repository path": spec.repoRoot,
    node: spec.node,
    "the CLI path": spec.cli,
    claude: spec.claude ?? "",
    PATH: spec.path,
    HOME: host.home,
  })) {
    if (/[\u0000-\u001f\u007f]/.test(value))
      throw new UserError(
        `${what} ${JSON.stringify(value)} contains a control character; cannot install a timer for it`,
      );
  }
  const id = serviceId(spec.stateDir, spec.repoRoot);
  const previous = await readManifest(spec.stateDir);
  if (previous && previous.kind !== kind) await uninstallSchedule(spec.stateDir, host);
  const files: InstalledFile[] = [];
  const changed: string[] = [];
  const ran: string[] = [];
  const todo: string[] = [];
  const put = async (path: string, text: string, role: string) => {
    files.push({ path, role });
    const before = await orIfMissing(readFile(path, "utf8"), undefined);
    if (before === text) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    changed.push(path);
  };
  const run = async (cmd: string, args: string[], opts: { input?: string; mayFail?: boolean } = {}) => {
    const text = [cmd, ...args].join(" ");
    const r = await host.exec(cmd, args, opts.input !== undefined ? { input: opts.input } : {});
    ran.push(text);
    if (r.code !== 0 && !opts.mayFail)
      throw new UserError(`\`${text}\` failed: ${r.stderr.trim().split("\n")[0] ?? `exit ${r.code}`}`);
    return r;
  };
  let units: string[] = [];
  let logs: string;
  let cronMarker: string | undefined;
  if (kind === "systemd") {
    const dir = join(host.home, ".config", "systemd", "user");
    for (const [name, text] of Object.entries(systemdUnits(spec, host, id)))
      await put(join(dir, name), text, `systemd unit ${name}`);
    units = [`${id}.timer`, ...(spec.watch ? [`${id}-watch.service`] : [])];
    logs = `journalctl --user -u ${id}.service${spec.watch ? ` -u ${id}-watch.service` : ""}`;
    if (
      (await host.has("systemctl")) &&
      (await host.exec("systemctl", ["--user", "show-environment"])).code === 0
    ) {
      await run("systemctl", ["--user", "daemon-reload"]);
      await run("systemctl", ["--user", "enable", "--now", ...units]);
    } else todo.push(`systemctl --user daemon-reload && systemctl --user enable --now ${units.join(" ")}`);
  } else if (kind === "launchd") {
    const dir = join(host.home, "Library", "LaunchAgents");
    const labels = [id, ...(spec.watch ? [`${id}-watch`] : [])];
    for (const label of labels) {
      const path = join(dir, `${label}.plist`);
      await put(
        path,
        launchdPlist(spec, host, label, label === id ? "tick" : "watch"),
        `launchd agent ${label}`,
      );
      // (re)load: bootout fails harmlessly when it was not loaded
      await run("launchctl", ["bootout", `gui/${host.uid}/${label}`], { mayFail: true });
      await run("launchctl", ["bootstrap", `gui/${host.uid}`, path]);
    }
    units = labels;
    logs = logFilePath(spec.stateDir);
  } else {
    const current = await readCrontab(host);
    const without = removeCronBlock(current, id).replace(/\n*$/, "");
    const next = `${without ? `${without}\n` : ""}${cronBlock(spec, host, id)}`;
    if (next !== current) {
      await run("crontab", ["-"], { input: next });
      changed.push("crontab");
    }
    cronMarker = id;
    logs = logFilePath(spec.stateDir);
  }
  // install never changes the env file: it is the user's; only say where it goes
  if (previous) {
    for (const f of previous.files) {
      if (!files.some((x) => x.path === f.path)) await rm(f.path, { force: true }); // e.g. --watch dropped
    }
  }
  const manifest: Manifest = {
    version: 1,
    kind,
    id,
    installedAt: now.toISOString(),
    intervalMinutes: spec.intervalMinutes,
    tickArgs: [...spec.tickArgs],
    watch: spec.watch,
    files,
    ...(cronMarker ? { cronMarker } : {}),
    units,
    logs,
    envFile: envFilePath(host.home),
    node: spec.node,
    cli: spec.cli,
  };
  await mkdir(spec.stateDir, { recursive: true });
  await writeFile(join(spec.stateDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, changed, ran, todo };
}

export async function uninstallSchedule(
  stateDir: string,
  host: ServiceHost,
): Promise<{ removed: string[]; ran: string[] } | undefined> {
  const m = await readManifest(stateDir);
  if (!m) return undefined;
  const removed: string[] = [];
  const ran: string[] = [];
  const run = async (cmd: string, args: string[], input?: string) => {
    ran.push([cmd, ...args].join(" "));
    return host.exec(cmd, args, input !== undefined ? { input } : {});
  };
  const systemdUsable =
    m.kind === "systemd" &&
    (await host.has("systemctl")) &&
    (await host.exec("systemctl", ["--user", "show-environment"])).code === 0;
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

export async function readManifest(stateDir: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(join(stateDir, MANIFEST), "utf8")) as Manifest;
    return m.version === 1 && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

async function readCrontab(host: ServiceHost): Promise<string> {
  const r = await host.exec("crontab", ["-l"]);
  // "no crontab for <user>" is exit 1 with nothing on stdout
  return r.code === 0 ? r.stdout : "";
}
