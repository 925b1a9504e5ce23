/**
 * Landing a task commit as a commit GitHub makes and signs (`createCommitOnBranch`): the same tree,
 * parent, message and lease as the git push it replaces.
 *
 * The API commits on top of a branch's head, and only when that head is `expectedHeadOid`: that is
 * the lease. So the engine first makes a branch point at the commit's parent, then asks for the
 * commit there:
 *
 * - the task branch is the parent already (a run on a PR's head): commit on it, leased on its tip;
 * - the task branch is new: create it at the parent (a git push that must create it), commit on it;
 * - the task branch exists elsewhere (the usual update of a PR, rebuilt on the latest base): commit
 *   on a fresh temporary branch at the parent, then move the task branch to that signed commit in one
 *   atomic leased git push that also keeps the old tip as a backup ref and deletes the temporary
 *   branch. Moving a ref does not change the commit, so it stays signed.
 *
 * Then the commit is checked: its tree and parent must be exactly those the guards checked (as
 * GitHub's answer reports them, or as the fetched commit holds them where it is needed here anyway);
 * otherwise the branch is put back (leased) and the task fails. A change the API cannot
 * express is found before anything is sent (`apiFileChanges`) and is either refused or, when the
 * user allows it, pushed unsigned with git as before.
 */
import {
  apiFileChanges,
  BACKUP_REF_PREFIX,
  GITHUB_WEB_FLOW_EMAIL,
  isAncestor,
  lsRemote,
  pushRefs,
  type RefUpdate,
} from "../git/index.ts";
import type { StateRider } from "../schedule/state.ts";
import type { LandOptions } from "./land-types.ts";
import type { CommitSigner } from "./options.ts";
import { pushLanding } from "./push.ts";
import { baseTip, fetchBranchNow } from "./repo-context.ts";

/**
 * `base-moved`: the base's lease failed before anything was made; the caller follows the base.
 * `stopped`: the run claims the task's lock in its landing (see `TaskAdmission`), the claim could not
 * ride, and the lock, asked for instead, was refused: nothing of the task branch was pushed.
 */
export type SignedOutcome = "landed" | "refused" | "fallback" | "base-moved" | "stopped";

