/**
 * The GitHub the engine needs, behind a few methods: pull requests, comments, reactions, permissions.
 * Octokit (with retry and throttling) stays inside; every failure leaves as a GitHubError. Every title,
 * body and comment passes the credential check (`report/publishable.ts`) on its way out: one that holds
 * what looks like a credential, or the token or another known secret in any cheap encoding, is
 * replaced by a notice saying so.
 */
import { type Logger, silentLogger } from "../logger.ts";
import { publishable } from "../report/publishable.ts";
import { GitHubError, PullRequestExistsError, toGitHubError } from "./errors.ts";
import type { EngineOctokit, RetryPolicy } from "./octokit.ts";
import { GITHUB_OPERATIONS, type GitHubOperationId } from "./operations.ts";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";
export type MergeMethod = "merge" | "squash" | "rebase";

/** A pull request as the engine sees it. */
export interface PullRequest {
  number: number;
  /** GraphQL node id (for auto-merge). */
  nodeId: string;
  /** The web page of the pull request. */
  url: string;
  title: string;
  body: string;
  state: "open" | "closed";
  draft: boolean;
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository; null when the fork was deleted. */
  headRepoFullName: string | null;
  /** The head branch lives in another repository (a fork): never push to it. */
  isFork: boolean;
  baseRef: string;
  labels: string[];
  assignees: string[];
  /** Logins whose review is requested (not those who already reviewed). */
  requestedReviewers: string[];
  /** Team slugs whose review is requested. */
  requestedTeams: string[];
  autoMerge: MergeMethod | null;
  /** Whether a closed pull request was merged (absent when the response did not say). */
  merged?: boolean;
  /** When it was opened (ISO 8601; absent when the response did not say). */
  createdAt?: string;
}

export interface FailedJob {
  id: number;
  name: string;
  headSha: string;
}

export interface CreatePrInput {
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
}

export interface CommitOnBranchInput {
  branch: string;
  expectedHeadOid: string;
  headline: string;
  body: string;
  additions: readonly { path: string; contents: Buffer }[];
  deletions: readonly string[];
}

export interface UpdatePrInput {
  title?: string;
  body?: string;
  state?: "open" | "closed";
}

export interface GitHub {
  readonly owner: string;
  readonly repo: string;
  /** Loads the API client now (it otherwise loads with the first call): while agents run, nothing waits on it. */
  prepare?(): void;
  /** The open pull request whose head is `owner:branch` (and, if given, whose base is `base`). 1 call. */
  findOpenPr(branch: string, opts?: { base?: string }): Promise<PullRequest | null>;
  getPr(number: number): Promise<PullRequest>;
  /** Throws PullRequestExistsError when an open PR for head → base already exists. */
  createPr(input: CreatePrInput): Promise<PullRequest>;
  updatePr(number: number, input: UpdatePrInput): Promise<PullRequest>;
  /** Comments first (if a comment is given), then closes: 1 or 2 calls. */
  closePr(number: number, comment?: string): Promise<void>;
  addLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  /** Entries `org/team` (or `@org/team`) request a team; others are user logins. */
  requestReviewers(pullNumber: number, reviewers: readonly string[]): Promise<void>;
  addAssignees(issueNumber: number, assignees: readonly string[]): Promise<void>;
  /** GraphQL `enablePullRequestAutoMerge`. */
  enableAutoMerge(prNodeId: string, method: MergeMethod): Promise<void>;
  /**
   * GraphQL `createCommitOnBranch`: GitHub makes the commit on `branch` when its head is
   * `expectedHeadOid`, authored by the token's owner, and signs it. Returns the commit's id, with its
   * tree and parents as GitHub reports them.
   */
  createCommitOnBranch(input: CommitOnBranchInput): Promise<CommitMade>;
  addReaction(commentId: number, content: ReactionContent): Promise<void>;
  createComment(issueNumber: number, body: string): Promise<{ id: number; url: string }>;
  updateComment(commentId: number, body: string): Promise<void>;
  /** The user's role on the repository; `none` for unknown users (404). */
  getPermission(username: string): Promise<Permission>;
  /** The jobs of a workflow run (its latest attempt) that ended in failure. 1 call per 100 jobs. */
  failedJobs(runId: number): Promise<FailedJob[]>;
  /**
   * The end of a job's plain-text log, at most `maxBytes` bytes: GitHub answers with a redirect to a
   * short-lived download URL, which is fetched without the token and read as a stream (never whole).
   */
  jobLogTail(jobId: number, maxBytes: number): Promise<string>;
  /** API calls made through this client so far (logical calls; retries are not counted again). */
  usage(): { calls: number; writes: number };
}

