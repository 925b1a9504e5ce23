export {
  type CommitOnBranchInput,
  type CreateGitHubOptions,
  type CreatePrInput,
  createGitHub,
  type GitHub,
  type MergeMethod,
  type Permission,
  type PullRequest,
  type ReactionContent,
  type UpdatePrInput,
} from "./client.ts";
export { GitHubError, type GitHubErrorKind, PullRequestExistsError } from "./errors.ts";
export type { RetryPolicy } from "./octokit.ts";
export { GITHUB_OPERATIONS, type GitHubOperationId } from "./operations.ts";
export {
  MAX_BODY_LENGTH,
  type PublishAction,
  type PublishOptions,
  type PublishResult,
  publishPullRequest,
} from "./publish.ts";
