/**
 * Event payloads are untrusted JSON: the parts the engine reads are copied into their typed shapes
 * here, once, and anything of the wrong type is left out (as if absent). Commit ids must be SHA-1 or
 * SHA-256 hex, so no payload value can ever read as a git option or revision expression.
 */
import { isSha } from "../git/refs.ts";
import type { IssueCommentEvent } from "./comment-flow.ts";
import type { PushCommit, PushPayload } from "./push.ts";

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
/** A list of strings; a list holding anything else does not count as a list. */
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function issueCommentEvent(raw: Json): IssueCommentEvent {
  const comment = obj(raw.comment);
  const user = obj(comment?.user);
  const issue = obj(raw.issue);
  return defined({
    action: str(raw.action),
    comment: comment
      ? defined({
          id: int(comment.id),
          body: str(comment.body) ?? null,
          user: user ? defined({ login: str(user.login), type: str(user.type) }) : null,
        })
      : undefined,
    issue: issue
      ? defined({ number: int(issue.number), pull_request: issue.pull_request, state: str(issue.state) })
      : undefined,
  });
}

function person(v: unknown): PushCommit["author"] {
  const p = obj(v);
  return p ? defined({ name: str(p.name), email: str(p.email), username: str(p.username) }) : undefined;
}

function pushCommit(v: unknown): PushCommit | undefined {
  const c = obj(v);
  if (!c) return undefined;
  return defined({
    id: isSha(c.id) ? c.id : undefined,
    message: str(c.message),
    added: strings(c.added),
    modified: strings(c.modified),
    removed: strings(c.removed),
    author: person(c.author),
    committer: person(c.committer),
  });
}

export function pushPayload(raw: Json): PushPayload {
  const sender = obj(raw.sender);
  const pusher = obj(raw.pusher);
  const commits = Array.isArray(raw.commits) ? raw.commits.map(pushCommit) : undefined;
  return defined({
    ref: str(raw.ref),
    before: isSha(raw.before) ? raw.before : undefined,
    after: isSha(raw.after) ? raw.after : undefined,
    created: bool(raw.created),
    deleted: bool(raw.deleted),
    forced: bool(raw.forced),
    // a list with an entry that is not a commit says nothing reliable about the files
    commits: commits?.every((c) => c !== undefined) ? commits : commits ? [] : undefined,
    head_commit: raw.head_commit === null ? null : pushCommit(raw.head_commit),
    pusher: pusher ? defined({ name: str(pusher.name), email: str(pusher.email) }) : undefined,
    sender: sender ? defined({ login: str(sender.login), type: str(sender.type) }) : undefined,
  });
}

/** The parts of GitHub's `workflow_run` payload that are read. */
export interface WorkflowRunEvent {
  action?: string;
  run?: {
    id?: number;
    name?: string;
    conclusion?: string;
    headBranch?: string;
    headSha?: string;
    /** `owner/name` of the repository the head commit lives in (a fork's for fork PRs). */
    headRepository?: string;
    runAttempt?: number;
  };
  /** `owner/name` of the repository the event belongs to. */
  repository?: string;
}

export function workflowRunEvent(raw: Json): WorkflowRunEvent {
  const run = obj(raw.workflow_run);
  return defined({
    action: str(raw.action),
    run: run
      ? defined({
          id: int(run.id),
          name: str(run.name),
          conclusion: str(run.conclusion),
          headBranch: str(run.head_branch),
          headSha: isSha(run.head_sha) ? run.head_sha : undefined,
          headRepository: str(obj(run.head_repository)?.full_name),
          runAttempt: int(run.run_attempt),
        })
      : undefined,
    repository: str(obj(raw.repository)?.full_name),
  });
}
