import { describe, expect, it } from "vitest";
import { UserError } from "../../src/engine/errors.ts";
import { buildPlan, type GraphTask, type RunPlan, toMatrix } from "../../src/engine/plan/index.ts";

const t = (name: string, needs: string[] = [], more: Partial<GraphTask> = {}): GraphTask => ({
  name,
  needs,
  if: "success",
  enabled: true,
  ...more,
});
const now = new Date("2026-03-02T06:05:00Z");
const sel = (...names: string[]) => names.map((name) => ({ name, reason: "manual" }));

const tasks = [
  t("lint"),
  t("docs", ["lint"]),
  t("release", ["docs", "test"], { if: "always" }),
  t("test"),
  t("solo"),
  t("off", [], { enabled: false }),
  t("uses-off", ["off"]),
];

describe("buildPlan", () => {
  it("builds a serialisable plan with groups in topological order", () => {
    const plan = buildPlan({
      tasks,
      selected: [
        { name: "docs", reason: "due", fireTimes: [new Date("2026-03-02T06:00:00Z")] },
        ...sel("lint", "solo", "release", "test"),
      ],
      now,
      since: new Date("2026-03-02T05:00:00Z"),
    });
    expect(plan).toEqual({
      version: 1,
      now: "2026-03-02T06:05:00.000Z",
      since: "2026-03-02T05:00:00.000Z",
      tasks: [
        {
          name: "lint",
          group: "lint",
          reason: "manual",
          fireTimes: [],
          needs: [],
          needsOutsidePlan: [],
          if: "success",
        },
        {
          name: "docs",
          group: "lint",
          reason: "due",
          fireTimes: ["2026-03-02T06:00:00.000Z"],
          needs: ["lint"],
          needsOutsidePlan: [],
          if: "success",
        },
        {
          name: "test",
          group: "lint",
          reason: "manual",
          fireTimes: [],
          needs: [],
          needsOutsidePlan: [],
          if: "success",
        },
        {
          name: "release",
          group: "lint",
          reason: "manual",
          fireTimes: [],
          needs: ["docs", "test"],
          needsOutsidePlan: [],
          if: "always",
        },
        {
          name: "solo",
          group: "solo",
          reason: "manual",
          fireTimes: [],
          needs: [],
          needsOutsidePlan: [],
          if: "success",
        },
      ],
      groups: [
        { id: "lint", tasks: ["lint", "docs", "test", "release"] },
        { id: "solo", tasks: ["solo"] },
      ],
      skipped: [],
    } satisfies RunPlan);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("does not wait for needs outside the run, and notes them", () => {
    const plan = buildPlan({ tasks, selected: sel("docs", "release"), now });
    expect(plan.tasks.map((x) => [x.name, x.group, x.needs, x.needsOutsidePlan])).toEqual([
      ["docs", "docs", [], ["lint"]],
      ["release", "docs", ["docs"], ["test"]],
    ]);
    expect(plan.since).toBeNull();
  });

  it("splits groups when the connecting task is not in the run", () => {
    const plan = buildPlan({ tasks, selected: sel("docs", "test"), now });
    expect(plan.groups).toEqual([
      { id: "docs", tasks: ["docs"] },
      { id: "test", tasks: ["test"] },
    ]);
  });

  it("skips disabled tasks with a reason, and passes the caller's skipped through", () => {
    const plan = buildPlan({
      tasks,
      selected: sel("off", "uses-off"),
      now,
      skipped: [{ name: "lint", reason: "missed (missed: skip)" }],
    });
    expect(plan.tasks.map((x) => [x.name, x.needsOutsidePlan])).toEqual([["uses-off", ["off"]]]);
    expect(plan.skipped).toEqual([
      { name: "lint", reason: "missed (missed: skip)" },
      { name: "off", reason: "disabled (enabled: false)" },
    ]);
  });

  it("merges repeated selections and their fire times", () => {
    const plan = buildPlan({
      tasks,
      selected: [
        { name: "solo", reason: "schedule", fireTimes: [new Date("2026-03-02T06:00:00Z")] },
        {
          name: "solo",
          reason: "push",
          fireTimes: [new Date("2026-03-02T05:00:00Z"), new Date("2026-03-02T06:00:00Z")],
        },
      ],
      now,
    });
    expect(plan.tasks).toEqual([
      expect.objectContaining({
        name: "solo",
        reason: "schedule",
        fireTimes: ["2026-03-02T05:00:00.000Z", "2026-03-02T06:00:00.000Z"],
      }),
    ]);
  });

  it("throws a UserError for unknown names, with suggestions", () => {
    expect(() => buildPlan({ tasks, selected: sel("lnt", "docs", "nothing-like-it"), now })).toThrow(
      new UserError("unknown tasks: `lnt`, did you mean `lint`?; `nothing-like-it`"),
    );
  });

  it("skips tasks on a needs cycle instead of hanging", () => {
    const cyclic = [t("a", ["b"]), t("b", ["a"]), t("c", ["a"]), t("d", ["d"]), t("e")];
    const plan = buildPlan({ tasks: cyclic, selected: sel("a", "b", "c", "d", "e"), now });
    expect(plan.tasks.map((x) => [x.name, x.needs, x.needsOutsidePlan])).toEqual([
      ["c", [], ["a"]],
      ["e", [], []],
    ]);
    expect(plan.skipped).toEqual([
      { name: "a", reason: "needs cycle: a → b → a" },
      { name: "b", reason: "needs cycle: a → b → a" },
      { name: "d", reason: "needs cycle: d → d" },
    ]);
  });

  it("is deterministic whatever the input order", () => {
    const a = buildPlan({ tasks, selected: sel("release", "docs", "lint", "test", "solo"), now });
    const b = buildPlan({
      tasks: [...tasks].reverse(),
      selected: sel("solo", "test", "lint", "docs", "release"),
      now,
    });
    expect(b).toEqual(a);
  });

  it("plans 10,000 tasks (a hang guard; the speed is measured by `npm run bench`)", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => t(`t${i}`, i % 10 === 0 ? [] : [`t${i - 1}`]));
    const plan = buildPlan({ tasks: many, selected: sel(...many.map((x) => x.name)), now });
    expect(plan.groups).toHaveLength(1000);
    expect(plan.groups[0]).toEqual({
      id: "t0",
      tasks: ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"],
    });
  }, 10_000);
});

