/**
 * The `needs` graph: deterministic topological order, independent groups, strongly connected
 * components. Every algorithm is iterative (no recursion depth limit) and O((n + e) log n) at worst.
 *
 * Edges point from a task to what it needs; a topological order lists needed tasks first. Needs that
 * name a task outside the given list are ignored here (see `graphProblems` and `buildPlan`).
 */
import { UserError } from "../errors.ts";
import { compareCodeUnits } from "../order.ts";

/** What the graph functions need of a task (the config's `Task` satisfies it). */
export interface NeedsNode {
  readonly name: string;
  readonly needs: readonly string[];
}

/** Tasks indexed by name order: id `i` is the `i`-th name in sorted order, so ties break by id. */
export interface IndexedGraph {
  readonly names: readonly string[];
  readonly ids: ReadonlyMap<string, number>;
  /** `deps[i]`: ids task `i` needs, distinct, without `i` itself, ascending. */
  readonly deps: readonly (readonly number[])[];
  /** Ids of tasks that need themselves. */
  readonly selfLoops: readonly number[];
}

export function indexGraph(tasks: readonly NeedsNode[]): IndexedGraph {
  const names = [...new Set(tasks.map((t) => t.name))].sort(compareCodeUnits);
  const ids = new Map(names.map((name, i) => [name, i]));
  const deps: number[][] = names.map(() => []);
  const selfLoops: number[] = [];
  for (const task of tasks) {
    const id = ids.get(task.name)!;
    const list = deps[id]!;
    for (const need of task.needs) {
      const dep = ids.get(need);
      if (dep === undefined) continue;
      if (dep === id) {
        if (!selfLoops.includes(id)) selfLoops.push(id);
        continue;
      }
      list.push(dep);
    }
  }
  for (let i = 0; i < deps.length; i++) if (deps[i]!.length > 1) deps[i] = uniqueSorted(deps[i]!);
  return { names, ids, deps, selfLoops };
}

/**
 * Kahn's algorithm with a min-heap: needed tasks first, ties by name. Tasks on or behind a cycle
 * are left out; `complete` says whether every task made it.
 */
export function kahnOrder(g: IndexedGraph): { order: number[]; complete: boolean } {
  const n = g.names.length;
  const pending = new Int32Array(n);
  // dependents in compressed rows: those of `d` are list[start[d] .. start[d + 1])
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    pending[i] = g.deps[i]!.length;
    for (const d of g.deps[i]!) start[d + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) for (const d of g.deps[i]!) list[fill[d]!++] = i;

  const heap = new MinHeap();
  for (let i = 0; i < n; i++) if (pending[i] === 0) heap.push(i);
  const order: number[] = [];
  while (heap.size > 0) {
    const id = heap.pop();
    order.push(id);
    for (let k = start[id]!; k < start[id + 1]!; k++) {
      const dependent = list[k]!;
      if (--pending[dependent]! === 0) heap.push(dependent);
    }
  }
  return { order, complete: order.length === n };
}

/**
 * Task names in a deterministic topological order: every task after all the tasks it needs, ties
 * broken by name. Throws a `UserError` naming a cycle if there is one.
 */
export function topoOrder(tasks: readonly NeedsNode[]): string[] {
  const g = indexGraph(tasks);
  return acyclicOrder(g).map((id) => g.names[id]!);
}

/**
 * Independent groups: the connected components of the needs graph (edges taken as undirected).
 * Each group lists its tasks in topological order (ties by name); groups are sorted by their first
 * task's name. Throws like `topoOrder` on a cycle.
 */
export function components(tasks: readonly NeedsNode[]): string[][] {
  const g = indexGraph(tasks);
  return groupIds(g, acyclicOrder(g)).map((group) => group.map((id) => g.names[id]!));
}

function acyclicOrder(g: IndexedGraph): number[] {
  const { order, complete } = kahnOrder(g);
  if (!complete || g.selfLoops.length > 0) {
    const cycle = findCycles(g)[0]!;
    throw new UserError(`needs cycle: ${cycle.map((id) => g.names[id]).join(" → ")}`);
  }
  return order;
}

/**
 * Splits an order into the connected components of `g` (union-find), keeping each component's
 * tasks in the order given. A subsequence of a tie-by-name Kahn order is exactly the component's
 * own tie-by-name Kahn order. Groups come out sorted by their first task's name.
 */
export function groupIds(g: IndexedGraph, order: readonly number[]): number[][] {
  const parent = Int32Array.from({ length: g.names.length }, (_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  for (let i = 0; i < g.deps.length; i++) {
    for (const d of g.deps[i]!) {
      const a = find(i);
      const b = find(d);
      if (a !== b) parent[a] = b;
    }
  }
  const byRoot = new Map<number, number[]>();
  for (const id of order) {
    const root = find(id);
    const group = byRoot.get(root);
    if (group === undefined) byRoot.set(root, [id]);
    else group.push(id);
  }
  return [...byRoot.values()].sort((a, b) => compareCodeUnits(g.names[a[0]!]!, g.names[b[0]!]!));
}

/**
 * One cycle per strongly connected component that has one (self-loops included), as ids from the
 * component's first task (by name) back to itself: `[a, b, c, a]`. The cycle is a shortest one
 * through that task. Components come out ordered by their first task's name.
 */
export function findCycles(g: IndexedGraph): number[][] {
  const cycles: number[][] = g.selfLoops.map((id) => [id, id]);
  const component = stronglyConnected(g);
  const size = new Int32Array(g.names.length);
  for (const c of component) size[c]!++;
  const seen = new Set<number>();
  for (let id = 0; id < component.length; id++) {
    const c = component[id]!;
    if (size[c]! < 2 || seen.has(c)) continue;
    seen.add(c); // ids ascend, so `id` is the component's first task by name
    cycles.push(shortestCycle(g, id, component));
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** Breadth-first search from `start` back to itself, within `start`'s component. */
function shortestCycle(g: IndexedGraph, start: number, component: Int32Array): number[] {
  const c = component[start];
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const d of g.deps[id]!) {
      if (component[d] !== c) continue;
      if (d === start) {
        // Walk back from `id` to `start`, then read it forwards and close the loop.
        const path = [id];
        for (let at = id; at !== start; ) {
          at = previous.get(at)!;
          path.push(at);
        }
        path.reverse();
        path.push(start);
        return path;
      }
      if (!previous.has(d)) {
        previous.set(d, id);
        queue.push(d);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm, iterative. Returns each id's component number. */
export function stronglyConnected(g: IndexedGraph): Int32Array {
  const n = g.names.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const callStack: number[] = [];
  const edgePos = new Int32Array(n);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callStack.push(root);
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1]!;
      if (index[v] === -1) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const deps = g.deps[v]!;
      if (edgePos[v]! < deps.length) {
        const w = deps[edgePos[v]!++]!;
        if (index[w] === -1) callStack.push(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      callStack.pop();
      if (callStack.length > 0) {
        const parent = callStack[callStack.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}

function uniqueSorted(values: number[]): number[] {
  values.sort((a, b) => a - b);
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      const n = items.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && items[r]! < items[l]! ? r : l;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
