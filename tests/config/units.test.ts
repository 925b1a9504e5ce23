import { describe, expect, it } from "vitest";
import { branchTemplateProblem } from "../../src/engine/config/branch-template.ts";
import {
  branchNameProblem,
  didYouMean,
  effectiveDeny,
  isTimeZone,
  parseDuration,
  suggestTimeZone,
  tryParseDuration,
} from "../../src/engine/config/index.ts";
import { describeValue, label } from "../../src/engine/config/issue-messages.ts";
import { globProblem, repoPathProblem } from "../../src/engine/config/repo-path.ts";
import { UserError } from "../../src/engine/errors.ts";

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["20m", 1_200_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1h30m15s", 5_415_000],
    ["90m", 5_400_000],
    ["0s", 0],
    ["24h", 86_400_000],
  ])("%s is %d ms", (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each([
    ["30", "add a unit, like `30s` for seconds or `30m` for minutes"],
    ["1.5h", "use whole numbers"],
    ["25h", "at most 24h"],
    ["20M", "units are lowercase: `20m`"],
    ["1h 30m", "write it without spaces: `1h30m`"],
    ["500ms", "the units are `h`, `m` and `s`"],
    ["", "not a duration"],
    ["30m1h", "not a duration"],
    ["h", "not a duration"],
  ])("rejects %j with a UserError that says %j", (s, hint) => {
    expect(() => parseDuration(s)).toThrow(UserError);
    expect(() => parseDuration(s)).toThrow(hint);
  });

  it("tryParseDuration returns undefined instead of throwing", () => {
    expect(tryParseDuration("soon")).toBeUndefined();
    expect(tryParseDuration("9999999999999999999h")).toBeUndefined();
  });
});

describe("effectiveDeny", () => {
  it("keeps the workflows deny when a task's deny list leaves it out", () => {
    expect(effectiveDeny({ allow: ["**"], deny: ["secrets/**"] })).toEqual([
      "secrets/**",
      ".github/workflows/**",
    ]);
    expect(effectiveDeny({ allow: ["**"], deny: [] })).toEqual([".github/workflows/**"]);
    expect(effectiveDeny({ allow: [".github/**"], deny: [] })).toEqual([".github/workflows/**"]);
  });

  it("drops it only when allow names a workflow path explicitly", () => {
    expect(effectiveDeny({ allow: [".github/workflows/ci.yml"], deny: [".github/workflows/**"] })).toEqual(
      [],
    );
    expect(
      effectiveDeny({ allow: ["./.github/workflows/**"], deny: [".github/workflows/release.yml"] }),
    ).toEqual([".github/workflows/release.yml"]);
  });

  it("is idempotent and does not duplicate", () => {
    const paths = { allow: ["docs/**"], deny: [".github/workflows/**", "x/**"] };
    expect(effectiveDeny(paths)).toEqual(paths.deny);
    expect(effectiveDeny({ ...paths, deny: effectiveDeny(paths) })).toEqual(paths.deny);
  });
});

describe("branch names", () => {
  it.each([
    ["claude-tasks/docs", undefined],
    ["a b", "it contains a space"],
    ["a..b", "it contains `..`"],
    ["-a", "it starts with `-`"],
    ["a/", "it starts or ends with `/`"],
    ["a//b", "it contains `//`"],
    ["a/.b", "the part `.b` starts with `.`"],
    ["a.lock", "the part `a.lock` ends with `.lock`"],
    ["a@{1}", "it contains `@{`"],
    ["a~1", "it contains `~`"],
    ["a\u0001", "it contains `\\x01`"],
    ["@", "`@` alone is not a branch name"],
    ["a.", "it ends with `.`"],
  ])("%j: %s", (name, problem) => {
    expect(branchNameProblem(name)).toBe(problem);
  });

  it("checks branch templates", () => {
    expect(branchTemplateProblem("claude-tasks/{task}")).toBeUndefined();
    expect(branchTemplateProblem("fixed")).toBeUndefined();
    expect(branchTemplateProblem("x/{name}")).toBe("unknown placeholder `{name}`; only `{task}` is replaced");
    expect(branchTemplateProblem("x/{task")).toBe("unknown placeholder `{task`; only `{task}` is replaced");
    expect(branchTemplateProblem("{task}.lock")).toBe(
      "it is not a valid branch name: the part `task.lock` ends with `.lock`",
    );
  });
});

