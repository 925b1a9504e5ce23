import {
  BACKUP_REF_PREFIX,
  commitTree,
  isAncestor,
  type RefUpdate,
  rebaseOnto,
  updateBranch,
  userSignsCommits,
} from "../git/index.ts";
import type { StateRider } from "../schedule/state.ts";
import { landSigned, type SignedOutcome } from "./land-signed.ts";
import type { LandOptions, TaskAdmission } from "./land-types.ts";
import { pushesTo } from "./onto.ts";
import { baseLease, pushLanding } from "./push.ts";
import { baseTip, fetchOnto, type RepoContext } from "./repo-context.ts";
import { notAdmitted } from "./result.ts";
import type { TaskResult } from "./types.ts";

export type { LandOptions, StartingPoint } from "./land-types.ts";

/** Landing in progress: what land() learns on the way. */
interface Landing extends LandOptions {
  /** The result as it stood before landing (a conflict found against one base tip is undone by the next). */
  readonly entry: Pick<TaskResult, "status" | "message">;
  /** The base tip the result was last checked against (rebased onto, or found in conflict with). */
  checkedBase?: string;
}

export async function land(options: LandOptions): Promise<void> {
  const o: Landing = {
    ...options,
    entry: { status: options.result.status, message: options.result.message },
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
  // a merge already holds the latest base it was made with; a base that moved since is the next run's.
  // Pushed with git, the push itself checks that the base is still where the run saw it (see
  // `baseGuard`), so its tip is not fetched again first.
  if (!o.start.merge && !(await followBase(o, { fresh: !guardsBase(o) }))) return;
  if (r.status !== "conflict" && (await alreadyOnBranch(o))) return keepBranch(o, o.claim);

  o.phase(repo.mode === "dry-run" ? "reporting" : repo.mode === "local" ? "updating branch" : "pushing");
  if (repo.mode === "dry-run") {
    if (r.status !== "conflict") {
      r.status = "success";
      r.message = `dry run: would update \`${r.branch}\` with ${fileCount(r)} — nothing was kept but the report and backup ${r.backup}`;
    }
    if (o.publisher && !o.onto) await publish(o, true);
    return;
  }
  if (repo.mode === "local") return landLocal(o);
  return landRemote(o);
}

/**
 * The task commit: exactly the tree the guards checked, whatever happened in the worktree since, on
 * the commit the task started from. The commit says what ran; what the agent reported (untrusted
 * text) goes to the PR, never here. Only an object until a push or a branch names it, so runTask
 * starts it while the remote's and the ledger's answers are still awaited.
 */
export async function taskCommit(o: Omit<LandOptions, "phase">): Promise<string | undefined> {
  const { repo } = o;
  return commitTree({
    git: o.worktree.git,
    tree: o.change.tree,
    changed: true, // files changed (above)
    base: o.start.commit,
    subject: o.start.merge
      ? `Merge the latest ${o.result.base} into ${o.result.branch}; conflicts resolved by claude-tasks`
      : (o.followUp?.subject ?? o.task.pr.title),
    ...(o.start.merge ? { base: o.start.branchTip!, mergeParents: [o.start.merge.commit] } : {}),
    body: `Made by claude-tasks: the task ${o.task.name} (${o.task.kind === "claude" ? "Claude Code" : "a run: command"}).`,
    task: o.task.name,
    runId: o.runId,
    ...(o.followUp ? { trailers: o.followUp.trailers } : {}),
    // the user's own signing, when their git configuration asks for it (GitHub signs API commits
    // itself; a dry run keeps no commit)
    ...(repo.mode !== "dry-run" && !o.publisher?.signer && (await userSignsCommits(repo.git))
      ? { signWith: repo.git }
      : {}),
  });
}

/**
 * Rebases onto the base's latest tip when it moved: fetched now (`fresh`), else as the run's one fetch
 * saw it. False when the task ends here (already in base, or `regenerate` after a conflict).
 */
async function followBase(o: Landing, how: { fresh: boolean }): Promise<boolean> {
  const { result: r, repo } = o;
  if (r.status === "conflict") {
    // found against an older tip: this one decides anew
    Object.assign(r, o.entry);
    r.conflicts = [];
  }
  const commit = r.commit!;
  const from = r.baseCommit ?? o.start.commit;
  const latest = o.onto
    ? await fetchOnto(repo, o.onto, how.fresh)
    : await baseTip(repo, r.base, { fresh: how.fresh });
  o.checkedBase = latest ?? from;
  if (!latest || latest === from) return true;
  const rb = await rebaseOnto({
    git: o.worktree.git,
    head: commit,
    oldBase: from,
    newBase: latest,
    stateDir: repo.state,
    task: o.task.name,
    runId: o.runId,
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
  // `regenerate`: nothing lands; runTask runs the task again on the latest base
  if (o.task.on_conflict === "regenerate" && !o.onto) {
    r.message += `; the result is kept in backup ${r.backup}`;
    return false;
  }
  return true;
}

/**
 * Whether the task branch already holds exactly this result (the same tree on the same parent), as
 * when a scheduled task finds the same thing to change every day: then nothing is rewritten, pushed
 * or backed up again.
 */
async function alreadyOnBranch(o: LandOptions): Promise<boolean> {
  const tip = o.start.branchTip;
  if (!tip || !o.result.commit) return false;
  const shape = async (c: string) =>
    (await o.repo.git.run(["show", "-s", "--format=%T %P", c])).stdout.trim();
  return (await shape(tip)) === (await shape(o.result.commit));
}

/** The task's lock, asked for where no push claims it (see `TaskAdmission`): false when refused. */
async function lockAnswered(o: Landing, claim: TaskAdmission): Promise<boolean> {
  const answer = await claim.answer();
  if (answer.ok) return true;
  await o.commit?.catch(() => undefined); // no git process outlives the worktree
  notAdmitted(o.result, answer);
  return false;
}

/** The branch already holds the result. `claim`: the lock is still to be claimed, and no push will. */
async function keepBranch(o: Landing, claim: TaskAdmission | undefined): Promise<void> {
  // asked for before the PR is touched
  if (claim && !(await lockAnswered(o, claim))) return;
  const { result: r, repo } = o;
  r.commit = o.start.branchTip;
  r.status = "success";
  r.message =
    repo.mode === "dry-run"
      ? `dry run: \`${r.branch}\` already holds this change and would stay as it is`
      : `\`${r.branch}\` already holds this change (${fileCount(r)}); it was left as it is`;
  if (repo.mode !== "local" && !o.onto) await publish(o, true);
}

async function landLocal(o: LandOptions): Promise<void> {
  const { result: r, repo } = o;
  const up = await updateBranch({
    git: repo.git,
    branch: r.branch,
    commit: r.commit!,
    expectedOld: o.start.branchTip ?? null,
    message: `claude-tasks: ${o.task.name} run ${o.runId}`,
  });
  if (!up.updated) {
    r.status = "failed";
    r.message = `\`${r.branch}\` changed while the task ran; it was not overwritten (the result is in backup ${r.backup})`;
    return;
  }
  if (r.status !== "conflict") {
    r.status = "success";
    r.message = `branch \`${r.branch}\` ${o.start.branchTip ? "updated" : "created"} with ${fileCount(r)}${
      up.backup ? ` (its previous tip is kept as ${up.backup.ref})` : ""
    }`;
  } else {
    r.message += `; the unrebased result is on \`${r.branch}\``;
  }
}

/** The record with the claim of the task's lock: a push that carries it and wins took the lock. */
function claiming(rider: StateRider | undefined, claim: TaskAdmission | undefined): StateRider | undefined {
  if (!rider || !claim) return rider;
  return {
    update: rider.update,
    pushed(won) {
      rider.pushed(won);
      if (won) claim.claimed();
    },
  };
}

async function landRemote(o: Landing): Promise<void> {
  const { result: r, repo } = o;
  if (!pushesTo(o.onto)) {
    // A fork's branch: the result stays in the report and the backup.
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
  // the ledger's record of the run (lock released, cost recorded) rides in the push that lands it, as
  // the run will stand once pushed; one that cannot be made or is lost to another writer is written
  // on its own after the run
  const riding = o
    .settleInPush?.(
      {
        ...r,
        status: r.status === "conflict" ? "conflict" : "success",
        durationMs: Date.now() - Date.parse(r.startedAt),
      },
      { claim: o.claim !== undefined },
    )
    .catch(() => undefined);
  // A run that claims the task's lock in this push (see `TaskAdmission`) never pushes its branch
  // without the claim: without it, it asks for the lock first, and a refusal ends it (not admitted).
  let claim = o.claim;
  const askLock = (): Promise<boolean> => {
    const asked = claim!;
    claim = undefined;
    return lockAnswered(o, asked);
  };
  let signed: SignedOutcome | undefined;
  for (let round = 1; ; round++) {
    const guard = guardsBase(o) ? baseGuard(o) : undefined;
    const rider = claiming(round === 1 ? await riding : undefined, claim);
    if (claim && !rider && !(await askLock())) return;
    let moved: boolean;
    if (signer && signed !== "fallback") {
      signed = await landSigned(o, signer, { guard, rider, ...(claim ? { withoutRider: askLock } : {}) });
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
        ...(claim ? { withoutRider: askLock } : {}),
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
      // The base moved since the run's fetch: nothing was pushed. Follow it (rebase, conflicts), again.
      o.phase("checking conflicts with the latest base");
      if (!(await followBase(o, { fresh: true }))) return;
      if (r.status !== "conflict" && (await alreadyOnBranch(o))) return keepBranch(o, claim);
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

/** How often a push that found the base moved follows it and tries again. */
const MAX_BASE_ROUNDS = 3;

/** The task branch's update, and (when it rewrites) its old tip kept under a backup ref, in one push. */
async function branchUpdates(o: LandOptions): Promise<RefUpdate[]> {
  const { result: r, repo } = o;
  const updates: RefUpdate[] = [
    { ref: `refs/heads/${r.branch}`, commit: r.commit!, expected: o.start.branchTip ?? null },
  ];
  const old = o.start.branchTip;
  if (old && !o.onto && !(await isAncestor(repo.git, old, r.commit!))) {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
  }
  return updates;
}

/**
 * Whether the result lands on a task branch of the base (not a run onto another branch, not a merge):
 * then the push that lands it carries the base check (`baseGuard`) in place of a second fetch.
 */
function guardsBase(o: Landing): boolean {
  return o.repo.mode === "pr" && !o.onto && !o.start.merge;
}

/** The lease on the base at the tip the result was last checked against (see `baseLease`). */
function baseGuard(o: Landing): RefUpdate {
  return baseLease(o.result.base, o.checkedBase ?? o.result.baseCommit ?? o.start.commit);
}

async function publish(o: LandOptions, hasChanges: boolean): Promise<void> {
  if (!o.publisher) return;
  o.phase("publishing the pull request");
  const pr = await o.publisher.publish({
    task: o.task,
    result: o.result,
    branch: o.result.branch,
    base: o.result.base,
    hasChanges,
    branchExistedOnRemote: o.start.branchExistedOnRemote,
    dryRun: o.repo.mode === "dry-run",
  });
  if (pr) o.result.pr = pr;
}

function remoteOf(repo: RepoContext): string {
  if (!repo.remote) throw new Error("no remote to push to");
  return repo.remote;
}

function fileCount(r: TaskResult): string {
  return `${r.files.length} file${r.files.length === 1 ? "" : "s"} (+${r.additions} −${r.deletions})`;
}
