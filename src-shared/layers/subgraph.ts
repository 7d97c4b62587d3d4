import type { RawParams } from './params';
import { BLOCK_INPUT, type PortRef, type SubGraph, type SubGraphEdge, type SubGraphNode } from './types';

/**
 * Builds a sub-graph in reading order: each `add` names its inputs, ids are made unique.
 *
 * @example
 * const g = new SubGraphBuilder(1);
 * const conv = g.add('Conv2D', { filters: 64, padding: 'same' }, [g.input()]);
 * g.output(g.add('Activation', { activation: 'relu' }, [conv]));
 * const residualBody = g.build();
 */
export class SubGraphBuilder {
  private readonly nodes: SubGraphNode[] = [];
  private readonly edges: SubGraphEdge[] = [];
  private readonly outputs: PortRef[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly inputCount: number) {}

  /** The sub-graph's input `index`, to pass to `add`. */
  input(index = 0): PortRef {
    return { node: BLOCK_INPUT, port: index };
  }

  /** Adds a layer fed by `inputs` (in port order) and returns its output port. */
  add(type: string, params: RawParams, inputs: readonly PortRef[], id?: string): PortRef {
    const nodeId = this.uniqueId(id ?? type.charAt(0).toLowerCase() + type.slice(1));
    this.nodes.push({ id: nodeId, type, params });
    inputs.forEach((source, targetPort) => {
      this.edges.push({ source: source.node, sourcePort: source.port, target: nodeId, targetPort });
    });
    return { node: nodeId, port: 0 };
  }

  /** Declares the sub-graph's outputs, in order. */
  output(...refs: PortRef[]): void {
    this.outputs.push(...refs);
  }

  build(): SubGraph {
    return { inputs: this.inputCount, nodes: [...this.nodes], edges: [...this.edges], outputs: [...this.outputs] };
  }

  private uniqueId(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    return id;
  }
}
