/**
 * The entry of the app's PyTorch engine runner: the part of its script that differs from train.py.
 * The app (src-main/training/pytorch) prepares the data as binary files and starts
 * `python3 runner.py job.json`; the runner loads the data memory-mapped, builds Net with the
 * initial weights it is given, then does what the app's epoch driver asks, one JSON command per
 * line on stdin ('epoch', 'keep-best', 'restore-best', 'save', 'test', 'quit'; 'pause', 'resume'
 * and 'stop' take effect between batches), and answers with JSON lines on stdout. Under torchrun
 * rank 0 reads the commands and hands them to the others; only rank 0 answers and writes files.
 */
/** Reads and writes the weights file pair of src-main/training/pytorch/stateFiles.ts (needs json, os, numpy as np, torch). */
export const STATE_FILES_PY = String.raw`def load_state(net, base):
    """Loads the app's weights file pair (base.json: entries; base.bin: their bytes) strictly."""
    with open(base + '.json') as f:
        entries = json.load(f)['entries']
    blob = np.fromfile(base + '.bin', dtype=np.uint8)
    state = {}
    for e in entries:
        dtype = {'float32': np.float32, 'int64': np.int64}[e['dtype']]
        count = int(np.prod(e['shape'])) if e['shape'] else 1
        values = blob[e['offset']:e['offset'] + count * np.dtype(dtype).itemsize].view(dtype)
        state[e['key']] = torch.from_numpy(values.copy()).reshape(e['shape'])
    net.load_state_dict(state, strict=True)


def save_state(net, base):
    """Writes net's state_dict as the app reads it (base.json + base.bin) and as torch.save (base.pt)."""
    entries, chunks, offset = [], [], 0
    for key, value in net.state_dict().items():
        array = value.detach().cpu().contiguous().numpy()
        dtype = 'int64' if array.dtype == np.int64 else 'float32'
        data = array.astype(np.int64 if dtype == 'int64' else np.float32).tobytes()
        entries.append({'key': key, 'shape': list(array.shape), 'dtype': dtype, 'offset': offset})
        chunks.append(data)
        offset += len(data)
    for suffix, write in (('.bin', lambda f: [f.write(c) for c in chunks]), ('.json', lambda f: f.write(json.dumps({'entries': entries})))):
        with open(base + suffix + '.tmp', 'wb' if suffix == '.bin' else 'w') as f:
            write(f)
        os.replace(base + suffix + '.tmp', base + suffix)
    torch.save(net.state_dict(), base + '.pt.tmp')
    os.replace(base + '.pt.tmp', base + '.pt')
`;

