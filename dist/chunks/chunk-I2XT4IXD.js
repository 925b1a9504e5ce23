import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  watchedTasks
} from "./chunk-G57XZF37.js";
import {
  effectiveDryRun,
  newRunId
} from "./chunk-AWNG4QJT.js";
import {
  buildPlan,
  claimDueTasks,
  evaluateSchedules,
  planOf,
  selectTasks
} from "./chunk-DUTI55RA.js";
import {
  DEFAULT_IDENTITY,
  TRAILER_TASK,
  UserError,
  isSha,
  silentLogger,
  splitZ
} from "./chunk-FNPOHAIZ.js";

// src/engine/event/push.ts
var ZERO_SHA = "0000000000000000000000000000000000000000";
var MAX_PAYLOAD_COMMITS = 2048;
function pushedBranch(p) {
  if (p.deleted || !p.ref?.startsWith("refs/heads/")) return void 0;
  return p.ref.slice("refs/heads/".length);
}
function payloadChangedFiles(p) {
  const after = p.after ?? p.head_commit?.id;
  if (!after || after === ZERO_SHA) return { files: [] };
  const before = p.before && p.before !== ZERO_SHA ? p.before : null;
  const commits = p.commits ?? [];
  const fallback = (reason) => ({ diff: { before, after }, reason });
  if (p.forced) return fallback("a force push");
  if (before === null || p.created) return fallback("a new branch");
  if (commits.length === 0) return fallback("the payload lists no commits");
  if (commits.length >= MAX_PAYLOAD_COMMITS) return fallback("the payload's commit list is truncated");
  if (commits.some((c) => !Array.isArray(c.added) && !Array.isArray(c.modified) && !Array.isArray(c.removed))) {
    return fallback("the payload does not list the files of its commits");
  }
  const files = /* @__PURE__ */ new Set();
  for (const c of commits)
    for (const f of [...c.added ?? [], ...c.modified ?? [], ...c.removed ?? []]) files.add(f);
  return { files: [...files].sort() };
}
function ownPushReason(p, botLogins = DEFAULT_BOT_LOGINS) {
  const bots = botLogins.map((b) => b.toLowerCase());
  const sender = p.sender?.login?.toLowerCase();
  if (sender && bots.includes(sender)) return `pushed by ${p.sender.login}`;
  const pusher = p.pusher?.name?.toLowerCase();
  if (pusher && bots.includes(pusher)) return `pushed by ${p.pusher.name}`;
  const head = p.head_commit ?? p.commits?.at(-1);
  if (head?.committer?.email?.toLowerCase() === DEFAULT_IDENTITY.email.toLowerCase()) {
    return `the head commit was made by ${DEFAULT_IDENTITY.name}`;
  }
  if (head?.message && hasTaskTrailer(head.message))
    return `the head commit carries a \`${TRAILER_TASK}\` trailer`;
  if (head?.message && MERGE_COMMIT.test(head.message)) {
    const merged = (p.commits ?? []).filter((c) => c !== head && (head.id === void 0 || c.id !== head.id));
    if (merged.length > 0 && merged.every((c) => c.message !== void 0 && hasTaskTrailer(c.message)))
      return `it merges a pull request whose commits all carry a \`${TRAILER_TASK}\` trailer`;
  }
  return void 0;
}
var MERGE_COMMIT = /^Merge pull request #\d+ from /;
var DEFAULT_BOT_LOGINS = ["github-actions[bot]", DEFAULT_IDENTITY.name];
function hasTaskTrailer(message) {
  return new RegExp(`^${TRAILER_TASK}:\\s*\\S`, "mi").test(message);
}
async function diffChangedFiles(opts) {
  const { git } = opts;
  for (const sha of [opts.before, opts.after]) {
    if (sha && !isSha(sha))
      throw new UserError(`the push event names ${JSON.stringify(sha)}, which is not a commit id`);
  }
  if (!await fetchCommit(opts, opts.after)) {
    throw new UserError(`the pushed commit ${opts.after} cannot be fetched from ${opts.remote}`);
  }
  const before = opts.before && await fetchCommit(opts, opts.before) ? opts.before : null;
  let r;
  if (before) {
    r = (await git.run(["diff", "--name-only", "--no-renames", "-z", before, opts.after, "--"])).stdout;
  } else {
    r = (await git.run([
      "diff-tree",
      "-r",
      "--root",
      "--no-commit-id",
      "--name-only",
      "--no-renames",
      "-z",
      "-m",
      "--first-parent",
      opts.after
    ])).stdout;
  }
  return [...new Set(splitZ(r))].sort();
}
async function hasCommit(git, sha) {
  const r = await git.run(["cat-file", "-e", `${sha}^{commit}`], { allowFailure: true });
  return r.exitCode === 0;
}
async function fetchCommit(opts, sha) {
  if (await hasCommit(opts.git, sha)) return true;
  const r = await opts.git.run(
    ["fetch", "--no-tags", "--no-write-fetch-head", "--quiet", "--depth=1", "--", opts.remote, sha],
    { allowFailure: true }
  );
  return r.exitCode === 0 && await hasCommit(opts.git, sha);
}

