/**
 * Comment commands on issues and pull requests, from the event to the reply:
 *
 * 1. only new comments (`created`) by people (not bots) that open with the command are read;
 * 2. the commenter needs write, maintain or admin permission (asked from the API, not taken from the
 *    payload); others get a 😕 reaction and nothing runs;
 * 3. 👀 at once, then one progress comment, updated in place and ending with the result;
 * 4. on a pull request from the same repository the work is committed onto its branch; on a fork's
 *    pull request nothing is pushed (a dry run: the reply names the fork's commit that ran, and shows
 *    the diff only when every guard passed); on an issue the task opens its own pull request (an
 *    ad-hoc one says `Closes #N`);
 * 5. for runs on a pull request, Claude Code's settings (`.claude/`, `.mcp.json`, `CLAUDE.md`) come
 *    from the base branch, never from the pull request's head (see `TRUSTED_CONFIG_PATHS`).
 *
 * Everything that touches the repository or runs tasks is injected, so the flow is tested with the
 * fake GitHub and a fake runner.
 */
import type { Task } from "../config/index.ts";
import { errorMessage, formatProblem, type Problem } from "../errors.ts";
import type { GitHub, Permission, PullRequest } from "../github/index.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { mdCode, mdFenced, mdText } from "../report/escape.ts";
import { holdsCredential, renderTaskMarkdown } from "../report/markdown.ts";
import { effectiveDryRun, type OntoBranch, ontoPullRequest, pushesTo } from "../run/onto.ts";
import { TRUSTED_CONFIG_PATHS, type TrustedConfig } from "../run/trusted-config.ts";
import type { RunReport, TaskResult } from "../run/types.ts";
import { unknownTaskMessage } from "../select-tasks.ts";
import { type CommentCommand, commentUsage, parseCommentCommand } from "./comment-command.ts";

/** The parts of GitHub's `issue_comment` payload that are read. */
export interface IssueCommentEvent {
  action?: string;
  comment?: { id?: number; body?: string | null; user?: { login?: string; type?: string } | null };
  issue?: { number?: number; pull_request?: unknown; state?: string };
}

export const WRITE_PERMISSIONS: readonly Permission[] = ["admin", "maintain", "write"];
/** GitHub refuses longer comments. */
const MAX_COMMENT_BODY = 65_000;
const MAX_DIFF_CHARS = 40_000;

export interface CommentRunRequest {
  tasks: Task[];
  dryRun: boolean;
  /** Open/update the task's own pull request (runs on an issue). */
  publish: boolean;
  /** Instead of the task's own branch and PR: a pull request's head (a fork's with `fetchRef`). */
  onto?: OntoBranch;
  base?: string;
  trustedConfig?: TrustedConfig;
  trigger: string;
  /** A short progress line for the reply ("running the agent"); throttled by the flow. */
  progress: (line: string) => void;
}

export interface CommentFlowOptions {
  event: IssueCommentEvent;
  /** The command word, e.g. `/claude-tasks`. */
  command: string;
  gh: GitHub;
  /** The configured tasks (from the trusted checkout) and their problems. */
  loadTasks: () => Promise<{ tasks: Task[]; problems: Problem[] }>;
  /** Builds the ad-hoc task of a free-text command. */
  adhocTask: (o: {
    commentId: number;
    prompt: string;
    issueNumber: number;
    closesIssue: boolean;
    requestedBy: string;
  }) => Promise<{ task?: Task; problems: Problem[] }>;
  execute: (req: CommentRunRequest) => Promise<RunReport>;
  /** The patch of a result (from its backup), for dry runs on forks. */
  patchOf?: (result: TaskResult) => Promise<string | undefined>;
  links: { runUrl?: string; serverUrl: string; repository: string };
  logger?: Logger;
  /** Minimum time between two progress edits of the reply. Default 5 s. */
  progressIntervalMs?: number;
}

export type CommentOutcome =
  | { status: "ignored"; reason: string }
  | { status: "refused"; reason: string }
  | { status: "answered"; reason: string; replyId: number }
  | { status: "ran"; report: RunReport; replyId: number; command: CommentCommand };

/** Decides from the payload alone whether a comment is addressed to claude-tasks. Pure. */
export function screenComment(
  event: IssueCommentEvent,
  command: string,
):
  | {
      ok: true;
      parsed: Exclude<CommentCommand, { kind: "none" }>;
      login: string;
      commentId: number;
      issueNumber: number;
    }
  | { ok: false; reason: string } {
  if (event.action !== "created") {
    return { ok: false, reason: `comment ${event.action ?? "event"}: only new comments are read, not edits` };
  }
  const login = event.comment?.user?.login;
  const commentId = event.comment?.id;
  const issueNumber = event.issue?.number;
  if (!login || typeof commentId !== "number" || typeof issueNumber !== "number") {
    return { ok: false, reason: "the payload has no comment, author or issue" };
  }
  if (event.comment?.user?.type === "Bot" || login.toLowerCase().endsWith("[bot]")) {
    return { ok: false, reason: `comment by the bot ${login}` };
  }
  const parsed = parseCommentCommand(event.comment?.body ?? "", command);
  if (parsed.kind === "none") return { ok: false, reason: `the comment does not start with ${command}` };
  return { ok: true, parsed, login, commentId, issueNumber };
}