export interface CreateGitHubOptions {
  token: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string;
  owner: string;
  repo: string;
  logger?: Logger;
  userAgent?: string;
  /** Retry and rate-limit waiting; the defaults suit production. */
  policy?: RetryPolicy;
  /** A fetch implementation (tests); default `httpFetch` for the API, the global one for downloads. */
  fetch?: typeof fetch;
  /** Other secret values (the model key …) that must never be posted; the token always is one. */
  secrets?: readonly string[];
}

/** The subset of GitHub's pull request JSON (list and get shapes) that we read. */
interface PullJson {
  number: number;
  node_id: string;
  html_url: string;
  title: string;
  body: string | null;
  state: string;
  draft?: boolean;
  merged_at?: string | null;
  created_at?: string;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string; repo: { full_name: string } };
  labels: { name?: string }[];
  assignees?: { login: string }[] | null;
  requested_reviewers?: { login: string }[] | null;
  requested_teams?: { slug: string }[] | null;
  auto_merge: { merge_method: string } | null;
}

export function toPullRequest(p: PullJson): PullRequest {
  const headRepo = p.head.repo?.full_name ?? null;
  const method = p.auto_merge?.merge_method;
  return {
    number: p.number,
    nodeId: p.node_id,
    url: p.html_url,
    title: p.title,
    body: p.body ?? "",
    state: p.state === "open" ? "open" : "closed",
    draft: p.draft ?? false,
    headRef: p.head.ref,
    headSha: p.head.sha,
    headRepoFullName: headRepo,
    isFork: headRepo === null || headRepo.toLowerCase() !== p.base.repo.full_name.toLowerCase(),
    baseRef: p.base.ref,
    labels: p.labels.flatMap((l) => (l.name ? [l.name] : [])),
    assignees: (p.assignees ?? []).map((a) => a.login),
    requestedReviewers: (p.requested_reviewers ?? []).map((r) => r.login),
    requestedTeams: (p.requested_teams ?? []).map((t) => t.slug),
    autoMerge: method === "merge" || method === "squash" || method === "rebase" ? method : null,
    ...(p.merged_at !== undefined ? { merged: p.merged_at !== null } : {}),
    ...(p.created_at ? { createdAt: p.created_at } : {}),
  };
}

const ROLES: readonly Permission[] = ["admin", "maintain", "write", "triage", "read", "none"];

/** `role_name` carries maintain/triage (and custom role names); `permission` is the legacy base level. */
export function toPermission(data: { permission: string; role_name?: string }): Permission {
  const role = data.role_name as Permission | undefined;
  if (role && ROLES.includes(role)) return role;
  const base = data.permission as Permission;
  return ROLES.includes(base) ? base : "none";
}

function splitReviewers(reviewers: readonly string[]): { reviewers: string[]; team_reviewers: string[] } {
  const users: string[] = [];
  const teams: string[] = [];
  for (const r of reviewers) {
    const name = r.replace(/^@/, "");
    const slash = name.indexOf("/");
    if (slash >= 0) teams.push(name.slice(slash + 1));
    else users.push(name);
  }
  return { reviewers: users, team_reviewers: teams };
}

