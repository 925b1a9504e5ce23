/**
 * Reading the task schema by path, to describe in words what a value should have been. Only the
 * schema kinds the task schema uses are handled; anything else is described generically.
 */
import type { z } from "zod";
import { type Expectation, expectations } from "./expectation.ts";
import { didYouMean, orList } from "./suggest.ts";

type Schema = z.core.$ZodType;
type Path = readonly PropertyKey[];

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  options?: readonly Schema[];
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** The layers of `schema` from the outside in, through wrappers and pipes, to the real type. */
export function layers(schema: Schema): Schema[] {
  const out = [schema];
  for (let cur = schema; ; ) {
    const def = defOf(cur);
    const next = WRAPPERS.has(def.type)
      ? def.innerType
      : def.type === "pipe"
        ? def.in
        : def.type === "lazy"
          ? def.getter?.()
          : undefined;
    if (!next) return out;
    out.push(next);
    cur = next;
  }
}

/** The real type of `schema`, unwrapped. */
export function unwrap(schema: Schema): Schema {
  return layers(schema).at(-1) ?? schema;
}

/** The schema of the value at `path`, or undefined if the path leaves the schema. */
export function schemaAt(root: Schema, path: Path): Schema | undefined {
  let cur: Schema | undefined = root;
  for (const seg of path) {
    if (!cur) return undefined;
    cur = child(unwrap(cur), seg);
  }
  return cur;
}

function child(schema: Schema, seg: PropertyKey): Schema | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return typeof seg === "string" && def.shape && Object.hasOwn(def.shape, seg)
        ? def.shape[seg]
        : undefined;
    case "array":
      return typeof seg === "number" ? def.element : undefined;
    case "record":
      return typeof seg === "string" ? def.valueType : undefined;
    case "union":
      for (const option of def.options ?? []) {
        const found = child(unwrap(option), seg);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The keys a mapping at this schema may have; empty when it is not a fixed-key mapping. */
export function keysOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** The schema of the keys of a record at this schema, if it is one. */
export function recordKeyOf(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === "record" ? def.keyType : undefined;
}

function expectationOf(schema: Schema): Expectation | undefined {
  for (const layer of layers(schema)) {
    const found = expectations.get(layer);
    if (found) return found;
  }
  return undefined;
}

/** "a whole number 1 or more", "one of `skip`, `once` or `all`", "a mapping"... */
export function describeExpected(schema: Schema): string {
  const registered = expectationOf(schema)?.expected;
  if (registered) return registered;
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "`true` or `false`";
    case "enum":
      return `one of ${orList(Object.values(def.entries ?? {}).map(String))}`;
    case "literal":
      return orList((def.values ?? []).map(String));
    case "array":
      return "a list";
    case "object":
      return "a mapping (`key: value` lines)";
    case "record":
      return "a mapping";
    case "union":
      return (def.options ?? []).map(describeExpected).join(" or ");
    default:
      return "a valid value";
  }
}

/** A hint for a bad `input` at this schema: the registered one, or did-you-mean for enums. */
export function hintFor(schema: Schema, input: unknown): string | undefined {
  const registered = expectationOf(schema)?.hint?.(input);
  if (registered) return registered;
  const def = defOf(unwrap(schema));
  if (def.type === "enum" && typeof input === "string") {
    const meant = didYouMean(input, Object.values(def.entries ?? {}).map(String));
    return meant ? `did you mean \`${meant}\`?` : undefined;
  }
  return undefined;
}
