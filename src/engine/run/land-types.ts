/** What landing a task's result needs (shared by land.ts and land-signed.ts). */
import type { Task } from "../config/index.ts";
import type { Change, Worktree } from "../git/index.ts";
import type { StateRider } from "../schedule/state.ts";
import type { OntoBranch } from "./onto.ts";
import type { FollowUp, Publisher } from "./options.ts";
import type { RepoContext } from "./repo-context.ts";
import type { TaskResult } from "./types.ts";

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
  /** The ledger's record of this run (`result` as it will be once pushed), to ride in the branch's push. */
  settleInPush?: (result: TaskResult) => Promise<StateRider | undefined>;
}
