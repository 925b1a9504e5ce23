import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  FETCHED_STATE_REF,
  STATE_REF,
  STATUS_ICON,
  compileGlob,
  expectStateTip,
  formatCost,
  formatDuration,
  mdCode,
  mdFenced,
  mdText,
  normalizeGlob,
  outcomeOf,
  parseDuration,
  quotePath
} from "./chunk-DUTI55RA.js";
import {
  BACKUP_REF_PREFIX,
  C_LOCALE,
  GITHUB_WEB_FLOW_EMAIL,
  MODE,
  NoBackupError,
  UserError,
  adminDirOf,
  apiFileChanges,
  appendLog,
  collectChanges,
  commitTree,
  compareRepo,
  createGit,
  createWorktree,
  diffPath,
  errorMessage,
  fetchRefs,
  foreignCommits,
  isAncestor,
  isCode,
  listWorktrees,
  lsRemote,
  mergeTreeCheck,
  orIfMissing,
  pairwiseConflicts,
  processEnv,
  pushRefs,
  rebaseOnto,
  removeTree,
  require_lib,
  resolveCommit,
  restoreRepo,
  runCommand,
  runLogPath,
  runReportDir,
  sandboxesDir,
  silentLogger,
  snapshotRepo,
  splitZ,
  stateDir,
  taskEntry,
  updateBranch,
  userSignsCommits,
  writeChangeBackup
} from "./chunk-FNPOHAIZ.js";
import {
  MARKER_VAR,
  killTree
} from "./chunk-AN4M62PA.js";
import {
  nodeHttp,
  nodeHttps
} from "./chunk-4B2DEY7O.js";
import {
  __callDispose,
  __toESM,
  __using
} from "./chunk-MTYGN2KO.js";

// src/engine/process/path.ts
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
function findOnPath(name, path = process.env.PATH ?? "") {
  if (name === "") return void 0;
  if (name.includes("/")) return isAbsolute(name) && isExecutableFile(name) ? name : void 0;
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return void 0;
}
function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// src/engine/run/mutex.ts
function createMutex() {
  let tail = Promise.resolve();
  return (fn) => {
    const next = tail.then(fn);
    tail = Promise.allSettled([next]);
    return next;
  };
}

// src/engine/run/repo-context.ts
async function makeRepoContext(opts) {
  const [listed, state] = await Promise.all([opts.git.run(["remote"]), opts.state]);
  const remotes = listed.stdout.split("\n").filter(Boolean);
  const wanted = opts.remote ?? "origin";
  const remote = remotes.includes(wanted) ? wanted : void 0;
  if (opts.mode === "pr" && !remote) {
    throw new UserError(`cannot open pull requests: the repository has no remote \`${wanted}\``);
  }
  const fromRemote = remote !== void 0 && (opts.mode === "pr" || opts.mode === "dry-run" && !!opts.previewsPullRequests);
  return {
    git: opts.git,
    state,
    mode: opts.mode,
    remote,
    fromRemote,
    logger: opts.logger,
    serial: createMutex()
  };
}
async function defaultBranch(ctx) {
  if (ctx.remote) {
    const r = await ctx.git.run(["symbolic-ref", "--quiet", `refs/remotes/${ctx.remote}/HEAD`], {
      allowFailure: true
    });
    const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(r.stdout.trim());
    if (m) return m[1];
    if (ctx.fromRemote) {
      const s = await ctx.git.run(["ls-remote", "--symref", ctx.remote, "HEAD"], { allowFailure: true });
      const sm = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(s.stdout);
      if (sm) return sm[1];
    }
  }
  const head = await ctx.git.run(["symbolic-ref", "--quiet", "--short", "HEAD"], { allowFailure: true });
  return head.stdout.trim() || "main";
}
var FETCHED_PREFIX = "refs/claude-tasks/remote/";
var fetchedRef = (branch) => `${FETCHED_PREFIX}${branch}`;
var prefetches = /* @__PURE__ */ new WeakMap();
function prefetchTips(ctx, bases, branches, opts = {}) {
  if (!ctx.fromRemote || !ctx.remote) return;
  const names = /* @__PURE__ */ new Set([...bases, ...branches]);
  const fetched = fetchTips(
    ctx,
    [...new Set(bases)],
    branches.filter((b) => !bases.includes(b)),
    opts.state === true
  );
  const done = fetched.then((f) => f.tips);
  done.catch(() => {
  });
  prefetches.set(ctx, { names, done });
  if (opts.state)
    expectStateTip(
      ctx.git,
      ctx.remote,
      STATE_REF,
      fetched.then((f) => f.state)
    );
}
async function fetchTips(ctx, exact, optional, withState) {
  const remote = ctx.remote;
  const patterns = [...new Set(optional)].filter(
    (b, _, all) => !exact.includes(b) && !all.some((o) => o !== b && b.startsWith(o))
  );
  const specs = (globExact) => [
    ...exact.map(
      (b) => globExact ? `+refs/heads/${b}*:${fetchedRef(b)}*` : `+refs/heads/${b}:${fetchedRef(b)}`
    ),
    ...patterns.map((b) => `+refs/heads/${b}*:${fetchedRef(b)}*`),
    // the schedule state and ledger, as `readRemoteState` fetches it (a pattern: it may not exist)
    ...withState ? [`+${STATE_REF}*:${FETCHED_STATE_REF}*`] : []
  ];
  return ctx.serial(async () => {
    const args = [
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      "--quiet",
      "--prune",
      "--refmap=",
      "--",
      remote
    ];
    const r = await ctx.git.run([...args, ...specs(false)], { allowFailure: true });
    if (r.exitCode !== 0) {
      if (!/couldn't find remote ref/i.test(r.stderr)) await ctx.git.run([...args, ...specs(false)]);
      else if (exact.length > 0) {
        for (const b of exact) await ctx.git.run(["update-ref", "-d", fetchedRef(b)]);
        await ctx.git.run([...args, ...specs(true)]);
      }
    }
    return readFetched(ctx, withState);
  });
}
async function readFetched(ctx, withState = false) {
  const out = await ctx.git.run([
    "for-each-ref",
    "--format=%(objectname) %(refname)",
    FETCHED_PREFIX,
    ...withState ? [FETCHED_STATE_REF] : []
  ]);
  const tips = /* @__PURE__ */ new Map();
  let state = withState ? null : void 0;
  for (const line of out.stdout.split("\n")) {
    const i = line.indexOf(" ");
    if (i <= 0) continue;
    const ref = line.slice(i + 1);
    if (ref === FETCHED_STATE_REF) state = line.slice(0, i);
    else if (ref.startsWith(FETCHED_PREFIX)) tips.set(ref.slice(FETCHED_PREFIX.length), line.slice(0, i));
  }
  return { tips, state };
}
async function fetchBranch(ctx, branch) {
  if (!ctx.remote) return void 0;
  const pre = prefetches.get(ctx);
  if (pre?.names.has(branch)) return (await pre.done).get(branch);
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}
async function fetchBranchNow(ctx, branch) {
  if (!ctx.remote) return void 0;
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}
async function fetchOnto(ctx, onto, fresh = false) {
  if (!onto.fetchRef) return fresh ? freshTip(ctx, onto.branch) : fetchBranch(ctx, onto.branch);
  if (!ctx.remote) return void 0;
  const remote = ctx.remote;
  const local = `refs/claude-tasks/onto/${onto.fetchRef.replace(/^refs\//, "")}`;
  return ctx.serial(async () => {
    await fetchRefs({ git: ctx.git, remote, refspecs: [`+${onto.fetchRef}:${local}`] });
    return resolveCommit(ctx.git, local);
  });
}
async function freshTip(ctx, branch) {
  return (await fetchTips(ctx, [branch], [], false)).tips.get(branch);
}
async function baseTip(ctx, base, opts = {}) {
  const known = opts.local ? await opts.local() : void 0;
  const tip = ctx.fromRemote ? await (opts.fresh ? freshTip(ctx, base) : fetchBranch(ctx, base)) : known ? known.tips.get(`refs/heads/${base}`) ?? known.tips.get(`refs/remotes/${ctx.remote}/${base}`) : await resolveCommit(ctx.git, `refs/heads/${base}`) ?? (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : void 0);
  if (!tip)
    throw new UserError(`base branch \`${base}\` not found${ctx.fromRemote ? ` on ${ctx.remote}` : ""}`);
  return tip;
}
function localRefs(ctx) {
  let read;
  return () => read ??= ctx.git.run(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags", "refs/remotes"]).then(({ stdout }) => {
    const tips = /* @__PURE__ */ new Map();
    for (const line of stdout.split("\n")) {
      const i = line.indexOf(" ");
      if (i > 0) tips.set(line.slice(i + 1), line.slice(0, i));
    }
    return { text: stdout, tips };
  });
}
async function localBase(ctx, base) {
  return (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : void 0) ?? await resolveCommit(ctx.git, `refs/heads/${base}`);
}

// src/engine/run/run-tasks.ts
var import_write_file_atomic = __toESM(require_lib(), 1);
import { mkdir as mkdir3 } from "node:fs/promises";
import { join as join10 } from "node:path";

// src/engine/agent/env.ts
var DEFAULT_CLAUDE_MAX_RETRIES = 3;
var REMOVE_EXACT = /* @__PURE__ */ new Set([
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "GITHUB_PAT",
  "GH_ENTERPRISE_TOKEN",
  "GITHUB_ENTERPRISE_TOKEN",
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_OUTPUT",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "SSH_AUTH_SOCK"
]);
var REMOVE_PREFIXES = ["INPUT_", "ACTIONS_"];
var SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|_KEY$|^KEY$/i;
var SESSION_MARKERS = /* @__PURE__ */ new Set([
  "CLAUDECODE",
  "CLAUDE_CODE_ENTRYPOINT",
  "CLAUDE_CODE_CHILD_SESSION",
  "CLAUDE_CODE_SESSION_ID",
  "CLAUDE_CODE_SESSION_ATTENDED",
  "CLAUDE_CODE_SESSION_KIND",
  "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
  "CLAUDE_CODE_SESSIONS_OAUTH_TOKEN",
  "CLAUDE_CODE_REMOTE_SESSION_ID",
  "CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS",
  "CLAUDE_CODE_HOST_SESSION_ID",
  "CLAUDE_CODE_BRIDGE_SESSION_ID",
  "CLAUDE_CODE_MESSAGING_SOCKET",
  "CLAUDE_CODE_MESSAGING_TOKEN",
  "CLAUDE_CODE_CHILD_NOTES_DIR",
  "CLAUDE_CODE_EXECPATH",
  "CLAUDE_CODE_SSE_PORT",
  "CLAUDE_AGENT_SDK_VERSION",
  "CLAUDE_PID",
  "CLAUDE_EFFORT",
  "AI_AGENT"
]);
function isClaudeCredential(name) {
  return name.startsWith("ANTHROPIC_") || name === "CLAUDE_CODE_OAUTH_TOKEN" || name === "CLAUDE_CODE_API_KEY_HELPER_TTL_MS" || /^CLAUDE_CODE_(USE|SKIP)_(BEDROCK|VERTEX|FOUNDRY)(_AUTH)?$/.test(name);
}
var truthy = (v) => v !== void 0 && v !== "" && v !== "0" && v.toLowerCase() !== "false";
function providerCredential(name, env) {
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK) && name.startsWith("AWS_")) return true;
  if (truthy(env.CLAUDE_CODE_USE_VERTEX) && (name === "GOOGLE_APPLICATION_CREDENTIALS" || name.startsWith("CLOUDSDK_") || name.startsWith("GOOGLE_"))) {
    return true;
  }
  if (truthy(env.CLAUDE_CODE_USE_FOUNDRY) && name.startsWith("AZURE_")) return true;
  return false;
}
function alwaysRemoved(name) {
  if (REMOVE_EXACT.has(name)) return "GitHub credential or workflow file";
  if (REMOVE_PREFIXES.some((p) => name.startsWith(p))) return "Actions input or runtime variable";
  if (SESSION_MARKERS.has(name)) return "marker of an enclosing Claude Code session";
  return void 0;
}
var MODEL_CREDENTIAL_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "ANTHROPIC_BASE_URL"
];
function scrubbedEnv(env, opts = {}) {
  const drop = new Set(opts.modelCredentials === false ? MODEL_CREDENTIAL_VARS : []);
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === void 0 || drop.has(name) || alwaysRemoved(name) !== void 0) continue;
    out[name] = value;
  }
  return out;
}
function scrubReason(name, env, kind = "claude") {
  const always = alwaysRemoved(name);
  if (always !== void 0) return always;
  if (kind === "claude" && (isClaudeCredential(name) || providerCredential(name, env))) return void 0;
  if (SECRET_NAME.test(name)) return "looks like a secret";
  return void 0;
}
function agentEnv(baseEnv, taskEnv = {}, options = {}) {
  const kind = options.kind ?? "claude";
  const merged = { ...baseEnv, ...taskEnv };
  const out = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === void 0) continue;
    if (scrubReason(name, merged, kind) !== void 0) continue;
    out[name] = value;
  }
  Object.assign(out, taskEnv);
  if (kind === "claude") {
    out.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC ??= "1";
    out.CLAUDE_CODE_MAX_RETRIES ??= String(options.maxRetries ?? DEFAULT_CLAUDE_MAX_RETRIES);
  }
  return out;
}

// src/engine/report/markdown.ts
var MAX_FILES_LISTED = 50;
var MAX_SUMMARY_CHARS = 6e3;
function holdsCredential(r) {
  return r.violations.some((v) => v.rule.startsWith("secret."));
}
function renderTaskMarkdown(r, links = {}) {
  const out = [];
  const secret = holdsCredential(r);
  out.push(`### ${STATUS_ICON[r.status] ?? ""} ${mdCode(r.task)} \u2014 ${r.status.replace("_", " ")}`, "");
  out.push(mdText(r.message), "");
  const facts = [
    [
      "Branch",
      `${mdCode(r.branch)} onto ${mdCode(r.base)}${r.baseCommit ? ` (${r.baseCommit.slice(0, 7)})` : ""}`
    ]
  ];
  if (r.trigger) facts.push(["Trigger", mdText(r.trigger)]);
  if (r.agent) {
    facts.push([
      "Agent",
      r.agent.kind === "claude" ? `Claude Code${r.agent.model ? ` (${mdText(r.agent.model)})` : ""}` : "command"
    ]);
    if (r.agent.numTurns !== void 0) facts.push(["Turns", String(r.agent.numTurns)]);
    if (r.agent.costUsd !== void 0) facts.push(["Cost", formatCost(r.agent.costUsd)]);
  }
  facts.push(["Duration", formatDuration(r.durationMs)]);
  if (r.attempts > 1) facts.push(["Attempts", String(r.attempts)]);
  facts.push(["Files changed", `${r.files.length} (+${r.additions} \u2212${r.deletions})`]);
  if (r.rebased) facts.push(["Rebased", "yes, onto the latest base"]);
  if (links.runUrl) facts.push(["Workflow run", `[open](${links.runUrl})`]);
  if (r.backup)
    facts.push([
      "Backup",
      links.artifactUrl && !secret ? `[${mdText(r.backup)}](${links.artifactUrl})` : mdCode(r.backup)
    ]);
  out.push("| | |", "|---|---|", ...facts.map(([k, v]) => `| ${k} | ${v} |`), "");
  if (secret) {
    out.push(
      "**The change holds what looks like a credential.** Its diff, its files' content and the agent's text are not shown; where it was found is listed below, never what.",
      ""
    );
  } else {
    if (r.agent?.summary) {
      const summary = r.agent.summary.length > MAX_SUMMARY_CHARS ? `${r.agent.summary.slice(0, MAX_SUMMARY_CHARS)}\u2026` : r.agent.summary;
      const who = r.agent.kind === "claude" ? "What the agent reported" : "The command's last output";
      out.push(`<details><summary>${who}</summary>`, "", mdFenced(summary), "", "</details>", "");
    }
    if (r.agent?.error) out.push(`**Agent error:** ${mdText(r.agent.error, 1e3)}`, "");
  }
  for (const w of r.warnings ?? []) out.push(`> [!WARNING]
> ${mdText(w)}`, "");
  if (r.violations.length > 0) {
    out.push("**Guard violations** (the change was not committed):", "");
    for (const v of r.violations) out.push(`- ${mdCode(v.rule)}: ${mdText(v.message)}`);
    out.push("");
  }
  if (r.conflicts.length > 0) {
    out.push("**Conflicts with the latest base:**", "", ...r.conflicts.map((f) => `- ${mdCode(f)}`), "");
  }
  if (r.files.length > 0) {
    out.push("<details><summary>Files</summary>", "", "| File | Change | + | \u2212 |", "|---|---|---|---|");
    for (const f of r.files.slice(0, MAX_FILES_LISTED)) {
      const name = f.oldPath ? `${mdCode(f.oldPath)} \u2192 ${mdCode(f.path)}` : mdCode(f.path);
      out.push(
        `| ${name} | ${mdText(f.status)} | ${f.binary ? "bin" : f.additions} | ${f.binary ? "bin" : f.deletions} |`
      );
    }
    if (r.files.length > MAX_FILES_LISTED) out.push(`| \u2026 ${r.files.length - MAX_FILES_LISTED} more | | | |`);
    out.push("", "</details>", "");
  }
  return out.join("\n").trimEnd() + "\n";
}
var ISOLATION_NONE_WARNING = "> [!WARNING]\n> `isolation: none`: the agents of this run had no sandbox \u2014 they could read this machine's credentials and change anything its user can.";
function renderRunMarkdown(report, links = {}) {
  const out = [];
  const title = report.mode === "dry-run" ? "claude-tasks dry run" : "claude-tasks run";
  out.push(`## ${title} ${mdCode(report.runId)}`, "");
  if (report.isolation === "none") out.push(ISOLATION_NONE_WARNING, "");
  out.push("| Task | Status | PR | Cost | Turns | Duration | Files |", "|---|---|---|---|---|---|---|");
  for (const r of report.results) {
    const pr = r.pr?.url ? `[#${r.pr.number}](${r.pr.url})` : r.pr?.action?.startsWith("would") ? r.pr.action : "\u2013";
    out.push(
      `| ${mdCode(r.task)} | ${STATUS_ICON[r.status] ?? ""} ${r.status} | ${pr} | ${formatCost(r.agent?.costUsd)} | ${r.agent?.numTurns ?? "\u2013"} | ${formatDuration(r.durationMs)} | ${r.files.length} |`
    );
  }
  out.push("", `Total cost: ${formatCost(report.totalCostUsd)} \xB7 ${formatDuration(report.durationMs)}`, "");
  if (report.crossConflicts.length > 0) {
    out.push("**Tasks whose changes conflict with each other:**", "");
    for (const c of report.crossConflicts)
      out.push(
        `- ${mdCode(c.tasks[0])} \u2194 ${mdCode(c.tasks[1])}: ${c.files.map((f) => mdCode(f)).join(", ")}`
      );
    out.push("");
  }
  for (const r of report.results) {
    if (r.status === "skipped") continue;
    out.push(renderTaskMarkdown(r, links));
  }
  return out.join("\n").trimEnd() + "\n";
}

