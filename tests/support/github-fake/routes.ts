/**
 * The REST operations of the fake, keyed by GitHub's operationId, with GitHub's semantics: shared issue
 * and pull numbers, 422 for a duplicate open pull request (same head and base), 404 for anything unknown,
 * the `head=owner:branch` filter, and pagination with `Link` headers.
 */
import {
  ensureUser,
  type FakeIssue,
  type FakeRepoState,
  newId,
  nodeId,
  now,
  renderComment,
  renderIssue,
  renderJob,
  renderLabel,
  renderPermission,
  renderPull,
  renderReaction,
  sha,
  type Urls,
} from "./model.ts";

export interface RouteContext {
  s: FakeRepoState;
  urls: Urls;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  // biome-ignore lint/suspicious/noExplicitAny: request JSON, already validated against the description
  body: any;
  /** The full request URL (for Link headers). */
  url: URL;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = "https://docs.github.com/rest";
const MAX_BODY = 65_536;

export const notFound = (): Reply => ({
  status: 404,
  body: { message: "Not Found", documentation_url: DOCS, status: "404" },
});

export function validationFailed(errors: Record<string, unknown>[], message = "Validation Failed"): Reply {
  return { status: 422, body: { message, errors, documentation_url: DOCS, status: "422" } };
}

function findIssue(ctx: RouteContext, param: "issue_number" | "pull_number"): FakeIssue | null {
  const n = Number(ctx.pathParams[param]);
  return ctx.s.issues.get(n) ?? null;
}

function touch(issue: FakeIssue): void {
  issue.updatedAt = now();
}

function listPulls(ctx: RouteContext): Reply {
  const { s, query } = ctx;
  const state = query.get("state") ?? "open";
  let pulls = [...s.issues.values()].filter((i) => i.pull && (state === "all" || i.state === state));
  const head = query.get("head");
  // GitHub applies `head` only in the `user:ref` form; a bare branch name filters nothing
  if (head?.includes(":")) {
    const [owner, ref] = [head.slice(0, head.indexOf(":")), head.slice(head.indexOf(":") + 1)];
    pulls = pulls.filter(
      (i) => i.pull!.headOwner.toLowerCase() === owner.toLowerCase() && i.pull!.head === ref,
    );
  }
  const base = query.get("base");
  if (base) pulls = pulls.filter((i) => i.pull!.base === base);
  const direction = query.get("direction") ?? "desc";
  pulls.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));

  const perPage = Math.min(Number(query.get("per_page") ?? 30), 100);
  const page = Math.max(Number(query.get("page") ?? 1), 1);
  const last = Math.max(Math.ceil(pulls.length / perPage), 1);
  const items = pulls.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (last > 1) {
    const at = (p: number) => {
      const u = new URL(ctx.url);
      u.searchParams.set("page", String(p));
      u.searchParams.set("per_page", String(perPage));
      return `<${ctx.urls.api}${u.pathname}${u.search}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
    if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
    headers.link = links.join(", ");
  }
  return { status: 200, body: items.map((i) => renderPull(s, ctx.urls, i, "simple")), headers };
}

function createPull(ctx: RouteContext): Reply {
  const { s, body } = ctx;
  const rawHead: string = body.head;
  const headOwner = rawHead.includes(":") ? rawHead.slice(0, rawHead.indexOf(":")) : s.owner;
  const head = rawHead.includes(":") ? rawHead.slice(rawHead.indexOf(":") + 1) : rawHead;
  const base: string = body.base;
  if (typeof body.title !== "string" || body.title === "") {
    return validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  }
  if (!s.branches.has(base))
    return validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  const isLocal = headOwner.toLowerCase() === s.owner.toLowerCase();
  if (isLocal && !s.branches.has(head)) {
    return validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  }
  const duplicate = [...s.issues.values()].some(
    (i) =>
      i.pull &&
      i.state === "open" &&
      i.pull.head === head &&
      i.pull.base === base &&
      i.pull.headOwner.toLowerCase() === headOwner.toLowerCase(),
  );
  if (duplicate) {
    return validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${headOwner}:${head}.`,
      },
    ]);
  }
  const headSha = isLocal ? s.branches.get(head)! : sha(`${headOwner}:${head}`);
  if (headSha === s.branches.get(base)) {
    return validationFailed([
      { resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` },
    ]);
  }
  if (typeof body.body === "string" && body.body.length > MAX_BODY) {
    return validationFailed([
      {
        resource: "Issue",
        field: "body",
        code: "custom",
        message: `body is too long (maximum is ${MAX_BODY} characters)`,
      },
    ]);
  }
  const id = newId(s);
  const t = now();
  const issue: FakeIssue = {
    number: s.nextNumber++,
    id,
    nodeId: nodeId("PR", id),
    title: body.title,
    body: body.body ?? null,
    state: "open",
    user: s.viewer,
    labels: [],
    assignees: [],
    createdAt: t,
    updatedAt: t,
    closedAt: null,
    pull: {
      head,
      headOwner,
      headSha,
      base,
      draft: body.draft === true,
      requestedReviewers: [],
      requestedTeams: [],
      autoMerge: null,
      merged: false,
    },
  };
  s.issues.set(issue.number, issue);
  return {
    status: 201,
    body: renderPull(s, ctx.urls, issue, "full"),
    headers: { location: `${ctx.urls.api}/repos/${s.owner}/${s.repo}/pulls/${issue.number}` },
  };
}

function getPull(ctx: RouteContext): Reply {
  const issue = findIssue(ctx, "pull_number");
  if (!issue?.pull) return notFound();
  return { status: 200, body: renderPull(ctx.s, ctx.urls, issue, "full") };
}

function updatePull(ctx: RouteContext): Reply {
  const issue = findIssue(ctx, "pull_number");
  if (!issue?.pull) return notFound();
  const { body } = ctx;
  if (typeof body.body === "string" && body.body.length > MAX_BODY) {
    return validationFailed([
      {
        resource: "Issue",
        field: "body",
        code: "custom",
        message: `body is too long (maximum is ${MAX_BODY} characters)`,
      },
    ]);
  }
  if (typeof body.title === "string") issue.title = body.title;
  if (typeof body.body === "string") issue.body = body.body;
  if (typeof body.base === "string") {
    if (!ctx.s.branches.has(body.base)) {
      return validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    }
    issue.pull.base = body.base;
  }
  if (body.state === "closed" && issue.state === "open") {
    issue.state = "closed";
    issue.closedAt = now();
    issue.pull.autoMerge = null;
  } else if (body.state === "open" && issue.state === "closed") {
    issue.state = "open";
    issue.closedAt = null;
  }
  touch(issue);
  return { status: 200, body: renderPull(ctx.s, ctx.urls, issue, "full") };
}

function requestReviewers(ctx: RouteContext): Reply {
  const { s, body } = ctx;
  const issue = findIssue(ctx, "pull_number");
  if (!issue?.pull) return notFound();
  const users: string[] = body.reviewers ?? [];
  const teams: string[] = body.team_reviewers ?? [];
  if (users.some((u) => u.toLowerCase() === issue.user.toLowerCase())) {
    return validationFailed([], "Review cannot be requested from pull request author.");
  }
  const unknown =
    users.some((u) => !s.collaborators.has(u.toLowerCase())) || teams.some((t) => !s.teams.has(t));
  if (unknown) {
    return validationFailed(
      [],
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${s.owner}/${s.repo} repository.`,
    );
  }
  for (const u of users) {
    const login = ensureUser(s, u).login;
    if (!issue.pull.requestedReviewers.includes(login)) issue.pull.requestedReviewers.push(login);
  }
  for (const t of teams) if (!issue.pull.requestedTeams.includes(t)) issue.pull.requestedTeams.push(t);
  touch(issue);
  return { status: 201, body: renderPull(s, ctx.urls, issue, "simple") };
}

function addLabels(ctx: RouteContext): Reply {
  const { s, body } = ctx;
  const issue = findIssue(ctx, "issue_number");
  if (!issue) return notFound();
  const names: string[] = (body.labels ?? []).map((l: string | { name: string }) =>
    typeof l === "string" ? l : l.name,
  );
  for (const name of names) {
    const key = name.toLowerCase();
    // GitHub creates labels that do not exist yet
    if (!s.labels.has(key)) s.labels.set(key, { id: newId(s), name, color: "ededed", description: "" });
    const label = s.labels.get(key)!;
    if (!issue.labels.some((l) => l.toLowerCase() === key)) issue.labels.push(label.name);
  }
  touch(issue);
  return {
    status: 200,
    body: issue.labels.map((n) => renderLabel(s.labels.get(n.toLowerCase())!, s, ctx.urls)),
  };
}

function addAssignees(ctx: RouteContext): Reply {
  const { s, body } = ctx;
  const issue = findIssue(ctx, "issue_number");
  if (!issue) return notFound();
  const logins: string[] = (body.assignees ?? []).map((a: string | { login: string }) =>
    typeof a === "string" ? a : a.login,
  );
  for (const login of logins) {
    // GitHub silently ignores users who cannot be assigned (no access to the repository)
    if (!s.collaborators.has(login.toLowerCase())) continue;
    const user = ensureUser(s, login).login;
    if (!issue.assignees.includes(user) && issue.assignees.length < 10) issue.assignees.push(user);
  }
  touch(issue);
  return { status: 201, body: renderIssue(s, ctx.urls, issue) };
}

function createComment(ctx: RouteContext): Reply {
  const { s, body } = ctx;
  const issue = findIssue(ctx, "issue_number");
  if (!issue) return notFound();
  if (body.body.length > MAX_BODY) {
    return validationFailed([
      {
        resource: "IssueComment",
        field: "body",
        code: "custom",
        message: "body is too long (maximum is 65536 characters)",
      },
    ]);
  }
  const id = newId(s);
  const t = now();
  const c = {
    id,
    nodeId: nodeId("IC", id),
    issueNumber: issue.number,
    body: body.body,
    user: s.viewer,
    createdAt: t,
    updatedAt: t,
  };
  s.comments.set(id, c);
  touch(issue);
  return { status: 201, body: renderComment(s, ctx.urls, c) };
}

function updateComment(ctx: RouteContext): Reply {
  const c = ctx.s.comments.get(Number(ctx.pathParams.comment_id));
  if (!c) return notFound();
  c.body = ctx.body.body;
  c.updatedAt = now();
  return { status: 200, body: renderComment(ctx.s, ctx.urls, c) };
}

function createReaction(ctx: RouteContext): Reply {
  const { s } = ctx;
  const commentId = Number(ctx.pathParams.comment_id);
  if (!s.comments.has(commentId)) return notFound();
  const content: string = ctx.body.content;
  // the same reaction by the same user is answered 200 with the existing one
  const existing = s.reactions.find(
    (r) => r.commentId === commentId && r.content === content && r.user === s.viewer,
  );
  if (existing) return { status: 200, body: renderReaction(s, ctx.urls, existing) };
  const r = { id: newId(s), commentId, content, user: s.viewer, createdAt: now() };
  s.reactions.push(r);
  return { status: 201, body: renderReaction(s, ctx.urls, r) };
}

function getPermission(ctx: RouteContext): Reply {
  const { s } = ctx;
  const login = ctx.pathParams.username!;
  const user = s.users.get(login.toLowerCase());
  if (!user) return notFound();
  return {
    status: 200,
    body: renderPermission(s, ctx.urls, user, s.collaborators.get(login.toLowerCase()) ?? null),
  };
}

function listJobs(ctx: RouteContext): Reply {
  const { s, query } = ctx;
  const runId = Number(ctx.pathParams.run_id);
  const jobs = [...s.jobs.values()].filter((j) => j.runId === runId);
  if (jobs.length === 0) return notFound();
  const perPage = Math.min(Number(query.get("per_page") ?? 30), 100);
  const page = Math.max(Number(query.get("page") ?? 1), 1);
  const slice = jobs.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: { total_count: jobs.length, jobs: slice.map((j) => renderJob(s, ctx.urls, j)) },
  };
}

/** GitHub answers 302 to a short-lived signed URL on another host (see `downloadUrl` in index.ts). */
function downloadJobLogs(ctx: RouteContext): Reply {
  const job = ctx.s.jobs.get(Number(ctx.pathParams.job_id));
  if (!job || !ctx.urls.downloads) return notFound();
  return { status: 302, headers: { location: `${ctx.urls.downloads}/job-logs/${job.id}?sig=fake` } };
}

export const ROUTES: Record<string, (ctx: RouteContext) => Reply> = {
  "pulls/list": listPulls,
  "pulls/create": createPull,
  "pulls/get": getPull,
  "pulls/update": updatePull,
  "pulls/request-reviewers": requestReviewers,
  "issues/add-labels": addLabels,
  "issues/add-assignees": addAssignees,
  "issues/create-comment": createComment,
  "issues/update-comment": updateComment,
  "reactions/create-for-issue-comment": createReaction,
  "repos/get-collaborator-permission-level": getPermission,
  "actions/list-jobs-for-workflow-run": listJobs,
  "actions/download-job-logs-for-workflow-run": downloadJobLogs,
};
