import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  createMutex
} from "./chunk-AWNG4QJT.js";
import {
  STATE_REF,
  compileGlob,
  emptyLedger,
  formatUsd,
  liveReservations,
  mdCode,
  parseDuration,
  prepareStateUpdate,
  readRemoteState,
  recordNotRun,
  recordRun,
  spentOn,
  updateRemoteState
} from "./chunk-DUTI55RA.js";
import {
  BACKUP_REF_PREFIX,
  errorMessage,
  fetchRefs,
  foreignCommits,
  pushRefs,
  resolveCommit
} from "./chunk-FNPOHAIZ.js";

// src/engine/budget/control.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/engine/budget/admit.ts
var emptyState = (now) => ({ version: 2, updatedAt: now.toISOString(), tasks: {} });
function admit(state, req) {
  const s = state ?? emptyState(req.now);
  const nowMs = req.now.getTime();
  const holder = s.locks?.[req.task];
  if (req.lock && holder && heldByOther(s, req.task, req.runId, req.now)) {
    return {
      ok: false,
      kind: "busy",
      reason: `run ${holder.runId} of this task is running (since ${holder.at}; its claim expires ${holder.expires})`,
      holder,
      next: s
    };
  }
  const over = overBudget(s, req);
  if (over) {
    const entry = { at: req.now.toISOString(), kind: "budget", reason: over, runId: req.runId };
    return {
      ok: false,
      kind: "budget",
      reason: over,
      next: { ...s, version: 2, notRun: recordNotRun(s.notRun, req.task, entry) }
    };
  }
  const ledger = s.ledger ?? emptyLedger();
  const expires = new Date(nowMs + req.holdMs).toISOString();
  const at = req.now.toISOString();
  const next = {
    ...s,
    version: 2,
    ledger: {
      ...ledger,
      reservations: [
        // expired reservations (crashed runs) are dropped here, so the list stays bounded
        ...liveReservations(ledger, req.now).filter((r) => !(r.task === req.task && r.runId === req.runId)),
        { task: req.task, runId: req.runId, usd: req.reserveUsd, at, expires }
      ]
    }
  };
  if (req.lock) next.locks = { ...s.locks ?? {}, [req.task]: { runId: req.runId, at, expires } };
  return { ok: true, next };
}
function overBudget(s, req) {
  const live = liveReservations(s.ledger, req.now).filter((r) => r.runId !== req.runId);
  const scope = req.scopeName ?? "the repository";
  const checks = [
    { limit: req.limits.daily_usd, period: "day", mine: true, what: "the task's daily budget" },
    { limit: req.limits.monthly_usd, period: "month", mine: true, what: "the task's monthly budget" },
    { limit: req.limits.repo_daily_usd, period: "day", mine: false, what: `${scope}'s daily budget` },
    { limit: req.limits.repo_monthly_usd, period: "month", mine: false, what: `${scope}'s monthly budget` }
  ];
  for (const c of checks) {
    if (c.limit === void 0) continue;
    const spent = spentOn(c.mine ? s.ledger?.tasks[req.task] : s.ledger?.total, c.period, req.now).usd;
    const reserved = live.filter((r) => !c.mine || r.task === req.task).reduce((a, r) => a + r.usd, 0);
    const total = spent + reserved + req.reserveUsd;
    if (total > c.limit + 1e-9 || spent + reserved >= c.limit - 1e-9) {
      const when = c.period === "day" ? "today" : "this month";
      const held = reserved > 0 ? ` + ${formatUsd(reserved)} held by running runs` : "";
      const mine = req.reserveUsd > 0 ? ` + up to ${formatUsd(req.reserveUsd)} for this run` : "";
      return `refused by budget: ${c.what} of ${formatUsd(c.limit)} would be exceeded (${formatUsd(spent)} spent ${when}${held}${mine})`;
    }
  }
  return void 0;
}
function heldByOther(state, task, runId, now) {
  const lock = state?.locks?.[task];
  return lock !== void 0 && lock.runId !== runId && Date.parse(lock.expires) > now.getTime();
}
function holds(state, task, runId) {
  return (state?.ledger?.reservations.some((r) => r.task === task && r.runId === runId) ?? false) || state?.locks?.[task]?.runId === runId;
}
function settle(state, req) {
  const s = state ?? emptyState(req.now);
  const ledger = req.run ? recordRun(s.ledger, req.task, req.run) : s.ledger && {
    ...s.ledger,
    reservations: s.ledger.reservations.filter((r) => !(r.task === req.task && r.runId === req.runId))
  };
  const locks = { ...s.locks ?? {} };
  if (locks[req.task]?.runId === req.runId) delete locks[req.task];
  return {
    ...s,
    version: 2,
    ...ledger ? { ledger } : {},
    locks
  };
}
function noteNotRun(state, task, entry) {
  const s = state ?? emptyState(new Date(entry.at));
  return { ...s, version: 2, notRun: recordNotRun(s.notRun, task, entry) };
}

