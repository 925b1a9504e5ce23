import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  evaluateSchedules,
  external_exports,
  pushRefs
} from "./chunk-524I7AHD.js";

// src/engine/budget/ledger.ts
var KEEP_DAYS = 40;
var KEEP_MONTHS = 13;
var KEEP_RUNS = 20;
var KEEP_NOT_RUN = 20;
var iso = external_exports.string().refine((s) => !Number.isNaN(Date.parse(s)));
var usd = external_exports.number().finite().nonnegative();
var spendSchema = external_exports.object({ usd, runs: external_exports.number().int().nonnegative() });
var aggregatesSchema = external_exports.object({
  /** `YYYY-MM-DD` (UTC) → spend. */
  days: external_exports.record(external_exports.string(), spendSchema).default({}),
  /** `YYYY-MM` (UTC) → spend. */
  months: external_exports.record(external_exports.string(), spendSchema).default({})
});
var ledgerRunSchema = external_exports.object({
  runId: external_exports.string(),
  /** When the run ended. */
  at: iso,
  costUsd: usd,
  turns: external_exports.number().int().nonnegative().optional(),
  durationMs: external_exports.number().nonnegative(),
  /** The task status (`success`, `budget_exhausted`, …). */
  outcome: external_exports.string(),
  /** The base commit the run started from. */
  base: external_exports.string().optional(),
  pr: external_exports.number().int().positive().optional()
});
var taskLedgerSchema = aggregatesSchema.extend({
  recent: external_exports.array(ledgerRunSchema).default([]),
  /** The last run that succeeded (`success` or `no_changes`): what `skip_if_unchanged` compares with. */
  lastSuccess: ledgerRunSchema.optional()
});
var reservationSchema = external_exports.object({
  task: external_exports.string(),
  runId: external_exports.string(),
  usd,
  at: iso,
  expires: iso
});
var ledgerSchema = external_exports.object({
  total: aggregatesSchema.prefault({}),
  tasks: external_exports.record(external_exports.string(), taskLedgerSchema).default({}),
  reservations: external_exports.array(reservationSchema).default([])
});
var lockSchema = external_exports.object({ runId: external_exports.string(), at: iso, expires: iso });
var NOT_RUN_KINDS = ["missed", "budget", "unchanged", "busy", "if_command"];
var notRunSchema = external_exports.object({
  at: iso,
  kind: external_exports.enum(NOT_RUN_KINDS),
  /** One line for people. */
  reason: external_exports.string(),
  fireTimes: external_exports.array(iso).optional(),
  runId: external_exports.string().optional()
});
var stateExtrasSchema = external_exports.object({
  ledger: ledgerSchema.optional(),
  locks: external_exports.record(external_exports.string(), lockSchema).optional(),
  notRun: external_exports.record(external_exports.string(), external_exports.array(notRunSchema)).optional()
});
var emptyLedger = () => ({ total: { days: {}, months: {} }, tasks: {}, reservations: [] });
var dayOf = (d) => d.toISOString().slice(0, 10);
var monthOf = (d) => d.toISOString().slice(0, 7);
function spentOn(a, period, now) {
  const key = period === "day" ? dayOf(now) : monthOf(now);
  return (period === "day" ? a?.days[key] : a?.months[key]) ?? { usd: 0, runs: 0 };
}
function liveReservations(ledger, now) {
  return (ledger?.reservations ?? []).filter((r) => Date.parse(r.expires) > now.getTime());
}
function addSpend(a, at, costUsd) {
  const day = dayOf(at);
  const month = monthOf(at);
  const days = { ...a.days, [day]: plus(a.days[day], costUsd) };
  const months = { ...a.months, [month]: plus(a.months[month], costUsd) };
  return { days: newest(days, KEEP_DAYS), months: newest(months, KEEP_MONTHS) };
}
var plus = (s, costUsd) => ({
  usd: round((s?.usd ?? 0) + costUsd),
  runs: (s?.runs ?? 0) + 1
});
var round = (n) => Math.round(n * 1e6) / 1e6;
function newest(r, keep) {
  const keys = Object.keys(r).sort().slice(-keep);
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}
var SUCCESSFUL = /* @__PURE__ */ new Set(["success", "no_changes"]);
function recordRun(ledger, task, run) {
  const l = ledger ?? emptyLedger();
  const at = new Date(run.at);
  const before = l.tasks[task] ?? { days: {}, months: {}, recent: [] };
  const entry = {
    ...addSpend(before, at, run.costUsd),
    recent: [...before.recent.filter((r) => r.runId !== run.runId), run].slice(-KEEP_RUNS),
    ...SUCCESSFUL.has(run.outcome) ? { lastSuccess: run } : before.lastSuccess ? { lastSuccess: before.lastSuccess } : {}
  };
  return {
    total: addSpend(l.total, at, run.costUsd),
    tasks: { ...l.tasks, [task]: entry },
    reservations: l.reservations.filter((r) => !(r.task === task && r.runId === run.runId))
  };
}
function recordNotRun(notRun, task, entry) {
  const list = [...notRun?.[task] ?? [], entry].slice(-KEEP_NOT_RUN);
  return { ...notRun ?? {}, [task]: list };
}
var formatUsd = (n) => `$${n.toFixed(2)}`;