export const ENGINE_MAIN = String.raw`def emit(message):
    """One JSON line to the app; numbers that are not finite become null (JSON has no NaN)."""
    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value
    sys.stdout.write(json.dumps(clean(message)) + '\n')
    sys.stdout.flush()


class Commands:
    """The app's commands: a thread reads stdin so that pause and stop reach a running epoch. When
    stdin closes without 'quit', the app is gone, and so is the runner."""

    def __init__(self, rank, world_size, device):
        self.rank, self.world_size, self.device = rank, world_size, device
        self.queue = queue.Queue()
        self.running = threading.Event()
        self.running.set()
        self.stopping = False
        self.quitting = False
        if rank == 0:
            threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            command = json.loads(line)
            kind = command.get('cmd')
            if kind == 'pause':
                self.running.clear()
            elif kind == 'resume':
                self.running.set()
            elif kind == 'stop':
                self.stopping = True
                self.running.set()
            else:
                self.quitting = self.quitting or kind == 'quit'
                self.queue.put(command)
        if not self.quitting:
            os._exit(3)

    def next(self):
        command = self.queue.get() if self.rank == 0 else None
        if self.world_size > 1:
            box = [command]
            dist.broadcast_object_list(box, src=0)
            command = box[0]
        return command

    def proceed(self):
        """Between batches: waits while paused; False once a stop was asked for (on every process)."""
        if self.rank == 0:
            self.running.wait()
        stop = self.stopping
        if self.world_size > 1:
            flag = torch.tensor([1.0 if stop else 0.0], device=self.device)
            dist.broadcast(flag, 0)
            stop = flag.item() > 0
        return not stop


# Data up to this size is copied into memory, laid out as Net takes it; beyond, it stays memory-mapped.
IN_MEMORY_BYTES = 2 * 1024 ** 3


def read_array(folder, spec):
    """A memory-mapped array the app wrote (copy-on-write, so torch may read it without a warning)."""
    dtype = {'float32': np.float32, 'int32': np.int32}[spec['dtype']]
    count = int(np.prod(spec['shape'])) if spec['shape'] else 1
    if count == 0:
        return torch.zeros(spec['shape'], dtype=torch.float32 if spec['dtype'] == 'float32' else torch.int32)
    return torch.from_numpy(np.memmap(os.path.join(folder, spec['file']), dtype=dtype, mode='c', shape=tuple(spec['shape'])))


class Split:
    """One split of the prepared data: inputs as the app feeds TF.js (images NHWC) and labels. Data
    that fits (on the GPU when resident, else in memory) is laid out once as Net takes it (images
    NCHW), so a batch is one gather; bigger data stays memory-mapped and is arranged per batch."""

    def __init__(self, folder, spec, device, resident):
        self.count = spec['count']
        self.device = device
        x = read_array(folder, spec['x'])
        self.images = x.dim() == 4
        self.arranged = resident or x.numel() * 4 <= IN_MEMORY_BYTES
        if self.arranged:
            x = x.to(device) if resident else x.clone()
            if self.images:
                x = x.permute(0, 3, 1, 2).contiguous()
            if x.dtype == torch.int32:
                x = x.long()
        self.x = x
        place = (lambda t: t.to(device)) if resident else (lambda t: t)
        self.y = place(read_array(folder, spec['y']).long()) if 'y' in spec else None
        self.masks = place(read_array(folder, spec['masks']).long()) if 'masks' in spec else None
        objects = spec.get('objects')
        if objects is not None:
            self.boxes = read_array(folder, objects['boxes'])
            self.classes = read_array(folder, objects['classes']).long()
            self.starts = read_array(folder, objects['starts']).long()

    def inputs(self, ids):
        x = self.x[ids.to(self.x.device)].to(self.device, non_blocking=True)
        if self.arranged:
            return x
        if x.dtype == torch.int32:
            return x.long()
        return x.permute(0, 3, 1, 2).contiguous() if self.images else x

    def labels(self, ids):
        if TASK in ('segment', 'language'):
            return self.masks[ids.to(self.masks.device)].to(self.device, non_blocking=True)
        if TASK == 'detect':
            return self.targets(ids)
        return self.y[ids.to(self.y.device)].to(self.device, non_blocking=True)

    def targets(self, ids):
        ids = ids.cpu()
        starts, ends = self.starts[ids], self.starts[ids + 1]
        k = int((ends - starts).max()) if len(ids) else 0
        boxes = torch.zeros((len(ids), k, 4))
        classes = torch.zeros((len(ids), k), dtype=torch.long)
        valid = torch.zeros((len(ids), k), dtype=torch.bool)
        for row, (start, end) in enumerate(zip(starts.tolist(), ends.tolist())):
            boxes[row, :end - start] = self.boxes[start:end]
            classes[row, :end - start] = self.classes[start:end]
            valid[row, :end - start] = True
        return multibox_target(ANCHOR_CORNERS, ANCHOR_CENTERS, boxes.to(self.device), classes.to(self.device), valid.to(self.device))

    def batches(self, ids, batch_size):
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            yield self.inputs(chunk), self.labels(chunk)


def weights_finite(net):
    """Whether every weight is a finite number: one sum (NaN and infinities survive it), one read."""
    total = sum(p.detach().float().abs().sum() for p in net.parameters())
    return bool(torch.isfinite(total)) if torch.is_tensor(total) else True


class BatchReporter:
    """Reports a few batches a second (each report waits for the device), and every epoch's last."""

    def __init__(self, epoch, batches, batch_size, world_size):
        self.epoch, self.batches, self.samples = epoch, batches, batch_size * world_size
        self.started = self.last = time.perf_counter()

    def __call__(self, index, metrics, counts):
        now = time.perf_counter()
        if now - self.last < 0.15 and index + 1 < self.batches:
            return
        self.last = now
        figures = summarize(with_counts(metrics, counts))
        seen = min((index + 1) * self.samples, self.batches * self.samples)
        emit({'type': 'batch', 'epoch': self.epoch, 'batch': index + 1, 'batches': self.batches, 'loss': figures['loss'],
              'accuracy': figures.get('accuracy'), 'samplesPerSecond': seen / max(now - self.started, 1e-9)})


@torch.no_grad()
def test(net, split, batch_size, folder, rank, world_size, device):
    """Test figures over the whole split, as the app's TF.js evaluation gives them, plus what the run
    keeps for its views: probabilities (classifiers) or predicted masks (segmenters) of the first
    samples, and each image's candidate detections (detectors) for the app's NMS."""
    net.eval()
    ids = torch.arange(rank, split.count, world_size) if world_size > 1 else torch.arange(split.count)
    totals, confusion, candidates = None, None, []
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        x, labels = split.inputs(chunk), split.labels(chunk)
        outputs = net(x)
        metrics = with_counts(batch_metrics(outputs, labels, loss_fn(outputs, labels)), batch_counts(labels))
        totals = metrics if totals is None else totals + metrics
        if TASK == 'detect':
            probabilities = F.softmax(outputs[CLASS_OUTPUT], dim=-1)
            keep = probabilities[..., 1:].max(-1).values >= SCORE_THRESHOLD
            for row, anchor in keep.nonzero().tolist():
                candidates.append((int(chunk[row]), anchor, probabilities[row, anchor].tolist(), outputs[BOX_OUTPUT][row, 4 * anchor:4 * anchor + 4].tolist()))
        elif TASK != 'language':  # a vocabulary's confusion matrix would say little and weigh much
            predicted = outputs.argmax(1 if TASK == 'segment' else -1)
            pairs = labels.reshape(-1) * NUM_CLASSES + predicted.reshape(-1)
            counts = torch.bincount(pairs, minlength=NUM_CLASSES * NUM_CLASSES)[:NUM_CLASSES * NUM_CLASSES]
            confusion = counts if confusion is None else confusion + counts
    if totals is None:
        totals = torch.zeros(4, device=device)
    totals = sum_over_processes(totals, world_size)
    if confusion is not None:
        confusion = sum_over_processes(confusion, world_size)
    if world_size > 1 and TASK == 'detect':
        gathered = [None] * world_size
        dist.all_gather_object(gathered, candidates)
        candidates = [c for part in gathered for c in part]
    result = {'type': 'test', 'metrics': summarize(totals)}
    if confusion is not None:
        result['confusion'] = confusion.reshape(NUM_CLASSES, NUM_CLASSES).tolist()
    if rank == 0:
        first = torch.arange(min(SAMPLES_KEPT, split.count))
        if TASK == 'classify' and len(first):
            outputs = net(split.inputs(first))
            kept = outputs.softmax(-1) if OUTPUT_ACTIVATION == 'logits' else outputs
            kept.float().cpu().numpy().tofile(os.path.join(folder, 'test-probabilities.f32'))
            result['probabilities'] = {'file': 'test-probabilities.f32', 'dtype': 'float32', 'shape': list(kept.shape)}
        elif TASK == 'segment' and len(first):
            masks = net(split.inputs(first)).argmax(1).to(torch.int32).cpu()
            masks.numpy().tofile(os.path.join(folder, 'test-masks.i32'))
            result['masks'] = {'file': 'test-masks.i32', 'dtype': 'int32', 'shape': list(masks.shape)}
        elif TASK == 'detect':
            result['candidates'] = sorted(candidates, key=lambda c: (c[0], c[1]))
    net.train()
    return result


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    folder = os.path.dirname(os.path.abspath(sys.argv[1]))
    rank, world_size, device = setup(job['device'])
    if device.type == 'cpu' and job.get('threads'):
        torch.set_num_threads(job['threads'])
    torch.manual_seed(job['seed'])
    if TASK == 'detect':
        global ANCHOR_CORNERS, ANCHOR_CENTERS
        ANCHOR_CORNERS = read_array(folder, job['anchors']).to(device)
        corners = ANCHOR_CORNERS
        ANCHOR_CENTERS = torch.stack([(corners[:, 0] + corners[:, 2]) / 2, (corners[:, 1] + corners[:, 3]) / 2, corners[:, 2] - corners[:, 0], corners[:, 3] - corners[:, 1]], dim=-1)
    data = job['data']
    resident = device.type != 'cpu' and job.get('resident', False)
    train, tested = Split(folder, data['train'], device, resident), Split(folder, data['test'], device, resident)
    train_ids, validation_ids = read_array(folder, data['trainIndices']).long(), read_array(folder, data['validationIndices']).long()

    net = Net().to(device)
    load_state(net, os.path.join(folder, job['initialWeights']))
    model = DistributedDataParallel(net, device_ids=[device.index] if device.type == 'cuda' else None) if world_size > 1 else net
    optimizer = make_optimizer(parameter_groups(net, LEARNING_RATE), LEARNING_RATE)
    batch_size = max(1, job['batchSize'] // world_size)
    generator = torch.Generator().manual_seed(job['seed'])
    augment_generator = torch.Generator().manual_seed(job['seed'] + rank)
    commands = Commands(rank, world_size, device)
    say = emit if rank == 0 else (lambda message: None)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else device.type
    say({'type': 'ready', 'torch': torch.__version__, 'python': sys.version.split()[0], 'device': name, 'threads': torch.get_num_threads(), 'processes': world_size})
    best = None
    while True:
        command = commands.next()
        kind = command['cmd']
        if kind == 'epoch':
            started = time.perf_counter()
            set_rate(optimizer, command['rate'])
            order = train_ids[torch.randperm(len(train_ids), generator=generator)]
            mine = share_of(order, rank, world_size).to(train.x.device)
            batches = math.ceil(len(mine) / batch_size)
            reporter = BatchReporter(command['epoch'], batches, batch_size, world_size) if rank == 0 else None
            totals, stopped = train_epoch(model, net, train.batches(mine, batch_size), optimizer, command['rate'], augment_generator, reporter, commands.proceed)
            seconds = time.perf_counter() - started
            totals = sum_over_processes(totals if totals is not None else torch.zeros(4, device=device), world_size)
            message = {'type': 'epoch', 'stopped': stopped, 'train': summarize(totals), 'samples': int(totals[3].item()), 'seconds': seconds,
                       'finite': weights_finite(net)}
            if not stopped and len(validation_ids) > 0:
                shares = validation_ids[rank::world_size]
                validation = evaluate(net, train.batches(shares, batch_size))
                message['validation'] = summarize(sum_over_processes(validation if validation is not None else torch.zeros(4, device=device), world_size))
            say(message)
        elif kind == 'keep-best':
            best = {k: v.detach().clone() for k, v in net.state_dict().items()}
            say({'type': 'done', 'cmd': kind})
        elif kind == 'restore-best':
            if best is not None:
                net.load_state_dict(best)
            say({'type': 'done', 'cmd': kind})
        elif kind == 'save':
            if rank == 0:
                save_state(net, os.path.join(folder, command['name']))
            say({'type': 'done', 'cmd': kind, 'name': command['name']})
        elif kind == 'test':
            say(test(net, tested, batch_size, folder, rank, world_size, device))
        elif kind == 'quit':
            say({'type': 'done', 'cmd': kind})
            break
    if world_size > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()`;
