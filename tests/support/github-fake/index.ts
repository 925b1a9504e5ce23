/**
 * A local fake of GitHub's REST API (plus the one GraphQL mutation we send), for tests that drive the real
 * Octokit. Every request and every response is validated against the committed subset of GitHub's
 * OpenAPI description; violations are recorded, and `close()` fails the test when any are left.
 *
 *   const fake = await startGitHubFake({ owner: "acme", repo: "widgets" });
 *   const gh = createGitHub({ token: "t", baseUrl: fake.url, owner: "acme", repo: "widgets" });
 *   fake.inject({ operation: "pulls/list", kind: "status", status: 502 });
 *   ...
 *   await fake.close(); // throws if any request or response broke the description
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleGraphql } from "./graphql.ts";
import {
  createState,
  ensureUser,
  type FakeComment,
  type FakeIssue,
  type FakeJob,
  type FakeRepoState,
  newId,
  nodeId,
  now,
  type Role,
  sha,
  type Urls,
} from "./model.ts";
import { loadSpec, matchOperation, validateRequest, validateResponse } from "./openapi.ts";
import { notFound, type Reply, ROUTES } from "./routes.ts";

export type { FakeComment, FakeIssue, FakeRepoState, Role } from "./model.ts";

export interface GitHubFakeOptions {
  owner: string;
  repo: string;
  defaultBranch?: string;
  private?: boolean;
  /** Login of the token's user, the author of what the client creates. Default `github-actions[bot]`. */
  viewer?: string;
  /** The repository setting "Allow auto-merge". Default true. */
  allowAutoMerge?: boolean;
  /** The only token accepted; default: any token, but one must be sent. */
  token?: string;
  /** Host of `html_url`s. Default https://github.com. */
  webUrl?: string;
  /** A bare repository standing for the repository's git data: `createCommitOnBranch` commits there. */
  gitDir?: string;
}

export type Fault =
  /** Answer with this server error. */
  | { kind: "status"; status: 500 | 502 | 503 | 504 }
  /** Primary rate limit: 403, `x-ratelimit-remaining: 0`, `x-ratelimit-reset` in this many seconds (default 1). */
  | { kind: "rate-limit"; resetInSeconds?: number }
  /** Secondary rate limit: 403 (default) or 429 with `retry-after` (default 1 s). */
  | { kind: "secondary-rate-limit"; status?: 403 | 429; retryAfter?: number }
  /** Drop the connection without answering; `applied: true` drops it after the change was made. */
  | { kind: "reset"; applied?: boolean }
  /** Never answer (until the client gives up or the fake closes). */
  | { kind: "hang" }
  /** Answer normally but pass the JSON body through `mutate` first (to prove response validation). */
  // biome-ignore lint/suspicious/noExplicitAny: any JSON shape
  | { kind: "corrupt"; mutate: (body: any) => void };

/** A fault for the next `times` (default 1) requests to `operation` (an operationId, `graphql`, or any). */
export type FaultRule = Fault & { operation?: string; times?: number };

export interface CallRecord {
  method: string;
  path: string;
  /** operationId, `graphql`, or null for an unknown route. */
  operation: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number | "reset" | "hang";
  fault?: Fault["kind"];
}

export interface Violation {
  operation: string;
  direction: "request" | "response";
  method: string;
  path: string;
  status?: number;
  problems: string[];
}

export interface CallFilter {
  operation?: string;
  /** Only non-GET requests (GraphQL mutations count as writes). */
  writes?: boolean;
  /** Leave out requests answered by an injected fault. Default false. */
  excludeFaults?: boolean;
}

