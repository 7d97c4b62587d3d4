/**
 * Auto-layout speed and shape on big graphs: dagre (what Netwright uses up to 1,000 layers), ELK's
 * layered algorithm (elkjs), and the plain layered layout used above 1,000 layers. Prints the median
 * of 3 runs and the drawing's size for an imported MobileNetV2 (flat and folded into blocks), an
 * expanded DenseNet-121 and GoogLeNet, and a 5,000-layer residual chain. `npx tsx bench/layout.ts`
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import dagre from '@dagrejs/dagre';
import { importKerasJson } from '../src-shared/export/kerasImport';
import { expandComposite } from '../src-shared/editing/expand';
import { groupByNames } from '../src-shared/editing/groupByNames';
import type { GraphDocument } from '../src-shared/graph/schema';
import { getLayerDef } from '../src-shared/layers/registry';
import { layeredCentres } from '../src-shared/layout/layeredLayout';
import { LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from '../src-shared/layout/autoLayout';
import { getTemplate } from '../src-shared/templates';
import { mobileNetV2ModelJson } from '../tests/e2e/support/mobileNetV2';
import { residualChain } from './residualChain';

type Graph = { nodes: readonly { id: string }[]; edges: readonly { id: string; source: string; target: string }[] };
type Size = { width: number; height: number };

function expandedTemplate(name: string): GraphDocument {
  let doc = getTemplate(name)?.build();
  if (!doc) throw new Error(`no template ${name}`);
  for (let pass = 0; pass < 4; pass++) for (const n of [...doc.nodes]) if (getLayerDef(n.type)?.kind === 'block') doc = expandComposite(doc, n.id);
  return doc;
}

function dagreLayout(g: Graph): Size {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 56, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) graph.setNode(n.id, { width: LAYOUT_NODE_WIDTH, height: LAYOUT_NODE_HEIGHT });
  for (const e of g.edges) graph.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(graph);
  const xs = g.nodes.map((n) => graph.node(n.id).x);
  const ys = g.nodes.map((n) => graph.node(n.id).y);
  return { width: Math.max(...xs) - Math.min(...xs) + LAYOUT_NODE_WIDTH, height: Math.max(...ys) - Math.min(...ys) + LAYOUT_NODE_HEIGHT };
}

const elk = new ELK();
async function elkLayout(g: Graph): Promise<Size> {
  const result = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '40', 'elk.layered.spacing.nodeNodeBetweenLayers': '56', 'elk.edgeRouting': 'SPLINES' },
    children: g.nodes.map((n) => ({ id: n.id, width: LAYOUT_NODE_WIDTH, height: LAYOUT_NODE_HEIGHT })),
    edges: g.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const xs = (result.children ?? []).map((c) => c.x ?? 0);
  const ys = (result.children ?? []).map((c) => c.y ?? 0);
  return { width: Math.max(...xs) - Math.min(...xs) + LAYOUT_NODE_WIDTH, height: Math.max(...ys) - Math.min(...ys) + LAYOUT_NODE_HEIGHT };
}

function plainLayout(g: Graph): Size {
  const centres = layeredCentres(g.nodes.map((n) => n.id), g.edges, { direction: 'TB', nodeWidth: LAYOUT_NODE_WIDTH, nodeHeight: LAYOUT_NODE_HEIGHT, nodeGap: 40, rankGap: 56, margin: 20 });
  const xs = [...centres.values()].map((c) => c.x);
  const ys = [...centres.values()].map((c) => c.y);
  return { width: Math.max(...xs) - Math.min(...xs) + LAYOUT_NODE_WIDTH, height: Math.max(...ys) - Math.min(...ys) + LAYOUT_NODE_HEIGHT };
}

async function time(run: () => Size | Promise<Size>): Promise<string> {
  const times: number[] = [];
  let size: Size = { width: 0, height: 0 };
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    size = await run();
    times.push(performance.now() - start);
  }
  const median = times.sort((a, b) => a - b)[1] as number;
  return `${median.toFixed(0).padStart(6)} ms  ${Math.round(size.width)}×${Math.round(size.height)} px`;
}

const imported = importKerasJson(JSON.stringify(mobileNetV2ModelJson()), 'mobilenet_v2');
if (!imported.ok) throw new Error(imported.error);
const cases: [string, Graph, boolean][] = [
  ['MobileNetV2, imported (156 layers)', imported.document, true],
  ['MobileNetV2, folded into blocks (23 nodes)', groupByNames(imported.document).document, true],
  ['DenseNet-121, expanded (427 layers)', expandedTemplate('densenet121'), true],
  ['GoogLeNet, expanded', expandedTemplate('googlenet'), true],
  ['residual chain (5,000 layers)', residualChain(5000), false],
];
console.log(`Auto-layout on ${process.platform}/${process.arch}, Node ${process.version}: median of 3 runs, drawing size`);
for (const [name, graph, small] of cases) {
  console.log(`\n${name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  // dagre recurses once per rank: a 5,000-rank chain overflows the stack.
  console.log(`  dagre        ${small ? await time(() => dagreLayout(graph)) : 'not run (stack overflow above ~2,000 ranks)'}`);
  console.log(`  ELK layered  ${small ? await time(() => elkLayout(graph)) : 'not run (tens of seconds)'}`);
  console.log(`  plain        ${await time(() => plainLayout(graph))}`);
}
