/**
 * `POST /graphql`, for the mutations the product sends: `enablePullRequestAutoMerge` and
 * `createCommitOnBranch`. Every request is validated against GitHub's published GraphQL schema
 * (`@octokit/graphql-schema`) with graphql-js, and answered by executing it against that schema, so the
 * response holds exactly the selected fields with their schema types. A response that leaves the fake
 * (possibly corrupted by a fault) is re-checked the same way.
 *
 * `createCommitOnBranch` makes a real commit in the fake's bare repository (`gitDir`), as GitHub does:
 * authored by the token's owner, committed by `GitHub <noreply@github.com>`, on the branch's current
 * head only when it equals `expectedHeadOid`; the commit is recorded as signed by GitHub (verified).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from "graphql";
import { type FakeRepoState, now } from "./model.ts";

let schema: GraphQLSchema | undefined;
/** GitHub's schema, built once per process (about two seconds). */
export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = fileURLToPath(
      new URL("../../../node_modules/@octokit/graphql-schema/schema.graphql", import.meta.url),
    );
    // the published file repeats two field definitions and marks a few implementations deprecated where
    // their interface is not: graphql-js would refuse it; the requests checked against it are not affected
    schema = buildSchema(readFileSync(file, "utf8"), { assumeValidSDL: true, assumeValid: true });
  }
  return schema;
}

/** An error GitHub reports with a `type` (NOT_FOUND, UNPROCESSABLE, STALE_DATA, …). */
class TypedError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export interface GraphqlResult {
  status: number;
  requestProblems: string[];
  /** Applies the request (only when the fake decides to answer it) and returns the body. */
  run: () => unknown;
  /** Checks the body finally sent (it may have been corrupted on purpose by a fault). */
  validateResponse: (body: unknown) => string[];
}

type Resolver = (s: FakeRepoState, args: { input: Record<string, unknown> }) => unknown;
const MUTATIONS: Record<string, Resolver> = {
  enablePullRequestAutoMerge,
  createCommitOnBranch,
};

