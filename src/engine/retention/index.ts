/** Local history retention: the policy, the pure plan, and `prune` which applies it. */
export { type BackupItem, type PruneInput, type PrunePlan, planPrune, runIdTime } from "./plan.ts";
export {
  DEFAULT_KEEP,
  formatAge,
  KEEP_ENV,
  MAX_AGE_ENV,
  parseAge,
  type RetentionPolicy,
  retentionPolicy,
} from "./policy.ts";
export { type PruneOptions, type PruneResult, prune, rewriteLog, runningRuns } from "./prune.ts";
