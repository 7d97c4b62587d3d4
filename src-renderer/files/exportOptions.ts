import type { ExportTarget } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { RunSummary } from '../../src-shared/runs/run';
import { networkKey } from '../../src-shared/training/estimate';
import { documentNetworkKey } from '../state/trainingPlan';

/** The export dialog's choices, in the order shown. */
export const EXPORT_TARGETS: readonly { id: ExportTarget; label: string; files: string; hint: string }[] = [
  { id: 'pytorch', label: 'PyTorch', files: '.py, state_dict', hint: 'An nn.Module (NCHW, TensorFlow’s “same” padding reproduced); trained weights as a state_dict torch.load reads.' },
  { id: 'keras', label: 'Keras', files: '.py, model.json', hint: 'tf.keras functional-API code, and the Keras JSON topology that Netwright and TF.js import.' },
  { id: 'tfjs', label: 'TF.js', files: 'model.js, model.json', hint: 'An ES module that builds the model with tf.layers, and the TF.js Layers model (model.json + weights.bin).' },
  { id: 'onnx', label: 'ONNX', files: 'model.onnx', hint: 'An ONNX graph with its weights, for ONNX Runtime and other engines. Inputs keep TF.js’s NHWC layout.' },
];

/** Runs with weights to export: they finished at least one epoch, newest first. */
export function trainedRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.epochs > 0 && r.status !== 'training').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The newest trained run of this network, the export's default weights; null when it has none. Runs are
 * listed without their graph, so "this network" is what the runs store can tell: the same template and
 * node count (networkKey), and, when several qualify, one named after the document first.
 */
export function latestRunOf(document: GraphDocument, runs: readonly RunSummary[]): RunSummary | null {
  const key = documentNetworkKey(document);
  const same = trainedRuns(runs).filter((r) => networkKey(r.template, r.layers) === key);
  return same.find((r) => r.name.startsWith(`${document.name} · `)) ?? same[0] ?? null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
