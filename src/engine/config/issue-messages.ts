/**
 * zod issues → problems with positions and messages written for people: what is wrong, where,
 * and what was probably meant. zod's own messages are never shown.
 */
import type { z } from "zod";
import { type Location, type Problem, problemAt } from "../errors.ts";
import { describeExpected, hintFor, keysOf, recordKeyOf, schemaAt } from "./schema-walk.ts";
import { didYouMean, orList } from "./suggest.ts";

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];
type Segment = string | number;

export interface IssueContext {
  /** The schema the input was validated against. */
  schema: z.core.$ZodType;
  /** The validated input (a task merged over `_defaults`). */
  input: unknown;
  locate: (path: readonly Segment[], what: "value" | "key") => Location;
}

export function issuesToProblems(issues: readonly Issue[], ctx: IssueContext): Problem[] {
  return issues.flatMap((issue) => issueToProblems(issue, ctx));
}

function issueToProblems(issue: Issue, ctx: IssueContext): Problem[] {
  const path = segments(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) =>
        problemAt(ctx.locate([...path, key], "key"), unknownKeyMessage(key, path, ctx)),
      );
    case "invalid_union": {
      const branch = matchingBranch(issue.errors);
      if (branch) return issuesToProblems(prefixed(branch, path), ctx);
      return [problemAt(ctx.locate(path, "value"), mismatchMessage(path, ctx))];
    }
    case "invalid_key":
      return [problemAt(ctx.locate(path, "key"), invalidKeyMessage(path, ctx))];
    default:
      return [problemAt(ctx.locate(path, "value"), mismatchMessage(path, ctx))];
  }
}

/** The union member whose shape matched the value (its issues are all deeper inside it). */
function matchingBranch(errors: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  return errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
}

function prefixed(issues: readonly Issue[], path: readonly Segment[]): Issue[] {
  return issues.map((i) => ({ ...i, path: [...path, ...i.path] }) as Issue);
}

function segments(path: Path): Segment[] {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

function mismatchMessage(path: readonly Segment[], ctx: IssueContext): string {
  const schema = schemaAt(ctx.schema, path);
  const input = valueAt(ctx.input, path);
  const expected = schema ? describeExpected(schema) : "a valid value";
  const hint = schema ? hintFor(schema, input) : undefined;
  return `${subject(path)} must be ${expected}, got ${describeValue(input)}${hint ? `; ${hint}` : ""}`;
}

function invalidKeyMessage(path: readonly Segment[], ctx: IssueContext): string {
  const keySchema = recordKeyOf(schemaAt(ctx.schema, path.slice(0, -1)));
  const key = String(path.at(-1));
  const expected = keySchema ? describeExpected(keySchema) : "a valid key";
  return `key \`${key}\` in \`${label(path.slice(0, -1))}\` must be ${expected}`;
}

function unknownKeyMessage(key: string, path: readonly Segment[], ctx: IssueContext): string {
  const where = path.length ? ` in \`${label(path)}\`` : "";
  const here = keysOf(schemaAt(ctx.schema, path));
  const meant = didYouMean(key, here);
  if (meant) return `unknown key \`${key}\`${where}, did you mean \`${meant}\`?`;
  const elsewhere = keyElsewhere(key, path, ctx.schema);
  if (elsewhere) return `unknown key \`${key}\`${where}, did you mean \`${elsewhere}\`?`;
  const valid = here.length && here.length <= 12 ? `; valid keys here: ${orList(here)}` : "";
  return `unknown key \`${key}\`${where}${valid}`;
}

/** `model` at the top level → `agent.model`; `schedule` under `agent` → `schedule`. */
function keyElsewhere(key: string, path: readonly Segment[], root: z.core.$ZodType): string | undefined {
  const rootKeys = keysOf(root);
  if (path.length > 0) return didYouMean(key, rootKeys);
  for (const section of rootKeys) {
    const meant = didYouMean(key, keysOf(schemaAt(root, [section])));
    if (meant) return `${section}.${meant}`;
  }
  return undefined;
}

function subject(path: readonly Segment[]): string {
  return path.length ? `\`${label(path)}\`` : "the task file";
}

/** `agent.max_turns`, `needs[1]`, `agent.env.TOKEN` */
export function label(path: readonly Segment[]): string {
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let cur = input;
  for (const seg of path) {
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** "the number 3", "the string \"x\"", "a list", "an empty value"... */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "an empty value";
  if (Array.isArray(v)) return v.length ? "a list" : "an empty list";
  switch (typeof v) {
    case "string":
      return v === "" ? "an empty string" : `the string ${quote(v)}`;
    case "number":
      return `the number ${v}`;
    case "boolean":
      return `\`${v}\``;
    case "object":
      return "a mapping";
    default:
      return `a ${typeof v}`;
  }
}

function quote(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 37)}...` : s;
  return JSON.stringify(short);
}