// src/engine/schedule/state.ts
import { setTimeout as sleep } from "node:timers/promises";
var STATE_REF = "refs/claude-tasks/state";
var FETCHED_STATE_REF = "refs/claude-tasks/fetched-state";
var STATE_FILE = "state.json";
var DEFAULT_CLAIM_ATTEMPTS = 8;
var STATE_VERSION = 2;
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
  if (raw.version !== 1 && raw.version !== 2)
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
  let extras = {};
  if (raw.version === 2) {
    const parsed = stateExtrasSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        problem: `${STATE_FILE}: \`${issue.path.join(".")}\` is invalid (${issue.message})`
      };
    }
    extras = withoutUndefined(parsed.data);
  }
  return {
    ok: true,
    state: {
      version: raw.version,
      updatedAt: isIso(raw.updatedAt) ? raw.updatedAt : (/* @__PURE__ */ new Date(0)).toISOString(),
      ...typeof raw.runId === "string" ? { runId: raw.runId } : {},
      tasks,
      ...extras
    }
  };
}
function withoutUndefined(e) {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== void 0));
}
function stateExtras(state) {
  if (!state) return {};
  const { ledger, locks, notRun } = state;
  return withoutUndefined({ ledger, locks, notRun });
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
  const extras = stateExtras(opts.previous);
  let notRun = extras.notRun;
  for (const m of opts.missed ?? []) {
    if (m.count === 0 || !tasks[m.name]) continue;
    const entry = { at: nowIso, kind: "missed", reason: m.reason };
    if (opts.runId) entry.runId = opts.runId;
    notRun = recordNotRun(notRun, m.name, entry);
  }
  const known = new Set(opts.tasks.map((t) => t.name));
  const keep = (r) => r && Object.fromEntries(Object.entries(r).filter(([name]) => known.has(name)));
  if (notRun) notRun = keep(notRun);
  if (extras.locks) extras.locks = keep(extras.locks);
  if (extras.ledger) extras.ledger = { ...extras.ledger, tasks: keep(extras.ledger.tasks) };
  return {
    ...extras,
    ...notRun ? { notRun } : {},
    version: STATE_VERSION,
    updatedAt: nowIso,
    ...opts.runId ? { runId: opts.runId } : {},
    tasks
  };
}
function stateNeedsWrite(previous, next, due) {
  if (due.length > 0 || previous === null) return true;
  if (JSON.stringify(previous.notRun ?? {}) !== JSON.stringify(next.notRun ?? {})) return true;
  const before = Object.keys(previous.tasks);
  const after = Object.keys(next.tasks);
  return before.length !== after.length || after.some((name) => previous.tasks[name] === void 0);
}
function scheduleEntries(task) {
  return typeof task.schedule === "string" ? [task.schedule] : task.schedule;
}
async function readRemoteState(opts) {
  const { git, remote } = opts;
  const ref = opts.ref ?? STATE_REF;
  const fetchedRef = ref === STATE_REF ? FETCHED_STATE_REF : `refs/claude-tasks/fetched-${ref.split("/").pop()}`;
  await git.run([
    "fetch",
    "--no-tags",
    "--no-write-fetch-head",
    "--quiet",
    "--prune",
    "--",
    remote,
    `+${ref}*:${fetchedRef}*`
  ]);
  const fetched = await git.run(["rev-parse", "--verify", "--quiet", fetchedRef], {
    allowFailure: true
  });
  if (fetched.exitCode !== 0) return { oid: null, state: null };
  const oid = fetched.stdout.trim();
  const commit = await git.run(["rev-parse", "--verify", "--quiet", `${oid}^{commit}`], {
    allowFailure: true
  });
  if (commit.exitCode !== 0) return damaged(oid, `${ref} does not point at a commit`);
  const blob = await git.run(["cat-file", "blob", `${oid}:${STATE_FILE}`], { allowFailure: true });
  if (blob.exitCode !== 0)
    return damaged(oid, `the commit ${oid.slice(0, 12)} of ${ref} has no ${STATE_FILE}`);
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
    const verdicts = evaluateSchedules(opts.tasks, {
      since,
      now: opts.now,
      ...opts.grace ? { grace: opts.grace } : {}
    });
    const due = verdicts.filter((e) => e.due).map((e) => ({ name: e.name, fireTimes: e.fireTimes, missedCount: e.missedCount, reason: e.reason }));
    const missed = verdicts.filter((e) => !e.due || opts.tasks.find((t) => t.name === e.name)?.missed === "all").map((e) => ({ name: e.name, count: e.missedCount, reason: e.reason }));
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
      runId: opts.runId,
      missed
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
async function updateRemoteState(opts) {
  const ref = opts.ref ?? STATE_REF;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_CLAIM_ATTEMPTS);
  const backoff = opts.backoff ?? ((n) => sleep(10 + Math.floor(Math.random() * 40 * n)));
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = await readRemoteState({ git: opts.git, remote: opts.remote, ref });
    const { next, value } = opts.update(snap.state, snap);
    const base = { value, attempts: attempt, ...snap.problem ? { problem: snap.problem } : {} };
    if (next === null) return { ...base, state: snap.state, oid: snap.oid, written: false };
    const commit = await writeStateCommit(opts.git, next);
    const pushed = await pushRefs({
      git: opts.git,
      remote: opts.remote,
      updates: [{ ref, commit, expected: snap.oid }]
    });
    const lost = pushed.refs.some((r) => r.ref === ref && r.status === "up-to-date");
    if (pushed.ok && !lost) return { ...base, state: next, oid: commit, written: true };
    if (attempt < maxAttempts) await backoff(attempt);
  }
  throw new StateContentionError(
    `could not update ${ref} after ${maxAttempts} attempts: other runs kept updating it at the same time`
  );
}
function damagedMessage(problem) {
  return `the schedule state is damaged: ${problem}. It was treated as absent (every task's window is the last hour) and is rewritten by this run. To reset it yourself: \`git push origin :${STATE_REF}\``;
}
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export {
  emptyLedger,
  spentOn,
  liveReservations,
  recordRun,
  recordNotRun,
  formatUsd,
  STATE_REF,
  FETCHED_STATE_REF,
  STATE_FILE,
  parseState,
  sinceFromState,
  advanceState,
  stateNeedsWrite,
  readRemoteState,
  writeStateCommit,
  claimDueTasks,
  updateRemoteState
};
