/**
 * The GitHub publisher the Action hands to `runTasks`: opens, updates or closes the task's pull request
 * with `publishPullRequest`, the task's `pr` settings, and a body made of the task's own `pr.body`
 * followed by the run report.
 */
import type { GitHub } from "../github/index.ts";
import { publishPullRequest } from "../github/index.ts";
import type { Logger } from "../logger.ts";
import { type MarkdownLinks, renderTaskMarkdown } from "../report/markdown.ts";
import type { PublishContext, Publisher } from "../run/options.ts";
import type { PullRequestSummary } from "../run/types.ts";

export interface GitHubPublisherOptions {
  gh: GitHub;
  links?: MarkdownLinks;
  logger?: Logger;
}

export function pullRequestBody(ctx: PublishContext, links: MarkdownLinks = {}): string {
  const own = ctx.task.pr.body.trim();
  const report = renderTaskMarkdown(ctx.result, links);
  return own ? `${own}\n\n---\n\n${report}` : report;
}

export function createGitHubPublisher(opts: GitHubPublisherOptions): Publisher {
  return {
    async publish(ctx: PublishContext): Promise<PullRequestSummary | undefined> {
      const pr = ctx.task.pr;
      const r = await publishPullRequest({
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
      for (const w of r.warnings) opts.logger?.warn(`${ctx.task.name}: ${w}`);
      const action = ctx.dryRun && r.action === "created" ? "would-create" : ctx.dryRun && r.action === "updated" ? "would-update" : r.action;
      return {
        action,
        ...(r.number !== null ? { number: r.number } : {}),
        ...(r.url !== null ? { url: r.url } : {}),
        apiCalls: r.calls,
      };
    },
  };
}
