import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPlan,
  components,
  type GraphTask,
  graphProblems,
  topoOrder,
} from "../../src/engine/plan/index.ts";
import { locate } from "./fake-locate.ts";

/** A random DAG: task `i` may only need tasks with a smaller index; names shuffled so index ≠ name order. */
const dag = fc.integer({ min: 1, max: 40 }).chain((size) =>
  fc
    .tuple(
      fc.shuffledSubarray(
        Array.from({ length: size }, (_, i) => `t${i}`),
        { minLength: size, maxLength: size },
      ),
      fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: size, maxLength: size }),
    )
    .map(([names, picks]) =>
      names.map(
        (name, i): GraphTask => ({
          name,
          needs: i === 0 ? [] : picks[i]!.map((p) => names[p % i]!),
          if: "success",
          enabled: true,
        }),
      ),
    ),
);

describe("graph properties", () => {
  it("topoOrder lists every task once, after everything it needs", () => {
    fc.assert(
      fc.property(dag, (tasks) => {
        const order = topoOrder(tasks);
        expect([...order].sort()).toEqual(tasks.map((t) => t.name).sort());
        const position = new Map(order.map((name, i) => [name, i]));
        for (const t of tasks)
          for (const need of t.needs) expect(position.get(need)!).toBeLessThan(position.get(t.name)!);
      }),
      { numRuns: 300 },
    );
  });

  it("topoOrder does not depend on input order", () => {
    fc.assert(
      fc.property(dag, (tasks) => {
        expect(topoOrder([...tasks].reverse())).toEqual(topoOrder(tasks));
      }),
      { numRuns: 100 },
    );
  });

  it("components partition the tasks, keep edges inside a group, and keep topological order", () => {
    fc.assert(
      fc.property(dag, (tasks) => {
        const groups = components(tasks);
        const groupOf = new Map(groups.flatMap((g, i) => g.map((name) => [name, i] as const)));
        expect(groupOf.size).toBe(tasks.length);
        const order = topoOrder(tasks);
        for (const t of tasks)
          for (const need of t.needs) expect(groupOf.get(need)).toBe(groupOf.get(t.name));
        for (const g of groups) expect(g).toEqual(order.filter((name) => g.includes(name)));
        const ids = groups.map((g) => g[0]!);
        expect(ids).toEqual([...ids].sort());
      }),
      { numRuns: 200 },
    );
  });

  it("a DAG has no errors, and a plan of all its tasks matches components", () => {
    fc.assert(
      fc.property(dag, (tasks) => {
        expect(graphProblems(tasks, locate).filter((p) => p.severity === "error")).toEqual([]);
        const plan = buildPlan({
          tasks,
          selected: tasks.map((t) => ({ name: t.name, reason: "test" })),
          now: new Date(0),
        });
        expect(plan.groups.map((g) => g.tasks)).toEqual(components(tasks));
        expect(plan.skipped).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("adding a back edge creates exactly one reported cycle that starts and ends at the same task", () => {
    fc.assert(
      fc.property(dag, fc.nat(), (tasks, pick) => {
        // pick a task with a need and make the need require it back
        const withNeeds = tasks.filter((t) => t.needs.length > 0);
        fc.pre(withNeeds.length > 0);
        const from = withNeeds[pick % withNeeds.length]!;
        const to = from.needs[0]!;
        const cyclic = tasks.map((t) => (t.name === to ? { ...t, needs: [...t.needs, from.name] } : t));
        const cycles = graphProblems(cyclic, locate).filter((p) => p.message.startsWith("needs cycle: "));
        expect(cycles).toHaveLength(1); // one new strongly connected component
        for (const c of cycles) {
          const path = c.message.slice("needs cycle: ".length).split(" → ");
          expect(path[0]).toBe(path.at(-1));
          for (let i = 0; i + 1 < path.length; i++) {
            expect(cyclic.find((t) => t.name === path[i])!.needs).toContain(path[i + 1]);
          }
        }
        expect(() => topoOrder(cyclic)).toThrow(/^needs cycle: /);
      }),
      { numRuns: 200 },
    );
  });
});
