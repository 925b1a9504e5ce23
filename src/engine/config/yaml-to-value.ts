import { type Alias, type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import { type Location, type Problem, problemAt } from "../errors.ts";

/** Most nodes one file may expand to (aliases included): stops "billion laughs" documents. */
const NODE_BUDGET = 100_000;

interface Ctx {
  doc: Document;
  at: (offset: number) => Location;
  problems: Problem[];
  /** Set when a value could not be built (bad alias, too large): the result is not worth validating. */
  fatal: boolean;
  budget: number;
  /** Nodes being converted right now, to catch an alias inside its own anchor. */
  active: Set<Node>;
}

/**
 * The plain value of a parsed document, like `doc.toJS()` but without throwing: unknown aliases,
 * self-referencing aliases, non-text keys and duplicate keys become problems. Keys are own
 * properties even when named `__proto__`.
 */
export function yamlToValue(
  doc: Document,
  at: (offset: number) => Location,
): { value: unknown; problems: Problem[]; fatal: boolean } {
  const ctx: Ctx = { doc, at, problems: [], fatal: false, budget: NODE_BUDGET, active: new Set() };
  const value = doc.contents ? convert(doc.contents as Node, ctx) : undefined;
  return { value, problems: ctx.problems, fatal: ctx.fatal };
}

/** The key of a pair as the plain value uses it, or undefined for a key that is not plain text. */
export function pairKey(pair: Pair<unknown, unknown>): string | undefined {
  const key = pair.key;
  if (key === null || key === undefined) return "";
  if (!isScalar(key)) return undefined;
  return key.value === null ? "" : String(key.value);
}

function convert(node: Node, ctx: Ctx): unknown {
  if (--ctx.budget < 0) {
    if (ctx.budget === -1)
      fail(ctx, node, "the document expands to too many values (aliases nested too deeply)");
    return null;
  }
  if (isAlias(node)) return convertAlias(node, ctx);
  if (isScalar(node)) return scalarValue(node.value, node.source);
  if (ctx.active.has(node)) return null;
  ctx.active.add(node);
  try {
    if (isMap(node)) return convertMap(node.items as Pair<unknown, unknown>[], ctx);
    if (isSeq(node)) return node.items.map((item) => (item ? convert(item as Node, ctx) : null));
    return null;
  } finally {
    ctx.active.delete(node);
  }
}

function convertAlias(node: Alias, ctx: Ctx): unknown {
  const target = node.resolve(ctx.doc);
  if (!target) {
    fail(ctx, node, `unknown alias \`*${node.source}\`: no anchor \`&${node.source}\` comes before it`);
    return null;
  }
  if (ctx.active.has(target)) {
    fail(ctx, node, `alias \`*${node.source}\` is inside its own anchor`);
    return null;
  }
  return convert(target, ctx);
}

function scalarValue(value: unknown, source: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  return typeof source === "string" ? source : String(value);
}

function convertMap(pairs: Pair<unknown, unknown>[], ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, Location>();
  for (const pair of pairs) {
    const key = pairKey(pair);
    if (key === undefined) {
      report(ctx, pair.key as Node, "keys must be plain text, not a list, mapping or alias");
      continue;
    }
    const here = nodeLocation(ctx, pair.key as Node | null);
    const first = seen.get(key);
    if (first)
      report(ctx, pair.key as Node, `duplicate key \`${key}\` (first defined at line ${first.line})`);
    else seen.set(key, here);
    const value = pair.value ? convert(pair.value as Node, ctx) : null;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function nodeLocation(ctx: Ctx, node: Node | null): Location {
  return ctx.at(node?.range?.[0] ?? 0);
}

function report(ctx: Ctx, node: Node | null, message: string): void {
  ctx.problems.push(problemAt(nodeLocation(ctx, node), message));
}

function fail(ctx: Ctx, node: Node | null, message: string): void {
  ctx.fatal = true;
  report(ctx, node, message);
}
