import { z } from "../zod.ts";

/**
 * What a schema node expects, in words, for error messages ("a whole number greater than 0"),
 * plus an optional hint computed from the bad value ("add a unit, like `30s`"). Kept in its own
 * registry so it never leaks into the JSON Schema.
 */
export interface Expectation {
  /** Absent: the message describes the schema's structure (`one of \`a\` or \`b\``, `a list`...). */
  expected?: string;
  hint?: (input: unknown) => string | undefined;
}

export const expectations = z.registry<Expectation>();

/** Registers what `schema` expects and returns it, for use inline in a schema definition. */
export function expecting<T extends z.ZodType>(schema: T, expected: string, hint?: Expectation["hint"]): T {
  expectations.add(schema, hint ? { expected, hint } : { expected });
  return schema;
}

/** Registers only a hint; the expected value is described from the schema's structure. */
export function hinting<T extends z.ZodType>(schema: T, hint: NonNullable<Expectation["hint"]>): T {
  expectations.add(schema, { hint });
  return schema;
}
