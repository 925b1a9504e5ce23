/**
 * The engine's `Publisher` for GitHub, used by the Action and by `run --pr`: the task's PR title and
 * settings, and a body made of the task's own `pr.body`, then the run report (the same Markdown as
 * the step summary).
 */
import type { Logger } from "../logger.ts";
import { mdCode } from "../report/escape.ts";
import { type MarkdownLinks, renderTaskMarkdown } from "../report/markdown.ts";
import type { PublishContext, Publisher } from "../run/options.ts";
import type { PullRequestSummary } from "../run/types.ts";
import type { GitHub } from "./client.ts";
import { publishPullRequest } from "./publish.ts";

export interface GitHubPublisherOptions {
  gh: GitHub;
  links?: MarkdownLinks;
  /** Where warnings about PR extras (labels, reviewers, …) go. */
  logger?: Logger;
}

export function pullRequestBody(ctx: PublishContext, links: MarkdownLinks = {}): string {
  const own = ctx.task.pr.body.trim();
  const report = renderTaskMarkdown(ctx.result, links);
  return `${own ? `${own}\n\n---\n\n` : ""}${report}\n<sub>Opened by claude-tasks from ${mdCode(ctx.task.file)}.</sub>\n`;
}

export function createGitHubPublisher(opts: GitHubPublisherOptions): Publisher {
  return {
    async comment(ctx, body) {
      const pr = await opts.gh.findOpenPr(ctx.branch, { base: ctx.base });
      if (pr) await opts.gh.createComment(pr.number, body);
    },
    async publish(ctx): Promise<PullRequestSummary> {
      const pr = ctx.task.pr;
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