// src/engine/sandbox/credentials.ts
import { readFile } from "node:fs/promises";
import { join as join2 } from "node:path";
var CREDENTIAL_VARIABLE = {
  "auth-token": "ANTHROPIC_AUTH_TOKEN",
  "api-key": "ANTHROPIC_API_KEY",
  oauth: "CLAUDE_CODE_OAUTH_TOKEN"
};
function modelCredentialFrom(env) {
  for (const kind of ["auth-token", "api-key", "oauth"]) {
    const value = env[CREDENTIAL_VARIABLE[kind]];
    if (value) return { kind, value };
  }
  return void 0;
}
async function loginCredential(home, now = Date.now()) {
  if (!home) return void 0;
  let text;
  try {
    text = await readFile(join2(home, ".claude", ".credentials.json"), "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    throw err;
  }
  let login;
  try {
    login = JSON.parse(text);
  } catch {
    return void 0;
  }
  const token = login.claudeAiOauth?.accessToken;
  const expires = login.claudeAiOauth?.expiresAt;
  if (typeof token !== "string" || token === "") return void 0;
  if (typeof expires === "number" && expires < now) return void 0;
  return { kind: "oauth", value: token };
}

// src/engine/sandbox/index.ts
import { mkdir as mkdir2, writeFile as writeFile2 } from "node:fs/promises";
import { join as join5 } from "node:path";

// src/engine/sandbox/agent-git.ts
import { copyFile, mkdir, readFile as readFile2, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";
async function prepareAgentGitDir(opts) {
  const { dir } = opts;
  await removeTree(dir);
  await mkdir(join3(dir, "objects", "info"), { recursive: true });
  await mkdir(join3(dir, "refs", "heads"), { recursive: true });
  await mkdir(join3(dir, "refs", "tags"), { recursive: true });
  await writeFile(join3(dir, "objects", "info", "alternates"), `${opts.objectsDir}
`);
  const head = (await readFile2(join3(opts.adminDir, "HEAD"), "utf8")).trim();
  await writeFile(join3(dir, "HEAD"), `${head}
`);
  const packed = opts.refs.split("\n").filter((l) => /^[0-9a-f]{40,64} refs\/(?:heads|tags|remotes)\/\S+$/.test(l)).join("\n");
  await writeFile(join3(dir, "packed-refs"), `# pack-refs with: sorted
${packed}
`);
  await writeFile(
    join3(dir, "config"),
    "[core]\n	repositoryformatversion = 0\n	filemode = true\n	bare = false\n	logallrefupdates = false\n"
  );
  try {
    await copyFile(join3(opts.adminDir, "index"), join3(dir, "index"));
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
}

// src/engine/sandbox/bwrap.ts
import { existsSync, realpathSync, statSync as statSync2 } from "node:fs";
import { delimiter as delimiter2, dirname, join as join4, sep } from "node:path";
function bwrapArgs(plan) {
  const a = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL"
  ];
  if (plan.uid !== void 0) a.push("--uid", String(plan.uid), "--gid", String(plan.uid));
  a.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
  for (const dir of outermost(plan.hide)) a.push("--tmpfs", dir);
  a.push("--bind", plan.homeDir, plan.home);
  for (const file of plan.blank) a.push("--ro-bind", "/dev/null", file);
  for (const path of plan.expose) a.push("--ro-bind", path, path);
  a.push("--bind", plan.worktree, plan.worktree);
  const gitFile = join4(plan.worktree, ".git");
  a.push("--ro-bind", gitFile, gitFile);
  a.push("--ro-bind", plan.objectsDir, plan.objectsDir);
  a.push("--bind", plan.agentGitDir, plan.adminDir);
  a.push("--chdir", plan.cwd, "--", plan.command, ...plan.args);
  return a;
}
function outermost(paths) {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && isInside(p, q)));
}
function isInside(path, dir) {
  return dir === "/" ? path !== "/" : path === dir || path.startsWith(dir + sep);
}
var NEVER_HIDE = /* @__PURE__ */ new Set([
  "/",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/etc",
  "/opt",
  "/var",
  "/proc",
  "/dev",
  "/sys"
]);
var BLANK_FILES = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers"];
function hostMounts(h) {
  const e = h.env;
  const candidates = [
    "/tmp",
    "/var/tmp",
    "/run",
    "/home",
    "/root",
    "/mnt",
    "/media",
    "/srv",
    "/etc/ssh",
    "/var/run",
    e.HOME,
    e.TMPDIR,
    e.XDG_RUNTIME_DIR,
    e.RUNNER_TEMP,
    e.RUNNER_WORKSPACE,
    e.GITHUB_WORKSPACE,
    h.repoRoot,
    h.commonDir,
    h.stateDir,
    // sibling worktrees (other tasks of this and other runs) and other repositories' worktrees
    dirname(h.worktree),
    dirname(dirname(h.worktree)),
    e.CLAUDE_TASKS_WORKTREES
  ];
  const hide = candidates.filter((p) => typeof p === "string" && p.startsWith("/")).map(real).filter((p) => !NEVER_HIDE.has(p) && isDir(p));
  const hidden = (p) => hide.some((d) => isInside(p, d));
  const expose = [];
  const add = (p) => {
    if (!p || !existsSync(p)) return;
    const r = real(p);
    if (hidden(r) && !expose.includes(r)) expose.push(r);
  };
  add(h.command);
  for (const dir of (h.path ?? "").split(delimiter2)) {
    if (!dir.startsWith("/") || !isDir(dir)) continue;
    if (dir.endsWith(`${sep}bin`) && existsSync(join4(dir, "node"))) add(dirname(dir));
    else if (dir.endsWith(`${sep}node_modules${sep}.bin`)) add(dirname(dir));
    else add(dir);
  }
  add(existsSync("/etc/resolv.conf") ? "/etc/resolv.conf" : void 0);
  const secret = [h.repoRoot, h.commonDir, h.stateDir, e.RUNNER_TEMP, e.GITHUB_WORKSPACE].filter((p) => !!p && p.startsWith("/")).map(real);
  const safe = expose.filter((p) => !secret.some((s) => isInside(p, s) || isInside(s, p)));
  const blank = BLANK_FILES.filter((f) => existsSync(f));
  return { hide, expose: safe, blank };
}
function real(p) {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
function isDir(p) {
  try {
    return statSync2(p).isDirectory();
  } catch {
    return false;
  }
}
var probed;
function probeBwrap(env = process.env) {
  probed ??= (async () => {
    const bin = env.CLAUDE_TASKS_BWRAP || "bwrap";
    const probeEnv = processEnv({ PATH: env.PATH ?? "" }, C_LOCALE);
    const version = await runCommand(bin, ["--version"], { env: probeEnv, timeoutMs: 1e4 });
    if (version.exitCode !== 0 || version.startError) {
      return {
        ok: false,
        reason: "bubblewrap (bwrap) is not installed (Debian/Ubuntu: `apt-get install bubblewrap`)"
      };
    }
    const probe = await runCommand(
      bin,
      [
        "--unshare-user",
        "--unshare-pid",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--",
        "true"
      ],
      { env: probeEnv, timeoutMs: 1e4 }
    );
    if (probe.exitCode !== 0 || probe.startError) {
      const why = probe.stderr.toString("utf8").trim().split("\n").at(-1) || `exit code ${probe.exitCode}`;
      return { ok: false, reason: `bubblewrap cannot create a sandbox here (${why})` };
    }
    const path = bin.includes("/") ? bin : findOnPath(bin, env.PATH ?? "");
    return { ok: true, path: path ?? bin, version: version.stdout.toString("utf8").trim() };
  })();
  return probed;
}
function resetBwrapProbe() {
  probed = void 0;
}

// src/engine/sandbox/types.ts
var ISOLATIONS = ["sandbox", "none"];

// src/engine/sandbox/index.ts
var SandboxUnavailableError = class extends UserError {
};
var HOST_SESSION_VARS = [
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
  "SSH_AUTH_SOCK",
  "GPG_AGENT_INFO",
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "XAUTHORITY"
];
async function createSandboxProvider(opts) {
  if (opts.isolation === "none") return noneProvider;
  const platform = opts.platform ?? process.platform;
  if (platform !== "linux") {
    throw new SandboxUnavailableError(
      `no sandbox for agents on ${platform} yet (claude-tasks uses bubblewrap on Linux); set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without one`
    );
  }
  const bwrap = await probeBwrap(opts.env);
  if (!bwrap.ok) {
    throw new SandboxUnavailableError(
      `agents cannot be sandboxed: ${bwrap.reason}; install bubblewrap, or set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without a sandbox`
    );
  }
  const hostEnv = opts.env;
  return {
    isolation: "sandbox",
    async open(target) {
      await mkdir2(target.privateDir, { recursive: true });
      const agentGitDir = join5(target.privateDir, "git");
      const homeDir = join5(target.privateDir, "home");
      const objectsDir = join5(target.commonDir, "objects");
      const uid = process.getuid?.() === 0 ? 1e3 : void 0;
      return {
        kind: "bwrap",
        async wrap(launch) {
          await prepareAgentGitDir({
            dir: agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            refs: await target.refs()
          });
          const env = { ...launch.env };
          for (const name of HOST_SESSION_VARS) delete env[name];
          const home = env.HOME && env.HOME !== "/" ? env.HOME : "/tmp/home";
          env.HOME = home;
          await freshHome(homeDir, launch.homeFiles);
          env.TMPDIR = "/tmp";
          if (env.CLAUDE_CODE_TMPDIR) env.CLAUDE_CODE_TMPDIR = "/tmp";
          const command = launch.command.startsWith("/") ? launch.command : findOnPath(launch.command, env.PATH) ?? launch.command;
          const mounts = hostMounts({
            env: hostEnv,
            worktree: target.worktree,
            repoRoot: target.repoRoot,
            commonDir: target.commonDir,
            stateDir: target.privateDir,
            command,
            path: env.PATH
          });
          const args = bwrapArgs({
            command,
            args: launch.args,
            cwd: launch.cwd,
            worktree: target.worktree,
            agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            home,
            homeDir,
            uid,
            ...mounts
          });
          return { command: bwrap.path, args, cwd: launch.cwd, env };
        },
        async [Symbol.asyncDispose]() {
          await removeTree(target.privateDir);
        }
      };
    }
  };
}
async function freshHome(dir, files = {}) {
  await removeTree(dir);
  await mkdir2(dir, { mode: 448 });
  for (const [name, content] of Object.entries(files)) {
    if (!/^[^/\0]+$/.test(name) || name === "." || name === "..")
      throw new Error(`not a file name for the agent's HOME: ${JSON.stringify(name)}`);
    await writeFile2(join5(dir, name), content, { mode: 384, flag: "wx" });
  }
}
var noneProvider = {
  isolation: "none",
  async open() {
    return {
      kind: "none",
      wrap: async (launch) => launch,
      async [Symbol.asyncDispose]() {
      }
    };
  }
};

// src/engine/sandbox/model-proxy.ts
import { randomBytes, timingSafeEqual } from "node:crypto";
import { pipeline } from "node:stream";
var DEFAULT_UPSTREAM = "https://api.anthropic.com";
var PLACEHOLDER = {
  "api-key": "sk-ant-api03-claude-tasks-proxy-placeholder",
  oauth: "sk-ant-oat01-claude-tasks-proxy-placeholder",
  "auth-token": "claude-tasks-proxy-placeholder"
};
var HOP_BY_HOP = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade"
]);
var REQUEST_DROPPED = /* @__PURE__ */ new Set(["host", "expect", "x-api-key", "authorization"]);
async function startModelProxy(opts) {
  const { credential } = opts;
  if (!credential.value) throw new Error("model proxy: the credential is empty");
  const upstream = new URL(opts.upstream || DEFAULT_UPSTREAM);
  if (upstream.protocol !== "https:" && upstream.protocol !== "http:") {
    throw new Error(`model proxy: upstream must be an http(s) URL, not ${upstream.protocol}`);
  }
  if (upstream.username || upstream.password) {
    throw new Error("model proxy: the upstream URL must not carry a user name or password");
  }
  const http = await nodeHttp();
  const secure = upstream.protocol === "https:";
  const https = secure ? await nodeHttps() : void 0;
  const agentOptions = { keepAlive: true, proxyEnv: proxyVariables(opts.proxyEnv ?? process.env) };
  const agent = https ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const upstreamPrefix = upstream.pathname.replace(/\/+$/, "");
  const nonce = randomBytes(24).toString("base64url");
  let requests = 0;
  const upstreamRequest = (method, path, headers, signal) => (https ?? http).request({
    protocol: upstream.protocol,
    hostname: upstream.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: upstream.port || void 0,
    method,
    path,
    headers,
    agent,
    ...signal ? { signal } : {}
  });
  let preconnected = false;
  const preconnect = () => {
    if (preconnected) return;
    preconnected = true;
    const warm = upstreamRequest("HEAD", upstreamPath(upstreamPrefix, "/api/hello"), {});
    warm.on("response", (res) => res.resume());
    warm.on("error", () => {
    });
    warm.end();
  };
  const authHeaders = credential.kind === "api-key" ? { "x-api-key": credential.value } : { authorization: `Bearer ${credential.value}` };
  const handle = (req, res) => {
    const rest = afterNonce(req.url ?? "", nonce);
    if (rest === void 0) {
      sendError(res, 403, "permission_error", "claude-tasks model proxy: unknown path");
      req.resume();
      return;
    }
    if (hasDotSegment(rest)) {
      sendError(res, 400, "invalid_request_error", "claude-tasks model proxy: bad path");
      req.resume();
      return;
    }
    requests++;
    const controller = new AbortController();
    const out = upstreamRequest(
      req.method ?? "GET",
      upstreamPath(upstreamPrefix, rest),
      { ...requestHeaders(req.headers), ...authHeaders },
      controller.signal
    );
    out.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, responseHeaders(up.headers, credential.value));
      res.flushHeaders();
      pipeline(up, res, () => {
      });
    });
    out.on("error", (err) => {
      if (controller.signal.aborted) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const code2 = /^[A-Z0-9_]{1,40}$/.test(err.code ?? "") ? ` (${err.code})` : "";
      sendError(res, 502, "api_error", `claude-tasks model proxy: upstream unreachable${code2}`);
    });
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    req.pipe(out);
    req.on("error", () => controller.abort());
  };
  const server = http.createServer({ keepAliveTimeout: 12e4 }, handle);
  await new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve2();
    });
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("model proxy has no TCP address");
  const baseUrl = `http://127.0.0.1:${address.port}/${nonce}`;
  return {
    baseUrl,
    agentEnv: {
      ANTHROPIC_BASE_URL: baseUrl,
      [CREDENTIAL_VARIABLE[credential.kind]]: PLACEHOLDER[credential.kind]
    },
    get requests() {
      return requests;
    },
    preconnect,
    close: () => new Promise((resolve2) => {
      server.close(() => resolve2());
      server.closeAllConnections();
      agent.destroy();
    })
  };
}
var PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
function proxyVariables(env) {
  const out = {};
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}
function afterNonce(url, nonce) {
  if (!url.startsWith("/")) return void 0;
  const end = url.slice(1).search(/[/?]/);
  const segment = end === -1 ? url.slice(1) : url.slice(1, end + 1);
  const given = Buffer.from(segment);
  const wanted = Buffer.from(nonce);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return void 0;
  return url.slice(1 + segment.length);
}
function upstreamPath(prefix, rest) {
  const path = rest.startsWith("/") ? rest : `/${rest}`;
  return prefix + path;
}
function hasDotSegment(rest) {
  const path = rest.split("?")[0] ?? "";
  return path.split("/").some((segment) => {
    try {
      const s = decodeURIComponent(segment);
      return s === "." || s === "..";
    } catch {
      return true;
    }
  });
}
function hopByHop(headers) {
  const named = String(headers.connection ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return /* @__PURE__ */ new Set([...HOP_BY_HOP, ...named]);
}
function requestHeaders(headers) {
  const drop = hopByHop(headers);
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!drop.has(name) && !REQUEST_DROPPED.has(name)) out[name] = value;
  }
  return out;
}
function responseHeaders(headers, secret) {
  const drop = hopByHop(headers);
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (drop.has(name) || value === void 0) continue;
    if ((Array.isArray(value) ? value : [value]).some((v) => v.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}
function sendError(res, status, type, message) {
  const body = JSON.stringify({ type: "error", error: { type, message } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

// src/engine/agent/tool-rules.ts
import { lstatSync, readdirSync, readFileSync, realpathSync as realpathSync2 } from "node:fs";
import { homedir } from "node:os";
import { dirname as dirname2, isAbsolute as isAbsolute2, join as join6, relative, resolve, sep as sep2 } from "node:path";
var SCOPED_RULE = {
  Read: "Read",
  Edit: "Edit",
  Write: "Edit",
  MultiEdit: "Edit",
  NotebookEdit: "Edit",
  Glob: "Glob",
  Grep: "Grep"
};
var FILE_TOOLS = Object.keys(SCOPED_RULE);
function rulePath(abs) {
  const escaped = abs.replace(/[\\*?[\]!#()]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, "?").replace(/ $/, "?");
  return `/${escaped}`;
}
function splitToolRules(list) {
  const out = [];
  for (const item of list) {
    let depth = 0;
    let current = "";
    for (let i = 0; i < item.length; i++) {
      const c = item[i] ?? "";
      if (c === "\\") {
        current += c + (item[++i] ?? "");
        continue;
      }
      if (c === "(") depth++;
      else if (c === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (c === "," || /\s/.test(c))) {
        if (current) out.push(current);
        current = "";
      } else current += c;
    }
    if (current) out.push(current);
  }
  return out;
}
function scopeAllowedTools(allowed, worktree) {
  const out = [];
  for (const tool of splitToolRules(allowed)) {
    const rule = SCOPED_RULE[tool];
    const mapped = rule ? `${rule}(${rulePath(worktree)}/**)` : tool;
    if (!out.includes(mapped)) out.push(mapped);
  }
  return out;
}
var fsLister = {
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  isDir: (path) => {
    try {
      return lstatSync(path).isDirectory();
    } catch {
      return false;
    }
  }
};
var isInside2 = (path, dir) => {
  const rel = relative(dir, path);
  return rel === "" || !rel.startsWith("..") && !isAbsolute2(rel);
};
function denyRules(worktree, roots, fs = fsLister) {
  const paths = [];
  const add = (path, dir) => {
    if (!paths.some((p) => p.path === path)) paths.push({ path, dir });
  };
  for (const root of roots) {
    if (isInside2(root, worktree)) continue;
    if (!isInside2(worktree, root)) {
      add(root, true);
      continue;
    }
    for (let keep = worktree; keep !== root; keep = dirname2(keep)) {
      const parent = dirname2(keep);
      for (const name of fs.list(parent)) {
        const entry = join6(parent, name);
        if (entry !== keep) add(entry, fs.isDir(entry));
      }
    }
  }
  return paths.flatMap(({ path, dir }) => {
    const body = dir ? `${rulePath(path)}/**` : rulePath(path);
    return [`Read(${body})`, `Edit(${body})`];
  });
}
function protectedRoots(worktree, env) {
  const roots = [env.HOME, homeOf(), env.RUNNER_TEMP, "/proc", ...repositoryOf(worktree)].filter((p) => !!p && isAbsolute2(p)).map(real2);
  return [...new Set(roots)];
}
function repositoryOf(worktree) {
  try {
    const dotGit = readFileSync(join6(worktree, ".git"), "utf8");
    const m = /^gitdir: (.+)$/m.exec(dotGit);
    if (!m?.[1]) return [];
    const adminDir = resolve(worktree, m[1].trim());
    const common = resolve(adminDir, readFileSync(join6(adminDir, "commondir"), "utf8").trim());
    return common.endsWith(`${sep2}.git`) ? [common, dirname2(common)] : [common];
  } catch {
    return [];
  }
}
function homeOf() {
  try {
    return homedir();
  } catch {
    return void 0;
  }
}
function real2(p) {
  try {
    return realpathSync2(p);
  } catch {
    return resolve(p);
  }
}
function toolScope(cwd, env) {
  const worktree = real2(cwd);
  return { worktree, deny: denyRules(worktree, protectedRoots(worktree, env)) };
}

// src/engine/agent/claude-args.ts
function buildClaudeArgs(settings, scope) {
  const argv = ["-p", "--output-format", "stream-json"];
  if (settings.model) argv.push("--model", settings.model);
  if (settings.max_turns !== void 0) argv.push("--max-turns", String(settings.max_turns));
  if (settings.max_budget_usd !== void 0) argv.push("--max-budget-usd", String(settings.max_budget_usd));
  if (settings.permission_mode) argv.push("--permission-mode", settings.permission_mode);
  if (settings.append_system_prompt) argv.push("--append-system-prompt", settings.append_system_prompt);
  const allowed = scope ? scopeAllowedTools(settings.allowed_tools ?? [], scope.worktree) : settings.allowed_tools ?? [];
  const disallowed = [...settings.disallowed_tools ?? [], ...scope?.deny ?? []];
  if (allowed.length) argv.push("--allowedTools", ...allowed);
  if (disallowed.length) argv.push("--disallowedTools", ...disallowed);
  argv.push("--verbose");
  if (settings.args?.length) argv.push(...settings.args);
  return argv;
}

// src/engine/agent/claude-home.ts
var CLAUDE_MIGRATION_VERSION = 15;
var CLAUDE_HOME_FILES = {
  ".claude.json": `${JSON.stringify(
    {
      migrationVersion: CLAUDE_MIGRATION_VERSION,
      opusProMigrationComplete: true,
      hasResetAutoModeOptInForDefaultOffer: true
    },
    null,
    2
  )}
`
};

// src/engine/agent/claude-stream.ts
import { isAbsolute as isAbsolute3, relative as relative2 } from "node:path";

// src/engine/agent/output.ts
import { StringDecoder } from "node:string_decoder";
var DEFAULT_TAIL_BYTES = 64 * 1024;
var TAIL_LINE_CHARS = 4 * 1024;
var LineSplitter = class {
  #decoder = new StringDecoder("utf8");
  #maxLineChars;
  #onLine;
  #pending = "";
  #overflow = false;
  constructor(maxLineChars, onLine) {
    this.#maxLineChars = maxLineChars;
    this.#onLine = onLine;
  }
  write(chunk) {
    const text = typeof chunk === "string" ? chunk : this.#decoder.write(chunk);
    let start = 0;
    for (; ; ) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) {
        this.#append(start === 0 ? text : text.slice(start));
        return;
      }
      this.#append(text.slice(start, nl));
      this.#emit();
      start = nl + 1;
    }
  }
  /** Emits the last line if it has no trailing newline. */
  end() {
    this.#append(this.#decoder.end());
    if (this.#pending.length > 0 || this.#overflow) this.#emit();
  }
  #append(part) {
    if (this.#overflow || part.length === 0) return;
    const room = this.#maxLineChars - this.#pending.length;
    if (part.length > room) {
      this.#pending += part.slice(0, room);
      this.#overflow = true;
    } else {
      this.#pending += part;
    }
  }
  #emit() {
    const line = this.#pending.endsWith("\r") ? this.#pending.slice(0, -1) : this.#pending;
    const truncated = this.#overflow;
    this.#pending = "";
    this.#overflow = false;
    this.#onLine(line, truncated);
  }
};
var TailBuffer = class {
  #maxChars;
  #lineChars;
  #lines = [];
  #head = 0;
  #size = 0;
  #dropped = false;
  constructor(maxChars = DEFAULT_TAIL_BYTES, lineChars = TAIL_LINE_CHARS) {
    this.#maxChars = maxChars;
    this.#lineChars = lineChars;
  }
  push(line, truncated = false) {
    let text = line;
    if (text.length > this.#lineChars || truncated) {
      text = `${copyString(text.slice(0, this.#lineChars))} \u2026 [line truncated]`;
    }
    this.#lines.push(text);
    this.#size += text.length + 1;
    while (this.#size > this.#maxChars && this.#head < this.#lines.length - 1) {
      this.#size -= (this.#lines[this.#head]?.length ?? 0) + 1;
      this.#lines[this.#head] = "";
      this.#head++;
      this.#dropped = true;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }
  /** The last lines, `n` at most. */
  lastLines(n2) {
    const start = Math.max(this.#head, this.#lines.length - n2);
    return this.#lines.slice(start);
  }
  toString() {
    const body = this.#lines.slice(this.#head).join("\n");
    return this.#dropped ? `[\u2026 earlier output omitted]
${body}` : body;
  }
};
function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}\u2026`;
}
function truncateStart(text, max) {
  return text.length <= max ? text : `\u2026${text.slice(text.length - max + 1)}`;
}
function oneLine(text, max = 500) {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}
function formatDuration2(ms) {
  if (ms > 0 && ms % 36e5 === 0) return `${ms / 36e5}h`;
  if (ms > 0 && ms % 6e4 === 0) return `${ms / 6e4}m`;
  if (ms > 0 && ms % 1e3 === 0) return `${ms / 1e3}s`;
  return `${ms}ms`;
}
function copyString(s) {
  return Buffer.from(s, "utf8").toString("utf8");
}

// src/engine/agent/claude-stream.ts
var str = (v) => typeof v === "string" ? v : void 0;
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : void 0;
var obj = (v) => v !== null && typeof v === "object" && !Array.isArray(v) ? v : void 0;
function describeToolUse(tool, input, cwd) {
  const args = obj(input) ?? {};
  const path = str(args.file_path) ?? str(args.notebook_path) ?? str(args.path);
  const shown = (p) => {
    if (!cwd || !isAbsolute3(p)) return p;
    const rel = relative2(cwd, p);
    return rel && !rel.startsWith("..") && !isAbsolute3(rel) ? rel : p;
  };
  const command = str(args.command);
  if (command !== void 0) return `${tool}: ${oneLine(command.split("\n")[0] ?? "", 100)}`;
  if (path !== void 0 && (tool === "Read" || tool === "Write" || tool === "Edit" || tool === "NotebookEdit")) {
    return `${tool} ${shown(path)}`;
  }
  const pattern = str(args.pattern);
  if (pattern !== void 0) return `${tool} ${oneLine(pattern, 80)}${path ? ` in ${shown(path)}` : ""}`;
  const detail = str(args.url) ?? str(args.query) ?? str(args.description) ?? str(args.prompt);
  return detail ? `${tool}: ${oneLine(detail, 100)}` : tool;
}
var ClaudeStreamParser = class {
  #cwd;
  sessionId;
  model;
  result;
  /** `error` of the last assistant message (set on synthetic error messages). */
  lastAssistantError;
  /** The last text the assistant produced, in case no result line arrives. */
  lastText;
  lastRetry;
  nonJsonLines = 0;
  lastNonJsonLine;
  constructor(cwd) {
    this.#cwd = cwd;
  }
  /** Parses one stdout line; returns the events it carries (possibly none). */
  handleLine(line, truncated = false) {
    const trimmed = line.trim();
    if (!trimmed) return [];
    if (truncated || !trimmed.startsWith("{")) return this.#nonJson(trimmed);
    let message;
    try {
      message = obj(JSON.parse(trimmed));
    } catch {
      return this.#nonJson(trimmed);
    }
    if (!message) return this.#nonJson(trimmed);
    switch (message.type) {
      case "system":
        return this.#system(message);
      case "assistant":
        return this.#assistant(message);
      case "user":
        return this.#user(message);
      case "result":
        return this.#result(message);
      default:
        return [];
    }
  }
  #nonJson(line) {
    this.nonJsonLines++;
    this.lastNonJsonLine = oneLine(line, 300);
    return [];
  }
  #system(m) {
    if (m.subtype === "init") {
      this.sessionId = str(m.session_id) ?? this.sessionId;
      this.model = str(m.model) ?? this.model;
      const tools = Array.isArray(m.tools) ? m.tools.filter((t) => typeof t === "string") : [];
      return [
        {
          type: "init",
          sessionId: this.sessionId,
          model: this.model,
          tools,
          permissionMode: str(m.permissionMode),
          version: str(m.claude_code_version)
        }
      ];
    }
    if (m.subtype === "api_retry") {
      const status = num(m.error_status);
      this.lastRetry = { status, error: str(m.error) };
      return [
        {
          type: "api_retry",
          attempt: num(m.attempt) ?? 0,
          maxRetries: num(m.max_retries),
          delayMs: num(m.retry_delay_ms),
          status,
          error: str(m.error)
        }
      ];
    }
    if (m.subtype === "permission_denied") {
      return [
        { type: "permission_denied", tool: str(m.tool_name) ?? "?", message: oneLine(str(m.message) ?? "") }
      ];
    }
    return [];
  }
  #assistant(m) {
    const message = obj(m.message);
    this.lastAssistantError = str(m.error);
    if (message && str(message.model) !== "<synthetic>") this.model = str(message.model) ?? this.model;
    const events = [];
    const content = Array.isArray(message?.content) ? message.content : [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "text") {
        const text = str(block.text) ?? "";
        if (text.trim()) {
          this.lastText = text;
          events.push({ type: "text", text });
        }
      } else if (block?.type === "tool_use") {
        const tool = str(block.name) ?? "?";
        events.push({
          type: "tool_use",
          tool,
          id: str(block.id),
          description: describeToolUse(tool, block.input, this.#cwd)
        });
      }
    }
    return events;
  }
  #user(m) {
    const content = obj(m.message)?.content;
    if (!Array.isArray(content)) return [];
    const events = [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "tool_result") {
        events.push({ type: "tool_result", id: str(block.tool_use_id), isError: block.is_error === true });
      }
    }
    return events;
  }
  #result(m) {
    const denials = Array.isArray(m.permission_denials) ? m.permission_denials : [];
    const result = {
      subtype: str(m.subtype) ?? "unknown",
      isError: m.is_error === true,
      text: str(m.result) ?? "",
      numTurns: num(m.num_turns),
      costUsd: num(m.total_cost_usd),
      sessionId: str(m.session_id),
      apiErrorStatus: num(m.api_error_status),
      errors: Array.isArray(m.errors) ? m.errors.map((e) => oneLine(String(e), 300)).slice(0, 10) : [],
      permissionDenials: denials.slice(0, 100).map((d) => {
        const denial = obj(d) ?? {};
        const tool = str(denial.tool_name) ?? "?";
        return { tool, description: truncate(describeToolUse(tool, denial.tool_input, this.#cwd), 200) };
      })
    };
    this.result = result;
    this.sessionId = result.sessionId ?? this.sessionId;
    return [
      {
        type: "result",
        subtype: result.subtype,
        isError: result.isError,
        numTurns: result.numTurns,
        costUsd: result.costUsd
      }
    ];
  }
};

// src/engine/agent/run-process.ts
import { randomUUID } from "node:crypto";
import { statSync as statSync3 } from "node:fs";

// src/engine/process/detached.ts
import { spawn } from "node:child_process";
function startDetached(file, args, opts) {
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    // No input → /dev/null: a socket on stdin makes Debian's bash source ~/.bashrc (SSH heuristics).
    stdio: [opts.stdin === void 0 ? "ignore" : "pipe", "pipe", "pipe"]
  });
  const started = new Promise((resolve2) => {
    child.once("spawn", () => resolve2(void 0));
    child.on("error", (err) => resolve2(err));
  });
  if (opts.stdin !== void 0) {
    child.stdin?.on("error", () => {
    });
    child.stdin?.end(opts.stdin);
  }
  return { child, started };
}

// src/engine/agent/run-process.ts
var DEFAULT_KILL_GRACE_MS = 5e3;
var DEFAULT_AGENT_TIMEOUT_MS = 30 * 6e4;
var PIPE_DRAIN_MS = 1e3;
async function runProcess(opts) {
  const started = Date.now();
  const tail = new TailBuffer(opts.tailBytes ?? DEFAULT_TAIL_BYTES);
  const stderrTail = new TailBuffer(8 * 1024, 1024);
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const result = (partial) => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    durationMs: Date.now() - started,
    tail,
    stderrTail,
    leftovers: [],
    ...partial
  });
  if (opts.signal?.aborted) return result({ cancelled: true });
  if (!isDirectory(opts.cwd)) {
    return result({
      spawnError: Object.assign(new Error(`working directory not found: ${opts.cwd}`), { code: "ECWD" })
    });
  }
  const marker = randomUUID();
  const plain = {
    command: opts.command,
    args: opts.args,
    cwd: opts.cwd,
    env: { ...opts.env, [MARKER_VAR]: marker },
    ...opts.homeFiles ? { homeFiles: opts.homeFiles } : {}
  };
  let launch = plain;
  try {
    if (opts.sandbox) launch = await opts.sandbox.wrap(plain);
  } catch (err2) {
    return result({ spawnError: Object.assign(err2, { code: "ESANDBOX" }) });
  }
  const { child, started: running } = startDetached(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    ...opts.stdin !== void 0 ? { stdin: opts.stdin } : {}
  });
  const spawnError = await running;
  if (spawnError || child.pid === void 0) {
    return result({ spawnError: spawnError ?? new Error("no pid") });
  }
  const handle = { pid: child.pid, marker };
  opts.onSpawn?.(handle);
  const maxLine = opts.maxLineChars ?? 64 * 1024;
  const splitter = (stream) => new LineSplitter(maxLine, (line, truncated) => {
    tail.push(line, truncated);
    if (stream === "stderr") stderrTail.push(line, truncated);
    opts.onLine?.(stream, line, truncated);
  });
  const out = splitter("stdout");
  const err = splitter("stderr");
  const { stdout, stderr } = child;
  stdout.on("data", (c) => out.write(c));
  stderr.on("data", (c) => err.write(c));
  const drained = Promise.all([
    new Promise((r) => stdout.once("close", () => r())),
    new Promise((r) => stderr.once("close", () => r()))
  ]);
  let hasExited = false;
  const exited = new Promise((resolve2) => {
    child.once("exit", (code3, signal2) => {
      hasExited = true;
      resolve2({ code: code3, signal: signal2 });
    });
  });
  let timedOut = false;
  let cancelled = false;
  let stopping;
  const stop = () => {
    stopping ??= killTree(handle, grace);
  };
  const timer = setTimeout(() => {
    if (hasExited) return;
    if (!cancelled) timedOut = true;
    stop();
  }, opts.timeoutMs);
  const onAbort = () => {
    if (hasExited) return;
    if (!timedOut) cancelled = true;
    stop();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const { code: code2, signal } = await exited;
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);
  await stopping;
  const leftovers = await killTree(handle, grace);
  let drainTimer;
  await Promise.race([drained, new Promise((r) => drainTimer = setTimeout(r, PIPE_DRAIN_MS))]);
  clearTimeout(drainTimer);
  stdout.destroy();
  stderr.destroy();
  out.end();
  err.end();
  return result({ exitCode: code2, signal, timedOut, cancelled, leftovers });
}
function isDirectory(path) {
  try {
    return statSync3(path).isDirectory();
  } catch {
    return false;
  }
}

// src/engine/agent/claude-agent.ts
var SUMMARY_CHARS = 4e3;
var MAX_JSON_LINE_CHARS = 8 * 1024 * 1024;
var RESULT_LINGER_MS = 1e4;
function createClaudeAgent(settings, options = {}) {
  const claudePath = options.claudePath ?? "claude";
  return {
    kind: "claude",
    async run(input) {
      const parser = new ClaudeStreamParser(input.cwd);
      const timeoutMs = input.timeoutMs ?? settings.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      const args = buildClaudeArgs(settings, toolScope(input.cwd, input.env));
      const linger = new AbortController();
      const signal = input.signal ? AbortSignal.any([input.signal, linger.signal]) : linger.signal;
      let lingerTimer;
      const proc = await runProcess({
        command: claudePath,
        args,
        cwd: input.cwd,
        env: agentEnv(input.env, settings.env, { kind: "claude" }),
        stdin: input.prompt,
        timeoutMs,
        signal,
        sandbox: input.sandbox,
        homeFiles: CLAUDE_HOME_FILES,
        killGraceMs: options.killGraceMs,
        maxLineChars: MAX_JSON_LINE_CHARS,
        onSpawn: (h) => emit?.({ type: "spawn", pid: h.pid, marker: h.marker }),
        onLine: (stream, line, truncated) => {
          if (stream === "stderr") emit?.({ type: "output", stream, line });
          else
            for (const event of parser.handleLine(line, truncated)) {
              emit?.(event);
              if (event.type === "result")
                lingerTimer ??= setTimeout(() => linger.abort(), options.lingerMs ?? RESULT_LINGER_MS);
            }
        }
      });
      clearTimeout(lingerTimer);
      const ended = proc.cancelled && linger.signal.aborted && !input.signal?.aborted;
      return claudeResult(parser, ended ? { ...proc, cancelled: false, exitCode: 0 } : proc, {
        claudePath,
        timeoutMs
      });
    }
  };
}
var TRANSIENT_ERROR_CODES = /* @__PURE__ */ new Set(["rate_limit", "overloaded", "server_error"]);
function isTransientStatus(status) {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
function claudeResult(parser, proc, ctx) {
  const base = {
    exitCode: proc.exitCode,
    durationMs: proc.durationMs,
    outputTail: proc.tail.toString(),
    sessionId: parser.sessionId,
    model: parser.model
  };
  const lastStderr = proc.stderrTail.lastLines(1)[0];
  const fail = (error, extra = {}) => ({
    ...base,
    status: "failed",
    transient: false,
    summary: truncate(parser.lastText ?? "", SUMMARY_CHARS),
    error: oneLine(error),
    ...extra
  });
  if (proc.spawnError) {
    const code2 = proc.spawnError.code;
    if (code2 !== "ENOENT")
      return fail(`could not start Claude Code (${ctx.claudePath}): ${proc.spawnError.message}`);
    return fail(
      `could not start Claude Code (${ctx.claudePath}): not found; install it with \`npm i -g @anthropic-ai/claude-code\` or set CLAUDE_TASKS_CLAUDE to its path`
    );
  }
  if (proc.cancelled) {
    return { ...fail("cancelled"), status: "cancelled" };
  }
  const r = parser.result;
  if (!r) {
    if (proc.timedOut) {
      return {
        ...fail(`Claude Code did not finish within ${formatDuration2(ctx.timeoutMs)}`),
        status: "timeout"
      };
    }
    if (proc.signal) return fail(`Claude Code was killed by ${proc.signal} before it reported a result`);
    if (parser.nonJsonLines > 0 && !parser.sessionId) {
      return fail(`Claude Code printed output that is not stream-json: ${parser.lastNonJsonLine}`);
    }
    const why = lastStderr ? `: ${lastStderr}` : "";
    return fail(`Claude Code exited with code ${proc.exitCode} without reporting a result${why}`);
  }
  const common = {
    sessionId: r.sessionId ?? parser.sessionId,
    numTurns: r.numTurns,
    costUsd: r.costUsd,
    permissionDenials: r.permissionDenials,
    apiErrorStatus: r.apiErrorStatus,
    summary: truncate(r.text || parser.lastText || "", SUMMARY_CHARS)
  };
  const stopped = r.errors.length > 0 ? r.errors.join("; ") : r.text;
  if (r.subtype === "success" && !r.isError && proc.exitCode === 0) {
    return { ...base, ...common, status: "success", transient: false, summary: common.summary ?? "" };
  }
  if (r.subtype === "error_max_turns") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum number of turns"}`, common),
      status: "max_turns"
    };
  }
  if (r.subtype === "error_max_budget_usd") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum budget"}`, common),
      status: "budget_exhausted"
    };
  }
  if (r.isError) {
    const status = r.apiErrorStatus;
    const code2 = parser.lastAssistantError;
    if (code2 === "authentication_failed" && status === void 0) {
      return fail(
        `no credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (Claude Code said: ${r.text})`,
        common
      );
    }
    const transient = status !== void 0 ? isTransientStatus(status) : TRANSIENT_ERROR_CODES.has(code2 ?? "");
    return fail(`Claude Code reported an error: ${stopped || r.subtype}`, { ...common, transient });
  }
  if (r.subtype !== "success") return fail(`Claude Code stopped (${r.subtype}): ${stopped}`, common);
  return fail(`Claude Code exited with code ${proc.exitCode} after reporting success`, common);
}