export interface GitHubFake {
  /** Base URL for Octokit (`baseUrl`). */
  url: string;
  state: FakeRepoState;
  calls: CallRecord[];
  violations: Violation[];
  inject(...rules: FaultRule[]): void;
  /** Creates or moves a branch on the "remote"; returns its sha. */
  pushBranch(name: string, sha?: string): string;
  addUser(login: string): void;
  addCollaborator(login: string, role: Role): void;
  addTeam(slug: string): void;
  /** Puts a pull request straight into the state (no API call is recorded). */
  seedPull(o: SeedPull): FakeIssue;
  seedComment(issueNumber: number, body: string, user?: string): FakeComment;
  /** A completed workflow run on `headBranch` at `headSha` with these jobs (and their logs); returns the run id. */
  seedWorkflowRun(o: SeedWorkflowRun): number;
  /** Requests to the log download host: path and whether they carried an Authorization header. */
  downloads: { path: string; authorization: boolean }[];
  /** Whether GitHub made and signed this commit (`createCommitOnBranch`): "Verified". */
  isVerified(commit: string): boolean;
  /** The open pull requests whose head branch is `branch`. */
  openPulls(branch?: string): FakeIssue[];
  callCount(filter?: CallFilter): number;
  resetCalls(): void;
  /** Returns and clears the recorded violations (for tests that expect some). */
  takeViolations(): Violation[];
  assertNoViolations(): void;
  /** Stops the server; rejects when violations were recorded and not taken. */
  close(): Promise<void>;
}

export interface SeedWorkflowRun {
  headBranch: string;
  headSha: string;
  workflowName?: string;
  jobs: { name: string; conclusion: FakeJob["conclusion"]; log: string }[];
}

export interface SeedPull {
  head: string;
  base?: string;
  title?: string;
  body?: string;
  state?: "open" | "closed";
  /** Owner of a fork the head lives in. */
  forkOwner?: string;
  author?: string;
  labels?: string[];
  draft?: boolean;
}

const MESSAGES: Record<number, string> = {
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
  504: "We couldn't respond to your request in time. Sorry about that.",
};
const DOCS_RATE = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