const AUTO_MERGE_MUTATION = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number }
  }
}`;

const COMMIT_MUTATION = `mutation CreateCommitOnBranch($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid tree { oid } parents(first: 2) { nodes { oid } } }
  }
}`;

/** A commit GitHub made: its id, and its tree and parents as GitHub reports them. */
export interface CommitMade {
  oid: string;
  tree?: string;
  parents?: string[];
}

interface CommitJson {
  oid: string;
  tree?: { oid?: string } | null;
  parents?: { nodes?: ({ oid?: string } | null)[] | null } | null;
}

export function createGitHub(options: CreateGitHubOptions): GitHub {
  const { owner, repo, token } = options;
  const logger = options.logger ?? silentLogger;
  // Octokit and its plugins load with the first call, not at start-up: an Action or CLI run that
  // starts an agent first (and may never call the API) does not compile them before the agent starts.
  let octokit!: EngineOctokit;
  let loading: Promise<void> | undefined;
  const ready = () =>
    (loading ??= import("./octokit.ts").then(({ createOctokit }) => {
      octokit = createOctokit({
        token,
        baseUrl: (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, ""),
        userAgent: options.userAgent ?? "claude-tasks",
        logger,
        policy: options.policy,
        fetch: options.fetch,
      });
    }));
  const secrets = [token];
  const known = [token, ...(options.secrets ?? [])];
  const safe = (text: string, what: string) => {
    const out = publishable(text, { what, known });
    if (out === text) return text;
    logger.warn(`the ${what} was withheld: it held what looks like a credential`);
    return what === "title" ? "claude-tasks: title withheld (it held what looks like a credential)" : out;
  };
  let calls = 0;
  let writes = 0;

  /** One logical API call: counted, and its failure converted into a GitHubError. */
  async function call<T>(op: GitHubOperationId | "graphql", fn: () => Promise<T>): Promise<T> {
    const route = op === "graphql" ? "POST /graphql" : GITHUB_OPERATIONS[op];
    calls++;
    if (!route.startsWith("GET ")) writes++;
    try {
      await ready();
      return await fn();
    } catch (err) {
      throw toGitHubError(err, { what: route, secrets });
    }
  }

  const repoParams = { owner, repo };

  const gh: GitHub = {
    owner,
    repo,

    prepare() {
      // a load that fails is reported by the first call
      ready()
        .then(() => {
          // Node compiles the module of its fetch (undici, tens of ms) when first used: here instead,
          // while the agents run. The API's `Response` and `Headers` come from it (see http-fetch.ts).
          if (!options.fetch) new Headers();
        })
        .catch(() => {});
    },

    async findOpenPr(branch, opts = {}) {
      const { data } = await call("pulls/list", () =>
        octokit.request("GET /repos/{owner}/{repo}/pulls", {
          ...repoParams,
          state: "open",
          head: `${owner}:${branch}`,
          ...(opts.base ? { base: opts.base } : {}),
          per_page: 10,
        }),
      );
      const prs = data.map((p) => toPullRequest(p as PullJson));
      // head=owner:branch already filters; guard anyway (a GHES quirk or a same-named fork branch)
      return prs.find((p) => p.headRef === branch && !p.isFork) ?? null;
    },

    async getPr(number) {
      const { data } = await call("pulls/get", () =>
        octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
          ...repoParams,
          pull_number: number,
        }),
      );
      return toPullRequest(data as PullJson);
    },

    async createPr(input) {
      try {
        const { data } = await call("pulls/create", () =>
          octokit.request("POST /repos/{owner}/{repo}/pulls", {
            ...repoParams,
            head: input.head,
            base: input.base,
            title: safe(input.title, "title"),
            body: safe(input.body, "pull request body"),
            draft: input.draft ?? false,
          }),
        );
        return toPullRequest(data as PullJson);
      } catch (err) {
        // GitHub says so only in the text: 422 {errors: [{code: "custom", message: "A pull request already exists for o:b."}]}
        if (
          err instanceof GitHubError &&
          err.status === 422 &&
          /pull request already exists/i.test(err.message)
        ) {
          throw new PullRequestExistsError(err.message, input.head, err.requestId);
        }
        throw err;
      }
    },

    async updatePr(number, input) {
      const { data } = await call("pulls/update", () =>
        octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
          ...repoParams,
          pull_number: number,
          ...input,
          ...(input.title !== undefined ? { title: safe(input.title, "title") } : {}),
          ...(input.body !== undefined ? { body: safe(input.body, "pull request body") } : {}),
        }),
      );
      return toPullRequest(data as PullJson);
    },

    async closePr(number, comment) {
      if (comment) await gh.createComment(number, comment);
      await gh.updatePr(number, { state: "closed" });
    },

    async addLabels(issueNumber, labels) {
      if (labels.length === 0) return;
      await call("issues/add-labels", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          ...repoParams,
          issue_number: issueNumber,
          labels: [...labels],
        }),
      );
    },

    async requestReviewers(pullNumber, reviewers) {
      if (reviewers.length === 0) return;
      const split = splitReviewers(reviewers);
      await call("pulls/request-reviewers", () =>
        octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
          ...repoParams,
          pull_number: pullNumber,
          ...(split.reviewers.length > 0 ? { reviewers: split.reviewers } : {}),
          ...(split.team_reviewers.length > 0 ? { team_reviewers: split.team_reviewers } : {}),
        }),
      );
    },

    async addAssignees(issueNumber, assignees) {
      if (assignees.length === 0) return;
      await call("issues/add-assignees", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
          ...repoParams,
          issue_number: issueNumber,
          assignees: [...assignees],
        }),
      );
    },

    async enableAutoMerge(prNodeId, method) {
      await call("graphql", () =>
        octokit.graphql(AUTO_MERGE_MUTATION, { pullRequestId: prNodeId, mergeMethod: method.toUpperCase() }),
      );
    },

    async createCommitOnBranch(input) {
      const data = await call("graphql", () =>
        octokit.graphql<{ createCommitOnBranch: { commit: CommitJson | null } | null }>(COMMIT_MUTATION, {
          input: {
            branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: input.branch },
            expectedHeadOid: input.expectedHeadOid,
            message: { headline: input.headline, ...(input.body ? { body: input.body } : {}) },
            fileChanges: {
              additions: input.additions.map((a) => ({
                path: a.path,
                contents: a.contents.toString("base64"),
              })),
              deletions: input.deletions.map((path) => ({ path })),
            },
          },
        }),
      );
      const commit = data.createCommitOnBranch?.commit;
      if (!commit?.oid)
        throw new GitHubError("GitHub POST /graphql: createCommitOnBranch returned no commit", {
          kind: "server",
          status: 0,
        });
      const parents = commit.parents?.nodes?.map((p) => p?.oid);
      return {
        oid: commit.oid,
        ...(commit.tree?.oid ? { tree: commit.tree.oid } : {}),
        ...(parents?.every((p) => typeof p === "string") ? { parents } : {}),
      };
    },

    async addReaction(commentId, content) {
      await call("reactions/create-for-issue-comment", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
          ...repoParams,
          comment_id: commentId,
          content,
        }),
      );
    },

    async createComment(issueNumber, body) {
      const { data } = await call("issues/create-comment", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          ...repoParams,
          issue_number: issueNumber,
          body: safe(body, "comment"),
        }),
      );
      return { id: Number(data.id), url: data.html_url };
    },

    async updateComment(commentId, body) {
      await call("issues/update-comment", () =>
        octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          ...repoParams,
          comment_id: commentId,
          body: safe(body, "comment"),
        }),
      );
    },

    async getPermission(username) {
      try {
        const { data } = await call("repos/get-collaborator-permission-level", () =>
          octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
            ...repoParams,
            username,
          }),
        );
        return toPermission(data);
      } catch (err) {
        if (err instanceof GitHubError && err.kind === "not_found") return "none";
        throw err;
      }
    },

    async failedJobs(runId) {
      const out: FailedJob[] = [];
      for (let page = 1; page <= 10; page++) {
        const { data } = await call("actions/list-jobs-for-workflow-run", () =>
          octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
            ...repoParams,
            run_id: runId,
            filter: "latest",
            per_page: 100,
            page,
          }),
        );
        for (const j of data.jobs)
          if (j.conclusion === "failure") out.push({ id: Number(j.id), name: j.name, headSha: j.head_sha });
        if (data.jobs.length < 100) break;
      }
      return out;
    },

    async jobLogTail(jobId, maxBytes) {
      const res = await call("actions/download-job-logs-for-workflow-run", () =>
        octokit.request("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", {
          ...repoParams,
          job_id: jobId,
          request: { redirect: "manual" },
        }),
      );
      const location = (res.headers as Record<string, string | undefined>).location;
      if (!location)
        throw new GitHubError(`GitHub gave no download URL for the log of job ${jobId}`, {
          kind: "server",
          status: res.status,
        });
      return downloadTail(options.fetch ?? fetch, location, maxBytes);
    },

    usage: () => ({ calls, writes }),
  };
  return gh;
}

/** Streams `url` (no credentials) and keeps its last `maxBytes` bytes, cut at a line start. */
async function downloadTail(fetchFn: typeof fetch, url: string, maxBytes: number): Promise<string> {
  const res = await fetchFn(url, { redirect: "follow", signal: AbortSignal.timeout(120_000) });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new GitHubError(`the log download answered ${res.status}`, {
      kind: res.status === 404 ? "not_found" : "server",
      status: res.status,
    });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    while (chunks.length > 1 && size - chunks[0]!.byteLength >= maxBytes) {
      size -= chunks.shift()!.byteLength;
      cut = true;
    }
  }
  let buf = Buffer.concat(chunks);
  if (buf.byteLength > maxBytes) {
    buf = buf.subarray(buf.byteLength - maxBytes);
    cut = true;
  }
  let text = buf.toString("utf8");
  if (cut) text = text.slice(text.indexOf("\n") + 1);
  return text;
}
