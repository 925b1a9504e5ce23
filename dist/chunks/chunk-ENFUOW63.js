import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  UserError,
  dueTasks,
  fetchRefs,
  lsRemote,
  pushRefs
} from "./chunk-K6MXNMPY.js";

// src/engine/schedule/state.ts
import { setTimeout as sleep } from "node:timers/promises";
var STATE_REF = "refs/claude-tasks/state";
var FETCHED_STATE_REF = "refs/claude-tasks/fetched-state";
var STATE_FILE = "state.json";
var DEFAULT_CLAIM_ATTEMPTS = 8;
var ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
var isIso = (v) => typeof v === "string" && ISO.test(v) && !Number.isNaN(Date.parse(v));
function parseState(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${STATE_FILE} is not JSON (${err.message})` };
  }
  if (!isObject(raw)) return { ok: false, problem: `${STATE_FILE} is not a JSON object` };
  if (raw.version !== 1)
    return { ok: false, problem: `${STATE_FILE} has unknown version ${JSON.stringify(raw.version)}` };
  if (!isObject(raw.tasks)) return { ok: false, problem: `${STATE_FILE} has no \`tasks\` object` };
  const tasks = {};
  for (const [name, entry] of Object.entries(raw.tasks)) {
    if (!isObject(entry) || !isIso(entry.until)) {
      return { ok: false, problem: `${STATE_FILE}: task \`${name}\` has no valid \`until\` time` };
    }
    if (entry.lastFireTime !== void 0 && !isIso(entry.lastFireTime)) {
      return { ok: false, problem: `${STATE_FILE}: task \`${name}\` has an invalid \`lastFireTime\`` };
    }
    tasks[name] = {
      until: new Date(entry.until).toISOString(),
      ...entry.lastFireTime !== void 0 ? { lastFireTime: new Date(entry.lastFireTime).toISOString() } : {},
      ...typeof entry.lastRunId === "string" ? { lastRunId: entry.lastRunId } : {}
    };
  }
  return {
    ok: true,
    state: {
      version: 1,
      updatedAt: isIso(raw.updatedAt) ? raw.updatedAt : (/* @__PURE__ */ new Date(0)).toISOString(),
      ...typeof raw.runId === "string" ? { runId: raw.runId } : {},
      tasks
    }
  };
}
function serializeState(state) {
  const tasks = {};
  for (const name of Object.keys(state.tasks).sort()) tasks[name] = state.tasks[name];
  return `${JSON.stringify({ ...state, tasks }, null, 2)}
`;
}
function sinceFromState(state) {
  return (task) => {
    const until = state?.tasks[task]?.until;
    return until === void 0 ? void 0 : new Date(until);
  };
}
function advanceState(opts) {
  const dueByName = new Map(opts.due.map((d) => [d.name, d]));
  const nowIso = opts.now.toISOString();
  const tasks = {};
  for (const task of opts.tasks) {
    if (scheduleEntries(task).length === 0) continue;
    const before = opts.previous?.tasks[task.name];
    const until = before && before.until > nowIso ? before.until : nowIso;
    const d = dueByName.get(task.name);
    const latest = d?.fireTimes.at(-1)?.toISOString();
    const entry = { until };
    if (latest !== void 0) {
      entry.lastFireTime = latest;
      if (opts.runId) entry.lastRunId = opts.runId;
    } else if (before?.lastFireTime !== void 0) {
      entry.lastFireTime = before.lastFireTime;
      if (before.lastRunId) entry.lastRunId = before.lastRunId;
    }
    tasks[task.name] = entry;
  }
  return { version: 1, updatedAt: nowIso, ...opts.runId ? { runId: opts.runId } : {}, tasks };
}
function stateNeedsWrite(previous, next, due) {
  if (due.length > 0 || previous === null) return true;
  const before = Object.keys(previous.tasks);
  const after = Object.keys(next.tasks);
  return before.length !== after.length || after.some((name) => previous.tasks[name] === void 0);
}
function scheduleEntries(task) {
  return typeof task.schedule === "string" ? [task.schedule] : task.schedule;
}
async function readRemoteState(opts) {
  const { git, remote } = opts;
  const tips = await lsRemote({ git, remote, refs: [STATE_REF] });
  if (!tips.has(STATE_REF)) return { oid: null, state: null };
  await fetchRefs({ git, remote, refspecs: [`+${STATE_REF}:${FETCHED_STATE_REF}`] });
  const oid = (await git.run(["rev-parse", "--verify", "--quiet", FETCHED_STATE_REF])).stdout.trim();
  const commit = await git.run(["rev-parse", "--verify", "--quiet", `${oid}^{commit}`], {
    allowFailure: true
  });
  if (commit.exitCode !== 0) return damaged(oid, `${STATE_REF} does not point at a commit`);
  const blob = await git.run(["cat-file", "blob", `${oid}:${STATE_FILE}`], { allowFailure: true });
  if (blob.exitCode !== 0)
    return damaged(oid, `the commit ${oid.slice(0, 12)} of ${STATE_REF} has no ${STATE_FILE}`);
  const parsed = parseState(blob.stdout);
  return parsed.ok ? { oid, state: parsed.state } : damaged(oid, parsed.problem);
}
function damaged(oid, problem) {
  return { oid, state: null, problem };
}
async function writeStateCommit(git, state) {
  const blob = (await git.run(["hash-object", "-w", "--stdin"], { input: serializeState(state) })).stdout.trim();
  const tree = (await git.run(["mktree"], { input: `100644 blob ${blob}	${STATE_FILE}
` })).stdout.trim();
  const message = `claude-tasks: schedule state${state.runId ? ` (run ${state.runId})` : ""}
`;
  return (await git.run(["commit-tree", tree], { input: message })).stdout.trim();
}
var StateContentionError = class extends Error {
  name = "StateContentionError";
};
async function claimDueTasks(opts) {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_CLAIM_ATTEMPTS);
  const backoff = opts.backoff ?? ((n) => sleep(10 + Math.floor(Math.random() * 40 * n)));
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = await readRemoteState({ git: opts.git, remote: opts.remote });
    const since = sinceFromState(snap.state);
    const due = dueTasks(opts.tasks, { since, now: opts.now, ...opts.grace ? { grace: opts.grace } : {} });
    const base = {
      due,
      since,
      attempts: attempt,
      firstRun: snap.state === null,
      ...snap.problem ? { problem: damagedMessage(snap.problem) } : {}
    };
    const next = advanceState({
      previous: snap.state,
      tasks: opts.tasks,
      due,
      now: opts.now,
      runId: opts.runId
    });
    if (opts.peek || !stateNeedsWrite(snap.state, next, due))
      return { ...base, oid: snap.oid, written: false };
    const commit = await writeStateCommit(opts.git, next);
    const pushed = await pushRefs({
      git: opts.git,
      remote: opts.remote,
      updates: [{ ref: STATE_REF, commit, expected: snap.oid }]
    });
    const lost = pushed.refs.some((r) => r.ref === STATE_REF && r.status === "up-to-date");
    if (pushed.ok && !lost) return { ...base, oid: commit, written: true };
    if (attempt < maxAttempts) await backoff(attempt);
  }
  throw new StateContentionError(
    `could not update ${STATE_REF} after ${maxAttempts} attempts: other runs kept updating it at the same time; nothing was claimed (the next tick will pick the due tasks up)`
  );
}
function damagedMessage(problem) {
  return `the schedule state is damaged: ${problem}. It was treated as absent (every task's window is the last hour) and is rewritten by this run. To reset it yourself: \`git push origin :${STATE_REF}\``;
}
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// src/engine/init/workflow-templates.ts
var WORKFLOW_TEMPLATES = [
  {
    id: "schedule",
    target: ".github/workflows/claude-tasks.yml",
    template: "templates/workflows/claude-tasks.yml",
    description: "runs due tasks every 15 minutes, and on demand (workflow_dispatch)"
  },
  {
    id: "comments",
    target: ".github/workflows/claude-tasks-comments.yml",
    template: "templates/workflows/claude-tasks-comments.yml",
    description: "`/claude-tasks \u2026` comment commands on issues and pull requests"
  },
  {
    id: "push",
    target: ".github/workflows/claude-tasks-push.yml",
    template: "templates/workflows/claude-tasks-push.yml",
    description: "runs tasks whose `watch` globs match a push to the default branch"
  },
  {
    id: "org",
    target: ".github/workflows/claude-tasks-org.yml",
    template: "templates/workflows/claude-tasks-org.yml",
    description: "calls the reusable workflow that fans tasks out over a matrix (for many tasks or org-wide use)"
  }
];
var DEFAULT_WORKFLOW_IDS = ["schedule", "comments"];
function workflowTemplates(ids = DEFAULT_WORKFLOW_IDS) {
  const unknown = ids.filter((id) => !WORKFLOW_TEMPLATES.some((t) => t.id === id));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown workflow template ${unknown.join(", ")} (known: ${WORKFLOW_TEMPLATES.map((t) => t.id).join(", ")})`
    );
  }
  return WORKFLOW_TEMPLATES.filter((t) => ids.includes(t.id));
}

export {
  STATE_REF,
  FETCHED_STATE_REF,
  STATE_FILE,
  parseState,
  claimDueTasks,
  WORKFLOW_TEMPLATES,
  DEFAULT_WORKFLOW_IDS,
  workflowTemplates
};
