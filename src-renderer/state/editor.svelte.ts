import { replaceHead } from '../../src-shared/editing/replaceHead';
import { addNode, canConnect, connect, disconnect, EditError, moveNodes, removeNodes, renameNode, setParam, setTraining } from '../../src-shared/graph/ops';
import type { LayerTraining } from '../../src-shared/graph/training';
import { groupNodes } from '../../src-shared/graph/group';
import { expandComposite } from '../../src-shared/editing/expand';
import { checkCollapse, collapseExpansion, recordExpansion, type Expansion } from '../../src-shared/editing/collapseBack';
import { groupByNames, groupNamed } from '../../src-shared/editing/groupByNames';
import { sharedPrefix } from '../../src-shared/editing/nameGroups';
import { getLayerDef } from '../../src-shared/layers/registry';
import { USER_BLOCK_TYPE, type GraphDocument, type ParamValue, type Position } from '../../src-shared/graph/schema';
import { autoLayout } from '../../src-shared/layout/autoLayout';
import { copyFragment, pasteFragment, type ClipboardFragment } from '../../src-shared/editing/clipboard';
import { addedNodeIds } from '../../src-shared/editing/diff';
import type { RawParamValue } from '../../src-shared/layers/params';
import { DocumentStore } from './documentStore.svelte';

/** What the canvas colours nodes by: nothing, or their share of the model's parameters or FLOPs. */
export type HeatMode = 'off' | 'params' | 'flops';

/** Vertical distance between a node and the one added after it. */
const NEXT_NODE_GAP = 120;

/**
 * The editor's commands: every change to the document goes through here as one undo step,
 * and view state (selection, heat view, lock) lives beside the document, never inside it.
 */
export class Editor {
  readonly store: DocumentStore;
  selectedNodes = $state.raw<string[]>([]);
  selectedEdges = $state.raw<string[]>([]);
  heat = $state<HeatMode>('off');
  /** True while a run trains this graph. */
  locked = $state(false);
  /** The clipboard inside this app; the system clipboard carries the same fragment between windows. */
  private clipboard: ClipboardFragment | null = null;
  /** Built-in blocks expanded in this session, newest last: they can collapse back while their layers are unchanged. */
  private expansions = $state.raw<Expansion[]>([]);

  constructor(store = new DocumentStore()) {
    this.store = store;
  }

  get document(): GraphDocument {
    return this.store.document;
  }

  select(nodes: readonly string[], edges: readonly string[] = []): void {
    this.selectedNodes = [...nodes];
    this.selectedEdges = [...edges];
  }

  selectAll(): void {
    this.select(this.document.nodes.map((n) => n.id));
  }

  /** Adds a layer at a canvas position, selects it, and returns its id. */
  addLayer(type: string, position: Position, options: { block?: string } = {}): string | null {
    let id: string | null = null;
    this.store.apply(`Add ${type}`, (doc) => {
      const next = addNode(doc, { type, position: snap(position), ...(options.block ? { block: options.block } : {}) });
      id = next.nodes[next.nodes.length - 1]?.id ?? null;
      return next;
    });
    if (id) this.select([id]);
    return id;
  }

  /** Double-click in the palette: add after the selected layer and wire it, or below everything. */
  addAfterSelection(type: string): string | null {
    const doc = this.document;
    const anchor = doc.nodes.find((n) => n.id === this.selectedNodes.at(-1));
    const lowest = doc.nodes.reduce<Position | null>((low, n) => (low === null || n.position.y > low.y ? n.position : low), null);
    const position = anchor ? { x: anchor.position.x, y: anchor.position.y + NEXT_NODE_GAP } : lowest ? { x: lowest.x, y: lowest.y + NEXT_NODE_GAP } : { x: 0, y: 0 };
    let id: string | null = null;
    this.store.batch(`Add ${type}`, () => {
      id = this.addLayer(type, position);
      if (id && anchor) {
        const target = id;
        if (canConnect(this.document, { source: anchor.id, target }).ok) this.store.apply('Connect', (d) => connect(d, { source: anchor.id, target }));
      }
    });
    return id;
  }

