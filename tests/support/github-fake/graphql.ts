/**
 * `POST /graphql`, for the one mutation the product sends: `enablePullRequestAutoMerge`. GraphQL is not in
 * the REST description, so requests and responses are checked by hand here against the slice of GitHub's
 * GraphQL schema below (the fields a client may select, their types, the variable types).
 */
import { type FakeRepoState, now } from "./model.ts";

type Scalar =
  | "String"
  | "ID"
  | "Int"
  | "Boolean"
  | "DateTime"
  | "URI"
  | "PullRequestMergeMethod"
  | "PullRequestState";
type FieldType = Scalar | "PullRequest" | "AutoMergeRequest" | "Actor";

/** The part of GitHub's GraphQL schema the fake answers. */
const OBJECTS: Record<string, Record<string, FieldType>> = {
  EnablePullRequestAutoMergePayload: { clientMutationId: "String", pullRequest: "PullRequest" },
  PullRequest: {
    id: "ID",
    number: "Int",
    state: "PullRequestState",
    isDraft: "Boolean",
    url: "URI",
    autoMergeRequest: "AutoMergeRequest",
  },
  AutoMergeRequest: { enabledAt: "DateTime", mergeMethod: "PullRequestMergeMethod", enabledBy: "Actor" },
  Actor: { login: "String" },
};
const MERGE_METHODS = ["MERGE", "SQUASH", "REBASE"];
const VARIABLE_TYPES: Record<string, string[]> = {
  pullRequestId: ["ID!"],
  mergeMethod: ["PullRequestMergeMethod", "PullRequestMergeMethod!"],
};

interface Selection {
  name: string;
  children: Selection[];
}

function parseSelections(tokens: string[], pos: { i: number }): Selection[] {
  const out: Selection[] = [];
  while (pos.i < tokens.length && tokens[pos.i] !== "}") {
    const name = tokens[pos.i++]!;
    let children: Selection[] = [];
    if (tokens[pos.i] === "{") {
      pos.i++;
      children = parseSelections(tokens, pos);
      if (tokens[pos.i++] !== "}") throw new Error("unbalanced braces in the selection set");
    }
    out.push({ name, children });
  }
  return out;
}

/** Checks a selection set against the schema slice; returns problems. */
function checkSelections(type: string, sels: Selection[], path: string): string[] {
  const fields = OBJECTS[type];
  if (!fields) return [`${path}: ${type} has no fields to select`];
  const problems: string[] = [];
  for (const s of sels) {
    const ft = fields[s.name];
    if (!ft) {
      problems.push(`Field '${s.name}' doesn't exist on type '${type}'`);
      continue;
    }
    if (OBJECTS[ft] && s.children.length === 0)
      problems.push(`Field '${s.name}' of type '${ft}' must have a selection`);
    if (!OBJECTS[ft] && s.children.length > 0)
      problems.push(`Field '${s.name}' is a scalar and takes no selection`);
    if (OBJECTS[ft]) problems.push(...checkSelections(ft, s.children, `${path}.${s.name}`));
  }
  return problems;
}

function checkScalar(type: FieldType, v: unknown): boolean {
  if (v === null) return true;
  switch (type) {
    case "Int":
      return Number.isInteger(v);
    case "Boolean":
      return typeof v === "boolean";
    case "PullRequestMergeMethod":
      return MERGE_METHODS.includes(v as string);
    case "PullRequestState":
      return v === "OPEN" || v === "CLOSED" || v === "MERGED";
    default:
      return typeof v === "string";
  }
}

/** Validates a response object against the selection it answers. */
function checkResponse(type: string, sels: Selection[], value: unknown, path: string): string[] {
  if (value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [`${path} must be an object`];
  const problems: string[] = [];
  const obj = value as Record<string, unknown>;
  const wanted = new Set(sels.map((s) => s.name));
  for (const key of Object.keys(obj)) if (!wanted.has(key)) problems.push(`${path}.${key} was not selected`);
  for (const s of sels) {
    const ft = OBJECTS[type]![s.name]!;
    if (!(s.name in obj)) problems.push(`${path}.${s.name} is missing`);
    else if (OBJECTS[ft]) problems.push(...checkResponse(ft, s.children, obj[s.name], `${path}.${s.name}`));
    else if (!checkScalar(ft, obj[s.name])) problems.push(`${path}.${s.name} is not a ${ft}`);
  }
  return problems;
}

interface Parsed {
  selections: Selection[];
  vars: Record<string, string>;
  input: Record<string, string>;
}

const DOC_RE =
  /^mutation\s*(\w+)?\s*\(([^)]*)\)\s*\{\s*enablePullRequestAutoMerge\s*\(\s*input\s*:\s*\{([^}]*)\}\s*\)\s*\{(.*)\}\s*\}$/s;

