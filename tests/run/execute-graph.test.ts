import { describe, expect, it } from "vitest";
import { executeGraph, type GraphNode, type Outcome } from "../../src/engine/run/execute-graph.ts";

type R = { name: string; outcome: Outcome; reason?: string };

function harness(nodes: GraphNode[], fail: string[] = [], maxParallel = 2, delayMs = 5) {
  const order: string[] = [];
  let active = 0;
  let peak = 0;
  const run = async (name: string): Promise<R> => {
    active++;
    peak = Math.max(peak, active);
    order.push(name);
    await new Promise((r) => setTimeout(r, delayMs));
    active--;
    if (name === "boom") throw new Error("bug");
    return { name, outcome: fail.includes(name) ? "failure" : "success" };
  };
  const done = executeGraph<R>({
    nodes,
    maxParallel,
    run,
    outcome: (r) => r.outcome,
    skip: (name, reason) => ({ name, outcome: "skipped", reason }),
    crash: (name) => ({ name, outcome: "failure", reason: "crashed" }),
  });
  return { done, order, peak: () => peak };
}

const n = (name: string, needs: string[] = [], cond: GraphNode["if"] = "success"): GraphNode => ({
  name,
  needs,
  if: cond,
});

describe("executeGraph", () => {
  it("runs dependencies before dependents and never exceeds max-parallel", async () => {
    const h = harness([n("a"), n("b"), n("c"), n("d", ["a", "b"]), n("e", ["d"])], [], 2);
    const res = await h.done;
    expect([...res.values()].every((r) => r.outcome === "success")).toBe(true);
    expect(h.order.indexOf("d")).toBeGreaterThan(h.order.indexOf("a"));
    expect(h.order.indexOf("d")).toBeGreaterThan(h.order.indexOf("b"));
    expect(h.order.indexOf("e")).toBeGreaterThan(h.order.indexOf("d"));
    expect(h.peak()).toBe(2);
  });

  it("skips dependents of a failed task with the reason, transitively", async () => {
    const res = await harness([n("a"), n("b", ["a"]), n("c", ["b"])], ["a"]).done;
    expect(res.get("b")).toMatchObject({ outcome: "skipped", reason: "dependency `a` failed" });
    expect(res.get("c")).toMatchObject({ outcome: "skipped", reason: "dependency `b` was skipped" });
  });

  it("honours if: always and if: failure", async () => {
    const res = await harness(
      [
        n("a"),
        n("cleanup", ["a"], "always"),
        n("notify", ["a"], "failure"),
        n("ok"),
        n("n2", ["ok"], "failure"),
      ],
      ["a"],
    ).done;
    expect(res.get("cleanup")?.outcome).toBe("success");
    expect(res.get("notify")?.outcome).toBe("success");
    expect(res.get("n2")).toMatchObject({ outcome: "skipped" });
  });

  it("ignores needs outside the run and turns a crash into a failed result", async () => {
    const res = await harness([n("boom", ["not-in-run"]), n("after", ["boom"])]).done;
    expect(res.get("boom")).toMatchObject({ outcome: "failure", reason: "crashed" });
    expect(res.get("after")).toMatchObject({ outcome: "skipped", reason: "dependency `boom` failed" });
  });

  it("does not start new tasks once the signal is aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    const res = await executeGraph<R>({
      nodes: [n("a"), n("b", ["a"])],
      maxParallel: 1,
      signal: ac.signal,
      run: async (name) => ({ name, outcome: "success" }),
      outcome: (r) => r.outcome,
      skip: (name, reason) => ({ name, outcome: "skipped", reason }),
      crash: (name) => ({ name, outcome: "failure" }),
    });
    expect(res.get("a")?.reason).toMatch(/cancelled/);
    expect(res.get("b")?.outcome).toBe("skipped");
  });
});