describe("time zones", () => {
  it("accepts IANA names and links, refuses offsets and nonsense", () => {
    for (const ok of ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "US/Eastern", "Etc/GMT+1"]) {
      expect(isTimeZone(ok)).toBe(true);
    }
    for (const bad of ["", "+01:00", "Mars/Olympus", "Z", "Europe/Berln"])
      expect(isTimeZone(bad)).toBe(false);
  });

  it("suggests close names", () => {
    expect(suggestTimeZone("Europe/Berln")).toBe("Europe/Berlin");
    expect(suggestTimeZone("berlin")).toBe("Europe/Berlin");
    expect(suggestTimeZone("New York")).toBe("America/New_York");
    expect(suggestTimeZone("utc")).toBe("UTC");
    expect(suggestTimeZone("Completely/Wrong")).toBeUndefined();
  });
});

describe("suggestions", () => {
  it("finds the key that was meant", () => {
    const keys = ["schedule", "timezone", "prompt", "prompt_file", "if"];
    expect(didYouMean("schedul", keys)).toBe("schedule");
    expect(didYouMean("Schedule", keys)).toBe("schedule");
    expect(didYouMean("time-zone", keys)).toBe("timezone");
    expect(didYouMean("prompt-file", keys)).toBe("prompt_file");
    expect(didYouMean("propmt", keys)).toBe("prompt");
    expect(didYouMean("of", keys)).toBe("if");
    expect(didYouMean("xyz", keys)).toBeUndefined();
    expect(didYouMean("frobnicate", keys)).toBeUndefined();
  });
});

describe("paths in the repository", () => {
  it("refuses paths that leave it", () => {
    expect(repoPathProblem("prompts/a.md")).toBeUndefined();
    expect(repoPathProblem("a/../b.md")).toBeUndefined();
    expect(repoPathProblem("/etc/passwd")).toMatch(/absolute/);
    expect(repoPathProblem("C:/x.md")).toMatch(/absolute/);
    expect(repoPathProblem("a/../../b.md")).toMatch(/leaves the repository/);
    expect(repoPathProblem("prompts/")).toMatch(/directory/);
    expect(repoPathProblem("a\\b.md")).toBe("use forward slashes: `a/b.md`");
  });

  it("checks globs", () => {
    expect(globProblem("docs/**")).toBeUndefined();
    expect(globProblem("**/*.md")).toBeUndefined();
    expect(globProblem("/docs/**")).toMatch(/drop the leading `\/`/);
    expect(globProblem("../x/**")).toMatch(/cannot leave/);
  });
});

describe("messages", () => {
  it("labels paths", () => {
    expect(label(["agent", "max_turns"])).toBe("agent.max_turns");
    expect(label(["needs", 1])).toBe("needs[1]");
    expect(label(["agent", "env", "TOKEN"])).toBe("agent.env.TOKEN");
  });

  it("describes values", () => {
    expect(describeValue(3)).toBe("the number 3");
    expect(describeValue("x")).toBe('the string "x"');
    expect(describeValue("")).toBe("an empty string");
    expect(describeValue("x".repeat(50))).toBe(`the string "${"x".repeat(37)}..."`);
    expect(describeValue(null)).toBe("an empty value");
    expect(describeValue(true)).toBe("`true`");
    expect(describeValue([])).toBe("an empty list");
    expect(describeValue([1])).toBe("a list");
    expect(describeValue({})).toBe("a mapping");
  });
});
