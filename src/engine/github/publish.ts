/**
 * Opens, updates or closes the one pull request of a task, on a counted API budget:
 *
 * | situation                                         | calls                                   |
 * | ------------------------------------------------- | --------------------------------------- |
 * | changes, branch new on the remote → create        | 1                                       |
 * | changes, branch existed, open PR                  | 1 (find) + 1 only if title/body differ  |
 * | changes, branch existed, no open PR → create      | 2                                       |
 * | no changes, branch new on the remote              | 0                                       |
 * | no changes, branch existed (keep)                 | 1                                       |
 * | no changes, `on_no_changes: close`, open PR       | 1 + 2 (explaining comment, close)       |
 * | dry run                                           | reads as above, 0 writes                |
 *
 * plus, per kind of labels / reviewers / assignees / auto-merge, one call on creation, and on update only
 * when the configuration gained entries since the last run. What was applied is remembered in a hidden
 * marker at the end of the PR body, so an unchanged run costs nothing and a label or reviewer a human
 * removed is not forced back. Failures of these extras are warnings: the PR exists either way.
 */
import { errorMessage } from "../errors.ts";
import type { GitHub, MergeMethod, PullRequest } from "./client.ts";
import { GitHubError, PullRequestExistsError } from "./errors.ts";

export type PublishAction = "created" | "updated" | "unchanged" | "closed" | "none";

export interface PublishOptions {
  gh: GitHub;
  branch: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
  labels?: readonly string[];
  reviewers?: readonly string[];
  assignees?: readonly string[];
  autoMerge?: MergeMethod | false;
  /** Did the branch exist on the remote before our push? If not, no PR can be open for it. */
  branchExistedOnRemote: boolean;
  /** Does the task's result differ from the base (is there anything to propose)? */
  hasChanges: boolean;
  onNoChanges?: "keep" | "close";
  /** Why the PR is closed when `onNoChanges` is `close`; a default explains it. */
  closeComment?: string;
  /** Make no write call; reads still tell what would happen. */
  dryRun?: boolean;
}

export interface PublishResult {
  action: PublishAction;
  number: number | null;
  url: string | null;
  /** API calls made (reads + writes). */
  calls: number;
  writes: number;
  dryRun: boolean;
  /** What was done (or, in a dry run, what would be done), one line each. */
  steps: string[];
  /** Extras (labels, reviewers, assignees, auto-merge) that failed; the PR itself is fine. */
  warnings: string[];
}

/** GitHub refuses a PR body longer than this. */
export const MAX_BODY_LENGTH = 65_536;

const MARKER_RE = /\n*<!-- claude-tasks:pr (\{.*?\}) -->\s*$/s;

interface Applied {
  labels: string[];
  reviewers: string[];
  assignees: string[];
  autoMerge: MergeMethod | null;
}

export function readMarker(body: string): Applied | null {
  const m = MARKER_RE.exec(body);
  if (!m) return null;
  try {
    const raw = JSON.parse(m[1]!) as Partial<Applied>;
    const list = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    const am = raw.autoMerge;
    return {
      labels: list(raw.labels),
      reviewers: list(raw.reviewers),
      assignees: list(raw.assignees),
      autoMerge: am === "merge" || am === "squash" || am === "rebase" ? am : null,
    };
  } catch {
    return null;
  }
}

/** The body as sent to GitHub: normalised, capped at GitHub's limit, with the hidden marker at the end. */
export function renderBody(body: string, applied: Applied): string {
  const marker = `<!-- claude-tasks:pr ${JSON.stringify({
    labels: [...applied.labels].sort(),
    reviewers: [...applied.reviewers].sort(),
    assignees: [...applied.assignees].sort(),
    autoMerge: applied.autoMerge,
  })} -->`;
  let text = normalise(body.replace(MARKER_RE, ""));
  const room = MAX_BODY_LENGTH - marker.length - 2;
  if (text.length > room) {
    const note = "\n\n… (truncated: GitHub limits a pull request body to 65536 characters)";
    text = text.slice(0, room - note.length) + note;
  }
  return text ? `${text}\n\n${marker}` : marker;
}

function normalise(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
}

const same = (a: string, b: string) => normalise(a) === normalise(b);
const missing = (want: readonly string[], have: readonly string[]) => {
  const lower = new Set(have.map((h) => h.toLowerCase()));
  return want.filter((w) => !lower.has(w.replace(/^@/, "").toLowerCase()));
};

const DEFAULT_CLOSE_COMMENT =
  "Closing: the latest run of this task changed nothing, so there is nothing left to propose " +
  "(`on_no_changes: close`). The next run that produces changes opens a new pull request.";