  /** Checks a connection while a wire is dragged. */
  canConnect(source: string, sourcePort: number, target: string, targetPort: number | undefined): { ok: true } | { ok: false; reason: string } {
    return canConnect(this.document, { source, sourcePort, target, ...(targetPort !== undefined ? { targetPort } : {}) });
  }

  connect(source: string, sourcePort: number, target: string, targetPort: number | undefined): boolean {
    return this.store.apply('Connect', (doc) => connect(doc, { source, sourcePort, target, ...(targetPort !== undefined ? { targetPort } : {}) }));
  }

  deleteSelection(nodes: readonly string[] = this.selectedNodes, edges: readonly string[] = this.selectedEdges): boolean {
    if (this.locked || (nodes.length === 0 && edges.length === 0)) return false;
    const changed = this.store.apply(nodes.length > 0 ? `Delete ${nodes.length} layer${nodes.length === 1 ? '' : 's'}` : 'Delete connection', (doc) => {
      const keptEdges = edges.filter((id) => doc.edges.some((e) => e.id === id && !nodes.includes(e.source) && !nodes.includes(e.target)));
      const withoutEdges = keptEdges.length > 0 ? disconnect(doc, keptEdges) : doc;
      return nodes.length > 0 ? removeNodes(withoutEdges, nodes) : withoutEdges;
    });
    if (changed) this.select([]);
    return changed;
  }

  /** A whole drag is one step. */
  moveNodes(moves: readonly { id: string; position: Position }[]): void {
    const doc = this.document;
    const real = moves.filter((m) => {
      const node = doc.nodes.find((n) => n.id === m.id);
      return node && (node.position.x !== m.position.x || node.position.y !== m.position.y);
    });
    if (real.length === 0) return;
    this.store.apply(real.length === 1 ? 'Move layer' : `Move ${real.length} layers`, (d) => moveNodes(d, real.map((m) => ({ id: m.id, position: snap(m.position) }))));
  }

  setParam(nodeId: string, key: string, value: RawParamValue): void {
    const stored: ParamValue = Array.isArray(value) ? [...value] : (value as Exclude<RawParamValue, readonly number[]>);
    this.store.apply(`Set ${key}`, (doc) => setParam(doc, nodeId, key, stored), { mergeKey: `${nodeId}.${key}` });
  }

  /** Freezes or unfreezes a layer or block, or sets its learning-rate multiplier; one undo step each. */
  setTraining(nodeId: string, patch: Partial<LayerTraining>): void {
    const label = patch.trainable === undefined ? 'Set learning-rate multiplier' : patch.trainable ? 'Unfreeze layer' : 'Freeze layer';
    this.store.apply(label, (doc) => setTraining(doc, nodeId, patch), patch.lrMultiplier === undefined ? undefined : { mergeKey: `${nodeId}.lrMultiplier` });
  }

  /**
   * d2l's fine-tuning recipe (replaceHead.ts): a fresh Dense for `classes` classes under a new name,
   * at 10× the learning rate; one undo step. Returns the new head's id, or null with the reason in
   * the store's lastError.
   */
  replaceHead(nodeId: string, classes: number): string | null {
    let headId: string | null = null;
    const changed = this.store.apply(`Replace head for ${classes} classes`, (doc) => {
      const result = replaceHead(doc, nodeId, classes);
      if (!result.ok) throw new EditError(result.message);
      headId = result.headId;
      return result.document;
    });
    if (!changed || headId === null) return null;
    this.select([headId]);
    return headId;
  }

  rename(nodeId: string, name: string): void {
    this.store.apply('Rename layer', (doc) => renameNode(doc, nodeId, name));
  }

  copy(): ClipboardFragment | null {
    const fragment = copyFragment(this.document, this.selectedNodes);
    if (fragment) this.clipboard = fragment;
    return fragment;
  }

  cut(): ClipboardFragment | null {
    const fragment = this.copy();
    if (fragment) this.deleteSelection(this.selectedNodes, []);
    return fragment;
  }

