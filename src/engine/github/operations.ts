/**
 * The GitHub REST operations the product uses, by GitHub's operationId, with their routes. This list is
 * the single source for `scripts/gen-openapi-subset.ts` (which keeps exactly these operations of GitHub's
 * OpenAPI description) and for the fake GitHub in the tests (which validates every request against them).
 * Using a new endpoint means adding it here and regenerating the subset.
 */
export const GITHUB_OPERATIONS = {
  "pulls/list": "GET /repos/{owner}/{repo}/pulls",
  "pulls/create": "POST /repos/{owner}/{repo}/pulls",
  "pulls/get": "GET /repos/{owner}/{repo}/pulls/{pull_number}",
  "pulls/update": "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
  "pulls/request-reviewers": "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "issues/add-labels": "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "issues/add-assignees": "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
  "issues/create-comment": "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "issues/update-comment": "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "reactions/create-for-issue-comment": "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
  "repos/get-collaborator-permission-level": "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  "actions/list-jobs-for-workflow-run": "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
  "actions/download-job-logs-for-workflow-run": "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
} as const;

export type GitHubOperationId = keyof typeof GITHUB_OPERATIONS;
