import { describe, expect, it } from "vitest";
import { scheduleProblems } from "../../src/engine/schedule/index.ts";
import { locate, pathOf as where } from "../plan/fake-locate.ts";

describe("scheduleProblems", () => {
  it("locates a bad entry of a list at its index, and a single string at `schedule`", () => {
    const problems = scheduleProblems(
      [
        { name: "list", schedule: ["@daily", "61 * * * *"] },
        { name: "single", schedule: "@dayly" },
      ],
      locate,
    );
    expect(problems.map((p) => [p.file, where(p), p.severity, p.message])).toEqual([
      [".github/claude-tasks/list.yml", ["schedule", 1], "error", "bad cron field `61` in minute (0-59)"],
      [
        ".github/claude-tasks/single.yml",
        ["schedule"],
        "error",
        "unknown schedule `@dayly`, did you mean `@daily`?",
      ],
    ]);
  });

  it("warns about cron that fires more often than GitHub's 5-minute cron", () => {
    const problems = scheduleProblems(
      [{ name: "busy", schedule: ["* * * * *", "*/2 9 * * *", "*/5 * * * *", "0,3 * * * *"] }],
      locate,
    );
    expect(problems.map((p) => [where(p), p.severity, p.message])).toEqual([
      [
        ["schedule", 0],
        "warning",
        "schedule `* * * * *` fires every minute, but GitHub runs scheduled workflows at most every 5 minutes: fire times in between are batched by the `missed` policy",
      ],
      [
        ["schedule", 1],
        "warning",
        expect.stringMatching(/^schedule `\*\/2 9 \* \* \*` fires every 2 minutes/),
      ],
      [["schedule", 3], "warning", expect.stringMatching(/fires every 3 minutes/)],
    ]);
  });

  it("warns about duplicate entries, including equivalent spellings", () => {
    const problems = scheduleProblems(
      [{ name: "dup", schedule: ["@daily", "0 0 * * *", "@daily", "every 30m"] }],
      locate,
    );
    expect(problems.map((p) => [where(p), p.severity, p.message])).toEqual([
      [["schedule", 1], "warning", "schedule `0 0 * * *` is the same as `@daily`"],
      [["schedule", 2], "warning", "schedule `@daily` is listed twice"],
    ]);
  });

  it("has nothing to say about good schedules", () => {
    expect(
      scheduleProblems(
        [
          { name: "a", schedule: ["0 6 * * 1-5", "@workdays", "every 6h", "every 7h"] },
          { name: "b", schedule: [] },
        ],
        locate,
      ),
    ).toEqual([]);
  });
});
