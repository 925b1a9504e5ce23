/** The git layer: one exec, worktrees, change collection, backups, commits, conflicts, branch moves. */
export {
  API_LIMITS,
  type ApiChangesResult,
  type ApiFileChanges,
  type ApiLimits,
  apiFileChanges,
} from "./api-changes.ts";
export {
  type Backup,
  type BackupMeta,
  damagedBackups,
  listBackups,
  NoBackupError,
  readBackup,
  readPatchText,
  snapshotPatch,
  type WriteBackupOptions,
  writeBackup,
  writeChangeBackup,
  writeTreeBackup,
} from "./backup.ts";
export {
  BACKUP_REF_PREFIX,
  backupRef,
  listBackupRefs,
  type RefBackup,
  type UpdateBranchOptions,
  type UpdateBranchResult,
  updateBranch,
} from "./branch.ts";
export {
  type Change,
  collectChanges,
  DIFF_MEMORY_CAP,
  diffPatch,
  type FileChange,
  type FileStatus,
  MODE,
} from "./changes.ts";
export {
  type CommitAllOptions,
  commitAll,
  commitMessage,
  commitTree,
  type ForeignCommit,
  foreignCommits,
  GITHUB_WEB_FLOW_EMAIL,
  TRAILER_RUN,
  TRAILER_TASK,
  userSignsCommits,
} from "./commit.ts";
export {
  type CrossConflict,
  type MergeCheck,
  mergeTreeCheck,
  pairwiseConflicts,
  type RebaseOptions,
  type RebaseResult,
  rebaseOnto,
  type TaskCommit,
} from "./conflicts.ts";
export { countDiffLines, diffPath } from "./diff-text.ts";
export {
  type BotIdentity,
  type CreateGitOptions,
  createGit,
  DEFAULT_IDENTITY,
  type Env,
  type Git,
  type GitResult,
  type GitRunOptions,
} from "./exec.ts";
export {
  compareRepo,
  type IntegrityChange,
  type RepoSnapshot,
  restoreRepo,
  snapshotRepo,
} from "./integrity.ts";
export { assertSafeName, backupsDir, sandboxesDir, stateDir, worktreesDir } from "./paths.ts";
export {
  branchRef,
  isAncestor,
  isDirty,
  requireCommit,
  resolveCommit,
  shortBranch,
  ZERO_OID,
} from "./refs.ts";
export {
  fetchRefs,
  lsRemote,
  type PushedRef,
  type PushResult,
  type PushStatus,
  pushRefs,
  type RefUpdate,
} from "./remote.ts";
export { RESTORE_BRANCH_PREFIX, type RestoreResult, restoreBackup } from "./restore.ts";
export {
  adminDirOf,
  type CreateWorktreeOptions,
  createWorktree,
  listWorktrees,
  type PruneEntry,
  type PruneOptions,
  pruneWorktrees,
  type RemoveResult,
  type Worktree,
  type WorktreeInfo,
  type WorktreeLock,
} from "./worktree.ts";