// biome-ignore lint/suspicious/noExplicitAny: request JSON
export function handleGraphql(s: FakeRepoState, body: any): GraphqlResult {
  const requestProblems: string[] = [];
  const reply = (b: unknown): GraphqlResult => ({
    status: 200,
    requestProblems,
    run: () => b,
    validateResponse: checkGraphqlEnvelope,
  });
  if (typeof body !== "object" || body === null || typeof body.query !== "string") {
    requestProblems.push("a GraphQL request is a JSON object with a string `query`");
    return {
      status: 400,
      requestProblems,
      run: () => ({ message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" }),
      validateResponse: () => [],
    };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (err) {
    requestProblems.push((err as Error).message);
    return reply({ errors: [{ message: (err as Error).message }] });
  }
  const sch = githubSchema();
  requestProblems.push(...validate(sch, document).map((e) => e.message));
  const op = getOperationAST(document);
  if (!op) requestProblems.push("the request must hold exactly one operation");
  else if (op.operation !== "mutation") requestProblems.push("the fake answers mutations only");
  else {
    for (const sel of op.selectionSet.selections) {
      if (sel.kind === "Field" && !MUTATIONS[sel.name.value])
        requestProblems.push(`the fake does not implement ${sel.name.value}`);
    }
  }
  if (requestProblems.length > 0) return reply({ errors: requestProblems.map((message) => ({ message })) });
  const variableValues = (body.variables ?? {}) as Record<string, unknown>;

  const run = (): unknown => {
    const rootValue = Object.fromEntries(
      Object.entries(MUTATIONS).map(([name, fn]) => [
        name,
        (args: { input: Record<string, unknown> }) => fn(s, args),
      ]),
    );
    const result = execute({ schema: sch, document, rootValue, variableValues }) as ExecutionResult;
    const errors = result.errors?.map((e) => {
      const typed = e.originalError instanceof TypedError ? e.originalError : undefined;
      if (!typed && e.originalError) throw e.originalError; // a fake bug, not GitHub's answer
      if (!typed && !e.path) requestProblems.push(e.message); // invalid variables
      return {
        ...(typed ? { type: typed.type } : {}),
        ...(e.path ? { path: e.path } : {}),
        ...(e.locations ? { locations: e.locations } : {}),
        message: e.message,
      };
    });
    return { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) };
  };
  const validateResponse = (sent: unknown): string[] => {
    const problems = checkGraphqlEnvelope(sent);
    const b = sent as { data?: Record<string, unknown> | null; errors?: unknown[] };
    if (problems.length > 0 || !b.data || b.errors) return problems;
    // executing the document over the sent data yields the same data only when it fits the schema
    const again = execute({ schema: sch, document, rootValue: b.data, variableValues }) as ExecutionResult;
    return [...(again.errors ?? []).map((e) => e.message), ...diff("data", again.data, b.data)];
  };
  return { status: 200, requestProblems, run, validateResponse };
}

function diff(path: string, want: unknown, got: unknown): string[] {
  if (typeof want === "object" && want !== null && typeof got === "object" && got !== null) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    return [...keys].flatMap((k) =>
      diff(`${path}.${k}`, (want as Record<string, unknown>)[k], (got as Record<string, unknown>)[k]),
    );
  }
  return Object.is(want, got)
    ? []
    : [`${path} is ${JSON.stringify(got)}, which the schema does not allow here (${JSON.stringify(want)})`];
}

/* ---------------------------------------------------------------------------------- the mutations */

function enablePullRequestAutoMerge(s: FakeRepoState, { input }: { input: Record<string, unknown> }) {
  const id = input.pullRequestId as string;
  const method = (input.mergeMethod as string | undefined) ?? "MERGE";
  const issue = [...s.issues.values()].find((i) => i.nodeId === id && i.pull);
  if (!issue?.pull)
    throw new TypedError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
  if (!s.allowAutoMerge)
    throw new TypedError("UNPROCESSABLE", "Auto merge is not allowed for this repository");
  if (issue.state !== "open") throw new TypedError("UNPROCESSABLE", "Pull request is closed");
  issue.pull.autoMerge = {
    method: method.toLowerCase() as "merge" | "squash" | "rebase",
    enabledBy: s.viewer,
  };
  const enabledAt = now();
  return {
    clientMutationId: (input.clientMutationId as string | undefined) ?? null,
    pullRequest: {
      id: issue.nodeId,
      number: issue.number,
      state: issue.state.toUpperCase(),
      isDraft: issue.pull.draft,
      url: `https://github.com/${s.owner}/${s.repo}/pull/${issue.number}`,
      autoMergeRequest: { enabledAt, mergeMethod: method, enabledBy: { __typename: "Bot", login: s.viewer } },
    },
  };
}

/** Who GitHub names as the author of an API commit: the owner of the token. */
export function apiAuthor(s: FakeRepoState): { name: string; email: string } {
  const user = s.users.get(s.viewer.toLowerCase());
  const id = s.viewer === "github-actions[bot]" ? 41898282 : (user?.id ?? 1);
  return { name: s.viewer, email: `${id}+${s.viewer}@users.noreply.github.com` };
}
export const WEB_FLOW = { name: "GitHub", email: "noreply@github.com" };

function git(
  s: FakeRepoState,
  args: string[],
  o: { input?: Buffer | string; env?: Record<string, string> } = {},
) {
  if (!s.gitDir) throw new TypedError("UNPROCESSABLE", "the fake has no git repository (gitDir)");
  return execFileSync("git", args, {
    cwd: s.gitDir,
    input: o.input,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", LC_ALL: "C", ...o.env },
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  }).trim();
}

function createCommitOnBranch(s: FakeRepoState, { input }: { input: Record<string, unknown> }) {
  const branch = input.branch as { branchName?: string; repositoryNameWithOwner?: string; id?: string };
  if (branch.id || !branch.branchName || !branch.repositoryNameWithOwner)
    throw new TypedError("UNPROCESSABLE", "the fake needs branch: { repositoryNameWithOwner, branchName }");
  if (branch.repositoryNameWithOwner.toLowerCase() !== `${s.owner}/${s.repo}`.toLowerCase())
    throw new TypedError(
      "NOT_FOUND",
      `Could not resolve to a Repository with the name '${branch.repositoryNameWithOwner}'.`,
    );
  const ref = `refs/heads/${branch.branchName.replace(/^refs\/heads\//, "")}`;
  let head: string;
  try {
    head = git(s, ["rev-parse", "--verify", "--quiet", ref]);
  } catch {
    throw new TypedError("NOT_FOUND", `A ref named "${ref}" does not exist.`);
  }
  const expected = input.expectedHeadOid as string;
  if (head !== expected)
    throw new TypedError(
      "STALE_DATA",
      `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
    );
  const changes = (input.fileChanges ?? {}) as {
    additions?: { path: string; contents: string }[];
    deletions?: { path: string }[];
  };
  const index = `${s.gitDir}/fake-index-${process.pid}-${Date.now()}`;
  const env = { GIT_INDEX_FILE: index };
  try {
    git(s, ["read-tree", head], { env });
    for (const d of changes.deletions ?? [])
      git(s, ["update-index", "--force-remove", "--", d.path], { env });
    for (const a of changes.additions ?? []) {
      const blob = git(s, ["hash-object", "-w", "--stdin"], { input: Buffer.from(a.contents, "base64") });
      // like the web editor: a regular file (mode 100644), whatever was at the path before
      git(s, ["update-index", "--add", "--cacheinfo", `100644,${blob},${a.path}`], { env });
    }
    if (s.tamperCommits) {
      const blob = git(s, ["hash-object", "-w", "--stdin"], { input: "not asked for\n" });
      git(s, ["update-index", "--add", "--cacheinfo", `100644,${blob},TAMPERED.txt`], { env });
    }
    const tree = git(s, ["write-tree"], { env });
    const message = input.message as { headline: string; body?: string | null };
    const author = apiAuthor(s);
    const commit = git(s, ["commit-tree", tree, "-p", head], {
      input: message.body ? `${message.headline}\n\n${message.body}` : message.headline,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: WEB_FLOW.name,
        GIT_COMMITTER_EMAIL: WEB_FLOW.email,
      },
    });
    try {
      git(s, ["update-ref", ref, commit, head]);
    } catch {
      throw new TypedError(
        "STALE_DATA",
        `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
      );
    }
    s.signedCommits.add(commit);
    s.branches.set(branch.branchName, commit);
    return {
      clientMutationId: (input.clientMutationId as string | undefined) ?? null,
      commit: {
        oid: commit,
        abbreviatedOid: commit.slice(0, 7),
        url: `https://github.com/${s.owner}/${s.repo}/commit/${commit}`,
        messageHeadline: message.headline,
        tree: { oid: tree },
        parents: { nodes: [{ oid: head }], totalCount: 1 },
        signature: {
          __typename: "GpgSignature",
          isValid: true,
          state: "VALID",
          wasSignedByGitHub: true,
          email: WEB_FLOW.email,
        },
      },
      ref: { name: ref, prefix: "refs/heads/" },
    };
  } finally {
    execFileSync("rm", ["-f", index]);
  }
}

/** Re-checks a (possibly corrupted) GraphQL response body; used after fault injection. */
export function checkGraphqlEnvelope(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return ["a GraphQL response is a JSON object"];
  const b = body as { data?: unknown; errors?: unknown };
  const problems: string[] = [];
  if (!("data" in b) && !("errors" in b)) problems.push("a GraphQL response has `data` or `errors`");
  if (b.errors !== undefined) {
    if (!Array.isArray(b.errors)) problems.push("`errors` must be an array");
    else if (b.errors.some((e) => typeof (e as { message?: unknown })?.message !== "string")) {
      problems.push("every GraphQL error needs a string `message`");
    }
  }
  return problems;
}