// src/engine/agent/claude-version.ts
function parseClaudeVersion(output) {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1];
}
async function claudeAvailable(claudePath = "claude", options = {}) {
  const r = await runCommand(claudePath, ["--version"], {
    env: processEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs ?? 15e3
  });
  const stdout = r.stdout.toString("utf8");
  if (r.startError?.code === "ENOENT") {
    return {
      available: false,
      path: claudePath,
      error: `${claudePath} not found; install it with \`npm i -g @anthropic-ai/claude-code\``
    };
  }
  if (r.startError || r.exitCode !== 0) {
    const why = r.stderr.toString("utf8") || r.startError?.message || `exit code ${r.exitCode}`;
    return {
      available: false,
      path: claudePath,
      error: `\`${claudePath} --version\` failed: ${why.trim().split("\n")[0]}`
    };
  }
  const version = parseClaudeVersion(stdout);
  if (!version) {
    return { available: false, path: claudePath, error: `unexpected \`--version\` output: ${stdout.trim()}` };
  }
  return { available: true, version, path: claudePath };
}

// src/engine/agent/command-agent.ts
function createCommandAgent(command, options = {}) {
  return {
    kind: "command",
    async run(input) {
      const env = agentEnv(input.env, options.env, { kind: "command" });
      const shell = options.shell ?? findOnPath("bash", env.PATH) ?? "/bin/sh";
      const timeoutMs = input.timeoutMs ?? options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      const proc = await runProcess({
        command: shell,
        args: ["-c", command],
        cwd: input.cwd,
        env,
        timeoutMs,
        signal: input.signal,
        sandbox: input.sandbox,
        killGraceMs: options.killGraceMs,
        maxLineChars: 16 * 1024,
        onSpawn: (h) => emit?.({ type: "spawn", pid: h.pid, marker: h.marker }),
        onLine: emit ? (stream, line) => emit({ type: "output", stream, line }) : void 0
      });
      const summary = truncateStart(proc.tail.lastLines(options.summaryLines ?? 20).join("\n"), 4e3);
      const base = {
        exitCode: proc.exitCode,
        durationMs: proc.durationMs,
        outputTail: proc.tail.toString(),
        summary,
        transient: false
      };
      const name = oneLine(command, 80);
      if (proc.spawnError) {
        return {
          ...base,
          status: "failed",
          error: oneLine(`could not start ${shell}: ${proc.spawnError.message}`)
        };
      }
      if (proc.cancelled) return { ...base, status: "cancelled", error: "cancelled" };
      if (proc.timedOut) {
        return {
          ...base,
          status: "timeout",
          error: `\`${name}\` did not finish within ${formatDuration2(timeoutMs)}`
        };
      }
      if (proc.signal)
        return { ...base, status: "failed", error: `\`${name}\` was killed by ${proc.signal}` };
      if (proc.exitCode !== 0) {
        return { ...base, status: "failed", error: `\`${name}\` exited with code ${proc.exitCode}` };
      }
      return { ...base, status: "success" };
    }
  };
}

