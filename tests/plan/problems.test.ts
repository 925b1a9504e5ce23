import { describe, expect, it } from "vitest";
import { type GraphTask, graphProblems } from "../../src/engine/plan/index.ts";
import { locate, pathOf } from "./fake-locate.ts";

const t = (name: string, needs: string[] = [], more: Partial<GraphTask> = {}): GraphTask => ({
  name,
  needs,
  if: "success",
  enabled: true,
  ...more,
});

const summary = (tasks: GraphTask[]) =>
  graphProblems(tasks, locate).map((p) => [
    p.file.replace(".github/claude-tasks/", ""),
    pathOf(p),
    p.severity,
    p.message,
  ]);

describe("graphProblems", () => {
  it("accepts a valid DAG", () => {
    expect(summary([t("lint"), t("docs", ["lint"]), t("release", ["docs", "lint"])])).toEqual([]);
  });

  it("reports unknown needs with a suggestion", () => {
    expect(summary([t("lint-fix"), t("docs", ["lint-fx", "zzz"])])).toEqual([
      ["docs.yml", ["needs", 0], "error", "unknown task `lint-fx` in needs, did you mean `lint-fix`?"],
      ["docs.yml", ["needs", 1], "error", "unknown task `zzz` in needs"],
    ]);
  });

  it("reports a task needing itself once (not also as a cycle)", () => {
    expect(summary([t("a", ["a"])])).toEqual([["a.yml", ["needs", 0], "error", "`a` needs itself"]]);
  });

  it("warns about duplicates and disabled needs", () => {
    expect(summary([t("a"), t("off", [], { enabled: false }), t("b", ["a", "a", "off"])])).toEqual([
      ["b.yml", ["needs", 1], "warning", "`a` is listed more than once in needs"],
      ["b.yml", ["needs", 2], "warning", "`off` is disabled, so `b` never waits for it (enabled: false)"],
    ]);
    // a disabled task needing a disabled task is fine
    expect(summary([t("off", [], { enabled: false }), t("off2", ["off"], { enabled: false })])).toEqual([]);
  });

  it("reports each cycle once, with its full path, at the first task's needs entry", () => {
    expect(summary([t("c", ["a"]), t("b", ["c"]), t("a", ["x", "b"]), t("x")])).toEqual([
      ["a.yml", ["needs", 1], "error", "needs cycle: a → b → c → a"],
    ]);
    // two separate cycles; a component with several cycles is reported once (its shortest through the first task)
    expect(summary([t("p", ["q"]), t("q", ["p"]), t("m", ["n", "o"]), t("n", ["o"]), t("o", ["m"])])).toEqual(
      [
        ["m.yml", ["needs", 1], "error", "needs cycle: m → o → m"],
        ["p.yml", ["needs", 0], "error", "needs cycle: p → q → p"],
      ],
    );
  });

  it("limits needs to 100 per task", () => {
    const many = Array.from({ length: 101 }, (_, i) => `n${i}`);
    const problems = summary([...many.map((name) => t(name)), t("big", many)]);
    expect(problems).toEqual([["big.yml", ["needs"], "error", "`big` needs 101 tasks; the maximum is 100"]]);
  });

  it("limits needs depth to 100, reporting the first task past the limit", () => {
    const chain = Array.from({ length: 103 }, (_, i) => t(`c${i}`, i === 0 ? [] : [`c${i - 1}`]));
    expect(summary(chain)).toEqual([
      [
        "c101.yml",
        ["needs"],
        "error",
        "needs chain too deep: `c101` is 101 needs away from `c0`; the maximum depth is 100",
      ],
    ]);
    expect(summary(chain.slice(0, 101))).toEqual([]);
  });

  it("stays fast on 10,000 tasks", () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      t(`t${i}`, i % 10 === 0 ? [] : [`t${i - 1}`, ...(i % 7 === 0 && i > 20 ? [`t${i - 20}`] : [])]),
    );
    expect(graphProblems(tasks, locate)).toEqual([]);
  }, 10_000); // a hang guard (a quadratic walk would blow it); the speed itself is measured by `npm run bench`

  it("caps did-you-mean work when everything is unknown", () => {
    const tasks = Array.from({ length: 2000 }, (_, i) => t(`task-${i}`, [`nope-${i}`]));
    const problems = graphProblems(tasks, locate);
    expect(problems).toHaveLength(2000);
  }, 10_000); // a hang guard: uncapped did-you-mean over 2,000 × 2,000 names would blow it
});
