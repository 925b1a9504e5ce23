/**
 * The fake GitHub's in-memory repository, and the JSON GitHub renders for it. Issues and pull requests
 * share one number sequence, as on GitHub. The renderers produce every field the OpenAPI description
 * requires, so the responses pass validation on their merits.
 */
import { createHash } from "node:crypto";

export type Role = "admin" | "maintain" | "write" | "triage" | "read";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakePull {
  head: string;
  /** Owner of the head repository; differs from the repo owner for a fork. */
  headOwner: string;
  headSha: string;
  base: string;
  draft: boolean;
  requestedReviewers: string[];
  requestedTeams: string[];
  autoMerge: { method: "merge" | "squash" | "rebase"; enabledBy: string } | null;
  merged: boolean;
}

export interface FakeIssue {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull: FakePull | null;
}

export interface FakeComment {
  id: number;
  nodeId: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeReaction {
  id: number;
  commentId: number;
  content: string;
  user: string;
  createdAt: string;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  /** GitHub's description of pulls/list says `string`, not nullable; new labels get "". */
  description: string;
}

export interface FakeJob {
  id: number;
  runId: number;
  name: string;
  workflowName: string;
  headSha: string;
  headBranch: string;
  conclusion: "success" | "failure" | "cancelled" | "skipped";
  /** The plain-text log, served from the download URL the logs route redirects to. */
  log: string;
}

export interface FakeRepoState {
  owner: string;
  repo: string;
  defaultBranch: string;
  private: boolean;
  allowAutoMerge: boolean;
  /** The user the token belongs to (author of everything the client creates). */
  viewer: string;
  users: Map<string, FakeUser>;
  collaborators: Map<string, Role>;
  teams: Set<string>;
  /** Branches on the "remote": name → head sha. */
  branches: Map<string, string>;
  issues: Map<number, FakeIssue>;
  comments: Map<number, FakeComment>;
  reactions: FakeReaction[];
  labels: Map<string, FakeLabel>;
  /** Workflow jobs by id (Actions); a run is the jobs that share a `runId`. */
  jobs: Map<number, FakeJob>;
  nextNumber: number;
  nextId: number;
  /** The bare repository behind the fake (for `createCommitOnBranch`); optional. */
  gitDir?: string;
  /** Commits GitHub made and signed (`createCommitOnBranch`): "Verified" on github.com. */
  signedCommits: Set<string>;
  /** Tests only: `createCommitOnBranch` adds a file nobody asked for (a commit whose tree differs). */
  tamperCommits?: boolean;
}

export function sha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function newId(s: FakeRepoState): number {
  return s.nextId++;
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kw${Buffer.from(String(id)).toString("base64url")}`;
}

export function ensureUser(s: FakeRepoState, login: string, type: FakeUser["type"] = "User"): FakeUser {
  const key = login.toLowerCase();
  let u = s.users.get(key);
  if (!u) {
    u = { login, id: newId(s), type };
    s.users.set(key, u);
  }
  return u;
}

export function createState(o: {
  owner: string;
  repo: string;
  defaultBranch?: string;
  private?: boolean;
  viewer?: string;
  allowAutoMerge?: boolean;
  gitDir?: string;
}): FakeRepoState {
  const s: FakeRepoState = {
    owner: o.owner,
    repo: o.repo,
    defaultBranch: o.defaultBranch ?? "main",
    private: o.private ?? false,
    allowAutoMerge: o.allowAutoMerge ?? true,
    viewer: o.viewer ?? "github-actions[bot]",
    users: new Map(),
    collaborators: new Map(),
    teams: new Set(),
    branches: new Map(),
    issues: new Map(),
    comments: new Map(),
    reactions: [],
    labels: new Map(),
    jobs: new Map(),
    nextNumber: 1,
    nextId: 1000,
    ...(o.gitDir ? { gitDir: o.gitDir } : {}),
    signedCommits: new Set(),
  };
  ensureUser(s, o.owner);
  ensureUser(s, s.viewer, s.viewer.endsWith("[bot]") ? "Bot" : "User");
  s.collaborators.set(o.owner.toLowerCase(), "admin");
  s.branches.set(s.defaultBranch, sha(`${o.owner}/${o.repo}:${s.defaultBranch}`));
  return s;
}

/* ------------------------------------------------------------------ rendering (GitHub's JSON shapes) */

export interface Urls {
  api: string;
  web: string;
  /** The separate host log downloads are redirected to (like GitHub's signed blob URLs). */
  downloads?: string;
}

export function renderUser(u: FakeUser, urls: Urls): Record<string, unknown> {
  // logins like `github-actions[bot]` are percent-encoded in URLs, as GitHub does
  const path = encodeURIComponent(u.login);
  const a = `${urls.api}/users/${path}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === "Bot" ? "BOT" : "U", u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: "",
    url: a,
    html_url: u.type === "Bot" ? `${urls.web}/apps/${path.replace(/%5Bbot%5D$/, "")}` : `${urls.web}/${path}`,
    followers_url: `${a}/followers`,
    following_url: `${a}/following{/other_user}`,
    gists_url: `${a}/gists{/gist_id}`,
    starred_url: `${a}/starred{/owner}{/repo}`,
    subscriptions_url: `${a}/subscriptions`,
    organizations_url: `${a}/orgs`,
    repos_url: `${a}/repos`,
    events_url: `${a}/events{/privacy}`,
    received_events_url: `${a}/received_events`,
    type: u.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function renderRepo(
  s: FakeRepoState,
  urls: Urls,
  owner: FakeUser,
  fork: boolean,
  id: number,
): Record<string, unknown> {
  const full = `${owner.login}/${s.repo}`;
  const u = `${urls.api}/repos/${full}`;
  const host = new URL(urls.web).host;
  const t = "2024-01-01T00:00:00Z";
  const openIssues = [...s.issues.values()].filter((i) => i.state === "open").length;
  return {
    id,
    node_id: nodeId("R", id),
    name: s.repo,
    full_name: full,
    owner: renderUser(owner, urls),
    private: s.private,
    html_url: `${urls.web}/${full}`,
    description: null,
    fork,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `git://${host}/${full}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${urls.web}/${full}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: `${urls.web}/${full}`,
    homepage: null,
    language: "TypeScript",
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: s.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: s.private ? "private" : "public",
    pushed_at: t,
    created_at: t,
    updated_at: t,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

export function renderLabel(l: FakeLabel, s: FakeRepoState, urls: Urls): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId("LA", l.id),
    url: `${urls.api}/repos/${s.owner}/${s.repo}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  };
}

function userOf(s: FakeRepoState, login: string): FakeUser {
  return ensureUser(s, login);
}

function renderTeam(s: FakeRepoState, urls: Urls, slug: string): Record<string, unknown> {
  const id = [...slug].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) % 1_000_000;
  const org = `${urls.api}/orgs/${s.owner}/teams/${slug}`;
  return {
    id,
    node_id: nodeId("T", id),
    url: org,
    html_url: `${urls.web}/orgs/${s.owner}/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${org}/members{/member}`,
    repositories_url: `${org}/repos`,
    type: "organization",
    parent: null,
  };
}

/** `pull-request-simple` (list) or `pull-request` (get, create, update) for an issue that is a pull. */
export function renderPull(
  s: FakeRepoState,
  urls: Urls,
  issue: FakeIssue,
  shape: "simple" | "full",
): Record<string, unknown> {
  const pull = issue.pull!;
  const base = `${urls.api}/repos/${s.owner}/${s.repo}`;
  const api = `${base}/pulls/${issue.number}`;
  const html = `${urls.web}/${s.owner}/${s.repo}/pull/${issue.number}`;
  const owner = userOf(s, s.owner);
  const headOwner = userOf(s, pull.headOwner);
  const isFork = pull.headOwner.toLowerCase() !== s.owner.toLowerCase();
  const baseRepo = renderRepo(s, urls, owner, false, 1);
  const headRepo = isFork ? renderRepo(s, urls, headOwner, true, 2) : baseRepo;
  const link = (href: string) => ({ href });
  const out: Record<string, unknown> = {
    url: api,
    id: issue.id,
    node_id: issue.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${base}/issues/${issue.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${issue.number}/comments`,
    statuses_url: `${base}/statuses/${pull.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: renderUser(userOf(s, issue.user), urls),
    body: issue.body,
    labels: issue.labels.map((n) => renderLabel(s.labels.get(n.toLowerCase())!, s, urls)),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: issue.assignees[0] ? renderUser(userOf(s, issue.assignees[0]), urls) : null,
    assignees: issue.assignees.map((a) => renderUser(userOf(s, a), urls)),
    requested_reviewers: pull.requestedReviewers.map((r) => renderUser(userOf(s, r), urls)),
    requested_teams: pull.requestedTeams.map((t) => renderTeam(s, urls, t)),
    head: {
      label: `${headOwner.login}:${pull.head}`,
      ref: pull.head,
      sha: pull.headSha,
      user: renderUser(headOwner, urls),
      repo: headRepo,
    },
    base: {
      label: `${owner.login}:${pull.base}`,
      ref: pull.base,
      sha: s.branches.get(pull.base) ?? sha(pull.base),
      user: renderUser(owner, urls),
      repo: baseRepo,
    },
    _links: {
      self: link(api),
      html: link(html),
      issue: link(`${base}/issues/${issue.number}`),
      comments: link(`${base}/issues/${issue.number}/comments`),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${base}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(`${base}/statuses/${pull.headSha}`),
    },
    author_association: s.collaborators.has(issue.user.toLowerCase()) ? "COLLABORATOR" : "NONE",
    auto_merge: pull.autoMerge
      ? {
          enabled_by: renderUser(userOf(s, pull.autoMerge.enabledBy), urls),
          merge_method: pull.autoMerge.method,
          commit_title: `${issue.title} (#${issue.number})`,
          commit_message: "",
        }
      : null,
    draft: pull.draft,
  };
  if (shape === "full") {
    Object.assign(out, {
      merged: pull.merged,
      mergeable: null,
      rebaseable: null,
      mergeable_state: "unknown",
      merged_by: null,
      comments: [...s.comments.values()].filter((c) => c.issueNumber === issue.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
    });
  }
  return out;
}

/** `issue` (what add-assignees answers). */
export function renderIssue(s: FakeRepoState, urls: Urls, issue: FakeIssue): Record<string, unknown> {
  const base = `${urls.api}/repos/${s.owner}/${s.repo}`;
  const out: Record<string, unknown> = {
    id: issue.id,
    node_id: issue.nodeId,
    url: `${base}/issues/${issue.number}`,
    repository_url: base,
    labels_url: `${base}/issues/${issue.number}/labels{/name}`,
    comments_url: `${base}/issues/${issue.number}/comments`,
    events_url: `${base}/issues/${issue.number}/events`,
    html_url: `${urls.web}/${s.owner}/${s.repo}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: renderUser(userOf(s, issue.user), urls),
    labels: issue.labels.map((n) => renderLabel(s.labels.get(n.toLowerCase())!, s, urls)),
    assignee: issue.assignees[0] ? renderUser(userOf(s, issue.assignees[0]), urls) : null,
    assignees: issue.assignees.map((a) => renderUser(userOf(s, a), urls)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: [...s.comments.values()].filter((c) => c.issueNumber === issue.number).length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: "COLLABORATOR",
  };
  if (issue.pull) {
    const html = `${urls.web}/${s.owner}/${s.repo}/pull/${issue.number}`;
    out.pull_request = {
      url: `${base}/pulls/${issue.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
    out.draft = issue.pull.draft;
  }
  return out;
}

export function renderComment(s: FakeRepoState, urls: Urls, c: FakeComment): Record<string, unknown> {
  const base = `${urls.api}/repos/${s.owner}/${s.repo}`;
  const issue = s.issues.get(c.issueNumber);
  const kind = issue?.pull ? "pull" : "issues";
  return {
    id: c.id,
    node_id: c.nodeId,
    url: `${base}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${s.owner}/${s.repo}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: renderUser(userOf(s, c.user), urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${base}/issues/${c.issueNumber}`,
    author_association: s.collaborators.has(c.user.toLowerCase()) ? "COLLABORATOR" : "NONE",
  };
}

export function renderReaction(s: FakeRepoState, urls: Urls, r: FakeReaction): Record<string, unknown> {
  return {
    id: r.id,
    node_id: nodeId("REA", r.id),
    user: renderUser(userOf(s, r.user), urls),
    content: r.content,
    created_at: r.createdAt,
  };
}

/** `repository-collaborator-permission`: legacy `permission` (admin/write/read/none) plus `role_name`. */
export function renderPermission(
  s: FakeRepoState,
  urls: Urls,
  user: FakeUser,
  role: Role | null,
): Record<string, unknown> {
  const legacy =
    role === "admin"
      ? "admin"
      : role === "maintain" || role === "write"
        ? "write"
        : role
          ? "read"
          : s.private
            ? "none"
            : "read";
  const roleName = role ?? (s.private ? "none" : "read");
  const can = (min: Role) => {
    const order: Role[] = ["read", "triage", "write", "maintain", "admin"];
    return role !== null && order.indexOf(role) >= order.indexOf(min);
  };
  return {
    permission: legacy,
    role_name: roleName,
    user: {
      ...renderUser(user, urls),
      permissions: {
        admin: can("admin"),
        maintain: can("maintain"),
        push: can("write"),
        triage: can("triage"),
        pull: can("read") || !s.private,
      },
      role_name: roleName,
    },
  };
}

export function renderJob(s: FakeRepoState, urls: Urls, j: FakeJob): Record<string, unknown> {
  const api = `${urls.api}/repos/${s.owner}/${s.repo}`;
  const t = now();
  return {
    id: j.id,
    run_id: j.runId,
    run_url: `${api}/actions/runs/${j.runId}`,
    run_attempt: 1,
    node_id: nodeId("CR", j.id),
    head_sha: j.headSha,
    url: `${api}/actions/jobs/${j.id}`,
    html_url: `${urls.web}/${s.owner}/${s.repo}/actions/runs/${j.runId}/job/${j.id}`,
    status: "completed",
    conclusion: j.conclusion,
    created_at: t,
    started_at: t,
    completed_at: t,
    name: j.name,
    steps: [{ name: "Run tests", status: "completed", conclusion: j.conclusion, number: 1 }],
    check_run_url: `${api}/check-runs/${j.id}`,
    labels: ["ubuntu-latest"],
    runner_id: 1,
    runner_name: "GitHub Actions 1",
    runner_group_id: 2,
    runner_group_name: "GitHub Actions",
    workflow_name: j.workflowName,
    head_branch: j.headBranch,
  };
}