// src/engine/budget/control.ts
var ORG_LEDGER_REF = "refs/claude-tasks/org-ledger";
var HOLD_MARGIN_MS = 10 * 6e4;
function reserveFor(task) {
  if (task.kind !== "claude") return 0;
  return (task.agent.max_budget_usd ?? 0) * task.retry.attempts;
}
function holdFor(task) {
  const attempts = task.retry.attempts;
  return parseDuration(task.agent.timeout) * attempts + parseDuration(task.retry.backoff) * (attempts - 1) + HOLD_MARGIN_MS;
}
function createRunControl(opts) {
  const now = opts.now ?? (() => /* @__PURE__ */ new Date());
  const cas = { git: opts.git, remote: opts.remote, ...opts.backoff ? { backoff: opts.backoff } : {} };
  const serial = createMutex();
  const updateRemoteState2 = (o) => serial(() => updateRemoteState(o));
  const readRemoteState2 = (o) => serial(() => readRemoteState(o));
  const rodeInPush = /* @__PURE__ */ new Map();
  const orgLimited = () => opts.org !== void 0 && (opts.org.monthlyUsd !== void 0 || opts.org.dailyUsd !== void 0);
  const note = async (task, kind, reason, runId) => {
    await updateRemoteState2({
      ...cas,
      update: (s) => ({
        next: noteNotRun(s, task, { at: now().toISOString(), kind, reason, runId }),
        value: 0
      })
    });
  };
  async function unchanged(ctx) {
    const { task } = ctx;
    if (!ctx.scheduled || task.skip_if_unchanged !== true) return void 0;
    const snap = await readRemoteState2({ git: opts.git, remote: opts.remote });
    const last = snap.state?.ledger?.tasks[task.name]?.lastSuccess;
    if (!last?.base) return void 0;
    if (last.prAfter && last.outcome === "success") return void 0;
    if (last.pr !== void 0 && opts.prState) {
      const state = await opts.prState(last.pr).catch(() => void 0);
      if (state === "closed" || state === void 0) return void 0;
    }
    const current = await ctx.baseCommit();
    if (current !== last.base) {
      const files = await changedFiles(opts.git, opts.remote, last.base, current);
      if (files === void 0) return void 0;
      const globs = task.reads ?? (task.watch.length > 0 ? task.watch : void 0);
      const tests = globs?.map((g) => compileGlob(g));
      const relevant = tests ? files.filter((f) => tests.some((t) => t(f))) : files;
      if (relevant.length > 0) return void 0;
    }
    return `skipped: nothing changed since ${last.base.slice(0, 12)}`;
  }
  async function admitRepo(ctx) {
    const { task } = ctx;
    const r = await updateRemoteState2({
      ...cas,
      update: (s) => {
        const a = admit(s, {
          task: task.name,
          runId: ctx.runId,
          now: now(),
          reserveUsd: reserveFor(task),
          limits: task.budget ?? {},
          holdMs: holdFor(task),
          lock: true
        });
        return { next: a.ok || a.kind === "budget" ? a.next : null, value: a };
      }
    });
    return r.value;
  }
  async function admitOrg(ctx) {
    const org = opts.org;
    if (!org || !orgLimited()) return void 0;
    const r = await updateRemoteState2({
      git: org.git,
      remote: org.remote,
      ref: org.ref ?? ORG_LEDGER_REF,
      ...opts.backoff ? { backoff: opts.backoff } : {},
      update: (s) => {
        const a = admit(s, {
          task: `${org.repository}/${ctx.task.name}`,
          runId: ctx.runId,
          now: now(),
          reserveUsd: reserveFor(ctx.task),
          limits: { repo_daily_usd: org.dailyUsd, repo_monthly_usd: org.monthlyUsd },
          holdMs: holdFor(ctx.task),
          lock: false,
          scopeName: "the organisation"
        });
        return { next: a.ok || a.kind === "budget" ? a.next : null, value: a };
      }
    });
    return r.value;
  }
  async function releaseRepo(task, runId) {
    await updateRemoteState2({
      ...cas,
      update: (s) => ({ next: settle(s, { task: task.name, runId, now: now() }), value: 0 })
    });
  }
  return {
    gatesStart(task, scheduled) {
      return budgeted(task) || orgLimited() || scheduled && task.skip_if_unchanged === true;
    },
    async admit(given, how = {}) {
      const ctx = opts.holder ? { ...given, runId: opts.holder } : given;
      const { task } = ctx;
      const skip = await unchanged(ctx);
      if (skip) {
        await note(task.name, "unchanged", skip, ctx.runId);
        return { ok: false, kind: "unchanged", reason: skip };
      }
      let waitedSince;
      for (; ; ) {
        const a = await admitRepo(ctx);
        if (a.ok) break;
        if (a.kind === "budget") return { ok: false, kind: "budget", reason: a.reason };
        if (how.once) return { ok: false, kind: "busy", reason: a.reason };
        const expires = Date.parse(a.holder.expires);
        waitedSince ??= now().getTime();
        const deadline = Math.min(expires, waitedSince + (opts.maxWaitMs ?? Number.POSITIVE_INFINITY));
        if (task.concurrency === "skip" || ctx.signal?.aborted || now().getTime() >= deadline) {
          const reason = task.concurrency === "skip" ? `skipped: ${a.reason} (concurrency: skip)` : `skipped: ${a.reason}; waited ${Math.round((now().getTime() - waitedSince) / 1e3)}s (concurrency: wait)`;
          await note(task.name, "busy", reason, ctx.runId);
          return { ok: false, kind: "busy", reason };
        }
        opts.logger?.info(`${task.name}: waiting \u2014 ${a.reason} (concurrency: wait)`);
        const pause = Math.max(1, Math.min(opts.pollMs ?? 15e3, deadline - now().getTime()));
        await sleep(pause, void 0, ctx.signal ? { signal: ctx.signal } : {}).catch(() => {
        });
      }
      const org = await admitOrg(ctx).catch(async (err) => {
        await releaseRepo(task, ctx.runId);
        throw err;
      });
      if (org && !org.ok) {
        await releaseRepo(task, ctx.runId);
        await note(task.name, "budget", org.reason, ctx.runId);
        return { ok: false, kind: "budget", reason: org.reason };
      }
      if (waitedSince !== void 0)
        opts.logger?.info(
          `${task.name}: the other run ended; this one starts after waiting ${Math.round((now().getTime() - waitedSince) / 1e3)}s`
        );
      return { ok: true };
    },
    async settleInPush(task, given, result, how = {}) {
      const runId = opts.holder ?? given;
      if (budgeted(task) || orgLimited() || task.skip_if_unchanged === true) return void 0;
      const run = { ...ledgerRun(runId, result, now()), prAfter: true };
      const mayRecord = (s) => how.claim ? !heldByOther(s, task.name, runId, now()) : holds(s, task.name, runId);
      const rider = await serial(
        () => prepareStateUpdate({
          git: opts.git,
          remote: opts.remote,
          update: (s) => mayRecord(s) ? settle(s, { task: task.name, runId, run, now: now() }) : null
        })
      );
      if (!rider) return void 0;
      return {
        update: rider.update,
        pushed(won) {
          rider.pushed(won);
          if (won) rodeInPush.set(`${task.name}\0${runId}`, run);
        }
      };
    },
    async settle(task, given, result, how = {}) {
      const runId = opts.holder ?? given;
      const run = ledgerRun(runId, result, now());
      const rode = rodeInPush.get(`${task.name}\0${runId}`);
      rodeInPush.delete(`${task.name}\0${runId}`);
      const same = rode !== void 0 && rode.outcome === run.outcome && rode.costUsd === run.costUsd && result.notRun !== "if_command";
      if (same) return;
      try {
        await updateRemoteState2({
          ...cas,
          update: (s) => {
            if (how.onlyIfHeld && !holds(s, task.name, runId)) return { next: null, value: 0 };
            const next = settle(s, { task: task.name, runId, run, now: now() });
            return {
              next: result.notRun === "if_command" ? noteNotRun(next, task.name, {
                at: run.at,
                kind: "if_command",
                reason: result.message,
                runId
              }) : next,
              value: 0
            };
          }
        });
      } catch (err) {
        opts.logger?.warn(
          `${task.name}: could not record the run in ${STATE_REF}: ${errorMessage(err)} (its reservation and lock expire on their own)`
        );
      }
      const org = opts.org;
      if (!org || !orgLimited()) return;
      try {
        await updateRemoteState2({
          git: org.git,
          remote: org.remote,
          ref: org.ref ?? ORG_LEDGER_REF,
          update: (s) => {
            const key = `${org.repository}/${task.name}`;
            return {
              next: how.onlyIfHeld && !holds(s, key, runId) ? null : settle(s, { task: key, runId, run, now: now() }),
              value: 0
            };
          }
        });
      } catch (err) {
        opts.logger?.warn(
          `${task.name}: could not record the run in the organisation ledger: ${errorMessage(err)}`
        );
      }
    },
    async releaseHeld() {
      const holder = opts.holder;
      if (!holder) return;
      await updateRemoteState2({ ...cas, update: (s) => ({ next: releaseHolder(s, holder), value: 0 }) });
      const org = opts.org;
      if (org && orgLimited())
        await updateRemoteState2({
          git: org.git,
          remote: org.remote,
          ref: org.ref ?? ORG_LEDGER_REF,
          update: (s) => ({ next: releaseHolder(s, holder), value: 0 })
        });
    }
  };
}
var budgeted = (task) => Object.values(task.budget ?? {}).some((v) => v !== void 0);
function ledgerRun(runId, result, at) {
  return {
    runId,
    at: at.toISOString(),
    costUsd: result.agent?.costUsd ?? 0,
    durationMs: result.durationMs,
    outcome: result.status,
    ...result.agent?.numTurns !== void 0 ? { turns: result.agent.numTurns } : {},
    ...result.baseCommit ? { base: result.baseCommit } : {},
    ...result.pr?.number !== void 0 ? { pr: result.pr.number } : {}
  };
}
function releaseHolder(s, holder) {
  if (!s) return null;
  const held = (s.ledger?.reservations.some((r) => r.runId === holder) ?? false) || Object.values(s.locks ?? {}).some((l) => l.runId === holder);
  if (!held) return null;
  return {
    ...s,
    ...s.ledger ? { ledger: { ...s.ledger, reservations: s.ledger.reservations.filter((r) => r.runId !== holder) } } : {},
    locks: Object.fromEntries(Object.entries(s.locks ?? {}).filter(([, l]) => l.runId !== holder))
  };
}
async function changedFiles(git, remote, from, to) {
  const has = await git.run(["cat-file", "-e", `${from}^{commit}`], { allowFailure: true });
  if (has.exitCode !== 0) {
    const fetched = await git.run(["fetch", "--quiet", "--no-tags", remote, from], { allowFailure: true });
    if (fetched.exitCode !== 0) return void 0;
  }
  const diff = await git.run(["diff", "--name-only", "--no-renames", "-z", from, to], { allowFailure: true });
  if (diff.exitCode !== 0) return void 0;
  return diff.stdout.split("\0").filter(Boolean);
}

