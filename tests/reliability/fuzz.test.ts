/**
 * Property-based fuzzing of the parsers of untrusted text, with a fixed seed (so CI is repeatable);
 * `CLAUDE_TASKS_FUZZ_RUNS=100000` runs each property 100,000 times instead of its default.
 */
import { describe, expect, it } from "vitest";
import { reliabilityCase } from "./support/cases.ts";
import { FUZZ_SEED, fuzz, fuzzRuns, PROPERTIES } from "./support/fuzz.ts";

describe("fuzzing (fast-check, fixed seed)", () => {
  it.each(PROPERTIES.map((p) => [p.id, p.name, p] as const))(
    "%s %s",
    (id, name, p) => {
      const runs = fuzzRuns(p.runs);
      const c = reliabilityCase(
        id,
        "bad-input",
        `fuzz the ${name} (${runs} generated inputs, seed ${FUZZ_SEED})`,
        "never throws; every problem located in its input, one line; results within their rules",
      );
      const r = fuzz(p.property, runs, { id });
      c.note("inputs", r.runs);
      c.note("time", `${r.ms.toFixed(0)} ms`);
      c.note("failures", r.failed ? 1 : 0);
      if (r.failure) c.note("counterexample", r.failure);
      expect(r.failure ?? "").toBe("");
    },
    300_000,
  );
});