  /** Pastes the given fragment (from the system clipboard) or the app's own clipboard. */
  paste(fragment: ClipboardFragment | null = this.clipboard, at?: Position): boolean {
    if (!fragment || this.locked) return false;
    let pasted: string[] = [];
    const changed = this.store.apply(`Paste ${fragment.nodes.length} layer${fragment.nodes.length === 1 ? '' : 's'}`, (doc) => {
      const result = pasteFragment(doc, fragment, at);
      pasted = result.pasted;
      return result.document;
    });
    if (changed) {
      this.select(pasted);
      this.clipboard = fragment;
    }
    return changed;
  }

  duplicate(): boolean {
    const fragment = copyFragment(this.document, this.selectedNodes);
    return fragment ? this.paste(fragment) : false;
  }

  /** Groups the selection into a block, named after the prefix its layers' names share ('block_7'), if any. */
  group(name?: string): boolean {
    if (this.selectedNodes.length === 0) return false;
    const before = this.document;
    const shared = name ? null : sharedPrefix(before.nodes.filter((n) => this.selectedNodes.includes(n.id)).map((n) => n.name ?? n.id));
    const changed = this.store.apply('Group into block', (doc) =>
      shared ? groupNamed(doc, this.selectedNodes, shared).document : groupNodes(doc, this.selectedNodes, name ? { name } : {}),
    );
    if (changed) this.select(addedNodeIds(before, this.document));
    return changed;
  }

  /** True when a node is a user block or a composite (Residual, Inception…) that can open up in place. */
  isBlock(id: string): boolean {
    const node = this.document.nodes.find((n) => n.id === id);
    return node !== undefined && (node.type === USER_BLOCK_TYPE || getLayerDef(node.type)?.kind === 'block');
  }

  /** Ungroups user blocks and expands composite blocks of the selection, in place, as one step. */
  ungroup(): boolean {
    const blocks = this.selectedNodes.filter((id) => this.isBlock(id));
    if (blocks.length === 0) return false;
    const before = this.document;
    const changed = this.store.batch(blocks.length === 1 ? 'Expand block' : `Expand ${blocks.length} blocks`, () => {
      for (const id of blocks) {
        const pre = this.document;
        this.store.apply('Expand', (doc) => expandComposite(doc, id));
        const expansion = recordExpansion(pre, this.document, id);
        if (expansion) this.expansions = [...this.expansions.filter((e) => e.original.id !== id), expansion];
      }
    });
    if (changed) this.select(addedNodeIds(before, this.document));
    return changed;
  }

  /** The newest expanded built-in block with a selected layer that can still collapse back; null when none. */
  collapsible(selected: readonly string[] = this.selectedNodes): Expansion | null {
    const doc = this.document;
    return this.expansions.findLast((e) => e.layers.some((l) => selected.includes(l.id)) && checkCollapse(doc, e).ok) ?? null;
  }

  /** Puts the selected layers' built-in block back, with its parameters, as one undoable step. */
  collapseBack(): boolean {
    const expansion = this.collapsible();
    if (!expansion || this.locked) return false;
    const changed = this.store.apply(`Collapse back into ${expansion.label}`, (doc) => collapseExpansion(doc, expansion));
    if (changed) this.select([expansion.original.id]);
    return changed;
  }

  /** Folds runs of layers whose names share a prefix into blocks named by it, and lays the graph out again. */
  groupByNames(): number {
    let blocks = 0;
    this.store.apply('Group by layer names', (doc) => {
      const result = groupByNames(doc);
      blocks = result.blocks;
      return result.document;
    });
    if (blocks > 0) requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('netwright:fit-view')));
    return blocks;
  }

  autoLayout(): boolean {
    const changed = this.store.apply('Auto-layout', (doc) => {
      const positions = autoLayout(doc);
      return moveNodes(doc, doc.nodes.map((n) => ({ id: n.id, position: positions.get(n.id) ?? n.position })));
    });
    // Let the canvas render the new positions, then bring the whole graph into view.
    if (changed) requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('netwright:fit-view')));
    return changed;
  }
}

/** Positions snap to a 2px grid so saved files stay tidy. */
function snap(position: Position): Position {
  return { x: Math.round(position.x / 2) * 2, y: Math.round(position.y / 2) * 2 };
}
