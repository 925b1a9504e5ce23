import { describe, expect, it } from "vitest";
import { UserError } from "../../src/engine/errors.ts";
import { components, type NeedsNode, topoOrder } from "../../src/engine/plan/index.ts";

const n = (name: string, ...needs: string[]): NeedsNode => ({ name, needs });

describe("topoOrder", () => {
  it("puts needed tasks first and breaks ties by name", () => {
    expect(topoOrder([n("docs", "lint"), n("lint"), n("b"), n("a")])).toEqual(["a", "b", "lint", "docs"]);
    expect(topoOrder([n("c", "a", "b"), n("b", "a"), n("a"), n("z"), n("d", "c")])).toEqual([
      "a",
      "b",
      "c",
      "d",
      "z",
    ]);
  });

  it("is independent of input order", () => {
    const tasks = [n("e", "c"), n("d", "b"), n("c", "a"), n("b", "a"), n("a")];
    expect(topoOrder(tasks)).toEqual(topoOrder([...tasks].reverse()));
    expect(topoOrder(tasks)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("ignores needs outside the list and duplicate needs", () => {
    expect(topoOrder([n("b", "a", "a", "missing"), n("a")])).toEqual(["a", "b"]);
  });

  it("throws a UserError naming a cycle", () => {
    expect(() => topoOrder([n("a", "b"), n("b", "c"), n("c", "a")])).toThrow(
      new UserError("needs cycle: a → b → c → a"),
    );
    expect(() => topoOrder([n("a", "a")])).toThrow("needs cycle: a → a");
  });

  it("handles a 100,000-long chain without recursion", () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) =>
      n(`t${String(i).padStart(6, "0")}`, ...(i > 0 ? [`t${String(i - 1).padStart(6, "0")}`] : [])),
    );
    const order = topoOrder(tasks.reverse());
    expect(order[0]).toBe("t000000");
    expect(order.at(-1)).toBe("t099999");
  });
});

describe("components", () => {
  it("groups connected tasks, each in topological order, groups sorted", () => {
    expect(
      components([
        n("docs", "lint"),
        n("lint"),
        n("zeta"),
        n("release", "docs", "test"),
        n("test"),
        n("alpha", "zeta"),
      ]),
    ).toEqual([
      ["lint", "docs", "test", "release"],
      ["zeta", "alpha"],
    ]);
  });

  it("connects through shared needs (undirected)", () => {
    expect(components([n("a", "x"), n("b", "x"), n("x"), n("c")])).toEqual([["c"], ["x", "a", "b"]]);
  });

  it("gives one group per independent task", () => {
    expect(components([n("b"), n("a")])).toEqual([["a"], ["b"]]);
    expect(components([])).toEqual([]);
  });
});