export async function landSigned(
  o: LandOptions,
  signer: CommitSigner,
  rides: {
    /** The lease on the base, carried by the first push (or, with none, checked by a fetch). */
    guard?: RefUpdate | undefined;
    /** The ledger's record, carried by the push that completes the landing. */
    rider?: StateRider | undefined;
    /**
     * Set when the record claims the task's lock (see `pushLanding`): asks for the lock where the
     * claim cannot ride, before the task branch changes; false when the lock was refused.
     */
    withoutRider?: (() => Promise<boolean>) | undefined;
  } = {},
): Promise<SignedOutcome> {
  const { result: r, repo } = o;
  const git = repo.git;
  const remote = repo.remote!;
  const commit = r.commit!;
  const [tree = "", parent = "", ...others] = (await git.run(["show", "-s", "--format=%T %P", commit])).stdout
    .trim()
    .split(" ");
  // the API makes one-parent commits only: a merge (a resolved conflict) cannot be one
  const plan =
    others.length > 0
      ? { ok: false as const, reasons: ["it is a merge commit (the API makes commits with one parent)"] }
      : await apiFileChanges({ git, parent, commit });
  if (!plan.ok) {
    const why = `${plan.reasons.slice(0, 5).join("; ")}${plan.reasons.length > 5 ? `; and ${plan.reasons.length - 5} more` : ""}`;
    if (!signer.allowUnsigned) {
      r.status = "failed";
      r.message = `not pushed: GitHub's API cannot make this change as a signed commit (${why}), and signed commits are required (\`sign-commits: required\`); nothing was pushed, the result is in backup ${r.backup}`;
      return "refused";
    }
    r.warnings = [
      ...(r.warnings ?? []),
      `the commit was pushed unsigned with git: GitHub's API cannot make this change as a signed commit (${why}); \`sign-commits: preferred\` allows that`,
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
  const lost = (reason: string) => {
    r.status = "failed";
    r.message = `push of \`${r.branch}\` refused (${reason}): someone else updated it during the run; nothing was overwritten, the result is in backup ${r.backup}`;
    return "refused" as const;
  };

  if (target !== r.branch || !old) {
    // the branch the API commits on, made to point at the parent (it must not exist yet), with the
    // base's lease; a new task branch is the landing itself, so the ledger's record rides here too
    const landing = target === r.branch;
    const made = await pushLanding({
      repo,
      updates: [{ ref: targetRef, commit: parent, expected: null }],
      ...(rides.guard ? { guard: rides.guard } : {}),
      ...(rides.rider && landing ? { rider: rides.rider } : {}),
      ...(rides.withoutRider && landing ? { withoutRider: rides.withoutRider } : {}),
    });
    if (made.stopped) return "stopped";
    if (made.baseMoved) return "base-moved";
    if (!made.ok) return lost(made.reason ?? "it exists");
  } else {
    // the commit is made on the task branch itself: no push carries a claim of the lock, so it is
    // asked for first
    if (rides.withoutRider && !(await rides.withoutRider())) return "stopped";
    if (rides.guard && (await baseTip(repo, r.base, { fresh: true })) !== rides.guard.commit)
      return "base-moved"; // nothing is pushed before the commit: the base is looked at now
  }
  const undo = async (from: string) => {
    // back to where it was: the temporary or new branch goes, an existing branch returns to its tip
    const to = target === r.branch && old ? old : null;
    await pushRefs({ git, remote, updates: [{ ref: targetRef, commit: to, expected: from }] }).catch(
      () => undefined,
    );
  };

  /** GitHub's commit of exactly this change: the checked tree on the parent, our message, by the web-flow. */
  const sameCommit = async (c: string) =>
    (await git.run(["show", "-s", "--format=%T %P%n%ce%n%B", c], { allowFailure: true })).stdout.trim() ===
    `${tree} ${parent}\n${GITHUB_WEB_FLOW_EMAIL}\n${message.trim()}`;

  let signed: string;
  /** Tree and parents as GitHub reported them (absent: the commit is looked at itself). */
  let reported: string | undefined;
  try {
    const made = await signer.commitOnBranch({
      branch: target,
      expectedHead: parent,
      headline,
      body,
      additions: plan.changes.additions,
      deletions: plan.changes.deletions,
    });
    signed = made.oid;
    if (made.tree && made.parents) reported = `${made.tree} ${made.parents.join(" ")}`;
  } catch (err) {
    const tip = (await lsRemote({ git, remote, refs: [targetRef] })).get(targetRef);
    // a retried request whose first attempt went through: the branch already holds our commit
    const ours =
      tip && tip !== parent && (await fetchBranchNow(repo, target)) === tip && (await sameCommit(tip));
    if (ours) signed = tip;
    else if (tip !== parent) {
      if (target !== r.branch) await undo(tip ?? parent);
      return lost("stale info");
    } else {
      if (target !== r.branch || !old) await undo(parent);
      throw err;
    }
  }

  // Its tree and parent must be those the guards checked. A new task branch is done here: GitHub's
  // answer says them. A temporary branch is fetched (the push that moves the task branch to the
  // commit needs it here), and so is a commit GitHub did not describe.
  const described = reported !== undefined && target === r.branch;
  const shape = described
    ? reported
    : (await fetchBranchNow(repo, target))
      ? (await git.run(["show", "-s", "--format=%T %P", signed], { allowFailure: true })).stdout.trim()
      : "";
  if (shape !== `${tree} ${parent}`) {
    await undo(signed);
    r.status = "failed";
    r.message = `refused: the commit GitHub made (${signed.slice(0, 7)}) does not hold the tree that was checked; it was taken back, the result is in backup ${r.backup}`;
    return "refused";
  }

  if (target !== r.branch) {
    const updates: RefUpdate[] = [{ ref, commit: signed, expected: old ?? null }];
    if (old && !o.onto && !(await isAncestor(git, old, signed))) {
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
    }
    updates.push({ ref: targetRef, commit: null, expected: signed });
    // GitHub's commit on the temporary branch goes unless the task branch moves to it
    const moved = await pushLanding({
      repo,
      updates,
      ...(rides.rider ? { rider: rides.rider } : {}),
      ...(rides.withoutRider ? { withoutRider: rides.withoutRider } : {}),
    }).catch(async (err: unknown) => {
      await undo(signed);
      throw err;
    });
    if (!moved.ok) {
      await undo(signed);
      return moved.stopped ? "stopped" : lost(moved.reason ?? "rejected");
    }
    await git.run(["update-ref", "-d", `refs/remotes/${remote}/${target}`], { allowFailure: true });
  }
  if (described) r.localCommit = commit; // GitHub's commit is not here: ours has its tree and parent
  r.commit = signed;
  r.signature = "signed";
  return "landed";
}