// src/engine/github/expire.ts
var DAY_MS = 24 * 60 * 60 * 1e3;
function expiresMs(value) {
  const m = /^(\d+)d$/.exec(value);
  if (!m) throw new Error(`not a number of days: ${value}`);
  return Number(m[1]) * DAY_MS;
}
async function expireStalePullRequest(o) {
  const now = o.now ?? /* @__PURE__ */ new Date();
  const pr = await o.gh.findOpenPr(o.branch, o.base ? { base: o.base } : {});
  if (!pr || pr.isFork || !pr.createdAt) return { action: "none" };
  if (now.getTime() - Date.parse(pr.createdAt) < expiresMs(o.expires)) return { action: "none" };
  const baseRef = o.base ?? pr.baseRef;
  const local = (b) => `refs/claude-tasks/expire/${b}`;
  await fetchRefs({
    git: o.git,
    remote: o.remote,
    refspecs: [`+refs/heads/${o.branch}:${local(o.branch)}`, `+refs/heads/${baseRef}:${local(baseRef)}`]
  });
  try {
    const tip = await resolveCommit(o.git, local(o.branch));
    const base = await resolveCommit(o.git, local(baseRef));
    if (!tip || !base) return { action: "none" };
    const foreign = await foreignCommits({ git: o.git, branch: tip, base, task: o.task });
    if (foreign[0]) {
      return {
        action: "kept",
        number: pr.number,
        reason: `branch ${o.branch} has commits not made by claude-tasks (${foreign[0].sha.slice(0, 7)}); it is never closed for age`
      };
    }
    const backup = `${BACKUP_REF_PREFIX}${o.branch}/${now.toISOString().replace(/:/g, "-")}`;
    const pushed = await pushRefs({
      git: o.git,
      remote: o.remote,
      updates: [
        { ref: backup, commit: tip, expected: null },
        { ref: `refs/heads/${o.branch}`, commit: null, expected: tip }
      ]
    });
    if (!pushed.ok) {
      return {
        action: "kept",
        number: pr.number,
        reason: `branch ${o.branch} moved while it was being expired; it is left as it is`
      };
    }
    await o.git.run(["update-ref", backup, tip], { allowFailure: true });
    const days = o.expires.slice(0, -1);
    await o.gh.closePr(
      pr.number,
      `closed: open for more than ${days} days with no human commits; the branch's last state is kept as backup ${mdCode(backup)} (${tip.slice(0, 12)}). Run the task again to propose a fresh change.`
    );
    return { action: "closed", number: pr.number, backup };
  } finally {
    for (const b of [o.branch, baseRef])
      await o.git.run(["update-ref", "-d", local(b)], { allowFailure: true }).catch(() => {
      });
  }
}
async function expireStalePullRequests(list, common) {
  const out = [];
  for (const t of list) {
    try {
      out.push({ task: t.task, result: await expireStalePullRequest({ ...common, ...t }) });
    } catch (err) {
      out.push({ task: t.task, error: errorMessage(err) });
    }
  }
  return out;
}

export {
  createRunControl,
  expireStalePullRequests
};