// src/engine/run/agent-for.ts
function defaultAgentFor(task, opts = {}) {
  const timeoutMs = parseDuration(task.agent.timeout);
  const { killGraceMs } = opts;
  if (task.kind === "command")
    return createCommandAgent(task.run ?? "", { timeoutMs, env: task.agent.env, killGraceMs });
  return createClaudeAgent({ ...task.agent, timeoutMs }, { claudePath: opts.claudePath, killGraceMs });
}

// src/engine/run/execute-graph.ts
async function executeGraph(opts) {
  const { nodes, outcome } = opts;
  const inRun = new Set(nodes.map((n2) => n2.name));
  const needsOf = new Map(nodes.map((n2) => [n2.name, n2.needs.filter((d) => inRun.has(d))]));
  const dependents = new Map(nodes.map((n2) => [n2.name, []]));
  for (const [name, needs] of needsOf) for (const d of needs) dependents.get(d).push(name);
  const pending = new Map(nodes.map((n2) => [n2.name, needsOf.get(n2.name).length]));
  const byName = new Map(nodes.map((n2) => [n2.name, n2]));
  const results = /* @__PURE__ */ new Map();
  const ready = nodes.filter((n2) => pending.get(n2.name) === 0).map((n2) => n2.name);
  const running = /* @__PURE__ */ new Set();
  const maxParallel = Math.max(1, opts.maxParallel);
  const finish = (name, result) => {
    results.set(name, result);
    for (const dep of dependents.get(name)) {
      const left = pending.get(dep) - 1;
      pending.set(dep, left);
      if (left === 0) ready.push(dep);
    }
  };
  const start = (name) => {
    if (opts.signal?.aborted) return finish(name, opts.skip(name, "run cancelled before the task started"));
    const reason = blockedReason(byName.get(name), needsOf.get(name), (d) => outcome(results.get(d)));
    if (reason) return finish(name, opts.skip(name, reason));
    const p = opts.run(name).then(
      (r) => finish(name, r),
      (err) => finish(name, opts.crash(name, err))
    ).finally(() => running.delete(p));
    running.add(p);
  };
  while (ready.length > 0 || running.size > 0) {
    while (ready.length > 0 && running.size < maxParallel) start(ready.shift());
    if (running.size > 0) await Promise.race(running);
  }
  return results;
}
function blockedReason(node, needs, outcomeOf2) {
  if (node.if === "always" || needs.length === 0) return void 0;
  const outcomes = needs.map((d) => [d, outcomeOf2(d)]);
  if (node.if === "failure") {
    return outcomes.some(([, o]) => o === "failure") ? void 0 : `if: failure, and no dependency failed (${needs.join(", ")})`;
  }
  const bad = outcomes.find(([, o]) => o !== "success");
  return bad ? `dependency \`${bad[0]}\` ${bad[1] === "failure" ? "failed" : "was skipped"}` : void 0;
}

// src/engine/run/land-types.ts
function landingCanClaim(o) {
  return o.mode === "pr" && o.onto === void 0;
}

// src/engine/run/result.ts
var roundUsd = (n2) => Math.round(n2 * 1e6) / 1e6;
function newResult(task, branch, base, trigger, fireTimes) {
  return {
    task,
    status: "failed",
    message: "",
    branch,
    base,
    attempts: 0,
    startedAt: (/* @__PURE__ */ new Date()).toISOString(),
    durationMs: 0,
    files: [],
    additions: 0,
    deletions: 0,
    violations: [],
    conflicts: [],
    ...trigger ? { trigger } : {},
    ...fireTimes?.length ? { fireTimes } : {}
  };
}
function notAdmitted(r, refused) {
  r.status = "skipped";
  r.notRun = refused.kind;
  r.message = refused.reason;
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
}
function skippedResult(task, branch, base, reason) {
  return { ...newResult(task, branch, base), status: "skipped", message: reason };
}
function summariseAgent(kind, a) {
  return {
    kind,
    status: a.status,
    summary: a.summary,
    ...a.error ? { error: a.error } : {},
    ...a.model ? { model: a.model } : {},
    ...a.sessionId ? { sessionId: a.sessionId } : {},
    ...a.numTurns !== void 0 ? { numTurns: a.numTurns } : {},
    ...a.costUsd !== void 0 ? { costUsd: roundUsd(a.costUsd) } : {},
    durationMs: a.durationMs,
    ...a.apiErrorStatus !== void 0 ? { apiErrorStatus: a.apiErrorStatus } : {},
    transient: a.transient,
    ...a.permissionDenials?.length ? { permissionDenials: a.permissionDenials.length } : {}
  };
}
function summariseFiles(change) {
  const files = change.files.map((f) => ({
    path: f.path,
    status: f.status,
    ...f.oldPath ? { oldPath: f.oldPath } : {},
    additions: f.additions,
    deletions: f.deletions,
    binary: f.binary
  }));
  return { files, additions: change.additions, deletions: change.deletions };
}

// src/engine/run/run-id.ts
function newRunId(now = /* @__PURE__ */ new Date()) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const tail = Math.floor(Math.random() * 65536).toString(16).padStart(4, "0");
  return `${stamp}-${tail}`;
}

// src/engine/run/run-report.ts
async function assembleReport(o) {
  const committed = o.results.filter((r) => r.commit && (r.status === "success" || r.status === "conflict"));
  const crossConflicts = committed.length > 1 ? await pairwiseConflicts({
    git: o.git,
    results: committed.map((r) => ({ task: r.task, commit: r.localCommit ?? r.commit }))
  }) : [];
  return {
    version: 1,
    runId: o.runId,
    mode: o.mode,
    startedAt: new Date(o.started).toISOString(),
    durationMs: Date.now() - o.started,
    ...o.trigger ? { trigger: o.trigger } : {},
    results: o.results,
    crossConflicts,
    ...o.isolation ? { isolation: o.isolation } : {},
    totalCostUsd: roundUsd(o.results.reduce((sum, r) => sum + (r.agent?.costUsd ?? 0), 0)),
    ok: o.results.every((r) => outcomeOf(r.status) !== "failure")
  };
}

// src/engine/run/run-task.ts
import { readFile as readFile4 } from "node:fs/promises";
import { basename, dirname as dirname3, join as join9 } from "node:path";

// src/engine/run/attempts.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/engine/run/backoff.ts
function backoffDelay(baseMs, attempt, random = Math.random) {
  const exp = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(exp * (0.5 + random()));
}

// src/engine/guard/limits.ts
var n = (x) => x.toLocaleString("en-US");
function megabytes(bytes) {
  const mb = bytes / 2 ** 20;
  return `${mb < 10 ? mb.toFixed(1) : n(Math.round(mb))} MB`;
}
function checkLimits(change, limits) {
  const out = [];
  const files = change.files.length;
  if (change.oversized) {
    out.push({
      rule: "limits.diff_size",
      message: `the change is too large to check: its old and new content weigh ${megabytes(change.oversized.bytes)}, more than the ${megabytes(change.oversized.cap)} the engine diffs and scans`
    });
  }
  if (limits.max_files !== void 0 && files > limits.max_files) {
    out.push({
      rule: "limits.max_files",
      message: `the change touches ${n(files)} files, more than limits.max_files ${n(limits.max_files)}`
    });
  }
  if (limits.max_lines !== void 0 && change.totalLines > limits.max_lines) {
    const binary = change.files.filter((f) => f.binary && f.additions + f.deletions === 0).length;
    const note = binary > 0 ? ` (${n(binary)} binary files not counted)` : "";
    out.push({
      rule: "limits.max_lines",
      message: `the change adds or removes ${n(change.totalLines)} lines, more than limits.max_lines ${n(limits.max_lines)}${note}`
    });
  }
  if (limits.max_bytes !== void 0 && change.bytes !== void 0 && change.bytes > limits.max_bytes) {
    out.push({
      rule: "limits.max_bytes",
      message: `the change adds or rewrites ${megabytes(change.bytes)} (${n(change.bytes)} bytes), more than limits.max_bytes ${n(limits.max_bytes)}`
    });
  }
  return out;
}

// src/engine/guard/types.ts
var code = (s) => `\`${s}\``;

// src/engine/guard/paths.ts
function checkPaths(change, rules) {
  const deny = rules.deny.map((g) => ({
    glob: g,
    match: compileGlob(g, { nocase: true })
  }));
  const allow = rules.allow.map((g) => compileGlob(g));
  const allowList = rules.allow.map(code).join(", ");
  const violations = [];
  for (const f of change.files) {
    const touched = f.status === "renamed" && f.oldPath ? [f.oldPath, f.path] : [f.path];
    for (const path of touched) {
      const label = f.status === "renamed" && f.oldPath ? path === f.oldPath ? `${code(path)} (renamed to ${code(f.path)})` : `${code(path)} (renamed from ${code(f.oldPath)})` : f.status === "deleted" ? `${code(path)} (deleted)` : code(path);
      const denied = deny.find((d) => d.match(path));
      if (denied) {
        violations.push({
          rule: "paths.deny",
          file: path,
          message: `${label} is denied by paths.deny ${code(denied.glob)}`
        });
      } else if (allow.length > 0 && !allow.some((m) => m(path))) {
        violations.push({
          rule: "paths.allow",
          file: path,
          message: `${label} is outside paths.allow (${allowList})`
        });
      }
    }
  }
  return violations;
}