export async function handleComment(o: CommentFlowOptions): Promise<CommentOutcome> {
  const logger = o.logger ?? silentLogger;
  const screened = screenComment(o.event, o.command);
  if (!screened.ok) return { status: "ignored", reason: screened.reason };
  const { parsed, login, commentId, issueNumber } = screened;
  const { gh } = o;

  const permission = await gh.getPermission(login);
  if (!WRITE_PERMISSIONS.includes(permission)) {
    await bestEffort(logger, "react", () => gh.addReaction(commentId, "confused"));
    return {
      status: "refused",
      reason: `@${login} has ${permission} permission; write, maintain or admin is needed`,
    };
  }
  await bestEffort(logger, "react", () => gh.addReaction(commentId, "eyes"));

  const footer = o.links.runUrl ? `\n\n[Workflow run](${o.links.runUrl})` : "";
  if (parsed.kind === "help") {
    const reply = await gh.createComment(issueNumber, `${commentUsage(o.command)}${footer}`);
    return { status: "answered", reason: "help", replyId: reply.id };
  }
  if (parsed.kind === "invalid") {
    const reply = await gh.createComment(
      issueNumber,
      `⚠️ ${parsed.message}\n\n${commentUsage(o.command)}${footer}`,
    );
    return { status: "answered", reason: parsed.message, replyId: reply.id };
  }

  const label = parsed.kind === "run" ? mdCode(parsed.task) : "an ad-hoc task";
  const reply = await gh.createComment(issueNumber, `⏳ claude-tasks is starting ${label}…${footer}`);
  const progress = throttledEditor(gh, reply.id, o.progressIntervalMs ?? 5_000, logger);
  const answer = async (text: string) => {
    await progress.final(`${text}${footer}`);
    return { status: "answered" as const, reason: text, replyId: reply.id };
  };

  try {
    const pr = o.event.issue?.pull_request ? await gh.getPr(issueNumber) : undefined;
    if (pr && pr.state !== "open")
      return await answer(`⚠️ pull request #${issueNumber} is closed; nothing was run`);

    let task: Task | undefined;
    if (parsed.kind === "run") {
      const loaded = await o.loadTasks();
      const errors = loaded.problems.filter((p) => p.severity === "error");
      task = loaded.tasks.find((t) => t.name === parsed.task);
      if (!task && errors.length > 0) return await answer(problemsText("the task files have errors", errors));
      if (!task)
        return await answer(
          `⚠️ ${unknownTaskMessage(
            parsed.task,
            loaded.tasks.map((t) => t.name),
          )}`,
        );
    } else {
      const built = await o.adhocTask({
        commentId,
        prompt: parsed.prompt,
        issueNumber,
        closesIssue: !pr,
        requestedBy: login,
      });
      if (!built.task)
        return await answer(problemsText("the ad-hoc task could not be built", built.problems));
      task = built.task;
    }

    const target = pr ? prTarget(pr) : {};
    const fork = !pushesTo(target.onto);
    const dryRun = effectiveDryRun(parsed.dryRun, target.onto);
    const request: CommentRunRequest = {
      tasks: [task],
      dryRun,
      publish: !pr,
      trigger: `comment by @${login} on #${issueNumber}`,
      progress: (line) => progress.update(`⏳ claude-tasks: ${label} — ${line}${footer}`),
      ...target,
    };
    const report = await o.execute(request);
    const result = report.results.find((r) => r.task === task.name) ?? report.results[0];
    // A diff is shown only for a change every guard accepted: a refused one (above all one holding a
    // credential) is never read back, let alone posted.
    const showable = result !== undefined && result.violations.length === 0 && !holdsCredential(result);
    let patch: string | undefined;
    if (result && showable && dryRun && o.patchOf) {
      const patchOf = o.patchOf;
      await bestEffort(logger, "read the change for the reply", async () => {
        patch = await patchOf(result);
      });
    }
    await progress.final(renderCommentReply({ report, result, pr, fork, dryRun, patch, links: o.links }));
    return { status: "ran", report, replyId: reply.id, command: parsed };
  } catch (err) {
    await bestEffort(logger, "post the failure", () =>
      progress.final(`❌ claude-tasks failed: ${mdText(errorMessage(err), 2000)}${footer}`),
    );
    throw err;
  }
}

