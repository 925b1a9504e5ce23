/**
 * The engine's `Publisher` for GitHub: the task's PR title and settings, and a body made of the
 * task's own `pr.body` followed by the run report (the same Markdown as the step summary).
 */
import { type MarkdownLinks, renderTaskMarkdown } from "../report/markdown.ts";
import type { PublishContext, Publisher } from "../run/options.ts";
import type { PullRequestSummary } from "../run/types.ts";
import type { GitHub } from "./client.ts";
import { publishPullRequest } from "./publish.ts";

export interface PullRequestPublisherOptions {
  gh: GitHub;
  links?: MarkdownLinks;
  /** Appended to the body, e.g. `Closes #12` for an ad-hoc task started from an issue. */
  footer?: string;
}

export function pullRequestBody(
  ctx: PublishContext,
  opts: Pick<PullRequestPublisherOptions, "links" | "footer">,
): string {
  const parts = [
    ctx.task.pr.body.trim(),
    renderTaskMarkdown(ctx.result, opts.links),
    opts.footer?.trim() ?? "",
  ];
  return `${parts.filter(Boolean).join("\n\n")}\n\n<sub>Opened by claude-tasks from \`${ctx.task.file}\`.</sub>\n`;
}

export function createPullRequestPublisher(opts: PullRequestPublisherOptions): Publisher {
  return {
    async publish(ctx): Promise<PullRequestSummary> {
      const pr = ctx.task.pr;
      const res = await publishPullRequest({
        gh: opts.gh,
        branch: ctx.branch,
        base: ctx.base,
        title: pr.title,
        body: pullRequestBody(ctx, opts),
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
      const action: PullRequestSummary["action"] = res.dryRun
        ? res.action === "created"
          ? "would-create"
          : res.action === "updated"
            ? "would-update"
            : res.action
        : res.action;
      return {
        action,
        ...(res.number !== null ? { number: res.number } : {}),
        ...(res.url !== null ? { url: res.url } : {}),
        apiCalls: res.calls,
      };
    },
  };
}
