import type { PortRef } from '../layers/types';
import { idPrefix, nextId } from './ids';
import { autoLayout, type LayoutOptions } from '../layout/autoLayout';
import { createDocument, type GraphDocument, type GraphEdge, type GraphNode, type Metadata, type ParamValue } from './schema';

/** A node's output: its id (output 0) or an explicit port. */
export type OutputRef = string | PortRef;

/**
 * Writes a document in reading order, then lays it out with the editor's auto-layout: how templates,
 * tests and benchmarks build graphs.
 *
 * @example
 * const b = new DocumentBuilder('Tiny MLP');
 * const x = b.add('VectorInput', { features: 784 });
 * b.add('Dense', { units: 10, activation: 'softmax' }, [b.add('Dense', { units: 128, activation: 'relu' }, [x])]);
 * const doc = b.build();
 */
export class DocumentBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly ids = new Set<string>();
  private readonly edgeIds = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly metadata: Metadata = {},
  ) {}

  /** Adds a layer fed by `inputs` (in port order); returns its id. */
  add(type: string, params: Record<string, ParamValue> = {}, inputs: readonly OutputRef[] = [], id?: string): string {
    const nodeId = id ?? nextId(idPrefix(type), this.ids, '_');
    if (this.ids.has(nodeId)) throw new Error(`DocumentBuilder: duplicate node id '${nodeId}'.`);
    this.ids.add(nodeId);
    this.nodes.push({ id: nodeId, type, params, position: { x: 0, y: 0 } });
    inputs.forEach((input, targetPort) => this.connect(input, nodeId, targetPort));
    return nodeId;
  }

  /** Adds a connection that `add` could not express (e.g. into a later port). */
  connect(input: OutputRef, target: string, targetPort: number): void {
    const source = typeof input === 'string' ? { node: input, port: 0 } : input;
    const id = nextId('e', this.edgeIds);
    this.edgeIds.add(id);
    this.edges.push({ id, source: source.node, sourcePort: source.port, target, targetPort });
  }

  build(layout: LayoutOptions = {}): GraphDocument {
    const positions = autoLayout({ nodes: this.nodes, edges: this.edges }, layout);
    return {
      ...createDocument(this.name),
      metadata: { ...this.metadata },
      nodes: this.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })),
      edges: [...this.edges],
    };
  }
}
