import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  renderTaskMarkdown,
  scanText
} from "./chunk-AWNG4QJT.js";
import {
  mdCode
} from "./chunk-DUTI55RA.js";
import {
  errorMessage,
  silentLogger
} from "./chunk-FNPOHAIZ.js";

// src/engine/report/publishable.ts
var MIN_KNOWN = 8;
var reverse = (s) => [...s].reverse().join("");
function base64Cores(value) {
  const bytes = Buffer.from(value, "utf8");
  const out = [];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const core = enc.slice(Math.ceil(8 * k / 6), Math.floor(8 * (k + bytes.length) / 6));
    if (core.length >= MIN_KNOWN) out.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return out;
}
function secretForms(value) {
  if (value.length < MIN_KNOWN) return [];
  const cores = [...base64Cores(value), ...base64Cores(reverse(value))];
  return [.../* @__PURE__ */ new Set([value, reverse(value), ...cores, ...cores.map(reverse)])];
}
function credentialFindings(text, known = []) {
  const findings = scanText(text, "text").map((f) => ({
    kind: f.rule.replace(/^secret\./, ""),
    line: f.line
  }));
  for (const secret of known) {
    for (const form of secretForms(secret)) {
      for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
        findings.push({ kind: "known-secret", line: lineAt(text, at) });
      }
    }
  }
  return findings;
}
function lineAt(text, index) {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
function withheldNotice(what, findings) {
  const kinds = [...new Set(findings.map((f) => f.kind))].join(", ");
  const lines = [...new Set(findings.map((f) => f.line))].sort((a, b) => a - b).slice(0, 10);
  return `\u{1F6E1}\uFE0F claude-tasks withheld this ${what}: it contained what looks like a credential (${kinds}; line${lines.length === 1 ? "" : "s"} ${lines.join(", ")} of the text). Nothing of it is shown here; the run's outcome is in the workflow run's log.`;
}
function publishable(text, o) {
  const findings = credentialFindings(text, o.known);
  return findings.length === 0 ? text : withheldNotice(o.what, findings);
}

// src/engine/github/errors.ts
var GitHubError = class extends Error {
  name = "GitHubError";
  kind;
  /** The HTTP status; 0 when no response arrived (network) or for a GraphQL error. */
  status;
  /** `x-github-request-id`, worth quoting to GitHub support. */
  requestId;
  constructor(message, opts) {
    super(message);
    this.kind = opts.kind;
    this.status = opts.status;
    this.requestId = opts.requestId;
  }
};
var PullRequestExistsError = class extends GitHubError {
  name = "PullRequestExistsError";
  head;
  constructor(message, head, requestId) {
    super(message, { kind: "validation", status: 422, requestId });
    this.head = head;
  }
};
function isRequestErrorLike(err) {
  return err instanceof Error && typeof err.status === "number";
}
function isGraphqlError(err) {
  return err instanceof Error && err.name === "GraphqlResponseError" && Array.isArray(err.errors);
}
function describeBody(data, fallback) {
  if (typeof data !== "object" || data === null) return fallback;
  const body = data;
  const parts = [body.message ?? fallback];
  for (const e of body.errors ?? []) {
    if (typeof e === "string") parts.push(e);
    else if (e.message) parts.push(e.message);
    else if (e.code) parts.push([e.resource, e.field, e.code].filter(Boolean).join(" "));
  }
  return parts.join(": ");
}
function isRateLimited(status, headers, text) {
  if (status !== 403 && status !== 429) return false;
  return status === 429 || headers["x-ratelimit-remaining"] === "0" || /\brate limit\b/i.test(text);
}
function kindForStatus(status) {
  if (status === 404 || status === 410) return "not_found";
  if (status === 401 || status === 403) return "permission";
  if (status === 400 || status === 409 || status === 422) return "validation";
  return "server";
}
function oneLine(s, secrets) {
  let out = s.replace(/\s+/g, " ").trim();
  for (const secret of secrets) if (secret) out = out.split(secret).join("***");
  return out.length > 500 ? `${out.slice(0, 497)}...` : out;
}
function toGitHubError(err, ctx) {
  if (err instanceof GitHubError) return err;
  if (isGraphqlError(err)) {
    const types = err.errors.map((e) => e.type ?? "");
    const kind = types.includes("RATE_LIMITED") ? "rate_limit" : types.includes("NOT_FOUND") ? "not_found" : types.includes("FORBIDDEN") ? "permission" : "validation";
    const text = err.errors.map((e) => e.message).join("; ");
    return new GitHubError(oneLine(`GitHub GraphQL ${ctx.what} failed: ${text}`, ctx.secrets), {
      kind,
      status: 0
    });
  }
  if (isRequestErrorLike(err)) {
    const headers = err.response?.headers ?? {};
    const requestId = headers["x-github-request-id"];
    if (!err.response) {
      const cause = err.cause?.cause?.code;
      const detail = cause ? `${err.message} (${cause})` : err.message;
      return new GitHubError(oneLine(`GitHub ${ctx.what}: network error: ${detail}`, ctx.secrets), {
        kind: "network",
        status: 0
      });
    }
    const text = describeBody(err.response.data, err.message);
    if (isRateLimited(err.status, headers, text)) {
      return new GitHubError(
        oneLine(`GitHub ${ctx.what}: ${err.status} ${rateLimitText(headers, text)}`, ctx.secrets),
        {
          kind: "rate_limit",
          status: err.status,
          requestId
        }
      );
    }
    const message2 = oneLine(`GitHub ${ctx.what}: ${err.status} ${text}`, ctx.secrets);
    return new GitHubError(message2, { kind: kindForStatus(err.status), status: err.status, requestId });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GitHubError(oneLine(`GitHub ${ctx.what}: ${message}`, ctx.secrets), {
    kind: "network",
    status: 0
  });
}
function rateLimitText(headers, text) {
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset) && reset > 0) {
    const at = new Date(reset * 1e3);
    const mins = Math.max(0, Math.ceil((at.getTime() - Date.now()) / 6e4));
    return `API rate limit exhausted; it resets at ${at.toISOString().slice(11, 16)} UTC (in ${mins} min)`;
  }
  const after = headers["retry-after"];
  return after ? `${text} (retry after ${after} s)` : text;
}

