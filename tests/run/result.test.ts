/** A task's result as the report, the run log and the Action outputs show it. */
import { describe, expect, it } from "vitest";
import { summariseAgent } from "../../src/engine/run/result.ts";
import { outcomeOf, type TaskStatus } from "../../src/engine/run/types.ts";

describe("summariseAgent", () => {
  it("keeps the cost in whole micro-dollars, as the run's total is", () => {
    const base = {
      status: "success",
      transient: false,
      exitCode: 0,
      summary: "",
      durationMs: 1,
      outputTail: "",
    } as const;
    // What Claude Code reports is a float sum, e.g. 0.10225599999999999.
    const reported = 0.10225599999999999;
    expect(reported).not.toBe(0.102256);
    expect(summariseAgent("claude", { ...base, costUsd: reported }).costUsd).toBe(0.102256);
    expect(summariseAgent("claude", { ...base, costUsd: 0.0000004 }).costUsd).toBe(0);
    expect(summariseAgent("command", base)).not.toHaveProperty("costUsd");
  });
});

describe("outcomeOf", () => {
  it("is the one answer to 'did the task fail?': what counts for `if:`, ok, the exit code and status", () => {
    const of = (s: string) => outcomeOf(s as TaskStatus);
    expect(["success", "no_changes"].map(of)).toEqual(["success", "success"]);
    expect(
      ["failed", "timeout", "max_turns", "budget_exhausted", "refused", "conflict", "cancelled"].map(of),
    ).toEqual(Array(7).fill("failure"));
    expect(of("skipped")).toBe("skipped");
    // a status from another version's log line, or a key of every object
    expect(of("exploded")).toBeUndefined();
    expect(of("constructor")).toBeUndefined();
  });
});