describe("toMatrix", () => {
  it("gives one job per group, tasks separated by spaces", () => {
    const plan = buildPlan({ tasks, selected: sel("docs", "lint", "solo"), now });
    expect(toMatrix(plan)).toEqual({
      include: [
        { group: "lint", tasks: "lint docs" },
        { group: "solo", tasks: "solo" },
      ],
    });
  });

  it("is empty for an empty plan", () => {
    expect(toMatrix(buildPlan({ tasks, selected: [], now }))).toEqual({ include: [] });
  });

  it("packs whole groups into at most maxJobs jobs, balanced by task count", () => {
    const many = [
      t("a1"),
      t("a2", ["a1"]),
      t("a3", ["a2"]),
      t("b"),
      t("c"),
      t("d"),
      t("e1"),
      t("e2", ["e1"]),
    ];
    const plan = buildPlan({ tasks: many, selected: sel(...many.map((x) => x.name)), now });
    expect(plan.groups.map((g) => g.id)).toEqual(["a1", "b", "c", "d", "e1"]);
    expect(toMatrix(plan, { maxJobs: 2 })).toEqual({
      include: [
        { group: "a1+1", tasks: "a1 a2 a3 c" },
        { group: "b+2", tasks: "b d e1 e2" },
      ],
    });
    const big = buildPlan({
      tasks: Array.from({ length: 1000 }, (_, i) => t(`t${i}`)),
      selected: sel(...Array.from({ length: 1000 }, (_, i) => `t${i}`)),
      now,
    });
    const matrix = toMatrix(big);
    expect(matrix.include).toHaveLength(256);
    expect(matrix.include.flatMap((j) => j.tasks.split(" ")).sort()).toEqual(
      big.tasks.map((x) => x.name).sort(),
    );
  });
});
