/** Topological order and cycle detection for graphs given as ids and edges. */

export interface OrderEdge {
  source: string;
  target: string;
}

export interface OrderResult {
  /** Nodes whose every ancestor is acyclic, in topological order (ties in document order). */
  order: string[];
  /** Each cycle found, as a closed path of node ids (first id repeated at the end). */
  cycles: string[][];
  /** For every node on a cycle, the cycle it is on. */
  cycleOf: Map<string, string[]>;
  /** Nodes not on a cycle but downstream of one, in document order. */
  behindCycle: string[];
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      a[parent] = value;
      i = parent;
    }
  }

  /** Removes and returns the smallest value; the heap must not be empty. */
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && (a[l] as number) < (a[m] as number)) m = l;
      if (r < a.length && (a[r] as number) < (a[m] as number)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as number, a[i] as number];
      i = m;
    }
    return top;
  }
}

function successorMap(ids: readonly string[], edges: readonly OrderEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const id of ids) next.set(id, []);
  for (const edge of edges) {
    const list = next.get(edge.source);
    if (list && next.has(edge.target)) list.push(edge.target);
  }
  return next;
}

/** Strongly connected components of `nodes` (iterative Tarjan: no recursion limit on long chains). */
function stronglyConnected(nodes: readonly string[], next: Map<string, string[]>, inside: ReadonlySet<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    visit(root);
    const frames: { v: string; i: number }[] = [{ v: root, i: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { v: string; i: number };
      const succ = (next.get(frame.v) ?? []).filter((w) => inside.has(w));
      if (frame.i < succ.length) {
        const w = succ[frame.i++] as string;
        if (!index.has(w)) {
          visit(w);
          frames.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v) ?? 0, index.get(w) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) ?? 0, low.get(frame.v) ?? 0));
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        components.push(component);
      }
    }
  }
  return components;
}

/** A shortest closed path from `start` back to itself inside `members`. */
function cyclePath(start: string, next: Map<string, string[]>, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as string;
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u)) path.push(u);
        path.push(start);
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Kahn's algorithm, then Tarjan on whatever is left to tell cycles from what merely follows them.
 *
 * @example
 * topologicalOrder(['a', 'b'], [{ source: 'a', target: 'b' }]).order; // ['a', 'b']
 */
export function topologicalOrder(ids: readonly string[], edges: readonly OrderEdge[]): OrderResult {
  const next = successorMap(ids, edges);
  const indegree = new Map<string, number>();
  for (const id of ids) indegree.set(id, 0);
  for (const targets of next.values()) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  // Among the nodes ready to go, always take the earliest in the document: a document already in
  // topological order keeps its order (as Keras lists layers in creation order).
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));
  const ready = new MinHeap();
  ids.forEach((id, i) => {
    if (indegree.get(id) === 0) ready.push(i);
  });
  const order: string[] = [];
  while (ready.size > 0) {
    const id = ids[ready.pop()] as string;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const d = (indegree.get(t) ?? 0) - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(position.get(t) ?? 0);
    }
  }
  const cycleOf = new Map<string, string[]>();
  const cycles: string[][] = [];
  if (order.length === ids.length) return { order, cycles, cycleOf, behindCycle: [] };

  const done = new Set(order);
  const rest = ids.filter((id) => !done.has(id));
  const restSet = new Set(rest);
  for (const component of stronglyConnected(rest, next, restSet)) {
    const only = component[0] as string;
    const selfLoop = component.length === 1 && (next.get(only) ?? []).includes(only);
    if (component.length < 2 && !selfLoop) continue;
    const members = new Set(component);
    const first = rest.find((id) => members.has(id)) ?? only;
    const path = cyclePath(first, next, members);
    cycles.push(path);
    for (const id of component) cycleOf.set(id, path);
  }
  return { order, cycles, cycleOf, behindCycle: rest.filter((id) => !cycleOf.has(id)) };
}
