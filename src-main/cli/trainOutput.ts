import type { TrainingEvent } from '../../src-shared/training/events';
import type { CliIO } from './command';

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Human-readable progress, one line per epoch; a live bar on a terminal. */
export function printer(io: CliIO, json: boolean, tty: boolean): (event: TrainingEvent) => void {
  return (event) => {
    if (json) return io.out(JSON.stringify(event));
    switch (event.type) {
      case 'backend':
        io.out(`Backend: ${event.decision.label} on ${event.decision.device}${event.decision.pinned ? ' (pinned)' : ''}`);
        for (const rung of event.decision.ladder) if (rung.id !== event.decision.backend) io.out(`  not ${rung.label}: ${rung.usable ? 'a faster one works' : rung.reason}`);
        return;
      case 'dataset':
        io.out(`Data: ${event.name}, ${event.train} training / ${event.validation} validation / ${event.test} test samples of ${event.inputShape.join('×')}${event.adapted ? ` (${event.adapted})` : ''}`);
        return;
      case 'batch':
        if (tty) process.stdout.write(`\r  epoch ${event.epoch + 1} ${bar(event.batch / event.batches)} ${event.batch}/${event.batches}  loss ${event.loss.toFixed(4)}  ${event.samplesPerSecond.toFixed(0)} samples/s `);
        return;
      case 'epoch': {
        const m = event.metrics;
        if (tty) process.stdout.write('\r\x1b[K');
        if (m.detection) {
          const d = m.detection;
          const val = m.valLoss !== null ? `  val loss ${m.valLoss.toFixed(4)}  val class err ${(d.valClassError ?? 0).toExponential(2)}  val bbox mae ${(d.valBboxMae ?? 0).toExponential(2)}` : '';
          io.out(`Epoch ${m.epoch + 1}: loss ${m.loss.toFixed(4)}  class err ${d.classError.toExponential(2)}  bbox mae ${d.bboxMae.toExponential(2)}${val}  ${m.seconds.toFixed(1)} s, ${m.samplesPerSecond.toFixed(0)} samples/s`);
          return;
        }
        if (m.perplexity !== undefined) {
          const val = m.valPerplexity != null ? `  val perplexity ${m.valPerplexity.toFixed(2)}` : '';
          io.out(`Epoch ${m.epoch + 1}: perplexity ${m.perplexity.toFixed(2)}  loss ${m.loss.toFixed(4)}  next-token acc ${((m.accuracy ?? 0) * 100).toFixed(2)}%${val}  ${m.seconds.toFixed(1)} s, ${m.samplesPerSecond.toFixed(0)} samples/s`);
          return;
        }
        const val = m.valLoss !== null ? `  val loss ${m.valLoss.toFixed(4)}  val acc ${((m.valAccuracy ?? 0) * 100).toFixed(2)}%` : '';
        io.out(`Epoch ${m.epoch + 1}: loss ${m.loss.toFixed(4)}  acc ${((m.accuracy ?? 0) * 100).toFixed(2)}%${val}  ${m.seconds.toFixed(1)} s, ${m.samplesPerSecond.toFixed(0)} samples/s`);
        return;
      }
      case 'log':
        io.out(event.message);
        return;
      case 'status':
        return;
      case 'end':
        if (event.status === 'failed') io.err(`Training failed: ${event.message}`);
        if (event.status === 'diverged') io.err(`Training diverged: ${event.message}`);
        if (event.test?.detection) {
          const d = event.test.detection;
          io.out(`Test mean IoU of matched predictions: ${d.meanIoU.toFixed(3)} (${d.objects} boxes in ${event.test.count} images, predictions scoring ≥ ${d.scoreThreshold} after NMS); class err ${d.classError.toExponential(2)}, bbox mae ${d.bboxMae.toExponential(2)}, loss ${event.test.loss.toFixed(4)}, ${event.seconds.toFixed(1)} s in all`);
        } else if (event.test?.perplexity !== undefined) {
          io.out(`Test perplexity: ${event.test.perplexity.toFixed(2)} (next-token accuracy ${(event.test.accuracy * 100).toFixed(2)}%, ${event.test.count} sequences, loss ${event.test.loss.toFixed(4)}), ${event.seconds.toFixed(1)} s in all`);
        } else if (event.test) {
          const iou = event.test.meanIoU === undefined ? '' : `, mean IoU ${(event.test.meanIoU * 100).toFixed(2)}%`;
          io.out(`Test ${iou ? 'pixel ' : ''}accuracy: ${(event.test.accuracy * 100).toFixed(2)}%${iou} (${event.test.count} samples, loss ${event.test.loss.toFixed(4)}), ${event.seconds.toFixed(1)} s in all`);
        }
        return;
    }
  };
}