// src/engine/guard/protected.ts
var PROTECTED_PATHS = [
  {
    glob: ".github/**",
    literal: ".github/",
    what: "GitHub configuration (workflows, actions, CODEOWNERS, task definitions)"
  },
  { glob: "**/.claude/**", literal: ".claude/", what: "Claude Code settings, hooks, commands and agents" },
  { glob: "**/.mcp.json", literal: ".mcp.json", what: "the MCP servers Claude Code starts" },
  {
    glob: "**/.gitattributes",
    literal: ".gitattributes",
    what: "git attributes (filters, diff and merge drivers, what counts as binary)"
  },
  { glob: "**/.gitmodules", literal: ".gitmodules", what: "where submodules are fetched from" },
  { glob: "**/CLAUDE.md", literal: "CLAUDE.md", what: "instructions every later Claude Code run follows" },
  {
    glob: "**/CLAUDE.local.md",
    literal: "CLAUDE.local.md",
    what: "instructions every later Claude Code run follows"
  },
  { glob: "**/AGENTS.md", literal: "AGENTS.md", what: "instructions every later coding agent follows" }
];
var matchers = PROTECTED_PATHS.map((p) => ({ ...p, match: compileGlob(p.glob, { nocase: true }) }));
var startsLiteral = (glob) => /^[^*?[{(!+@]/.test(glob);
function checkProtected(change, allow) {
  const allowed = allow.map((g) => {
    const glob = normalizeGlob(g);
    return { glob, lower: glob.toLowerCase(), match: compileGlob(glob) };
  });
  const named = (path, literal) => allowed.some((a) => a.lower.includes(literal.toLowerCase()) && a.match(path));
  const literally = (path) => allowed.some((a) => startsLiteral(a.glob) && a.match(path));
  const out = [];
  for (const f of change.files) {
    for (const path of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const p = matchers.find((m) => m.match(path));
      if (p && !named(path, p.literal)) {
        out.push({
          rule: "protected.path",
          file: path,
          message: `${code(path)} is protected (${p.what}); a task may change it only when paths.allow names it explicitly`
        });
      }
    }
    if (f.newMode === MODE.submodule && !literally(f.path)) {
      out.push({
        rule: "protected.gitlink",
        file: f.path,
        message: `${code(f.path)} is a git link (a submodule or an embedded repository); a task may add one only when paths.allow names it explicitly`
      });
    }
    const nowExecutable = f.newMode === MODE.executable && f.oldMode !== MODE.executable;
    if (nowExecutable && !literally(f.path)) {
      out.push({
        rule: "protected.executable",
        file: f.path,
        message: `${code(f.path)} ${f.status === "added" ? "is added as an executable file" : "is made executable"}; a task may do that only when paths.allow names it explicitly`
      });
    }
  }
  return out;
}

// src/engine/guard/secrets.ts
var B64 = "A-Za-z0-9+/";
var RULES = [
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g,
    group: 1
  },
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{20,30}_[A-Za-z0-9]{50,70})(?![A-Za-z0-9_])/g,
    group: 1
  },
  {
    id: "anthropic-key",
    what: "an Anthropic API key",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{2}-([A-Za-z0-9_-]{40,})/g,
    group: 1
  },
  {
    id: "openai-key",
    what: "an OpenAI API key",
    pattern: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,})|([A-Za-z0-9_-]{8,}T3BlbkFJ[A-Za-z0-9_-]{8,})|([A-Za-z0-9]{48})(?![A-Za-z0-9_-]))/g
  },
  {
    id: "aws-access-key-id",
    what: "an AWS access key id",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![A-Za-z0-9])/g,
    group: 1
  },
  {
    id: "aws-secret-access-key",
    what: "an AWS secret access key",
    pattern: new RegExp(
      `(?:aws[\\w.-]{0,20}?secret[\\w.-]{0,20}?|secret[_.-]?access[_.-]?key)["'\\]]?\\s*(?::=|=>|[:=])\\s*["']?([${B64}]{40})(?![${B64}=])`,
      "gi"
    ),
    group: 1
  },
  {
    id: "slack-token",
    what: "a Slack token",
    pattern: /(?<![A-Za-z0-9])xox[abposr]-(\d{4,}-[A-Za-z0-9-]{10,})/g,
    group: 1
  },
  {
    id: "slack-webhook",
    what: "a Slack webhook URL",
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/_-]{20,})/g,
    group: 1
  },
  {
    id: "stripe-key",
    what: "a Stripe live key",
    pattern: /(?<![A-Za-z0-9])(?:sk|rk)_live_([A-Za-z0-9]{20,})/g,
    group: 1
  },
  {
    id: "google-api-key",
    what: "a Google API key",
    pattern: /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    group: 1
  },
  {
    id: "private-key",
    what: "a private key",
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    confirm: (m, next) => {
      const rest = m.input.slice(m.index + m[0].length).replace(/\\[nr]/g, " ");
      if (new RegExp(`^[\\s"'+,]*[${B64}]{40,}`).test(rest)) return true;
      for (let k = 1; k <= 4; k++) {
        const line = next(k);
        if (line === void 0) return false;
        if (new RegExp(`^[\\s"'+]*[${B64}]{40,}`).test(line)) return true;
        if (!/^\s*(?:[A-Za-z-]+:.*)?\s*$/.test(line)) return false;
      }
      return false;
    }
  },
  {
    id: "jwt",
    what: "a JSON Web Token",
    pattern: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,})\.eyJ[A-Za-z0-9_-]{10,}\.([A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    group: 2,
    confirm: (m) => {
      try {
        const header = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
        return typeof header === "object" && header !== null && ("alg" in header || "typ" in header);
      } catch {
        return false;
      }
    }
  },
  {
    id: "npm-token",
    what: "an npm token",
    pattern: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    group: 1
  }
];
var PREFIXES = [
  ..."pousr".split("").map((c) => `gh${c}_`),
  "github_pat_",
  "sk-",
  "AKIA",
  "ASIA",
  "ABIA",
  "ACCA",
  "secret",
  "Secret",
  "SECRET",
  ..."abposr".split("").map((c) => `xox${c}-`),
  "hooks.slack.com",
  "_live_",
  "AIza",
  "PRIVATE KEY",
  "eyJ",
  "npm_"
];
var escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
var QUICK = /gh[pousr]_|github_pat_|sk-|AKIA|ASIA|ABIA|ACCA|[Ss][Ee][Cc][Rr][Ee][Tt]|xox[abposr]-|hooks\.slack\.com|_live_|AIza|PRIVATE KEY|eyJ|npm_/;
var QUICK_REVERSED = new RegExp(
  [
    ...PREFIXES.filter((p) => !/secret/i.test(p)).map((p) => escapeRe([...p].reverse().join(""))),
    "[Tt][Ee][Rr][Cc][Ee][Ss]"
  ].join("|")
);
var BASE64_ONLY = ["sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"];
var QUICK_BASE64 = new RegExp(
  [
    ...new Set(
      [...PREFIXES, ...BASE64_ONLY].filter((p) => p.length >= 4).flatMap(
        (p) => [0, 1, 2].map((k) => {
          const enc = Buffer.concat([Buffer.alloc(k), Buffer.from(p)]).toString("base64");
          return enc.slice(Math.ceil(k * 8 / 6), Math.floor((k + p.length) * 8 / 6));
        })
      )
    )
  ].map(escapeRe).join("|")
);
var BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
var QUICK_ANY = new RegExp([QUICK.source, QUICK_REVERSED.source, QUICK_BASE64.source].join("|"));
var KNOWN_EXAMPLES = /* @__PURE__ */ new Set(["SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]);
function looksLikePlaceholder(value) {
  if (KNOWN_EXAMPLES.has(value)) return true;
  if (/(.)\1{5,}/.test(value)) return true;
  if (/example|sample|dummy|placeholder|your|redacted|fake|test|x{4}/i.test(value)) return true;
  const chars = value.replace(/[^A-Za-z0-9]/g, "");
  if (new Set(chars).size < Math.min(10, Math.ceil(chars.length / 2))) return true;
  let runs = 0;
  for (let i = 1; i < chars.length; i++) if (chars.charCodeAt(i) - chars.charCodeAt(i - 1) === 1) runs++;
  return runs > chars.length / 2;
}
function addedLines(patch) {
  const out = [];
  let file = "";
  let inHunk = false;
  let line = 0;
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("diff --git ")) {
      inHunk = false;
      file = "";
      continue;
    }
    if (raw.startsWith("@@ ")) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      if (m) {
        inHunk = true;
        line = Number(m[1]);
      }
      continue;
    }
    if (!inHunk) {
      if (raw.startsWith("+++ ")) file = diffPath(raw.slice(4));
      continue;
    }
    const c = raw[0];
    if (c === "+") out.push({ file, line: line++, text: raw.slice(1) });
    else if (c === " " || raw === "") line++;
  }
  return out;
}
function scanSecrets(patch) {
  return scanLines(addedLines(typeof patch === "string" ? patch : patch.toString("utf8")));
}
function scanText(text, file) {
  return scanLines(text.split("\n").map((t, i) => ({ file, line: i + 1, text: t })));
}
function scanAddedLines(lines) {
  return scanLines(lines);
}
function credentialIn(text) {
  for (const form of decodedForms(text)) {
    const hit = firstMatch(form.text, () => void 0);
    if (hit) return { id: hit.rule.id, what: hit.rule.what };
  }
  return void 0;
}
function decodedForms(text) {
  const forms = [{ text }];
  if (QUICK_REVERSED.test(text)) forms.push({ text: [...text].reverse().join(""), how: "reversed" });
  if (QUICK_BASE64.test(text)) {
    for (const m of text.matchAll(BASE64_RUN)) {
      const run = m[0].replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
      for (let k = 0; k < 4; k++) {
        const decoded = Buffer.from(run.slice(k), "base64").toString("latin1");
        if (QUICK.test(decoded)) forms.push({ text: decoded, how: "base64-encoded" });
      }
    }
  }
  return forms;
}
function firstMatch(text, next) {
  if (!QUICK.test(text)) return void 0;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const value = rule.group !== void 0 ? m[rule.group] : m.slice(1).find((g) => g !== void 0);
      if (value !== void 0 && looksLikePlaceholder(value)) continue;
      if (rule.confirm && !rule.confirm(m, next)) continue;
      return { rule, index: m.index, end: m.index + m[0].length };
    }
  }
  return void 0;
}
function matchesAt(rule, text, index) {
  const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace("g", "")}y`);
  re.lastIndex = index;
  return re.test(text);
}
var TAIL = 160;
var HEAD = 400;
var trimTail = (a) => a.slice(-TAIL).replace(/[\s"'`+\\,]+$/, "");
var joinAt = (a, b) => trimTail(a) + b.slice(0, HEAD).replace(/^[\s"'`+]+/, "");
var isBreakChar = (c) => c === 32 || c === 9 || c === 13 || c === 34 || c === 39 || c === 96 || c === 43 || c === 92 || c === 44;
var isTokenChar = (c) => c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c === 45;
function tokenCharAt(text, dir) {
  let i = dir === 1 ? 0 : text.length - 1;
  while (i >= 0 && i < text.length && isBreakChar(text.charCodeAt(i))) i += dir;
  return i >= 0 && i < text.length && isTokenChar(text.charCodeAt(i));
}
function scanLines(lines) {
  const findings = [];
  const seen = /* @__PURE__ */ new Set();
  const report = (l, rule, how) => {
    const key = `${rule.id}\0${l.file}\0${l.line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      rule: `secret.${rule.id}`,
      file: l.file,
      line: l.line,
      message: `${code(l.file)} line ${l.line} adds what looks like ${rule.what} (${rule.id}${how ? `, ${how}` : ""})`
    });
  };
  lines.forEach((l, idx) => {
    const next = (k) => {
      const n2 = lines[idx + k];
      return n2 && n2.file === l.file && n2.line === l.line + k ? n2.text : void 0;
    };
    const forms = QUICK_ANY.test(l.text) ? decodedForms(l.text) : [];
    for (const form of forms) {
      const nextOf = form.how ? () => void 0 : next;
      if (!QUICK.test(form.text)) continue;
      for (const rule of RULES) {
        rule.pattern.lastIndex = 0;
        for (const m of form.text.matchAll(rule.pattern)) {
          const value = rule.group !== void 0 ? m[rule.group] : m.slice(1).find((g) => g !== void 0);
          if (value !== void 0 && looksLikePlaceholder(value)) continue;
          if (rule.confirm && !rule.confirm(m, nextOf)) continue;
          report(l, rule, form.how);
          break;
        }
      }
    }
    const following = next(1);
    if (following === void 0) return;
    const tail = l.text.slice(-TAIL);
    const mayJoin = forms.length > 0 && QUICK.test(tail) || tokenCharAt(l.text, -1) && tokenCharAt(following, 1) && QUICK.test(joinAt(l.text.slice(-16), following.slice(0, 16)));
    if (!mayJoin) return;
    const joined = joinAt(l.text, following);
    const hit = firstMatch(joined, () => void 0);
    const cut = trimTail(l.text).length;
    if (hit && hit.index < cut && hit.end > cut && !matchesAt(hit.rule, trimTail(l.text), hit.index))
      report(l, hit.rule, "split over two lines");
  });
  return findings;
}

// src/engine/guard/symlinks.ts
import { realpath } from "node:fs/promises";
import { join as join7, posix, sep as sep3 } from "node:path";
var isAbsoluteTarget = (t) => t.startsWith("/") || t.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(t);
var hasDotDot = (p) => p.split(/[\\/]/).includes("..");
async function checkSymlinks(change, worktreePath) {
  const out = [];
  const root = await orIfMissing(realpath(worktreePath), worktreePath);
  for (const f of change.files) {
    for (const p of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      if (hasDotDot(p) || isAbsoluteTarget(p)) {
        out.push({
          rule: "path",
          file: p,
          message: `${code(p)} leaves the repository (absolute or \`..\` path)`
        });
      }
    }
    if (f.newMode !== MODE.symlink || f.symlinkTarget === void 0) continue;
    const target = f.symlinkTarget;
    const link = `symlink ${code(f.path)} \u2192 ${code(target)}`;
    const violation = (why) => out.push({ rule: "symlink", file: f.path, message: `${link} ${why}` });
    if (isAbsoluteTarget(target)) {
      violation("points to an absolute path");
      continue;
    }
    const lexical = posix.normalize(posix.join(posix.dirname(f.path), target.replace(/\\/g, "/")));
    if (lexical === ".." || lexical.startsWith("../")) {
      violation("points outside the repository");
      continue;
    }
    if (lexical === ".git" || lexical.startsWith(".git/")) {
      violation("points into `.git`");
      continue;
    }
    const real3 = await orIfMissing(realpath(join7(root, f.path)), void 0, ["ELOOP"]);
    if (real3 !== void 0 && real3 !== root && !real3.startsWith(root + sep3)) {
      violation("resolves outside the repository through another symlink");
    }
  }
  return out;
}

// src/engine/guard/index.ts
async function runGuards(opts) {
  const { change } = opts;
  const pathViolations = opts.paths ? checkPaths(change, opts.paths) : [];
  const ruled = new Set(pathViolations.map((v) => v.file));
  const names = opts.secrets === false ? [] : secretNames(change);
  const targets = opts.secrets === false ? [] : secretTargets(change);
  const withheld = /* @__PURE__ */ new Set([...names.map((n2) => n2.path), ...targets.map((t) => t.target)]);
  const violations = [
    ...pathViolations,
    // a path already refused by paths.allow/deny needs no second line
    ...checkProtected(change, opts.paths?.allow ?? ["**"]).filter(
      (v) => v.rule !== "protected.path" || !ruled.has(v.file)
    ),
    ...unstaged(change),
    ...checkLimits(change, opts.limits ?? {}),
    ...await checkSymlinks(change, opts.worktreePath),
    ...opts.secrets === false ? [] : secretViolations(change, names, targets)
  ].map((v) => withheld.size > 0 ? withhold(v, withheld) : v);
  return {
    ok: violations.length === 0,
    violations,
    ...names.length > 0 ? { withheldNames: [...new Set(names.map((n2) => n2.path))] } : {}
  };
}
function unstaged(change) {
  return (change.unstaged ?? []).map((path) => ({
    rule: "unstaged",
    file: path,
    message: `${code(path)} could not be added to the change (an embedded git repository without a commit, or an unreadable file)`
  }));
}
function secretNames(change) {
  const out = [];
  for (const f of change.files) {
    for (const path of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const hit = credentialIn(path.replaceAll("/", "\n"));
      if (hit) out.push({ path, ...hit });
    }
  }
  return out;
}
function secretTargets(change) {
  const out = [];
  for (const f of change.files) {
    if (f.symlinkTarget === void 0) continue;
    const hit = credentialIn(f.symlinkTarget.replaceAll("/", "\n"));
    if (hit) out.push({ path: f.path, target: f.symlinkTarget, ...hit });
  }
  return out;
}
function secretViolations(change, names, targets) {
  const out = [...scanSecrets(change.patch), ...scanSecrets(change.textDiff)];
  out.push(...scanAddedLines(change.binaryLines ?? []));
  for (const n2 of names) {
    out.push({
      rule: `secret.${n2.id}`,
      message: `a changed file's name looks like it holds ${n2.what} (${n2.id}); the name is withheld`
    });
  }
  const found = new Set(out.map((v) => v.file));
  for (const t of targets.filter((x) => !found.has(x.path))) {
    out.push({
      rule: `secret.${t.id}`,
      file: t.path,
      message: `the target of symlink ${code(t.path)} looks like it holds ${t.what} (${t.id}); the target is withheld`
    });
  }
  return out;
}
function withholdFileNames(files, names) {
  if (!names || names.length === 0) return files;
  const hidden = new Set(names);
  const name = (p) => hidden.has(p) ? "[name withheld]" : p;
  return files.map((f) => ({
    ...f,
    path: name(f.path),
    ...f.oldPath !== void 0 ? { oldPath: name(f.oldPath) } : {}
  }));
}
function withhold(v, names) {
  let message = v.message;
  for (const n2 of names) message = message.replaceAll(n2, "[name withheld]");
  const out = { ...v, message };
  if (v.file !== void 0 && names.has(v.file)) delete out.file;
  return out;
}