// src/engine/event/resolve-run.ts
async function resolveRun(i) {
  const runId = i.runId ?? newRunId(i.now);
  const d = i.decision;
  const run = (selected, extra = {}, since) => ({
    plan: buildPlan({ tasks: i.tasks, selected, now: i.now, ...since ? { since } : {} }),
    tasks: i.tasks,
    notes: [],
    warnings: [],
    trigger: "trigger" in d ? d.trigger : "",
    runId,
    dryRun: i.dryRun,
    publish: true,
    ...extra
  });
  switch (d.kind) {
    case "named":
      return run(selectTasks(i.tasks, d.patterns).map((t) => ({ name: t.name, reason: d.trigger })));
    case "all":
      return run(i.tasks.filter((t) => t.enabled).map((t) => ({ name: t.name, reason: d.trigger })));
    case "push":
      return run(await pushSelection(i, d));
    case "schedule":
      return scheduleRun(i, runId, run);
    case "comment-run": {
      const r = d.request;
      return {
        plan: planOf(r.tasks, r.trigger, i.now),
        tasks: r.tasks,
        notes: [],
        warnings: [],
        trigger: r.trigger,
        runId,
        dryRun: effectiveDryRun(r.dryRun || i.dryRun, r.onto),
        publish: r.publish,
        ...r.onto ? { onto: r.onto } : {},
        ...r.base ? { base: r.base } : {},
        ...r.trustedConfig ? { trustedConfig: r.trustedConfig } : {}
      };
    }
    default:
      return unreachable(d);
  }
}
function unreachable(d) {
  throw new Error(`no run for the decision ${JSON.stringify(d)}`);
}
async function pushSelection(i, d) {
  const logger = i.logger ?? silentLogger;
  const files = "files" in d.changes ? d.changes.files : await diffChangedFiles({ git: await i.git(), remote: i.remote, ...d.changes.diff });
  if ("reason" in d.changes) logger.info(`changed files from git (${d.changes.reason})`);
  const selected = watchedTasks(i.tasks, files, {
    branch: d.branch,
    base: i.base,
    defaultBase: i.defaultBranch ?? d.branch
  });
  logger.info(`${files.length} changed file(s); ${selected.length} task(s) watch them`);
  return selected;
}
async function scheduleRun(i, runId, run) {
  const { now } = i;
  i.beforeClaim?.(
    i.tasks.filter((t) => t.enabled && (typeof t.schedule === "string" || t.schedule.length > 0))
  );
  const claim = await (i.claim ?? claimDueTasks)({
    git: await i.git(),
    remote: i.remote,
    tasks: i.tasks,
    now,
    runId,
    peek: i.peek ?? i.dryRun
  });
  const notes = [];
  const warnings = [];
  if (claim.problem) {
    warnings.push(claim.problem);
    notes.push(claim.problem);
  }
  if (claim.firstRun && !claim.problem)
    notes.push("first run: no schedule state yet, so only fire times of the last hour were considered");
  if (i.dryRun) notes.push("dry run: the schedule state was read, not claimed");
  notes.push(...scheduleNotes(claim, i.tasks, now, i.planOnly ?? false));
  const starts = i.tasks.map((t) => claim.since(t.name)).filter((s) => s !== void 0);
  const since = starts.length > 0 ? new Date(Math.min(...starts.map((s) => s.getTime()))) : void 0;
  return run(
    claim.due.map((due) => ({ name: due.name, fireTimes: due.fireTimes, reason: due.reason })),
    { notes, warnings, trigger: `schedule ${now.toISOString().slice(0, 16)}Z` },
    since
  );
}
function scheduleNotes(claim, tasks, now, planOnly) {
  const notes = planOnly ? [] : claim.due.map((d) => `\`${d.name}\`: ${d.reason}`);
  const due = new Set(claim.due.map((d) => d.name));
  for (const e of evaluateSchedules(
    tasks.filter((t) => !due.has(t.name)),
    { since: claim.since, now }
  )) {
    if (!e.due && e.missedCount > 0) notes.push(`\`${e.name}\` not run: ${e.reason}`);
  }
  return notes;
}

export {
  pushedBranch,
  payloadChangedFiles,
  ownPushReason,
  resolveRun
};
