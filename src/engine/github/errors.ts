/**
 * GitHub API failures, converted once from Octokit's errors (RequestError, GraphqlResponseError, fetch
 * failures) into one typed error. Callers branch on `kind`, never on message text.
 */

export type GitHubErrorKind = "not_found" | "permission" | "rate_limit" | "validation" | "server" | "network";

export class GitHubError extends Error {
  override readonly name: string = "GitHubError";
  readonly kind: GitHubErrorKind;
  /** The HTTP status; 0 when no response arrived (network) or for a GraphQL error. */
  readonly status: number;
  /** `x-github-request-id`, worth quoting to GitHub support. */
  readonly requestId: string | undefined;
  constructor(message: string, opts: { kind: GitHubErrorKind; status: number; requestId?: string }) {
    super(message);
    this.kind = opts.kind;
    this.status = opts.status;
    this.requestId = opts.requestId;
  }
}

/** `POST /pulls` answered 422 because an open pull request for the same head and base already exists. */
export class PullRequestExistsError extends GitHubError {
  override readonly name = "PullRequestExistsError";
  readonly head: string;
  constructor(message: string, head: string, requestId?: string) {
    super(message, { kind: "validation", status: 422, requestId });
    this.head = head;
  }
}

/** What an Octokit RequestError looks like (duck-typed: `@octokit/request-error` is not our dependency). */
interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data?: unknown };
  request?: { method?: string; url?: string };
}

interface GraphqlErrorLike {
  name: "GraphqlResponseError";
  errors: { type?: string; message: string }[];
}

export function isRequestErrorLike(err: unknown): err is RequestErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === "number";
}

function isGraphqlError(err: unknown): err is GraphqlErrorLike {
  return (
    err instanceof Error &&
    err.name === "GraphqlResponseError" &&
    Array.isArray((err as unknown as GraphqlErrorLike).errors)
  );
}

interface ErrorBody {
  message?: string;
  errors?: (string | { message?: string; code?: string; field?: string; resource?: string })[];
}

/** GitHub's message plus the detail lines of a 422, on one line. */
function describeBody(data: unknown, fallback: string): string {
  if (typeof data !== "object" || data === null) return fallback;
  const body = data as ErrorBody;
  const parts = [body.message ?? fallback];
  for (const e of body.errors ?? []) {
    if (typeof e === "string") parts.push(e);
    else if (e.message) parts.push(e.message);
    else if (e.code) parts.push([e.resource, e.field, e.code].filter(Boolean).join(" "));
  }
  return parts.join(": ");
}

export function isRateLimited(
  status: number,
  headers: Record<string, string | undefined>,
  text: string,
): boolean {
  if (status !== 403 && status !== 429) return false;
  return status === 429 || headers["x-ratelimit-remaining"] === "0" || /\brate limit\b/i.test(text);
}

function kindForStatus(status: number): GitHubErrorKind {
  if (status === 404 || status === 410) return "not_found";
  if (status === 401 || status === 403) return "permission";
  if (status === 400 || status === 409 || status === 422) return "validation";
  return "server";
}

function oneLine(s: string, secrets: readonly string[]): string {
  let out = s.replace(/\s+/g, " ").trim();
  for (const secret of secrets) if (secret) out = out.split(secret).join("***");
  return out.length > 500 ? `${out.slice(0, 497)}...` : out;
}

export interface ConvertContext {
  /** e.g. `POST /repos/{owner}/{repo}/pulls` (the route template: no values, no query). */
  what: string;
  /** Strings that must never appear in a message (the token). */
  secrets: readonly string[];
}

/** Converts anything Octokit throws into a GitHubError (already-converted errors pass through). */
export function toGitHubError(err: unknown, ctx: ConvertContext): GitHubError {
  if (err instanceof GitHubError) return err;
  if (isGraphqlError(err)) {
    const types = err.errors.map((e) => e.type ?? "");
    const kind: GitHubErrorKind = types.includes("RATE_LIMITED")
      ? "rate_limit"
      : types.includes("NOT_FOUND")
        ? "not_found"
        : types.includes("FORBIDDEN")
          ? "permission"
          : "validation";
    const text = err.errors.map((e) => e.message).join("; ");
    return new GitHubError(oneLine(`GitHub GraphQL ${ctx.what} failed: ${text}`, ctx.secrets), {
      kind,
      status: 0,
    });
  }
  if (isRequestErrorLike(err)) {
    const headers = err.response?.headers ?? {};
    const requestId = headers["x-github-request-id"];
    if (!err.response) {
      // @octokit/request reports a failed fetch (reset, refused, DNS, timeout) as status 500 without a response
      const cause = (err as { cause?: { cause?: { code?: string } } }).cause?.cause?.code;
      const detail = cause ? `${err.message} (${cause})` : err.message;
      return new GitHubError(oneLine(`GitHub ${ctx.what}: network error: ${detail}`, ctx.secrets), {
        kind: "network",
        status: 0,
      });
    }
    const text = describeBody(err.response.data, err.message);
    if (isRateLimited(err.status, headers, text)) {
      return new GitHubError(
        oneLine(`GitHub ${ctx.what}: ${err.status} ${rateLimitText(headers, text)}`, ctx.secrets),
        {
          kind: "rate_limit",
          status: err.status,
          requestId,
        },
      );
    }
    const message = oneLine(`GitHub ${ctx.what}: ${err.status} ${text}`, ctx.secrets);
    return new GitHubError(message, { kind: kindForStatus(err.status), status: err.status, requestId });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GitHubError(oneLine(`GitHub ${ctx.what}: ${message}`, ctx.secrets), {
    kind: "network",
    status: 0,
  });
}

function rateLimitText(headers: Record<string, string | undefined>, text: string): string {
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset) && reset > 0) {
    const at = new Date(reset * 1000);
    const mins = Math.max(0, Math.ceil((at.getTime() - Date.now()) / 60_000));
    return `API rate limit exhausted; it resets at ${at.toISOString().slice(11, 16)} UTC (in ${mins} min)`;
  }
  const after = headers["retry-after"];
  return after ? `${text} (retry after ${after} s)` : text;
}