// src/engine/run/redact.ts
var MIN_SECRET_LENGTH = 8;
var REDACTED = "***";
function withholdSecrets(text) {
  const findings = scanText(text, "agent output");
  if (findings.length === 0) return text;
  const lines = text.split("\n");
  for (const f of findings) {
    const rule = f.rule.replace(/^secret\./, "");
    lines[f.line - 1] = `[line withheld: it looks like it contains a credential (${rule})]`;
  }
  return lines.join("\n");
}
function redactorFor(task) {
  const secrets = Object.keys(task.agent.env_templates ?? {}).map((k) => task.agent.env[k]).filter((v) => typeof v === "string" && v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const text = (s) => {
    let out = s;
    for (const v of secrets) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return withholdSecrets(out);
  };
  return {
    text,
    result: (r) => ({
      ...r,
      summary: text(r.summary),
      ...r.error !== void 0 ? { error: text(r.error) } : {}
    }),
    event(e) {
      switch (e.type) {
        case "text":
          return { ...e, text: text(e.text) };
        case "tool_use":
          return { ...e, description: text(e.description) };
        case "permission_denied":
          return { ...e, message: text(e.message) };
        case "output":
          return { ...e, line: text(e.line) };
        case "api_retry":
          return e.error === void 0 ? e : { ...e, error: text(e.error) };
        default:
          return e;
      }
    }
  };
}

// src/engine/run/attempts.ts
async function runAttempts(opts) {
  const { task, worktree: wt } = opts;
  const max = task.retry.attempts;
  const backoffMs = parseDuration(task.retry.backoff);
  const partialBackups = [];
  const redact = redactorFor(task);
  for (let attempt = 1; ; attempt++) {
    opts.emit({ type: "task-start", task: task.name, attempt });
    await opts.prepare?.();
    const raw = await opts.agent.run({
      cwd: wt.path,
      prompt: opts.prompt,
      env: opts.env,
      signal: opts.signal,
      sandbox: opts.sandbox,
      onEvent: (event) => opts.emit({ type: "agent", task: task.name, event: redact.event(event) })
    });
    await opts.afterAgent?.();
    const result = redact.result(raw);
    const retry = result.status === "failed" && result.transient && attempt < max && !opts.signal?.aborted;
    if (!retry) return { result, attempts: attempt, partialBackups };
    const partial = await collectChanges({ git: wt.git, base: wt.baseCommit });
    if (partial.files.length > 0) {
      const saved = await writeChangeBackup({
        git: wt.git,
        change: partial,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: `before retry ${attempt + 1}: partial work of attempt ${attempt}`,
        details: { error: result.error, apiErrorStatus: result.apiErrorStatus }
      }).catch((err) => {
        if (err instanceof NoBackupError) return void 0;
        throw err;
      });
      if (saved) partialBackups.push(saved.id);
    }
    await wt.git.run(["reset", "--hard", "--quiet", wt.baseCommit]);
    await wt.git.run(["clean", "-fdq"]);
    const delayMs = backoffDelay(backoffMs, attempt, opts.random);
    opts.emit({
      type: "task-retry",
      task: task.name,
      attempt: attempt + 1,
      delayMs,
      reason: result.error ?? "transient error"
    });
    try {
      await sleep(delayMs, void 0, { signal: opts.signal });
    } catch {
      const error = `cancelled while waiting to retry (attempt ${attempt} failed: ${result.error ?? "transient error"})`;
      return { result: { ...result, status: "cancelled", error }, attempts: attempt, partialBackups };
    }
  }
}

// src/engine/run/check-change.ts
async function checkChange(o) {
  const { wt, task, r } = o;
  const change = await collectChanges({ git: wt.git, base: o.base });
  Object.assign(r, summariseFiles(change));
  const guards = change.files.length > 0 ? await runGuards({ change, worktreePath: wt.path, paths: task.paths, limits: task.limits }) : void 0;
  r.violations = (guards?.violations ?? []).map((v) => ({
    rule: v.rule,
    file: v.file,
    line: v.line,
    message: v.message
  }));
  r.files = withholdFileNames(r.files, guards?.withheldNames);
  let noBackup;
  if (change.files.length > 0) {
    try {
      const b = await writeChangeBackup({
        git: wt.git,
        change,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: o.reason,
        details: o.details()
      });
      r.backup = b.id;
    } catch (err) {
      if (!(err instanceof NoBackupError)) throw err;
      noBackup = err.message;
    }
  }
  wt.markSaved();
  return { change, ...noBackup ? { noBackup } : {} };
}
function refuseViolations(r, noBackup) {
  if (r.violations.length === 0) return false;
  r.status = "refused";
  r.message = `the change was refused: ${r.violations[0].message}${r.violations.length > 1 ? ` (+${r.violations.length - 1} more)` : ""}`;
  if (noBackup) r.message += `; it was not backed up: ${noBackup}`;
  return true;
}

// src/engine/run/push.ts
var COLLATERAL = /^atomic (push|transaction) failed$/;
async function pushLanding(o) {
  const { repo, guard } = o;
  const remote = repo.remote;
  let rider = o.rider;
  for (; ; ) {
    const tracking = guard ? `refs/remotes/${remote}/${guard.ref.replace(/^refs\/heads\//, "")}` : void 0;
    const trackingWas = tracking ? await resolveCommit(repo.git, tracking) : void 0;
    const pushed = await pushRefs({
      git: repo.git,
      remote,
      updates: [...o.updates, ...guard ? [guard] : [], ...rider ? [rider.update] : []]
    });
    if (tracking && trackingWas && trackingWas !== guard?.commit)
      await repo.git.run(["update-ref", tracking, trackingWas, guard.commit], { allowFailure: true });
    rider?.pushed(pushed.ok);
    if (pushed.ok) return { ok: true, baseMoved: false };
    const rejected = pushed.refs.filter((x) => x.status === "rejected");
    const refusing = rejected.filter((x) => !COLLATERAL.test(x.reason ?? ""));
    const baseMoved = guard !== void 0 && refusing.some((x) => x.ref === guard.ref);
    if (rider && !baseMoved) {
      rider = void 0;
      if (o.withoutRider && !await o.withoutRider()) return { ok: false, baseMoved: false, stopped: true };
      continue;
    }
    return { ok: false, baseMoved, reason: refusing[0]?.reason ?? rejected[0]?.reason ?? "rejected" };
  }
}
function baseLease(base, tip) {
  return { ref: `refs/heads/${base}`, commit: tip, expected: tip };
}

// src/engine/run/land-signed.ts
async function landSigned(o, signer, rides = {}) {
  const { result: r, repo } = o;
  const git = repo.git;
  const remote = repo.remote;
  const commit = r.commit;
  const [tree = "", parent = "", ...others] = (await git.run(["show", "-s", "--format=%T %P", commit])).stdout.trim().split(" ");
  const plan = others.length > 0 ? { ok: false, reasons: ["it is a merge commit (the API makes commits with one parent)"] } : await apiFileChanges({ git, parent, commit });
  if (!plan.ok) {
    const why = `${plan.reasons.slice(0, 5).join("; ")}${plan.reasons.length > 5 ? `; and ${plan.reasons.length - 5} more` : ""}`;
    if (!signer.allowUnsigned) {
      r.status = "failed";
      r.message = `not pushed: GitHub's API cannot make this change as a signed commit (${why}), and signed commits are required (\`sign-commits: required\`); nothing was pushed, the result is in backup ${r.backup}`;
      return "refused";
    }
    r.warnings = [
      ...r.warnings ?? [],
      `the commit was pushed unsigned with git: GitHub's API cannot make this change as a signed commit (${why}); \`sign-commits: preferred\` allows that`
    ];
    return "fallback";
  }
  const message = (await git.run(["show", "-s", "--format=%B", commit])).stdout;
  const [headline = "", ...rest] = message.split("\n");
  const body = rest.join("\n").trim();
  const old = o.start.branchTip;
  const ref = `refs/heads/${r.branch}`;
  const target = old === parent ? r.branch : old ? `claude-tasks-signing/${o.runId}/${r.branch}` : r.branch;
  const targetRef = `refs/heads/${target}`;
  const lost = (reason) => {
    r.status = "failed";
    r.message = `push of \`${r.branch}\` refused (${reason}): someone else updated it during the run; nothing was overwritten, the result is in backup ${r.backup}`;
    return "refused";
  };
  if (target !== r.branch || !old) {
    const landing = target === r.branch;
    const made = await pushLanding({
      repo,
      updates: [{ ref: targetRef, commit: parent, expected: null }],
      ...rides.guard ? { guard: rides.guard } : {},
      ...rides.rider && landing ? { rider: rides.rider } : {},
      ...rides.withoutRider && landing ? { withoutRider: rides.withoutRider } : {}
    });
    if (made.stopped) return "stopped";
    if (made.baseMoved) return "base-moved";
    if (!made.ok) return lost(made.reason ?? "it exists");
  } else {
    if (rides.withoutRider && !await rides.withoutRider()) return "stopped";
    if (rides.guard && await baseTip(repo, r.base, { fresh: true }) !== rides.guard.commit)
      return "base-moved";
  }
  const undo = async (from) => {
    const to = target === r.branch && old ? old : null;
    await pushRefs({ git, remote, updates: [{ ref: targetRef, commit: to, expected: from }] }).catch(
      () => void 0
    );
  };
  const sameCommit = async (c) => (await git.run(["show", "-s", "--format=%T %P%n%ce%n%B", c], { allowFailure: true })).stdout.trim() === `${tree} ${parent}
${GITHUB_WEB_FLOW_EMAIL}
${message.trim()}`;
  let signed;
  let reported;
  try {
    const made = await signer.commitOnBranch({
      branch: target,
      expectedHead: parent,
      headline,
      body,
      additions: plan.changes.additions,
      deletions: plan.changes.deletions
    });
    signed = made.oid;
    if (made.tree && made.parents) reported = `${made.tree} ${made.parents.join(" ")}`;
  } catch (err) {
    const tip = (await lsRemote({ git, remote, refs: [targetRef] })).get(targetRef);
    const ours = tip && tip !== parent && await fetchBranchNow(repo, target) === tip && await sameCommit(tip);
    if (ours) signed = tip;
    else if (tip !== parent) {
      if (target !== r.branch) await undo(tip ?? parent);
      return lost("stale info");
    } else {
      if (target !== r.branch || !old) await undo(parent);
      throw err;
    }
  }
  const described = reported !== void 0 && target === r.branch;
  const shape = described ? reported : await fetchBranchNow(repo, target) ? (await git.run(["show", "-s", "--format=%T %P", signed], { allowFailure: true })).stdout.trim() : "";
  if (shape !== `${tree} ${parent}`) {
    await undo(signed);
    r.status = "failed";
    r.message = `refused: the commit GitHub made (${signed.slice(0, 7)}) does not hold the tree that was checked; it was taken back, the result is in backup ${r.backup}`;
    return "refused";
  }
  if (target !== r.branch) {
    const updates = [{ ref, commit: signed, expected: old ?? null }];
    if (old && !o.onto && !await isAncestor(git, old, signed)) {
      const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
      updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
    }
    updates.push({ ref: targetRef, commit: null, expected: signed });
    const moved = await pushLanding({
      repo,
      updates,
      ...rides.rider ? { rider: rides.rider } : {},
      ...rides.withoutRider ? { withoutRider: rides.withoutRider } : {}
    }).catch(async (err) => {
      await undo(signed);
      throw err;
    });
    if (!moved.ok) {
      await undo(signed);
      return moved.stopped ? "stopped" : lost(moved.reason ?? "rejected");
    }
    await git.run(["update-ref", "-d", `refs/remotes/${remote}/${target}`], { allowFailure: true });
  }
  if (described) r.localCommit = commit;
  r.commit = signed;
  r.signature = "signed";
  return "landed";
}

// src/engine/run/onto.ts
function ontoPullRequest(pr) {
  return pr.isFork ? { branch: pr.headRef, fetchRef: `refs/pull/${pr.number}/head` } : { branch: pr.headRef };
}
function pushesTo(onto) {
  return onto?.fetchRef === void 0;
}
function effectiveDryRun(dryRun, onto) {
  return dryRun || !pushesTo(onto);
}

// src/engine/run/land.ts
async function land(options) {
  const o = {
    ...options,
    entry: { status: options.result.status, message: options.result.message }
  };
  const { result: r, repo } = o;
  if (o.change.files.length === 0) {
    r.status = "no_changes";
    r.message = "the task ran and changed nothing";
    if (repo.mode !== "local" && !o.onto) await publish(o, false);
    return;
  }
  o.phase("committing");
  const commit = await (o.commit ?? taskCommit(o));
  if (!commit) {
    r.status = "no_changes";
    r.message = "the task ran and changed nothing";
    return;
  }
  r.commit = commit;
  o.phase("checking conflicts with the latest base");
  if (!o.start.merge && !await followBase(o, { fresh: !guardsBase(o) })) return;
  if (r.status !== "conflict" && await alreadyOnBranch(o)) return keepBranch(o, o.claim);
  o.phase(repo.mode === "dry-run" ? "reporting" : repo.mode === "local" ? "updating branch" : "pushing");
  if (repo.mode === "dry-run") {
    if (r.status !== "conflict") {
      r.status = "success";
      r.message = `dry run: would update \`${r.branch}\` with ${fileCount(r)} \u2014 nothing was kept but the report and backup ${r.backup}`;
    }
    if (o.publisher && !o.onto) await publish(o, true);
    return;
  }
  if (repo.mode === "local") return landLocal(o);
  return landRemote(o);
}
async function taskCommit(o) {
  const { repo } = o;
  return commitTree({
    git: o.worktree.git,
    tree: o.change.tree,
    changed: true,
    // files changed (above)
    base: o.start.commit,
    subject: o.start.merge ? `Merge the latest ${o.result.base} into ${o.result.branch}; conflicts resolved by claude-tasks` : o.followUp?.subject ?? o.task.pr.title,
    ...o.start.merge ? { base: o.start.branchTip, mergeParents: [o.start.merge.commit] } : {},
    body: `Made by claude-tasks: the task ${o.task.name} (${o.task.kind === "claude" ? "Claude Code" : "a run: command"}).`,
    task: o.task.name,
    runId: o.runId,
    ...o.followUp ? { trailers: o.followUp.trailers } : {},
    // the user's own signing, when their git configuration asks for it (GitHub signs API commits
    // itself; a dry run keeps no commit)
    ...repo.mode !== "dry-run" && !o.publisher?.signer && await userSignsCommits(repo.git) ? { signWith: repo.git } : {}
  });
}
async function followBase(o, how) {
  const { result: r, repo } = o;
  if (r.status === "conflict") {
    Object.assign(r, o.entry);
    r.conflicts = [];
  }
  const commit = r.commit;
  const from = r.baseCommit ?? o.start.commit;
  const latest = o.onto ? await fetchOnto(repo, o.onto, how.fresh) : await baseTip(repo, r.base, { fresh: how.fresh });
  o.checkedBase = latest ?? from;
  if (!latest || latest === from) return true;
  const rb = await rebaseOnto({
    git: o.worktree.git,
    head: commit,
    oldBase: from,
    newBase: latest,
    stateDir: repo.state,
    task: o.task.name,
    runId: o.runId
  });
  if (rb.ok && rb.empty) {
    r.status = "no_changes";
    r.message = `the base moved during the run and already contains this change`;
    return false;
  }
  if (rb.ok) {
    r.commit = rb.commit;
    r.baseCommit = latest;
    r.rebased = true;
    return true;
  }
  r.commit = commit;
  r.conflicts = rb.conflicts;
  r.status = "conflict";
  r.message = `the base moved during the run and the change conflicts with it in ${rb.conflicts.length} file(s): ${rb.conflicts.slice(0, 5).join(", ")}`;
  if (o.task.on_conflict === "regenerate" && !o.onto) {
    r.message += `; the result is kept in backup ${r.backup}`;
    return false;
  }
  return true;
}
async function alreadyOnBranch(o) {
  const tip = o.start.branchTip;
  if (!tip || !o.result.commit) return false;
  const shape = async (c) => (await o.repo.git.run(["show", "-s", "--format=%T %P", c])).stdout.trim();
  return await shape(tip) === await shape(o.result.commit);
}
async function lockAnswered(o, claim) {
  const answer = await claim.answer();
  if (answer.ok) return true;
  await o.commit?.catch(() => void 0);
  notAdmitted(o.result, answer);
  return false;
}
async function keepBranch(o, claim) {
  if (claim && !await lockAnswered(o, claim)) return;
  const { result: r, repo } = o;
  r.commit = o.start.branchTip;
  r.status = "success";
  r.message = repo.mode === "dry-run" ? `dry run: \`${r.branch}\` already holds this change and would stay as it is` : `\`${r.branch}\` already holds this change (${fileCount(r)}); it was left as it is`;
  if (repo.mode !== "local" && !o.onto) await publish(o, true);
}
async function landLocal(o) {
  const { result: r, repo } = o;
  const up = await updateBranch({
    git: repo.git,
    branch: r.branch,
    commit: r.commit,
    expectedOld: o.start.branchTip ?? null,
    message: `claude-tasks: ${o.task.name} run ${o.runId}`
  });
  if (!up.updated) {
    r.status = "failed";
    r.message = `\`${r.branch}\` changed while the task ran; it was not overwritten (the result is in backup ${r.backup})`;
    return;
  }
  if (r.status !== "conflict") {
    r.status = "success";
    r.message = `branch \`${r.branch}\` ${o.start.branchTip ? "updated" : "created"} with ${fileCount(r)}${up.backup ? ` (its previous tip is kept as ${up.backup.ref})` : ""}`;
  } else {
    r.message += `; the unrebased result is on \`${r.branch}\``;
  }
}
function claiming(rider, claim) {
  if (!rider || !claim) return rider;
  return {
    update: rider.update,
    pushed(won) {
      rider.pushed(won);
      if (won) claim.claimed();
    }
  };
}
async function landRemote(o) {
  const { result: r, repo } = o;
  if (!pushesTo(o.onto)) {
    if (r.status !== "conflict") r.status = "success";
    r.message = `${r.message ? `${r.message}; ` : ""}nothing was pushed: \`${r.branch}\` belongs to a fork (the change is in backup ${r.backup})`;
    return;
  }
  if (o.onto && r.status === "conflict") {
    r.message += `; nothing was pushed to \`${r.branch}\``;
    return;
  }
  remoteOf(repo);
  const signer = o.publisher?.signer;
  const riding = o.settleInPush?.(
    {
      ...r,
      status: r.status === "conflict" ? "conflict" : "success",
      durationMs: Date.now() - Date.parse(r.startedAt)
    },
    { claim: o.claim !== void 0 }
  ).catch(() => void 0);
  let claim = o.claim;
  const askLock = () => {
    const asked = claim;
    claim = void 0;
    return lockAnswered(o, asked);
  };
  let signed;
  for (let round = 1; ; round++) {
    const guard = guardsBase(o) ? baseGuard(o) : void 0;
    const rider = claiming(round === 1 ? await riding : void 0, claim);
    if (claim && !rider && !await askLock()) return;
    let moved;
    if (signer && signed !== "fallback") {
      signed = await landSigned(o, signer, { guard, rider, ...claim ? { withoutRider: askLock } : {} });
      if (signed === "stopped" || signed === "refused") return;
      if (signed === "landed") break;
      moved = signed === "base-moved";
    } else moved = false;
    if (!signer || signed === "fallback") {
      const pushed = await pushLanding({
        repo,
        updates: await branchUpdates(o),
        guard,
        rider,
        ...claim ? { withoutRider: askLock } : {}
      });
      if (pushed.ok) {
        r.signature = "unsigned";
        break;
      }
      if (pushed.stopped) return;
      moved = pushed.baseMoved;
      if (!moved) {
        r.status = "failed";
        r.message = `push of \`${r.branch}\` refused (${pushed.reason}): someone else updated it during the run; nothing was overwritten, the result is in backup ${r.backup}`;
        return;
      }
    }
    if (moved && round < MAX_BASE_ROUNDS) {
      o.phase("checking conflicts with the latest base");
      if (!await followBase(o, { fresh: true })) return;
      if (r.status !== "conflict" && await alreadyOnBranch(o)) return keepBranch(o, claim);
      continue;
    }
    r.status = "failed";
    r.message = `push of \`${r.branch}\` given up: the base \`${r.base}\` kept moving while it was checked; the result is in backup ${r.backup}`;
    return;
  }
  if (r.status !== "conflict") {
    r.status = "success";
    r.message = `pushed \`${r.branch}\` with ${fileCount(r)}${r.signature === "signed" ? " as a commit signed by GitHub" : ""}`;
  }
  if (!o.onto) await publish(o, true);
}
var MAX_BASE_ROUNDS = 3;
async function branchUpdates(o) {
  const { result: r, repo } = o;
  const updates = [
    { ref: `refs/heads/${r.branch}`, commit: r.commit, expected: o.start.branchTip ?? null }
  ];
  const old = o.start.branchTip;
  if (old && !o.onto && !await isAncestor(repo.git, old, r.commit)) {
    const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
    updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
  }
  return updates;
}
function guardsBase(o) {
  return o.repo.mode === "pr" && !o.onto && !o.start.merge;
}
function baseGuard(o) {
  return baseLease(o.result.base, o.checkedBase ?? o.result.baseCommit ?? o.start.commit);
}
async function publish(o, hasChanges) {
  if (!o.publisher) return;
  o.phase("publishing the pull request");
  const pr = await o.publisher.publish({
    task: o.task,
    result: o.result,
    branch: o.result.branch,
    base: o.result.base,
    hasChanges,
    branchExistedOnRemote: o.start.branchExistedOnRemote,
    dryRun: o.repo.mode === "dry-run"
  });
  if (pr) o.result.pr = pr;
}
function remoteOf(repo) {
  if (!repo.remote) throw new Error("no remote to push to");
  return repo.remote;
}
function fileCount(r) {
  return `${r.files.length} file${r.files.length === 1 ? "" : "s"} (+${r.additions} \u2212${r.deletions})`;
}

// src/engine/run/precheck.ts
var IF_COMMAND_TIMEOUT_MS = 6e4;
async function runPrecheck(opts) {
  const command = opts.task.if_command;
  if (command === void 0) return { run: true };
  const timeoutMs = opts.timeoutMs ?? IF_COMMAND_TIMEOUT_MS;
  const agent = createCommandAgent(command, { env: opts.task.agent.env, timeoutMs });
  const r = await agent.run({
    cwd: opts.worktree.path,
    prompt: "",
    env: opts.env,
    timeoutMs,
    signal: opts.signal,
    sandbox: opts.sandbox
  });
  await opts.after?.();
  await opts.worktree.git.run(["reset", "--hard", "--quiet", opts.worktree.baseCommit]);
  await opts.worktree.git.run(["clean", "-fdq"]);
  if (r.status === "success") return { run: true };
  const seconds = Math.round(timeoutMs / 1e3);
  const reason = r.status === "cancelled" ? "cancelled during if_command" : r.status === "timeout" ? `skipped: if_command did not finish within ${seconds}s` : r.exitCode !== null ? `skipped: if_command exited ${r.exitCode}` : "skipped: if_command could not run (it did not start or was killed)";
  return { run: false, cancelled: r.status === "cancelled", reason, exitCode: r.exitCode };
}

// src/engine/run/resolve-conflicts.ts
async function plannedMerge(git, branchTip, base) {
  const check = await mergeTreeCheck({ git, base: branchTip, head: base });
  return check.clean ? void 0 : { commit: base, conflicts: check.conflicts };
}
async function prepareMerge(wt, branchTip, commit) {
  const git = wt.git;
  await git.run(["merge", "--no-ff", "--no-commit", "--no-verify", "--quiet", commit], {
    allowFailure: true
  });
  await git.run(["add", "-A", "--", "."]);
  const tree = (await git.run(["write-tree"])).stdout.trim();
  await git.run(["merge", "--quit"], { allowFailure: true });
  const checkBase = (await git.run(["commit-tree", tree, "-p", branchTip, "-m", "claude-tasks: merge with conflict markers"])).stdout.trim();
  await git.run(["reset", "--soft", "--quiet", checkBase]);
  return checkBase;
}
async function filesWithMarkers(git, tree, files) {
  if (files.length === 0) return [];
  const r = await git.run(
    [
      "grep",
      "-l",
      "-z",
      "-I",
      "-E",
      "^(<{7}|>{7})( |$)|^={7}$",
      tree,
      "--",
      ...files.map((f) => `:(literal)${f}`)
    ],
    { allowFailure: true }
  );
  if (r.exitCode > 1) throw new Error(`git grep failed: ${r.stderr.trim()}`);
  const prefix = `${tree}:`;
  return r.stdout.split("\0").filter(Boolean).map((p) => p.startsWith(prefix) ? p.slice(prefix.length) : p);
}
function resolveContext(o) {
  const list = o.conflicts.slice(0, 50).map((f) => `- ${quotePath(f)}`);
  if (o.conflicts.length > 50) list.push(`- \u2026 and ${o.conflicts.length - 50} more`);
  return [
    "---",
    "",
    "## Resolve merge conflicts",
    "",
    `The branch ${quotePath(o.branch)} holds commits by people, and the base ${quotePath(o.base)} moved: git merged the latest base into it, and these files now hold conflict markers (<<<<<<<, =======, >>>>>>>):`,
    "",
    ...list,
    "",
    "Resolve every conflict in them, keeping the intent of both sides, and remove every marker. Change nothing else: this run does not redo the task.",
    ""
  ].join("\n");
}

// src/engine/run/trusted-config.ts
import { createHash } from "node:crypto";
import { lstat, readdir, readFile as readFile3, readlink, rm } from "node:fs/promises";
import { join as join8 } from "node:path";
var TRUSTED_CONFIG_PATHS = [".claude", ".mcp.json", "CLAUDE.md", "CLAUDE.local.md"];
async function overlayTrustedConfig(git, source, paths) {
  for (const p of paths) await rm(join8(git.cwd, p), { recursive: true, force: true });
  await checkoutPaths(git, source, paths);
  return fingerprint(git.cwd, paths);
}
async function removeTrustedOverlay(git, paths, overlay) {
  const after = await fingerprint(git.cwd, paths);
  const changed = /* @__PURE__ */ new Set();
  for (const [p, h] of after) if (overlay.get(p) !== h) changed.add(p);
  for (const p of overlay.keys()) if (!after.has(p)) changed.add(p);
  for (const p of paths) await rm(join8(git.cwd, p), { recursive: true, force: true });
  const tracked = splitZ((await git.run(["ls-files", "-z", "--", ...paths])).stdout);
  if (tracked.length > 0) {
    await git.run(["reset", "-q", "HEAD", "--", ...paths], { allowFailure: true });
  }
  await checkoutPaths(git, "HEAD", paths);
  return [...changed].sort();
}
async function checkoutPaths(git, source, paths) {
  const files = splitZ(
    (await git.run(["ls-tree", "-r", "-z", "--name-only", source, "--", ...paths])).stdout
  );
  if (files.length === 0) return;
  await git.run(
    ["restore", `--source=${source}`, "--worktree", "--pathspec-from-file=-", "--pathspec-file-nul"],
    { input: `${files.map((f) => `:(literal)${f}`).join("\0")}\0` }
  );
}
async function fingerprint(dir, paths) {
  const out = /* @__PURE__ */ new Map();
  const walk = async (rel) => {
    const abs = join8(dir, rel);
    const st = await orIfMissing(lstat(abs), void 0);
    if (!st) return;
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(abs)}`);
    else if (st.isDirectory()) for (const name of await readdir(abs)) await walk(`${rel}/${name}`);
    else if (st.isFile())
      out.set(
        rel,
        createHash("sha256").update(await readFile3(abs)).digest("hex")
      );
  };
  for (const p of paths) await walk(p);
  return out;
}

// src/engine/run/run-task.ts
var AGENT_STATUS = {
  success: "success",
  failed: "failed",
  timeout: "timeout",
  max_turns: "max_turns",
  budget_exhausted: "budget_exhausted",
  cancelled: "cancelled"
};
async function runTask(opts) {
  const branch = opts.onto?.branch ?? opts.task.branch;
  const result = newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes);
  const t0 = Date.now();
  try {
    await pipeline2(opts, result);
    if (result.status === "conflict" && opts.task.on_conflict === "regenerate" && !opts.onto) {
      const first = { ...result };
      Object.assign(result, newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes));
      await pipeline2(opts, result);
      result.message = `regenerated on the latest base (the first result conflicted in ${first.conflicts.join(", ")}; it is in backup ${first.backup}): ${result.message}`;
    }
  } catch (err) {
    result.status = opts.signal?.aborted ? "cancelled" : "failed";
    result.message = errorMessage(err);
    if (result.backup) result.message += `; the work is kept in backup ${result.backup}`;
    else if (isDiskFull(err)) {
      result.message += "; the disk is full: free some space, then `claude-tasks worktrees --prune` saves whatever work this run had to leave in its worktree";
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}
async function pipeline2(opts, r) {
  var _stack = [];
  try {
    const { repo, task } = opts;
    const phase = (p) => opts.emit({ type: "task-phase", task: task.name, phase: p });
    phase("resolving base");
    const refs = localRefs(repo);
    const start = await startingPoint(opts, r, refs);
    if (!start) return;
    r.baseCommit = start.merge?.commit ?? start.commit;
    phase("creating worktree");
    const wt = __using(_stack, await createWorktree({
      git: repo.git,
      task: task.name,
      runId: opts.runId,
      base: start.commit,
      branch: r.branch,
      stateDir: repo.state,
      logger: repo.logger
    }), true);
    const commonDir = dirname3(repo.state);
    const sandbox = __using(_stack, opts.sandbox ? await opts.sandbox.open({
      worktree: wt.path,
      commonDir,
      adminDir: await adminDirOf(wt.path),
      repoRoot: repo.git.cwd,
      // named as its worktree: `worktrees --prune` finds what a killed run left by that name
      privateDir: join9(sandboxesDir(repo.state), basename(wt.path)),
      refs: async () => (await refs()).text
    }) : void 0, true);
    const untouched = async (before2) => {
      const changed = await compareRepo(repo.git, before2);
      if (changed.length === 0) return;
      await restoreRepo(repo.git, before2, changed);
      throw new RepositoryTamperedError(changed.map((c) => c.name));
    };
    if (task.if_command !== void 0) {
      phase("running if_command");
      const before2 = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
      const pre = await runPrecheck({
        task,
        worktree: wt,
        env: opts.env,
        sandbox,
        signal: opts.signal,
        after: () => untouched(before2)
      });
      if (!pre.run) {
        r.status = pre.cancelled ? "cancelled" : "skipped";
        r.message = pre.reason;
        if (!pre.cancelled) r.notRun = "if_command";
        return;
      }
    }
    const merge = start.merge ? await mergeInto(wt, start, r) : void 0;
    const own = task.kind === "claude" ? await promptOf(opts, wt, merge !== void 0) : "";
    const prompt = merge ? `${resolveContext({ base: r.base, branch: r.branch, conflicts: merge.conflicts })}
For context, the task that made this branch:

${own}` : opts.followUp ? `${own.trimEnd()}

${opts.followUp.context}` : own;
    const before = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
    const afterAgent = () => untouched(before);
    const trusted = opts.trustedConfig ?? (merge ? { source: r.base, paths: [...TRUSTED_CONFIG_PATHS] } : void 0);
    let overlay;
    const source = trusted ? await trustedSource(opts.repo, trusted.source) : void 0;
    const prepare = trusted ? async () => {
      overlay = await overlayTrustedConfig(wt.git, source, trusted.paths);
    } : void 0;
    phase(task.kind === "claude" ? "running Claude Code" : "running command");
    const {
      result: agentResult,
      // what the agent said is already redacted (see runAttempts)
      attempts,
      partialBackups
    } = await runAttempts({
      task,
      agent: opts.agent,
      worktree: wt,
      prompt,
      env: opts.env,
      signal: opts.signal,
      emit: opts.emit,
      prepare,
      sandbox,
      afterAgent
    });
    opts.admission?.agentEnded();
    r.attempts = attempts;
    r.agent = summariseAgent(opts.agent.kind, agentResult);
    if (trusted && overlay) {
      const dropped = await removeTrustedOverlay(wt.git, trusted.paths, overlay);
      if (dropped.length > 0) {
        r.warnings = [
          `changes to Claude Code's configuration were dropped (it comes from ${trusted.source}): ${dropped.join(", ")}`
        ];
      }
    }
    phase("checking the change");
    const { change, noBackup } = await checkChange({
      wt,
      base: merge?.checkBase ?? start.commit,
      task,
      r,
      reason: "run result",
      details: () => ({
        mode: repo.mode,
        branch: r.branch,
        agent: r.agent,
        agentStatus: agentResult.status,
        violations: r.violations
      })
    });
    if (change.files.length === 0 && partialBackups.length > 0) r.backup = partialBackups.at(-1);
    const lands = agentResult.status === "success" && change.files.length > 0 && r.violations.length === 0 && !noBackup && !merge;
    const commit = lands && (opts.admission !== void 0 || start.remote !== void 0) ? taskCommit({ ...opts, worktree: wt, change, result: r, start }) : void 0;
    commit?.catch(() => {
    });
    const claim = lands && landingCanClaim({ mode: repo.mode, onto: opts.onto }) && opts.settleInPush !== void 0 && opts.admission?.claimInPush() === true ? opts.admission : void 0;
    let goesOn = false;
    try {
      goesOn = await admittedAndStarted(opts, start, r, claim !== void 0);
    } finally {
      if (!goesOn) await commit?.catch(() => void 0);
    }
    if (!goesOn) return;
    if (agentResult.status !== "success") {
      r.status = AGENT_STATUS[agentResult.status];
      r.message = agentResult.error ?? `the agent ended with ${agentResult.status}`;
      if (r.backup) r.message += `; its partial work is in backup ${r.backup}`;
      return;
    }
    if (refuseViolations(r, noBackup)) return;
    if (noBackup) throw new Error(`the change could not be backed up: ${noBackup}`);
    if (merge) {
      const left = await filesWithMarkers(wt.git, change.tree, merge.conflicts);
      if (left.length > 0) {
        r.status = "conflict";
        r.conflicts = left;
        r.message = `the base \`${r.base}\` conflicts with \`${r.branch}\` and the agent left conflict markers in ${left.length} file(s): ${left.slice(0, 5).join(", ")}; nothing was pushed${r.backup ? ` (the attempt is in backup ${r.backup})` : ""}`;
        await unresolvedComment(opts, r, left);
        return;
      }
    }
    await land({
      ...opts,
      worktree: wt,
      change,
      result: r,
      start: merge ? { ...start, merge } : start,
      phase,
      ...commit ? { commit } : {},
      ...claim ? { claim } : {}
    });
  } catch (_) {
    var _error = _, _hasError = true;
  } finally {
    var _promise = __callDispose(_stack, _error, _hasError);
    _promise && await _promise;
  }
}
async function admittedAndStarted(opts, start, r, claimed) {
  if (opts.admission && !claimed) {
    const admitted = await opts.admission.answer();
    if (!admitted.ok) {
      notAdmitted(r, admitted);
      return false;
    }
  }
  return settleStart(start, r);
}
async function startingPoint(opts, r, refs = localRefs(opts.repo)) {
  const { repo } = opts;
  if (opts.onto) {
    const tip = await fetchOnto(repo, opts.onto);
    const where = opts.onto.fetchRef ?? opts.onto.branch;
    if (!tip) throw new Error(`\`${where}\` not found on ${repo.remote ?? "the remote"}`);
    return { commit: tip, branchTip: tip, branchExistedOnRemote: true };
  }
  const fast = repo.fromRemote && opts.localBaseFirst && opts.task.on_conflict !== "resolve";
  const local = fast ? await localBase(repo, r.base) : void 0;
  if (local) {
    const remote = remoteChecks(opts, r, refs);
    remote.catch(() => {
    });
    return { commit: local, branchExistedOnRemote: false, remote };
  }
  const checked = await remoteChecks(opts, r, refs);
  const branchTip = checked.branch.branchTip;
  if (checked.foreign && branchTip && opts.task.on_conflict === "resolve") {
    const merge = await plannedMerge(repo.git, branchTip, checked.base);
    if (merge) {
      r.baseCommit = checked.base;
      return {
        commit: branchTip,
        branchTip,
        branchExistedOnRemote: repo.fromRemote,
        merge: { ...merge, checkBase: branchTip }
      };
    }
  }
  if (checked.foreign) return skipForeign(r, checked.foreign);
  return { commit: checked.base, ...checked.branch };
}
async function remoteChecks(opts, r, refs) {
  const { repo } = opts;
  const base = await baseTip(repo, r.base, repo.fromRemote ? {} : { local: refs });
  const branchTip = repo.fromRemote ? await fetchBranch(repo, r.branch) : (await refs()).tips.get(`refs/heads/${r.branch}`);
  const branch = { branchTip, branchExistedOnRemote: repo.fromRemote && branchTip !== void 0 };
  if (!branchTip) return { base, branch };
  const foreign = await foreignCommits({ git: repo.git, branch: branchTip, base, task: opts.task.name });
  return { base, branch, ...foreign[0] ? { foreign: foreign[0] } : {} };
}
function skipForeign(r, f) {
  r.status = "skipped";
  r.message = `branch \`${r.branch}\` has commits not made by claude-tasks (${f.sha.slice(0, 7)} by ${f.author}: ${f.reason}); it is left untouched`;
  return void 0;
}
async function settleStart(start, r) {
  if (!start.remote) return true;
  const checked = await start.remote;
  Object.assign(start, checked.branch);
  if (!checked.foreign) return true;
  skipForeign(r, checked.foreign);
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
  return false;
}
async function unresolvedComment(opts, r, left) {
  if (opts.repo.mode !== "pr" || !opts.publisher?.comment) return;
  const files = left.slice(0, 20).map((f) => `- ${mdCode(f)}`);
  if (left.length > 20) files.push(`- \u2026 and ${left.length - 20} more`);
  const body = [
    `\u26A0\uFE0F The base ${mdCode(r.base)} moved and conflicts with this branch. claude-tasks merged it in and let the agent resolve the conflicts, but these files still hold conflict markers, so nothing was pushed:`,
    "",
    ...files,
    "",
    `The attempt is kept in the backup ${mdCode(r.backup ?? "(none)")} (the run's backup artifact).`
  ].join("\n");
  try {
    await opts.publisher.comment({ branch: r.branch, base: r.base }, body);
  } catch (err) {
    opts.repo.logger.warn(`could not comment on the pull request of ${r.branch}: ${errorMessage(err)}`);
  }
}
async function mergeInto(wt, start, r) {
  const m = start.merge;
  const checkBase = await prepareMerge(wt, start.branchTip, m.commit);
  wt.baseCommit = checkBase;
  r.conflicts = m.conflicts;
  return { ...m, checkBase };
}
async function promptOf(opts, wt, onBranch) {
  const { task } = opts;
  if (task.prompt !== void 0) return task.prompt;
  const file = task.prompt_file ?? "";
  if (!opts.onto && !onBranch) return readFile4(join9(wt.path, file), "utf8");
  const base = await baseTip(opts.repo, opts.base);
  return (await opts.repo.git.run(["show", `${base}:${file}`])).stdout;
}
async function trustedSource(repo, source) {
  return await fetchBranch(repo, source) ?? await baseTip(repo, source);
}
var RepositoryTamperedError = class extends Error {
  name = "RepositoryTamperedError";
  changed;
  constructor(changed) {
    const list = changed.slice(0, 5).map((c) => JSON.stringify(c)).join(", ");
    super(
      `the agent changed the repository's git setup (${list}${changed.length > 5 ? `, +${changed.length - 5} more` : ""}); it was restored and the result of this run is not used`
    );
    this.changed = changed;
  }
};
function isDiskFull(err) {
  return err?.code === "ENOSPC" || /no space left on device/i.test(errorMessage(err));
}