// src/engine/github/operations.ts
var GITHUB_OPERATIONS = {
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
  "actions/download-job-logs-for-workflow-run": "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"
};

// src/engine/github/client.ts
function toPullRequest(p) {
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
    labels: p.labels.flatMap((l) => l.name ? [l.name] : []),
    assignees: (p.assignees ?? []).map((a) => a.login),
    requestedReviewers: (p.requested_reviewers ?? []).map((r) => r.login),
    requestedTeams: (p.requested_teams ?? []).map((t) => t.slug),
    autoMerge: method === "merge" || method === "squash" || method === "rebase" ? method : null,
    ...p.merged_at !== void 0 ? { merged: p.merged_at !== null } : {},
    ...p.created_at ? { createdAt: p.created_at } : {}
  };
}
var ROLES = ["admin", "maintain", "write", "triage", "read", "none"];
function toPermission(data) {
  const role = data.role_name;
  if (role && ROLES.includes(role)) return role;
  const base = data.permission;
  return ROLES.includes(base) ? base : "none";
}
function splitReviewers(reviewers) {
  const users = [];
  const teams = [];
  for (const r of reviewers) {
    const name = r.replace(/^@/, "");
    const slash = name.indexOf("/");
    if (slash >= 0) teams.push(name.slice(slash + 1));
    else users.push(name);
  }
  return { reviewers: users, team_reviewers: teams };
}
var AUTO_MERGE_MUTATION = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number }
  }
}`;
var COMMIT_MUTATION = `mutation CreateCommitOnBranch($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid tree { oid } parents(first: 2) { nodes { oid } } }
  }
}`;
function createGitHub(options) {
  const { owner, repo, token } = options;
  const logger = options.logger ?? silentLogger;
  let octokit;
  let loading;
  const ready = () => loading ??= import("./octokit-GNJ4GVJA.js").then(({ createOctokit }) => {
    octokit = createOctokit({
      token,
      baseUrl: (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, ""),
      userAgent: options.userAgent ?? "claude-tasks",
      logger,
      policy: options.policy,
      fetch: options.fetch
    });
  });
  const secrets = [token];
  const known = [token, ...options.secrets ?? []];
  const safe = (text, what) => {
    const out = publishable(text, { what, known });
    if (out === text) return text;
    logger.warn(`the ${what} was withheld: it held what looks like a credential`);
    return what === "title" ? "claude-tasks: title withheld (it held what looks like a credential)" : out;
  };
  let calls = 0;
  let writes = 0;
  async function call(op, fn) {
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
  const gh = {
    owner,
    repo,
    prepare() {
      ready().then(() => {
        if (!options.fetch) new Headers();
      }).catch(() => {
      });
    },
    async findOpenPr(branch, opts = {}) {
      const { data } = await call(
        "pulls/list",
        () => octokit.request("GET /repos/{owner}/{repo}/pulls", {
          ...repoParams,
          state: "open",
          head: `${owner}:${branch}`,
          ...opts.base ? { base: opts.base } : {},
          per_page: 10
        })
      );
      const prs = data.map((p) => toPullRequest(p));
      return prs.find((p) => p.headRef === branch && !p.isFork) ?? null;
    },
    async getPr(number) {
      const { data } = await call(
        "pulls/get",
        () => octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
          ...repoParams,
          pull_number: number
        })
      );
      return toPullRequest(data);
    },
    async createPr(input) {
      try {
        const { data } = await call(
          "pulls/create",
          () => octokit.request("POST /repos/{owner}/{repo}/pulls", {
            ...repoParams,
            head: input.head,
            base: input.base,
            title: safe(input.title, "title"),
            body: safe(input.body, "pull request body"),
            draft: input.draft ?? false
          })
        );
        return toPullRequest(data);
      } catch (err) {
        if (err instanceof GitHubError && err.status === 422 && /pull request already exists/i.test(err.message)) {
          throw new PullRequestExistsError(err.message, input.head, err.requestId);
        }
        throw err;
      }
    },
    async updatePr(number, input) {
      const { data } = await call(
        "pulls/update",
        () => octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
          ...repoParams,
          pull_number: number,
          ...input,
          ...input.title !== void 0 ? { title: safe(input.title, "title") } : {},
          ...input.body !== void 0 ? { body: safe(input.body, "pull request body") } : {}
        })
      );
      return toPullRequest(data);
    },
    async closePr(number, comment) {
      if (comment) await gh.createComment(number, comment);
      await gh.updatePr(number, { state: "closed" });
    },
    async addLabels(issueNumber, labels) {
      if (labels.length === 0) return;
      await call(
        "issues/add-labels",
        () => octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          ...repoParams,
          issue_number: issueNumber,
          labels: [...labels]
        })
      );
    },
    async requestReviewers(pullNumber, reviewers) {
      if (reviewers.length === 0) return;
      const split = splitReviewers(reviewers);
      await call(
        "pulls/request-reviewers",
        () => octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
          ...repoParams,
          pull_number: pullNumber,
          ...split.reviewers.length > 0 ? { reviewers: split.reviewers } : {},
          ...split.team_reviewers.length > 0 ? { team_reviewers: split.team_reviewers } : {}
        })
      );
    },
    async addAssignees(issueNumber, assignees) {
      if (assignees.length === 0) return;
      await call(
        "issues/add-assignees",
        () => octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
          ...repoParams,
          issue_number: issueNumber,
          assignees: [...assignees]
        })
      );
    },
    async enableAutoMerge(prNodeId, method) {
      await call(
        "graphql",
        () => octokit.graphql(AUTO_MERGE_MUTATION, { pullRequestId: prNodeId, mergeMethod: method.toUpperCase() })
      );
    },
    async createCommitOnBranch(input) {
      const data = await call(
        "graphql",
        () => octokit.graphql(COMMIT_MUTATION, {
          input: {
            branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: input.branch },
            expectedHeadOid: input.expectedHeadOid,
            message: { headline: input.headline, ...input.body ? { body: input.body } : {} },
            fileChanges: {
              additions: input.additions.map((a) => ({
                path: a.path,
                contents: a.contents.toString("base64")
              })),
              deletions: input.deletions.map((path) => ({ path }))
            }
          }
        })
      );
      const commit = data.createCommitOnBranch?.commit;
      if (!commit?.oid)
        throw new GitHubError("GitHub POST /graphql: createCommitOnBranch returned no commit", {
          kind: "server",
          status: 0
        });
      const parents = commit.parents?.nodes?.map((p) => p?.oid);
      return {
        oid: commit.oid,
        ...commit.tree?.oid ? { tree: commit.tree.oid } : {},
        ...parents?.every((p) => typeof p === "string") ? { parents } : {}
      };
    },
    async addReaction(commentId, content) {
      await call(
        "reactions/create-for-issue-comment",
        () => octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
          ...repoParams,
          comment_id: commentId,
          content
        })
      );
    },
    async createComment(issueNumber, body) {
      const { data } = await call(
        "issues/create-comment",
        () => octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          ...repoParams,
          issue_number: issueNumber,
          body: safe(body, "comment")
        })
      );
      return { id: Number(data.id), url: data.html_url };
    },
    async updateComment(commentId, body) {
      await call(
        "issues/update-comment",
        () => octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          ...repoParams,
          comment_id: commentId,
          body: safe(body, "comment")
        })
      );
    },
    async getPermission(username) {
      try {
        const { data } = await call(
          "repos/get-collaborator-permission-level",
          () => octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
            ...repoParams,
            username
          })
        );
        return toPermission(data);
      } catch (err) {
        if (err instanceof GitHubError && err.kind === "not_found") return "none";
        throw err;
      }
    },
    async failedJobs(runId) {
      const out = [];
      for (let page = 1; page <= 10; page++) {
        const { data } = await call(
          "actions/list-jobs-for-workflow-run",
          () => octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
            ...repoParams,
            run_id: runId,
            filter: "latest",
            per_page: 100,
            page
          })
        );
        for (const j of data.jobs)
          if (j.conclusion === "failure") out.push({ id: Number(j.id), name: j.name, headSha: j.head_sha });
        if (data.jobs.length < 100) break;
      }
      return out;
    },
    async jobLogTail(jobId, maxBytes) {
      const res = await call(
        "actions/download-job-logs-for-workflow-run",
        () => octokit.request("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", {
          ...repoParams,
          job_id: jobId,
          request: { redirect: "manual" }
        })
      );
      const location = res.headers.location;
      if (!location)
        throw new GitHubError(`GitHub gave no download URL for the log of job ${jobId}`, {
          kind: "server",
          status: res.status
        });
      return downloadTail(options.fetch ?? fetch, location, maxBytes);
    },
    usage: () => ({ calls, writes })
  };
  return gh;
}
async function downloadTail(fetchFn, url, maxBytes) {
  const res = await fetchFn(url, { redirect: "follow", signal: AbortSignal.timeout(12e4) });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new GitHubError(`the log download answered ${res.status}`, {
      kind: res.status === 404 ? "not_found" : "server",
      status: res.status
    });
  }
  const chunks = [];
  let size = 0;
  let cut = false;
  for await (const chunk of res.body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    while (chunks.length > 1 && size - chunks[0].byteLength >= maxBytes) {
      size -= chunks.shift().byteLength;
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

// src/engine/github/publish.ts
var MAX_BODY_LENGTH = 65536;
var MARKER_RE = /\n*<!-- claude-tasks:pr (\{.*?\}) -->\s*$/s;
function readMarker(body) {
  const m = MARKER_RE.exec(body);
  if (!m) return null;
  try {
    const raw = JSON.parse(m[1]);
    const list = (v) => Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
    const am = raw.autoMerge;
    return {
      labels: list(raw.labels),
      reviewers: list(raw.reviewers),
      assignees: list(raw.assignees),
      autoMerge: am === "merge" || am === "squash" || am === "rebase" ? am : null
    };
  } catch {
    return null;
  }
}
function renderBody(body, applied) {
  const marker = `<!-- claude-tasks:pr ${JSON.stringify({
    labels: [...applied.labels].sort(),
    reviewers: [...applied.reviewers].sort(),
    assignees: [...applied.assignees].sort(),
    autoMerge: applied.autoMerge
  })} -->`;
  let text = normalise(body.replace(MARKER_RE, ""));
  const room = MAX_BODY_LENGTH - marker.length - 2;
  if (text.length > room) {
    const note = "\n\n\u2026 (truncated: GitHub limits a pull request body to 65536 characters)";
    text = text.slice(0, room - note.length) + note;
  }
  return text ? `${text}