/** Where a run on a pull request works: its head branch (or, for a fork, its head fetched read-only). */
export function prTarget(pr: PullRequest): Pick<CommentRunRequest, "onto" | "base" | "trustedConfig"> {
  const onto: OntoBranch = ontoPullRequest(pr);
  return { onto, base: pr.baseRef, trustedConfig: { source: pr.baseRef, paths: [...TRUSTED_CONFIG_PATHS] } };
}

export interface CommentReplyInput {
  report: RunReport;
  result: TaskResult | undefined;
  pr: PullRequest | undefined;
  fork: boolean;
  dryRun: boolean;
  patch?: string | undefined;
  links: { runUrl?: string; serverUrl: string; repository: string };
}

/** The final reply: the task's report, where the work went, and (dry runs) the diff. Fits GitHub's limit. */
export function renderCommentReply(i: CommentReplyInput): string {
  const out: string[] = [];
  const r = i.result;
  if (!r) {
    out.push("➖ claude-tasks ran nothing.");
  } else {
    out.push(renderTaskMarkdown(r, i.links.runUrl ? { runUrl: i.links.runUrl } : {}).trimEnd(), "");
    const web = `${i.links.serverUrl.replace(/\/+$/, "")}/${i.links.repository}`;
    if (i.fork) {
      const head = r.baseCommit ?? i.pr?.headSha;
      const ran = `${mdCode(r.task)} ran on the fork's code${head ? ` at ${mdCode(head.slice(0, 12))}` : ""}`;
      const shown =
        i.patch !== undefined && i.patch.trim() !== ""
          ? "The change it made:"
          : r.violations.length > 0
            ? "The change was refused by the guards, so it is not shown."
            : "";
      out.push(
        `This pull request comes from a fork, so this was a dry run: ${ran}, and nothing was pushed. ${shown}`.trimEnd(),
      );
    } else if (i.dryRun) {
      out.push("Dry run: nothing was pushed.");
    } else if (i.pr && r.commit && r.status === "success") {
      out.push(
        `Pushed [\`${r.commit.slice(0, 7)}\`](${web}/commit/${r.commit}) onto ${mdCode(i.pr.headRef)}.`,
      );
    } else if (r.pr?.url) {
      out.push(`Pull request: ${r.pr.url}`);
    }
    if (i.patch !== undefined && i.patch.trim() !== "") out.push("", diffBlock(i.patch));
  }
  if (i.links.runUrl) out.push("", `[Workflow run](${i.links.runUrl})`);
  let text = out.join("\n").trimEnd();
  if (text.length > MAX_COMMENT_BODY)
    text = `${text.slice(0, MAX_COMMENT_BODY - 40)}\n\n… (cut: the reply is too long)`;
  return text;
}

/** A fenced ```diff block that the patch cannot close early (see `mdFenced`), cut to a readable size. */
export function diffBlock(patch: string): string {
  const cut = patch.length > MAX_DIFF_CHARS;
  const body = cut ? patch.slice(0, MAX_DIFF_CHARS) : patch;
  const note = cut
    ? `\n\n… the diff is longer than ${MAX_DIFF_CHARS} characters; the full patch is in the run's backup artifact`
    : "";
  return `<details open><summary>Diff</summary>\n\n${mdFenced(body.trimEnd(), "diff")}${note}\n\n</details>`;
}

function problemsText(what: string, problems: readonly Problem[]): string {
  const lines = problems.slice(0, 10).map((p) => `- ${mdText(formatProblem(p))}`);
  return `⚠️ ${what}:\n\n${lines.join("\n")}${problems.length > 10 ? `\n- … ${problems.length - 10} more` : ""}`;
}

async function bestEffort(logger: Logger, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    logger.warn(`could not ${what}: ${errorMessage(err)}`);
  }
}

/** Edits one comment: progress lines at most every `intervalMs` (the latest wins), then the final text. */
function throttledEditor(gh: GitHub, commentId: number, intervalMs: number, logger: Logger) {
  let chain: Promise<void> = Promise.resolve();
  let last = 0;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const write = (body: string) => {
    chain = chain
      .then(() => gh.updateComment(commentId, body))
      .catch((err) => logger.warn(`could not update the reply: ${errorMessage(err)}`));
    last = Date.now();
  };
  return {
    update(body: string) {
      if (closed) return;
      pending = body;
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        if (closed || pending === undefined) return;
        write(pending);
        pending = undefined;
      }, wait);
      timer.unref();
    },
    async final(body: string) {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain;
      await gh.updateComment(commentId, body);
    },
  };
}