// src/engine/run/run-tasks.ts
var LOCK_AFTER_MS = 1e3;
async function runTasks(opts) {
  var _stack = [];
  try {
    const started = Date.now();
    const logger = opts.logger ?? silentLogger;
    let anyAgentUp;
    const agentsUp = new Promise((ok) => {
      anyAgentUp = ok;
    });
    let claudeSpawned;
    const emit = (e) => {
      if (e.type === "agent" && e.event.type === "spawn") {
        anyAgentUp();
        if (byName.get(e.task)?.kind === "claude") claudeSpawned?.();
      }
      opts.onEvent?.(e);
    };
    const git = createGit({ cwd: opts.repoRoot, authEnv: opts.gitEnv, logger });
    const repo = await makeRepoContext({
      git,
      state: stateDir(git),
      // read side by side with the remotes
      mode: opts.mode,
      remote: opts.remote,
      previewsPullRequests: opts.publisher !== void 0 || opts.tipsFromRemote === true,
      logger
    });
    const state = repo.state;
    const planned = opts.plan.tasks;
    const byName = new Map(opts.tasks.map((t) => [t.name, t]));
    const missing = planned.filter((p) => !byName.has(p.name)).map((p) => p.name);
    if (missing.length > 0) throw new Error(`the plan names tasks without a definition: ${missing.join(", ")}`);
    const taskOf = (name) => byName.get(name);
    const fireTimesOf = new Map(planned.map((p) => [p.name, p.fireTimes]));
    const fallbackBase = opts.base ?? opts.defaultBase ?? await defaultBranch(repo);
    const baseOf = (t) => opts.base ?? t.base ?? fallbackBase;
    if (!opts.onto) {
      const run = planned.map((p) => taskOf(p.name));
      const trusted = opts.trustedConfig ? [opts.trustedConfig.source] : [];
      prefetchTips(
        repo,
        [...run.map(baseOf), ...trusted],
        run.map((t) => t.branch),
        { state: opts.control !== void 0 }
        // the ledger's state ref comes with it
      );
    }
    const isolation = opts.isolation ?? "sandbox";
    const baseEnv = opts.env ?? process.env;
    const credential = !opts.agentFor && planned.some((p) => taskOf(p.name).kind === "claude") ? modelCredentialFrom(baseEnv) ?? (isolation === "sandbox" ? await loginCredential(baseEnv.HOME) : void 0) : void 0;
    const starting = credential ? startProxy(credential, baseEnv.ANTHROPIC_BASE_URL) : void 0;
    let sandbox;
    try {
      [, sandbox] = await Promise.all([
        assertRunnable(repo, opts),
        // Injected agents (tests, benchmarks) run in-process fakes: there is nothing to sandbox.
        opts.agentFor ? void 0 : createSandboxProvider({ isolation, env: baseEnv })
      ]);
    } catch (err) {
      await (await starting?.catch(() => void 0))?.[Symbol.asyncDispose]();
      throw err;
    }
    const proxy = __using(_stack, await starting, true);
    claudeSpawned = proxy?.preconnect;
    const agentBaseEnv = proxy ? { ...scrubbedEnv(baseEnv, { modelCredentials: false }), ...proxy.agentEnv } : baseEnv;
    if (isolation === "none") {
      logger.warn(
        "isolation: none \u2014 agents and task commands run without a sandbox: they can read this machine's credentials and change anything this user can"
      );
    }
    const runId = opts.runId ?? newRunId();
    const names = planned.map((p) => p.name);
    const log = runLogPath(state);
    const leftovers = agentsUp.then(() => {
      opts.publisher?.prepare?.();
      return warnAboutLeftovers(git, state, logger, runId);
    }).catch((err) => logger.debug(`could not list the worktrees: ${errorMessage(err)}`));
    await appendLog(log, {
      type: "run-start",
      runId,
      mode: opts.mode,
      tasks: names,
      pid: process.pid,
      at: (/* @__PURE__ */ new Date()).toISOString()
    });
    emit({ type: "run-start", runId, mode: opts.mode, tasks: names });
    const finished = /* @__PURE__ */ new Set();
    const finish = async (r) => {
      finished.add(r.task);
      emit({ type: "task-end", task: r.task, status: r.status, message: r.message, result: r });
      await appendLog(log, taskEntry(runId, opts.mode, r)).catch(
        (err) => logger.warn(`could not write the run log: ${errorMessage(err)}`)
      );
      return r;
    };
    const results = await executeGraph({
      nodes: planned.map((p) => ({ name: p.name, needs: p.needs, if: p.if })),
      maxParallel: opts.maxParallel ?? 4,
      signal: opts.signal,
      outcome: (r) => outcomeOf(r.status) ?? "failure",
      skip: (name, reason) => skipped(taskOf(name), baseOf(taskOf(name)), reason, opts.signal),
      crash: (name, err) => ({
        ...skippedResult(name, taskOf(name).branch, baseOf(taskOf(name)), errorMessage(err)),
        status: "failed"
      }),
      run: async (name) => {
        const task = taskOf(name);
        const fireTimes = fireTimesOf.get(name) ?? [];
        const control = opts.control;
        const scheduled = fireTimes.length > 0;
        const admitCtx = {
          task,
          runId,
          scheduled,
          baseCommit: () => baseTip(repo, baseOf(task)),
          signal: opts.signal
        };
        const notRun = (admitted, extra = "") => {
          logger.info(`${name}: ${admitted.reason}`);
          return finish({
            ...skippedResult(name, task.branch, baseOf(task), `${admitted.reason}${extra}`),
            notRun: admitted.kind,
            ...scheduled ? { fireTimes } : {},
            ...opts.trigger ? { trigger: opts.trigger } : {}
          });
        };
        const attempt = (signal, admission, onSpawn) => runTask({
          repo,
          task,
          runId,
          base: baseOf(task),
          agent: opts.agentFor?.(task) ?? defaultAgentFor(task, { claudePath: opts.claudePath, killGraceMs: opts.killGraceMs }),
          env: agentBaseEnv,
          onto: opts.onto,
          ...opts.followUp ? { followUp: opts.followUp } : {},
          ...opts.localBaseFirst ? { localBaseFirst: true } : {},
          trustedConfig: opts.trustedConfig,
          publisher: opts.publisher,
          ...sandbox ? { sandbox } : {},
          emit: onSpawn ? (e) => {
            if (e.type === "agent" && e.event.type === "spawn") onSpawn();
            emit(e);
          } : emit,
          signal,
          trigger: opts.trigger,
          ...scheduled ? { fireTimes } : {},
          ...admission ? { admission } : {},
          ...control ? {
            settleInPush: (r, how) => control.settleInPush(task, runId, r, how)
          } : {}
        });
        if (control && !control.gatesStart(task, scheduled)) {
          const stop = new AbortController();
          const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
          const claimable = landingCanClaim(opts);
          let asked;
          let later;
          const ask = () => asked ??= control.admit(admitCtx, { once: true }).then(
            (a) => {
              if (!a.ok) stop.abort();
              return a;
            },
            (err) => {
              stop.abort();
              throw err;
            }
          );
          const admission = {
            answer: ask,
            // from here on the timer below never fires (and a later spawn never sets another)
            agentEnded: () => clearTimeout(later),
            claimInPush: () => asked === void 0,
            claimed: () => {
              asked ??= Promise.resolve({ ok: true });
            }
          };
          const onSpawn = () => {
            if (!claimable) return void ask().catch(() => {
            });
            later ??= setTimeout(() => void ask().catch(() => {
            }), LOCK_AFTER_MS);
          };
          const first = await attempt(signal, admission, onSpawn).finally(() => clearTimeout(later));
          let admitted;
          try {
            admitted = await ask();
          } catch (err) {
            const kept2 = first.backup ? `; its work is in backup ${first.backup}` : "";
            return finish({
              ...first,
              status: "failed",
              message: `could not take the task's lock in ${STATE_REF}: ${errorMessage(err)}${kept2}`
            });
          }
          if (admitted.ok) {
            await control.settle(task, runId, first);
            return finish(first);
          }
          if ((first.agent?.costUsd ?? 0) > 0) await control.settle(task, runId, first);
          const kept = first.backup ? `; the stopped start's work is in backup ${first.backup}` : "";
          const again = await control.admit(admitCtx);
          if (!again.ok) return notRun(again, kept);
          logger.info(`${name}: the other run ended; starting again`);
        } else if (control) {
          const admitted = await control.admit(admitCtx);
          if (!admitted.ok) return notRun(admitted);
        }
        let result;
        try {
          result = await attempt(opts.signal);
        } finally {
          if (control) {
            const r = result ?? {
              ...skippedResult(name, task.branch, baseOf(task), "crashed"),
              status: "failed"
            };
            await control.settle(task, runId, r);
          }
        }
        return finish(result);
      }
    });
    anyAgentUp();
    await leftovers;
    const ordered = names.map((name) => results.get(name));
    for (const r of ordered) if (!finished.has(r.task)) await finish(r);
    const report = await assembleReport({
      git,
      runId,
      mode: opts.mode,
      started,
      ...opts.trigger ? { trigger: opts.trigger } : {},
      results: ordered,
      isolation
    });
    await writeReport(state, report).catch(
      (err) => logger.warn(`could not write the run report: ${errorMessage(err)}`)
    );
    await appendLog(log, {
      type: "run-end",
      runId,
      ok: report.ok,
      durationMs: report.durationMs,
      at: (/* @__PURE__ */ new Date()).toISOString()
    });
    emit({ type: "run-end", ok: report.ok, durationMs: report.durationMs });
    return report;
  } catch (_) {
    var _error = _, _hasError = true;
  } finally {
    var _promise = __callDispose(_stack, _error, _hasError);
    _promise && await _promise;
  }
}
async function assertRunnable(repo, opts) {
  if (!repo.fromRemote) {
    const refs = await repo.git.run([
      "for-each-ref",
      "--count=1",
      "--format=%(refname)",
      "refs/heads",
      "refs/remotes"
    ]);
    if (!refs.stdout.trim())
      throw new UserError("the repository has no commits yet: commit the task files, then run again");
  }
  if (opts.base === void 0 || opts.onto) return;
  if (opts.localBaseFirst && repo.fromRemote && await localBase(repo, opts.base)) return;
  await baseTip(repo, opts.base);
}
function skipped(task, base, reason, signal) {
  const r = skippedResult(task.name, task.branch, base, reason);
  return signal?.aborted ? { ...r, status: "cancelled" } : r;
}
async function writeReport(state, report) {
  const dir = runReportDir(state, report.runId);
  await mkdir3(dir, { recursive: true });
  await (0, import_write_file_atomic.default)(join10(dir, "report.json"), `${JSON.stringify(report, null, 2)}
`);
  await (0, import_write_file_atomic.default)(join10(dir, "report.md"), renderRunMarkdown(report));
}
async function warnAboutLeftovers(git, state, logger, runId) {
  const leftovers = (await listWorktrees(git, { stateDir: state })).filter(
    (w) => w.ours && w.stale && !w.path.endsWith(`-${runId}`)
  );
  if (leftovers.length > 0) {
    logger.warn(
      `${leftovers.length} leftover worktree(s) from an interrupted run: ${leftovers.map((w) => w.path).join(", ")} \u2014 run \`claude-tasks worktrees --prune\` (their work is backed up first)`
    );
  }
}
async function startProxy(credential, upstream) {
  const proxy = await startModelProxy({ credential, ...upstream ? { upstream } : {} });
  return Object.assign(proxy, { [Symbol.asyncDispose]: () => proxy.close() });
}

export {
  scrubbedEnv,
  claudeAvailable,
  findOnPath,
  ontoPullRequest,
  pushesTo,
  effectiveDryRun,
  newRunId,
  holdsCredential,
  renderTaskMarkdown,
  renderRunMarkdown,
  probeBwrap,
  resetBwrapProbe,
  ISOLATIONS,
  createMutex,
  makeRepoContext,
  defaultBranch,
  baseTip,
  newResult,
  assembleReport,
  scanText,
  withholdSecrets,
  checkChange,
  refuseViolations,
  land,
  TRUSTED_CONFIG_PATHS,
  startingPoint,
  runTasks
};