${marker}` : marker;
}
function normalise(s) {
  return s.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
}
var same = (a, b) => normalise(a) === normalise(b);
var missing = (want, have) => {
  const lower = new Set(have.map((h) => h.toLowerCase()));
  return want.filter((w) => !lower.has(w.replace(/^@/, "").toLowerCase()));
};
var DEFAULT_CLOSE_COMMENT = "Closing: the latest run of this task changed nothing, so there is nothing left to propose (`on_no_changes: close`). The next run that produces changes opens a new pull request.";
async function publishPullRequest(o) {
  const { gh } = o;
  const dryRun = o.dryRun ?? false;
  const start = gh.usage();
  const steps = [];
  const warnings = [];
  const head = o.branch;
  const done = (action, pr2) => {
    const now = gh.usage();
    return {
      action,
      number: pr2?.number ?? null,
      url: pr2?.url ?? null,
      calls: now.calls - start.calls,
      writes: now.writes - start.writes,
      dryRun,
      steps,
      warnings
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
  const want = {
    labels: [...o.labels ?? []],
    reviewers: [...o.reviewers ?? []],
    assignees: [...o.assignees ?? []],
    autoMerge: o.autoMerge || null
  };
  const body = renderBody(o.body, want);
  let existing = o.branchExistedOnRemote ? await gh.findOpenPr(head, { base: o.base }) : null;
  let trustMarker = true;
  if (!existing) {
    steps.push(`create pull request ${head} \u2192 ${o.base}${o.draft ? " (draft)" : ""}`);
    if (dryRun) {
      planExtras(steps, want);
      return done("created", null);
    }
    let created = null;
    try {
      created = await gh.createPr({ head, base: o.base, title: o.title, body, draft: o.draft });
    } catch (err) {
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
function extrasForUpdate(pr, want, trustMarker) {
  const before = trustMarker ? readMarker(pr.body) : null;
  if (before) {
    return {
      labels: missing(want.labels, before.labels),
      reviewers: missing(want.reviewers, before.reviewers),
      assignees: missing(want.assignees, before.assignees),
      autoMerge: want.autoMerge && want.autoMerge !== before.autoMerge ? want.autoMerge : null
    };
  }
  const requested = [...pr.requestedReviewers, ...pr.requestedTeams];
  return {
    labels: missing(want.labels, pr.labels),
    reviewers: want.reviewers.filter((r) => !requested.some((q) => q.toLowerCase() === reviewerKey(r))),
    assignees: missing(want.assignees, pr.assignees),
    autoMerge: want.autoMerge && want.autoMerge !== pr.autoMerge ? want.autoMerge : null
  };
}
function reviewerKey(r) {
  const name = r.replace(/^@/, "");
  return name.slice(name.indexOf("/") + 1).toLowerCase();
}
function planExtras(steps, x) {
  if (x.labels.length) steps.push(`add labels ${x.labels.join(", ")}`);
  if (x.reviewers.length) steps.push(`request reviews from ${x.reviewers.join(", ")}`);
  if (x.assignees.length) steps.push(`assign ${x.assignees.join(", ")}`);
  if (x.autoMerge) steps.push(`enable auto-merge (${x.autoMerge})`);
}
async function applyExtras(gh, pr, x, steps, warnings) {
  const attempt = async (what, fn) => {
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
    await attempt(
      `request reviews from ${x.reviewers.join(", ")}`,
      () => gh.requestReviewers(pr.number, x.reviewers)
    );
  }
  if (x.assignees.length) {
    await attempt(`assign ${x.assignees.join(", ")}`, () => gh.addAssignees(pr.number, x.assignees));
  }
  const method = x.autoMerge;
  if (method) await attempt(`enable auto-merge (${method})`, () => gh.enableAutoMerge(pr.nodeId, method));
}

// src/engine/github/pr-publisher.ts
var WORKFLOW_TOKEN_NOTE = "CI will not start on this pull request: it was pushed and opened with the workflow's own GITHUB_TOKEN, and GitHub starts no workflow for those (so required checks never report). To get CI, pass a GitHub App token (actions/create-github-app-token) or a fine-grained personal access token as the Action's `github-token` (README, \"CI on the pull requests\").";
var SIGN_COMMITS = ["required", "preferred", "off"];
function githubSigner(gh, mode) {
  if (mode === "off") return void 0;
  return {
    allowUnsigned: mode === "preferred",
    commitOnBranch: (o) => gh.createCommitOnBranch({
      branch: o.branch,
      expectedHeadOid: o.expectedHead,
      headline: o.headline,
      body: o.body,
      additions: o.additions,
      deletions: o.deletions
    })
  };
}
function pullRequestBody(ctx, links = {}) {
  const own = ctx.task.pr.body.trim();
  const report = renderTaskMarkdown(ctx.result, links);
  return `${own ? `${own}

---

` : ""}${report}
<sub>Opened by claude-tasks from ${mdCode(ctx.task.file)}.</sub>
`;
}
function createGitHubPublisher(opts) {
  const signer = githubSigner(opts.gh, opts.signCommits ?? "off");
  return {
    prepare: () => opts.gh.prepare?.(),
    async comment(ctx, body) {
      const pr = await opts.gh.findOpenPr(ctx.branch, { base: ctx.base });
      if (pr) await opts.gh.createComment(pr.number, body);
    },
    ...signer ? { signer } : {},
    async publish(ctx) {
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
        dryRun: ctx.dryRun
      });
      for (const w of res.warnings) opts.logger?.warn(`${ctx.task.name}: ${w}`);
      const would = { created: "would-create", updated: "would-update" };
      const action = res.dryRun && (res.action === "created" || res.action === "updated") ? would[res.action] : res.action;
      return {
        action,
        ...res.number !== null ? { number: res.number } : {},
        ...res.url !== null ? { url: res.url } : {},
        apiCalls: res.calls
      };
    }
  };
}

export {
  credentialFindings,
  publishable,
  createGitHub,
  SIGN_COMMITS,
  createGitHubPublisher
};
