/**
 * The engine's `Publisher` for GitHub, used by the Action and by `run --pr`: the task's PR title and
 * settings, and a body made of the task's own `pr.body`, then the run report (the same Markdown as
 * the step summary).
 */
import type { Logger } from "../logger.ts";
import { mdCode } from "../report/escape.ts";
import { type MarkdownLinks, renderTaskMarkdown } from "../report/markdown.ts";
import type { CommitSigner, PublishContext, Publisher } from "../run/options.ts";
import type { PullRequestSummary } from "../run/types.ts";
import type { GitHub } from "./client.ts";
import { publishPullRequest } from "./publish.ts";

export interface GitHubPublisherOptions {
  gh: GitHub;
  links?: MarkdownLinks;
  /** Where warnings about PR extras (labels, reviewers, …) go. */
  logger?: Logger;
  /**
   * Task commits made by GitHub through its API, which signs them: `required` (the Action's default)
   * refuses a change the API cannot express, `preferred` pushes that one unsigned with git, `off`
   * (the default here, and the CLI's `run --pr`) pushes every commit with git.
   */
  signCommits?: SignCommits;
  /**
   * The token is the workflow's own `GITHUB_TOKEN`: GitHub starts no workflow for what it pushes or
   * opens, so CI will not run on the pull request. The result (and so the PR body and the run
   * summary) then says so, and how to fix it.
   */
  workflowToken?: boolean;
}

/** What the PR and the run summary say when the pull request is made with the workflow's own token. */
export const WORKFLOW_TOKEN_NOTE =
  "CI will not start on this pull request: it was pushed and opened with the workflow's own GITHUB_TOKEN, " +
  "and GitHub starts no workflow for those (so required checks never report). To get CI, pass a GitHub App " +
  "token (actions/create-github-app-token) or a fine-grained personal access token as the Action's " +
  '`github-token` (README, "CI on the pull requests").';

export const SIGN_COMMITS = ["required", "preferred", "off"] as const;
export type SignCommits = (typeof SIGN_COMMITS)[number];

/** The engine's `CommitSigner` on GitHub: `createCommitOnBranch`. */
export function githubSigner(gh: GitHub, mode: SignCommits): CommitSigner | undefined {
  if (mode === "off") return undefined;
  return {
    allowUnsigned: mode === "preferred",
    commitOnBranch: (o) =>
      gh.createCommitOnBranch({
        branch: o.branch,
        expectedHeadOid: o.expectedHead,
        headline: o.headline,
        body: o.body,
        additions: o.additions,
        deletions: o.deletions,
      }),
  };
}

export function pullRequestBody(ctx: PublishContext, links: MarkdownLinks = {}): string {
  const own = ctx.task.pr.body.trim();
  const report = renderTaskMarkdown(ctx.result, links);
  return `${own ? `${own}\n\n---\n\n` : ""}${report}\n<sub>Opened by claude-tasks from ${mdCode(ctx.task.file)}.</sub>\n`;
}

export function createGitHubPublisher(opts: GitHubPublisherOptions): Publisher {
  const signer = githubSigner(opts.gh, opts.signCommits ?? "off");
  return {
    prepare: () => opts.gh.prepare?.(),
    async comment(ctx, body) {
      const pr = await opts.gh.findOpenPr(ctx.branch, { base: ctx.base });
      if (pr) await opts.gh.createComment(pr.number, body);
    },
    ...(signer ? { signer } : {}),
    async publish(ctx): Promise<PullRequestSummary> {
      const pr = ctx.task.pr;
      const warnings = ctx.result.warnings ?? [];
      if (opts.workflowToken && ctx.hasChanges && !warnings.includes(WORKFLOW_TOKEN_NOTE))
        ctx.result.warnings = [...warnings, WORKFLOW_TOKEN_NOTE];
      const res = await publishPullRequest({
        gh: opts.gh,
        branch: ctx.branch,
        base: ctx.base,
        title: pr.title,
        body: pullRequestBody(ctx, opts.links),
        draft: pr.draft,
        labels: pr.labels,
        reviewers: pr.reviewers,
        assignees: pr.assignees,
        autoMerge: pr.auto_merge,
        branchExistedOnRemote: ctx.branchExistedOnRemote,
        hasChanges: ctx.hasChanges,
        onNoChanges: pr.on_no_changes,
        dryRun: ctx.dryRun,
      });
      for (const w of res.warnings) opts.logger?.warn(`${ctx.task.name}: ${w}`);
      const would = { created: "would-create", updated: "would-update" } as const;
      const action =
        res.dryRun && (res.action === "created" || res.action === "updated") ? would[res.action] : res.action;
      return {
        action,
        ...(res.number !== null ? { number: res.number } : {}),
        ...(res.url !== null ? { url: res.url } : {}),
        apiCalls: res.calls,
      };
    },
  };
}
