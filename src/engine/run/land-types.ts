/** What landing a task's result needs (shared by land.ts and land-signed.ts). */
import type { Admitted } from "../budget/admit.ts";
import type { Task } from "../config/index.ts";
import type { Change, Worktree } from "../git/index.ts";
import type { StateRider } from "../schedule/state.ts";
import type { OntoBranch } from "./onto.ts";
import type { FollowUp, Publisher } from "./options.ts";
import type { RepoContext } from "./repo-context.ts";
import type { RunMode, TaskResult } from "./types.ts";

/** Where the task started (found by runTask before the agent runs). */
export interface StartingPoint {
  /** The commit the worktree was created at. */
  commit: string;
  /** The task branch's tip before this run (local ref, or the remote's in `pr` mode). */
  branchTip?: string;
  branchExistedOnRemote: boolean;
  /**
   * `on_conflict: resolve`: the branch (someone else's commits on it) gets this base commit merged in;
   * `checkBase` is the merge with its conflict markers, which the agent's change is checked against.
   */
  merge?: { commit: string; conflicts: string[]; checkBase: string };
}

/**
 * The task's lock, for a run whose agent starts before it is taken (see `runTasks`). It is asked for
 * once the agent has run a while, or when the run needs the answer; a result that lands by a push
 * before it was asked for claims the lock in that push instead (the ledger's compare-and-swap: no
 * other run holds it, and the run's record), which saves a round trip to the remote.
 */
export interface TaskAdmission {
  /** The lock's answer: asked for now when it was not yet. */
  answer(): Promise<Admitted>;
  /**
   * The agent has ended (every attempt): the lock is no longer asked for because the agent runs long
   * (the change check that follows takes its own time, which must not count as the agent's).
   */
  agentEnded(): void;
  /**
   * The agent has ended (`agentEnded` came first) and its result would land by a push: true when the
   * lock was not asked for yet; then the landing push claims it, or asks with `answer`.
   */
  claimInPush(): boolean;
  /** The landing push carried the claim and won: the run held the lock for that push. */
  claimed(): void;
}

/**
 * Whether the push that lands a run's result can claim the task's lock (see `TaskAdmission`): a push
 * of the task's own branch, which can carry the ledger's record (not a local run, not a run onto
 * another branch). A commit GitHub makes through its API claims it in the push that creates the new
 * task branch, or in the one that moves the task branch to that commit; where no push lands it (the
 * commit made on the branch itself), the lock is asked for before the commit (`landSigned`).
 */
export function landingCanClaim(o: { mode: RunMode; onto?: unknown }): boolean {
  return o.mode === "pr" && o.onto === undefined;
}

/** What landing needs of the task's run (runTask passes its own options, which hold all of it). */
export interface LandOptions {
  repo: RepoContext;
  task: Task;
  runId: string;
  onto?: OntoBranch;
  followUp?: FollowUp;
  publisher?: Publisher;
  worktree: Worktree;
  change: Change;
  result: TaskResult;
  start: StartingPoint;
  phase: (p: string) => void;
  /**
   * The task commit, already under way (`taskCommit`, started while the remote's and the ledger's
   * answers were awaited); absent: made by land.
   */
  commit?: Promise<string | undefined>;
  /**
   * The ledger's record of this run (`result` as it will be once pushed), to ride in the branch's
   * push; `claim`: the run does not hold the task's lock, and the record claims it (undefined when
   * another run holds it).
   */
  settleInPush?: (result: TaskResult, how?: { claim?: boolean }) => Promise<StateRider | undefined>;
  /** The task's lock is claimed by the landing push (`TaskAdmission.claimInPush` said so). */
  claim?: TaskAdmission;
}
