/**
 * What the engine does with a GitHub event, as plain engine code (no `@actions/*`): routing, comment
 * commands, push watching; it re-exports the schedule state, credentials and git auth the Action uses.
 */

export {
  agentBaseEnv,
  assertClaudeCredentials,
  type ClaudeCredentials,
  credentialSource,
} from "../agent/claude-credentials.ts";
export { gitAuthEnv, gitAuthSecret, hasExtraHeader } from "../git/auth.ts";
export {
  createGitHubPublisher,
  type GitHubPublisherOptions,
  pullRequestBody,
} from "../github/pr-publisher.ts";
export {
  DEFAULT_WORKFLOW_IDS,
  WORKFLOW_TEMPLATES,
  type WorkflowTemplate,
  workflowTemplates,
} from "../init/workflow-templates.ts";
export { stripInvisible } from "../report/escape.ts";
export {
  type Fingerprint,
  overlayTrustedConfig,
  removeTrustedOverlay,
  TRUSTED_CONFIG_PATHS,
  type TrustedConfig,
} from "../run/trusted-config.ts";
export {
  advanceState,
  type ClaimOptions,
  type ClaimResult,
  claimDueTasks,
  FETCHED_STATE_REF,
  parseState,
  readRemoteState,
  type ScheduleState,
  STATE_FILE,
  STATE_REF,
  StateContentionError,
  type StateSnapshot,
  serializeState,
  sinceFromState,
  stateNeedsWrite,
  type TaskState,
  writeStateCommit,
} from "../schedule/state.ts";
export { ADHOC_PREFIX, adhocTask, adhocTaskName, readDefaultsFile } from "./adhoc-task.ts";
export {
  type CiFailureOptions,
  type CiFailureOutcome,
  type CiFixRunRequest,
  fixAttempts,
  handleCiFailure,
  screenCiFailure,
  TRAILER_CI_FIX,
} from "./ci-failure.ts";
export { cleanLog, failureContext } from "./ci-log.ts";
export {
  type CommentCommand,
  commentUsage,
  DEFAULT_COMMENT_COMMAND,
  DRY_RUN_FLAG,
  isValidCommentCommand,
  MAX_PROMPT_CHARS,
  parseCommentCommand,
} from "./comment-command.ts";
export {
  type CommentFlowOptions,
  type CommentOutcome,
  type CommentRunRequest,
  diffBlock,
  handleComment,
  type IssueCommentEvent,
  prTarget,
  renderCommentReply,
  screenComment,
  WRITE_PERMISSIONS,
} from "./comment-flow.ts";
export {
  DEFAULT_BOT_LOGINS,
  diffChangedFiles,
  hasTaskTrailer,
  ownPushReason,
  type PayloadFiles,
  type PushPayload,
  payloadChangedFiles,
  pushedBranch,
  ZERO_SHA,
} from "./push.ts";
export {
  type ResolvedRun,
  type ResolveRunInput,
  type RunDecision,
  resolveRun,
} from "./resolve-run.ts";
export { type RouteInput, routeEvent, SUPPORTED_EVENTS, type TriggerDecision } from "./route.ts";
export { MAX_COMMENT_CHARS, sanitizeCommentText, stripHtmlComments } from "./sanitize.ts";
export { matchWatch, type WatchingTask, type WatchMatch, watchedTasks } from "./watch.ts";