export async function publishPullRequest(o: PublishOptions): Promise<PublishResult> {
  const { gh } = o;
  const dryRun = o.dryRun ?? false;
  const start = gh.usage();
  const steps: string[] = [];
  const warnings: string[] = [];
  const head = o.branch;
  const done = (action: PublishAction, pr: { number: number; url: string } | null): PublishResult => {
    const now = gh.usage();
    return {
      action,
      number: pr?.number ?? null,
      url: pr?.url ?? null,
      calls: now.calls - start.calls,
      writes: now.writes - start.writes,
      dryRun,
      steps,
      warnings,
    };
  };

  if (!o.hasChanges) {
    if (!o.branchExistedOnRemote) {
      steps.push("no changes and no branch on the remote: nothing to publish");
      return done("none", null);
    }
    const open = await gh.findOpenPr(head, { base: o.base });
    if (!open) {
      steps.push("no changes and no open pull request");
      return done("none", null);
    }
    if (o.onNoChanges !== "close") {
      steps.push(`no changes; pull request #${open.number} stays open`);
      return done("unchanged", open);
    }
    steps.push(`close pull request #${open.number} with a comment (no changes)`);
    if (!dryRun) await gh.closePr(open.number, o.closeComment ?? DEFAULT_CLOSE_COMMENT);
    return done("closed", open);
  }

  const want: Applied = {
    labels: [...(o.labels ?? [])],
    reviewers: [...(o.reviewers ?? [])],
    assignees: [...(o.assignees ?? [])],
    autoMerge: o.autoMerge || null,
  };
  const body = renderBody(o.body, want);

  let existing = o.branchExistedOnRemote ? await gh.findOpenPr(head, { base: o.base }) : null;
  // after a lost race the marker of the other PR may promise extras nobody applied: compare with the live PR
  let trustMarker = true;
  if (!existing) {
    steps.push(`create pull request ${head} → ${o.base}${o.draft ? " (draft)" : ""}`);
    if (dryRun) {
      planExtras(steps, want);
      return done("created", null);
    }
    let created: PullRequest | null = null;
    try {
      created = await gh.createPr({ head, base: o.base, title: o.title, body, draft: o.draft });
    } catch (err) {
      // a concurrent run (or a retried request whose first attempt went through) opened it meanwhile
      if (!(err instanceof PullRequestExistsError)) throw err;
      existing = await gh.findOpenPr(head, { base: o.base });
      if (!existing) throw err;
      trustMarker = false;
      steps.push(`pull request #${existing.number} already existed; updating it instead`);
    }
    if (created) {
      await applyExtras(gh, created, want, steps, warnings);
      return done("created", created);
    }
  }
  if (!existing) throw new Error("unreachable: no pull request to update");

  const pr = existing;
  const differs = !same(pr.title, o.title) || !same(pr.body, body);
  if (differs) {
    steps.push(`update title/body of pull request #${pr.number}`);
    if (!dryRun) await gh.updatePr(pr.number, { title: o.title, body });
  } else {
    steps.push(`pull request #${pr.number}: title and body unchanged`);
  }
  const todo = extrasForUpdate(pr, want, trustMarker);
  if (dryRun) planExtras(steps, todo);
  else await applyExtras(gh, pr, todo, steps, warnings);
  return done("updated", pr);
}

/** On update: only what the configuration gained since the last run (per the marker, else the live PR). */
function extrasForUpdate(pr: PullRequest, want: Applied, trustMarker: boolean): Applied {
  const before = trustMarker ? readMarker(pr.body) : null;
  if (before) {
    return {
      labels: missing(want.labels, before.labels),
      reviewers: missing(want.reviewers, before.reviewers),
      assignees: missing(want.assignees, before.assignees),
      autoMerge: want.autoMerge && want.autoMerge !== before.autoMerge ? want.autoMerge : null,
    };
  }
  const requested = [...pr.requestedReviewers, ...pr.requestedTeams];
  return {
    labels: missing(want.labels, pr.labels),
    reviewers: want.reviewers.filter((r) => !requested.some((q) => q.toLowerCase() === reviewerKey(r))),
    assignees: missing(want.assignees, pr.assignees),
    autoMerge: want.autoMerge && want.autoMerge !== pr.autoMerge ? want.autoMerge : null,
  };
}

/** `@org/team` → `team`, `@user` → `user`, lower-cased (how GitHub lists requested reviewers). */
function reviewerKey(r: string): string {
  const name = r.replace(/^@/, "");
  return name.slice(name.indexOf("/") + 1).toLowerCase();
}

function planExtras(steps: string[], x: Applied): void {
  if (x.labels.length) steps.push(`add labels ${x.labels.join(", ")}`);
  if (x.reviewers.length) steps.push(`request reviews from ${x.reviewers.join(", ")}`);
  if (x.assignees.length) steps.push(`assign ${x.assignees.join(", ")}`);
  if (x.autoMerge) steps.push(`enable auto-merge (${x.autoMerge})`);
}

async function applyExtras(
  gh: GitHub,
  pr: PullRequest,
  x: Applied,
  steps: string[],
  warnings: string[],
): Promise<void> {
  const attempt = async (what: string, fn: () => Promise<void>) => {
    steps.push(what);
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof GitHubError)) throw err;
      warnings.push(`could not ${what} on #${pr.number}: ${errorMessage(err)}`);
    }
  };
  if (x.labels.length)
    await attempt(`add labels ${x.labels.join(", ")}`, () => gh.addLabels(pr.number, x.labels));
  if (x.reviewers.length) {
    await attempt(`request reviews from ${x.reviewers.join(", ")}`, () =>
      gh.requestReviewers(pr.number, x.reviewers),
    );
  }
  if (x.assignees.length) {
    await attempt(`assign ${x.assignees.join(", ")}`, () => gh.addAssignees(pr.number, x.assignees));
  }
  const method = x.autoMerge;
  if (method) await attempt(`enable auto-merge (${method})`, () => gh.enableAutoMerge(pr.nodeId, method));
}
