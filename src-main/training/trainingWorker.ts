// Entry of the training worker thread: one run per worker, so a crash or a leak can't reach the app.
import { parentPort } from 'node:worker_threads';
import type { TrainingEvent } from '../../src-shared/training/events';
import { RunControl } from './control';
import { ToWorker, type FromWorker } from './protocol';
import { runJob } from './runJob';
import { setPythonProbe } from './backendProbe';
import { defaultTrainingThreads } from './parallel/dataParallel';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread.');

const control = new RunControl();
const send = (message: FromWorker) => port.postMessage(message);
const emit = (event: TrainingEvent) => send({ type: 'event', event });
let started = false;

port.on('message', (raw: unknown) => {
  const parsed = ToWorker.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.type) {
    case 'start':
      if (started) return;
      started = true;
      if (message.python) setPythonProbe(message.python);
      void runJob(message.document, message.config, emit, control, { runDir: message.runDir, initFromDir: message.initFromDir ?? null, threads: defaultTrainingThreads(), onProcess: (pid) => send({ type: 'process', pid }) }).then(async () => {
        const tf = await import('@tensorflow/tfjs');
        send({ type: 'done', numTensors: tf.memory().numTensors });
      });
      return;
    case 'pause':
      control.pause();
      emit({ type: 'status', status: 'paused' });
      return;
    case 'resume':
      control.resume();
      emit({ type: 'status', status: 'training' });
      return;
    case 'stop':
      control.stop();
      emit({ type: 'status', status: 'stopping' });
      return;
  }
});