function formatViolation(v: Violation): string {
  const st = v.status ? ` ${v.status}` : "";
  return `${v.operation} ${v.direction}${st} (${v.method} ${v.path}):\n  - ${v.problems.join("\n  - ")}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startGitHubFake(options: GitHubFakeOptions): Promise<GitHubFake> {
  const spec = loadSpec();
  const state = createState(options);
  const calls: CallRecord[] = [];
  const violations: Violation[] = [];
  const faults: (FaultRule & { left: number })[] = [];
  const urls: Urls = { api: "", web: (options.webUrl ?? "https://github.com").replace(/\/+$/, "") };
  let remaining = 5000;

  function takeFault(operation: string): FaultRule | null {
    const i = faults.findIndex((f) => f.left > 0 && (f.operation === undefined || f.operation === operation));
    if (i < 0) return null;
    const f = faults[i]!;
    f.left--;
    if (f.left === 0) faults.splice(i, 1);
    return f;
  }

  function baseHeaders(resource: string): Record<string, string> {
    remaining = Math.max(remaining - 1, 0);
    return {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-used": String(5000 - remaining),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": resource,
    };
  }

  function faultReply(f: Fault): Reply | null {
    switch (f.kind) {
      case "status":
        return {
          status: f.status,
          body: { message: MESSAGES[f.status] ?? "Server Error", documentation_url: "" },
        };
      case "rate-limit": {
        const reset = Math.floor(Date.now() / 1000) + (f.resetInSeconds ?? 1);
        return {
          status: 403,
          body: { message: "API rate limit exceeded for installation ID 1.", documentation_url: DOCS_RATE },
          headers: {
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": String(reset),
          },
        };
      }
      case "secondary-rate-limit":
        return {
          status: f.status ?? 403,
          body: {
            message:
              "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
            documentation_url: DOCS_RATE,
          },
          headers: { "retry-after": String(f.retryAfter ?? 1) },
        };
      default:
        return null;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", urls.api);
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const hasBody = raw.length > 0;
    let body: unknown;
    let badJson = false;
    if (hasBody) {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    const isGraphql = url.pathname === "/graphql" && method === "POST";
    const match = isGraphql ? null : matchOperation(spec, method, url.pathname);
    const operation = isGraphql ? "graphql" : (match?.op.id ?? null);
    const record: CallRecord = {
      method,
      path: url.pathname,
      operation,
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
    };
    calls.push(record);
    const violate = (direction: Violation["direction"], problems: string[], status?: number) => {
      if (problems.length === 0) return;
      violations.push({
        operation: operation ?? "(unknown route)",
        direction,
        method,
        path: url.pathname,
        status,
        problems,
      });
    };

    let validateSent: (sent: unknown, status: number) => string[] = () => [];
    const send = (reply: Reply, resource = "core") => {
      const headers = { ...baseHeaders(resource), ...reply.headers };
      // validate what goes over the wire, not the object we built
      const wire = reply.body === undefined ? undefined : JSON.stringify(reply.body);
      violate(
        "response",
        validateSent(wire === undefined ? undefined : JSON.parse(wire), reply.status),
        reply.status,
      );
      record.status = reply.status;
      res.writeHead(reply.status, headers);
      res.end(wire);
    };

    const auth = req.headers.authorization ?? "";
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)?.[1];
    if (!token || (options.token !== undefined && token !== options.token)) {
      if (match) validateSent = (sent, status) => validateResponse(spec, match.op, status, sent);
      send({
        status: 401,
        body: {
          message: "Bad credentials",
          documentation_url: "https://docs.github.com/rest",
          status: "401",
        },
      });
      return;
    }
    if (badJson) {
      violate("request", ["the body is not JSON"]);
      send({
        status: 400,
        body: { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest" },
      });
      return;
    }
    if (!isGraphql && !match) {
      violate("request", [`no operation in the subset for ${method} ${url.pathname}`]);
      send(notFound());
      return;
    }

    let run: () => Reply;
    if (isGraphql) {
      const result = handleGraphql(state, body);
      violate("request", result.requestProblems);
      validateSent = (sent) => result.validateResponse(sent);
      run = () => {
        const before = result.requestProblems.length;
        const reply = { status: result.status, body: result.run() };
        // variables that do not fit their declared types are found while executing
        violate("request", result.requestProblems.slice(before));
        return reply;
      };
    } else {
      const m = match!;
      validateSent = (sent, status) => validateResponse(spec, m.op, status, sent);
      const problems = validateRequest(spec, m, {
        query: url.searchParams,
        contentType: req.headers["content-type"],
        body,
        hasBody,
      });
      if (problems.length > 0) {
        violate("request", problems);
        // the request is already a violation; GitHub's answer to it need not be described
        validateSent = () => [];
        if (problems.some((p) => p.startsWith("path parameter"))) {
          send(notFound());
          return;
        }
        send({
          status: 422,
          body: {
            message: `Invalid request.\n\n${problems.join("\n")}`,
            documentation_url: "https://docs.github.com/rest",
            status: "422",
          },
        });
        return;
      }
      const owner = m.pathParams.owner ?? "";
      const repo = m.pathParams.repo ?? "";
      if (
        owner.toLowerCase() !== state.owner.toLowerCase() ||
        repo.toLowerCase() !== state.repo.toLowerCase()
      ) {
        run = notFound;
      } else {
        const ctx = { s: state, urls, pathParams: m.pathParams, query: url.searchParams, body, url };
        run = () => ROUTES[m.op.id]!(ctx);
      }
    }

    const fault = takeFault(operation!);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === "hang") {
      record.status = "hang";
      return;
    }
    if (fault?.kind === "reset") {
      if (fault.applied) run();
      record.status = "reset";
      req.socket.destroy();
      return;
    }
    const injected = fault ? faultReply(fault) : null;
    if (injected) {
      validateSent = (sent, status) => (match ? validateResponse(spec, match.op, status, sent) : []);
      send(injected, isGraphql ? "graphql" : "core");
      return;
    }
    const reply = run();
    if (fault?.kind === "corrupt" && reply.body !== undefined) {
      const copy = structuredClone(reply.body);
      fault.mutate(copy);
      reply.body = copy;
    }
    send(reply, isGraphql ? "graphql" : "core");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      violations.push({
        operation: "(fake)",
        direction: "response",
        method: req.method ?? "",
        path: req.url ?? "",
        problems: [`the fake crashed: ${(err as Error).stack ?? String(err)}`],
      });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "fake crashed" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  urls.api = `http://127.0.0.1:${port}`;

  // Log downloads: another origin (as GitHub's signed URLs are), no token needed, plain text.
  const downloads: GitHubFake["downloads"] = [];
  const downloadServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    downloads.push({ path: url.pathname, authorization: req.headers.authorization !== undefined });
    const job = /^\/job-logs\/(\d+)$/.exec(url.pathname);
    const found = job ? state.jobs.get(Number(job[1])) : undefined;
    if (!found || url.searchParams.get("sig") !== "fake") {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end("<Error><Code>BlobNotFound</Code></Error>");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end(found.log);
  });
  await new Promise<void>((resolve) => downloadServer.listen(0, "127.0.0.2", resolve));
  urls.downloads = `http://127.0.0.2:${(downloadServer.address() as AddressInfo).port}`;

  const fake: GitHubFake = {
    url: urls.api,
    state,
    calls,
    violations,
    inject(...rules) {
      for (const r of rules) faults.push({ ...r, left: r.times ?? 1 });
    },
    pushBranch(name, to) {
      const value = to ?? sha(`${name}:${randomBytes(4).toString("hex")}`);
      state.branches.set(name, value);
      return value;
    },
    addUser(login) {
      ensureUser(state, login);
    },
    addCollaborator(login, role) {
      ensureUser(state, login);
      state.collaborators.set(login.toLowerCase(), role);
    },
    addTeam(slug) {
      state.teams.add(slug);
    },
    seedPull(o) {
      const id = newId(state);
      const t = now();
      const headOwner = o.forkOwner ?? state.owner;
      if (!o.forkOwner && !state.branches.has(o.head)) fake.pushBranch(o.head);
      ensureUser(state, headOwner);
      for (const name of o.labels ?? []) {
        const key = name.toLowerCase();
        if (!state.labels.has(key))
          state.labels.set(key, { id: newId(state), name, color: "ededed", description: "" });
      }
      const issue: FakeIssue = {
        number: state.nextNumber++,
        id,
        nodeId: nodeId("PR", id),
        title: o.title ?? `Update ${o.head}`,
        body: o.body ?? null,
        state: o.state ?? "open",
        user: ensureUser(state, o.author ?? state.viewer).login,
        labels: o.labels ?? [],
        assignees: [],
        createdAt: t,
        updatedAt: t,
        closedAt: o.state === "closed" ? t : null,
        pull: {
          head: o.head,
          headOwner,
          headSha: o.forkOwner ? sha(`${o.forkOwner}:${o.head}`) : state.branches.get(o.head)!,
          base: o.base ?? state.defaultBranch,
          draft: o.draft ?? false,
          requestedReviewers: [],
          requestedTeams: [],
          autoMerge: null,
          merged: false,
        },
      };
      state.issues.set(issue.number, issue);
      return issue;
    },
    seedComment(issueNumber, text, user = state.owner) {
      const id = newId(state);
      const t = now();
      const c: FakeComment = {
        id,
        nodeId: nodeId("IC", id),
        issueNumber,
        body: text,
        user: ensureUser(state, user).login,
        createdAt: t,
        updatedAt: t,
      };
      state.comments.set(id, c);
      return c;
    },
    downloads,
    seedWorkflowRun(o) {
      const runId = newId(state);
      for (const j of o.jobs) {
        const id = newId(state);
        state.jobs.set(id, {
          id,
          runId,
          name: j.name,
          workflowName: o.workflowName ?? "CI",
          headSha: o.headSha,
          headBranch: o.headBranch,
          conclusion: j.conclusion,
          log: j.log,
        });
      }
      return runId;
    },
    isVerified(commit) {
      return state.signedCommits.has(commit);
    },
    openPulls(branch) {
      return [...state.issues.values()].filter(
        (i) => i.pull && i.state === "open" && (branch === undefined || i.pull.head === branch),
      );
    },
    callCount(filter = {}) {
      return calls.filter(
        (c) =>
          (filter.operation === undefined || c.operation === filter.operation) &&
          (!filter.writes || c.method !== "GET") &&
          (!filter.excludeFaults || c.fault === undefined),
      ).length;
    },
    resetCalls() {
      calls.length = 0;
    },
    takeViolations() {
      return violations.splice(0, violations.length);
    },
    assertNoViolations() {
      if (violations.length > 0) {
        throw new Error(
          `the fake GitHub saw ${violations.length} violation(s) of GitHub's OpenAPI description:\n${violations.map(formatViolation).join("\n")}`,
        );
      }
    },
    async close() {
      server.closeAllConnections();
      downloadServer.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => downloadServer.close(() => resolve()));
      fake.assertNoViolations();
    },
  };
  return fake;
}