function parse(query: string): Parsed | string {
  const q = query.replace(/#[^\n]*/g, "").trim();
  const m = DOC_RE.exec(q);
  if (!m)
    return "the fake only answers `mutation ($pullRequestId: ID!, $mergeMethod: …) { enablePullRequestAutoMerge(input: {…}) { … } }`";
  const vars: Record<string, string> = {};
  for (const v of m[2]!.matchAll(/\$(\w+)\s*:\s*([\w!]+)/g)) vars[v[1]!] = v[2]!;
  const input: Record<string, string> = {};
  for (const f of m[3]!.matchAll(/(\w+)\s*:\s*\$(\w+)/g)) input[f[1]!] = f[2]!;
  const tokens = m[4]!.match(/[{}]|\w+/g) ?? [];
  const pos = { i: 0 };
  try {
    const selections = parseSelections(tokens, pos);
    if (pos.i !== tokens.length) return "unbalanced braces in the selection set";
    return { selections, vars, input };
  } catch (err) {
    return (err as Error).message;
  }
}

export interface GraphqlResult {
  status: number;
  body: unknown;
  requestProblems: string[];
  /** Checks the body finally sent (it may have been corrupted on purpose by a fault). */
  validateResponse: (body: unknown) => string[];
}

// biome-ignore lint/suspicious/noExplicitAny: request JSON
export function handleGraphql(s: FakeRepoState, body: any): GraphqlResult {
  const requestProblems: string[] = [];
  const fail = (message: string, type?: string): GraphqlResult => ({
    status: 200,
    body: { errors: [{ ...(type ? { type } : {}), message }] },
    requestProblems,
    validateResponse: checkGraphqlEnvelope,
  });
  if (typeof body !== "object" || body === null || typeof body.query !== "string") {
    requestProblems.push("a GraphQL request is a JSON object with a string `query`");
    return {
      status: 400,
      body: { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" },
      requestProblems,
      validateResponse: () => [],
    };
  }
  const parsed = parse(body.query);
  if (typeof parsed === "string") {
    requestProblems.push(parsed);
    return fail(parsed);
  }
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  for (const [name, type] of Object.entries(parsed.vars)) {
    const field = Object.entries(parsed.input).find(([, v]) => v === name)?.[0];
    const expect = field ? VARIABLE_TYPES[field] : undefined;
    if (!expect) requestProblems.push(`variable $${name} is not used by an input field`);
    else if (!expect.includes(type))
      requestProblems.push(`variable $${name} is declared ${type}, expected ${expect.join(" or ")}`);
  }
  for (const field of Object.keys(parsed.input)) {
    if (!VARIABLE_TYPES[field])
      requestProblems.push(`InputObject 'EnablePullRequestAutoMergeInput' has no argument '${field}'`);
    if (!(parsed.input[field]! in parsed.vars))
      requestProblems.push(`Variable $${parsed.input[field]} is used but not declared`);
  }
  const prVar = parsed.input.pullRequestId;
  if (!prVar)
    requestProblems.push(
      "Argument 'pullRequestId' on InputObject 'EnablePullRequestAutoMergeInput' is required",
    );
  const id = prVar ? variables[prVar] : undefined;
  if (typeof id !== "string") requestProblems.push("variable for pullRequestId must be a string");
  const methodVar = parsed.input.mergeMethod;
  const method = methodVar ? (variables[methodVar] ?? "MERGE") : "MERGE";
  if (!MERGE_METHODS.includes(method as string)) {
    requestProblems.push(`mergeMethod ${JSON.stringify(method)} is not one of ${MERGE_METHODS.join(", ")}`);
  }
  requestProblems.push(
    ...checkSelections("EnablePullRequestAutoMergePayload", parsed.selections, "enablePullRequestAutoMerge"),
  );
  if (requestProblems.length > 0) return fail(requestProblems.join("; "));

  const issue = [...s.issues.values()].find((i) => i.nodeId === id && i.pull);
  const errorReply = (type: string, message: string): GraphqlResult => ({
    status: 200,
    body: {
      data: { enablePullRequestAutoMerge: null },
      errors: [{ type, path: ["enablePullRequestAutoMerge"], locations: [{ line: 2, column: 3 }], message }],
    },
    requestProblems,
    validateResponse: checkGraphqlEnvelope,
  });
  if (!issue?.pull)
    return errorReply("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
  if (!s.allowAutoMerge) return errorReply("UNPROCESSABLE", "Auto merge is not allowed for this repository");
  if (issue.state !== "open") return errorReply("UNPROCESSABLE", "Pull request is closed");
  const lower = (method as string).toLowerCase() as "merge" | "squash" | "rebase";
  issue.pull.autoMerge = { method: lower, enabledBy: s.viewer };
  const enabledAt = now();

  const values: Record<string, (sel: Selection) => unknown> = {
    clientMutationId: () => null,
    pullRequest: (sel) =>
      pick(sel.children, {
        id: () => issue.nodeId,
        number: () => issue.number,
        state: () => issue.state.toUpperCase(),
        isDraft: () => issue.pull!.draft,
        url: () => `https://github.com/${s.owner}/${s.repo}/pull/${issue.number}`,
        autoMergeRequest: (am) =>
          pick(am.children, {
            enabledAt: () => enabledAt,
            mergeMethod: () => method,
            enabledBy: (eb) => pick(eb.children, { login: () => s.viewer }),
          }),
      }),
  };
  const data = { enablePullRequestAutoMerge: pick(parsed.selections, values) };
  const validateResponse = (sent: unknown): string[] => {
    const problems = checkGraphqlEnvelope(sent);
    const payload = (sent as { data?: { enablePullRequestAutoMerge?: unknown } } | null)?.data;
    if (problems.length > 0 || !payload) return problems;
    return checkResponse(
      "EnablePullRequestAutoMergePayload",
      parsed.selections,
      payload.enablePullRequestAutoMerge,
      "data.enablePullRequestAutoMerge",
    );
  };
  return { status: 200, body: { data }, requestProblems, validateResponse };
}

function pick(
  sels: Selection[],
  values: Record<string, (sel: Selection) => unknown>,
): Record<string, unknown> {
  return Object.fromEntries(sels.map((sel) => [sel.name, values[sel.name]!(sel)]));
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
