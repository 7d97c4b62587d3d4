import type { TrainingConfig } from '../training/config';

/**
 * The Python pieces of the generated train.py, each specialised to one training config so the script
 * holds only the code its run needs. pytorchTrain.ts assembles them; every function here returns
 * complete Python definitions without trailing blank lines.
 */

export type OutputActivation = 'softmax' | 'sigmoid' | 'logits';

/** A Python literal for a setting. */
export function pythonLiteral(value: number | string | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export const IDX_READER = `def read_idx(folder, name, limit):
    """First \`limit\` records (all when None) of an IDX file in folder, plain or gzipped, as a uint8 tensor."""
    for candidate in (name, name + '.gz'):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            break
    else:
        raise SystemExit(f'{os.path.join(folder, name)}(.gz) is missing: pass the folder with the IDX files as --data DIR.')
    with open(path, 'rb') as probe:
        gzipped = probe.read(2) == b'\\x1f\\x8b'
    with (gzip.open if gzipped else open)(path, 'rb') as f:
        zero, type_code, ndims = struct.unpack('>HBB', f.read(4))
        if zero != 0 or type_code != 0x08:
            raise SystemExit(f'{path}: not an IDX file of unsigned bytes.')
        dims = struct.unpack('>' + 'I' * ndims, f.read(4 * ndims))
        count = dims[0] if limit is None else min(limit, dims[0])
        record = math.prod(dims[1:])
        data = f.read(count * record)
    if len(data) != count * record:
        raise SystemExit(f'{path}: truncated ({len(data)} bytes where {count * record} were expected).')
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape(count, *dims[1:])`;

export function idxLoader(datasetLabel: string): string {
  return `def load_data(folder, limit, test_limit):
    """${datasetLabel}: 28x28 grey images as uint8 NCHW tensors [N, 1, 28, 28] and class ids."""
    if folder is None:
        raise SystemExit('Where are the ${datasetLabel} IDX files? Pass their folder as --data DIR.')
    def split(prefix, count):
        images = read_idx(folder, f'{prefix}-images-idx3-ubyte', count)
        labels = read_idx(folder, f'{prefix}-labels-idx1-ubyte', count).long()
        return images.unsqueeze(1), labels
    return split('train', limit), split('t10k', test_limit)`;
}

/**
 * The images Net takes from 0–255 grey batches: scaled to [0, 1] as Netwright scales them, resized
 * bilinearly as TensorFlow.js does (no half-pixel centres) when the model's input is another size,
 * and grey repeated to RGB when it has three channels.
 */
export function imagePreparer(height: number, width: number, channels: number): string {
  const lines = [
    'def prepare(images):',
    `    """uint8 [N, 1, 28, 28] -> float [N, ${channels}, ${height}, ${width}] in [0, 1], as Netwright feeds the model."""`,
    '    x = images.float() / 255',
  ];
  if (height !== 28 || width !== 28) lines.push(`    x = resize_bilinear(x, ${height}, ${width})`);
  if (channels === 3) lines.push('    x = x.repeat(1, 3, 1, 1)');
  lines.push('    return x');
  if (height === 28 && width === 28) return lines.join('\n');
  return `def resize_bilinear(x, height, width):
    """TensorFlow.js' resizeBilinear (alignCorners=false, halfPixelCenters=false) of an NCHW batch."""
    for dim, size in ((2, height), (3, width)):
        n = x.shape[dim]
        src = torch.arange(size, dtype=x.dtype, device=x.device) * (n / size)
        lo = src.floor().long().clamp(max=n - 1)
        hi = (lo + 1).clamp(max=n - 1)
        shape = [1, 1, 1, 1]
        shape[dim] = size
        frac = (src - lo.to(x.dtype)).reshape(shape)
        x = x.index_select(dim, lo) * (1 - frac) + x.index_select(dim, hi) * frac
    return x


${lines.join('\n')}`;
}

/** Netwright's seeded random source (src-shared/text/random.ts), bit for bit, for generated data. */
export const MULBERRY32 = `class Mulberry32:
    """Netwright's seeded random source, bit for bit."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def uniform(self, low, high):
        return low + (high - low) * self.next()

    def normal(self):
        u = 1 - self.next()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * self.next())`;

/** Netwright's synthetic sequence task, generated with the same seeded generator (mulberry32), so the data match. */
export function sequenceLoader(timesteps: number, features: number): string {
  return `${MULBERRY32}


def float32(values):
    return torch.tensor(values, dtype=torch.float32).tolist()


def load_data(folder, limit, test_limit):
    """Netwright's synthetic sequences: each class a sinusoid per feature, shifted, scaled and noisy. [N, T, F]."""
    del folder  # generated, not read
    classes, timesteps, features, noise, max_shift = NUM_CLASSES, ${timesteps}, ${features}, 0.5, 2
    random = Mulberry32(1)
    patterns = [
        (float32([random.uniform(0.5, 3) for _ in range(features)]), float32([random.uniform(0, 2 * math.pi) for _ in range(features)]))
        for _ in range(classes)
    ]

    def split(count):
        x = torch.empty(count, timesteps, features)
        y = torch.arange(count) % classes
        for n in range(count):
            frequency, phase = patterns[n % classes]
            shift = math.floor(random.next() * (2 * max_shift + 1)) - max_shift
            amplitude = random.uniform(0.8, 1.2)
            x[n] = torch.tensor([
                [amplitude * math.sin(2 * math.pi * frequency[f] * (t + shift) / timesteps + phase[f]) + noise * random.normal() for f in range(features)]
                for t in range(timesteps)
            ])
        return x, y

    return split(limit or 2000), split(test_limit or 500)`;
}

/** The loss of a batch from class ids [b] or soft label rows [b, C] (mixup), for what Net outputs. */
export function lossFunction(loss: TrainingConfig['loss'], output: OutputActivation): string {
  const head = [
    'def one_hot(labels):',
    '    return labels if labels.dim() == 2 else F.one_hot(labels, NUM_CLASSES).float()',
    '',
    '',
    'def loss_fn(outputs, labels):',
  ];
  switch (loss) {
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy': {
      const logProbs = output === 'softmax' ? 'torch.log(outputs.clamp(1e-7, 1))' : 'F.log_softmax(outputs, dim=-1)';
      const doc = output === 'softmax' ? 'Cross-entropy of the probabilities Net outputs (it ends in softmax).' : 'Cross-entropy of the logits Net outputs.';
      // Class ids take nll_loss's gather (a few ops fewer per step than a one-hot product); soft labels (mixup) the product.
      return [...head, `    """${doc}"""`, `    log_probs = ${logProbs}`, '    if labels.dim() == 1:', '        return F.nll_loss(log_probs, labels)', '    return -(labels * log_probs).sum(-1).mean()'].join('\n');
    }
    case 'binaryCrossentropy': {
      const logits = output === 'sigmoid' ? 'torch.logit(outputs.clamp(1e-7, 1 - 1e-7))' : 'outputs';
      return [
        ...head,
        `    """Binary cross-entropy per output unit${output === 'sigmoid' ? ', from the probabilities Net outputs (it ends in sigmoid)' : ''}."""`,
        "    target = labels.float().reshape(outputs.shape) if outputs.shape[-1] == 1 else one_hot(labels)",
        `    return F.binary_cross_entropy_with_logits(${logits}, target)`,
      ].join('\n');
    }
    case 'meanSquaredError': {
      const probs = output === 'logits' ? 'outputs.softmax(-1)' : 'outputs';
      return [...head, '    """Mean squared error against one-hot labels."""', `    return F.mse_loss(${probs}, one_hot(labels))`].join('\n');
    }
  }
}

/**
 * The optimizer, with TensorFlow.js' defaults where PyTorch's differ (epsilon 1e-7, RMSprop decay 0.9, Adagrad's 0.1 start).
 * 'sgd' is plain SGD unless the config gives it momentum (tfjs' momentum and Nesterov updates are torch's, dampening 0).
 */
export function optimizerFactory(config: TrainingConfig): string {
  const lr = 'learning_rate';
  const momentum = config.momentum > 0 ? `, momentum=${pythonLiteral(config.momentum)}${config.nesterov ? ', nesterov=True' : ''}` : '';
  const call = {
    sgd: `torch.optim.SGD(parameters, lr=${lr}${momentum})`,
    adam: `torch.optim.Adam(parameters, lr=${lr}, betas=(0.9, 0.999), eps=1e-7)`,
    rmsprop: `torch.optim.RMSprop(parameters, lr=${lr}, alpha=0.9, eps=1e-7)`,
    adagrad: `torch.optim.Adagrad(parameters, lr=${lr}, initial_accumulator_value=0.1, eps=1e-7)`,
  }[config.optimizer];
  return `def make_optimizer(parameters, learning_rate):\n    return ${call}`;
}

/** The learning rate of a 0-based epoch under the config's schedule. */
export function scheduleFunction(config: TrainingConfig): string {
  const s = config.schedule;
  const body =
    s.kind === 'none'
      ? ['    return base']
      : s.kind === 'step'
        ? [`    return base * ${pythonLiteral(s.gamma)} ** (epoch // ${s.everyEpochs})  # x${s.gamma} every ${s.everyEpochs} epochs`]
        : [
            '    progress = 0 if epochs <= 1 else epoch / (epochs - 1)',
            `    return ${pythonLiteral(s.minRate)} + (base - ${pythonLiteral(s.minRate)}) * (1 + math.cos(math.pi * progress)) / 2  # cosine`,
          ];
  return ['def scheduled_rate(base, epoch, epochs):', ...body].join('\n');
}

/** Decoupled weight decay on kernels after each step, as Netwright applies it (biases and norms are left alone). */
export const KERNEL_DECAY = `def decay_kernels(net, rate):
    """w <- w - lr * decay * w on kernels: parameters with two or more dimensions (each layer's lr times its
    multiplier; frozen layers are left alone)."""
    with torch.no_grad():
        for name, parameter in net.named_parameters():
            if parameter.dim() >= 2 and parameter.requires_grad:
                parameter.mul_(1 - rate * lr_multiplier(net, name) * WEIGHT_DECAY)`;

/** The config's augmentations of a training batch; null when it asks for none. */
export function augmentFunction(augment: TrainingConfig['augment'], images: boolean): string | null {
  const lines: string[] = [];
  if (images && augment.flip) {
    lines.push('    flip = torch.rand(n, generator=generator) < 0.5', '    x = torch.where(flip.to(x.device).view(-1, 1, 1, 1), x.flip(3), x)');
  }
  if (images && augment.cropPadding > 0) {
    lines.push(
      `    pad = ${augment.cropPadding}`,
      '    padded = F.pad(x, (pad, pad, pad, pad))',
      '    offsets = torch.randint(0, 2 * pad + 1, (n, 2), generator=generator).tolist()',
      '    x = torch.stack([padded[i, :, dy:dy + x.shape[2], dx:dx + x.shape[3]] for i, (dy, dx) in enumerate(offsets)])',
    );
  }
  if (images && (augment.brightness > 0 || augment.contrast > 0)) {
    lines.push(
      `    delta = ((torch.rand(n, generator=generator) * 2 - 1) * ${pythonLiteral(augment.brightness)}).to(x.device).view(-1, 1, 1, 1)`,
      `    factor = (1 + (torch.rand(n, generator=generator) * 2 - 1) * ${pythonLiteral(augment.contrast)}).to(x.device).view(-1, 1, 1, 1)`,
      '    mean = x.mean(dim=(1, 2, 3), keepdim=True)',
      '    x = ((x - mean) * factor + mean + delta).clamp(0, 1)',
    );
  }
  if (augment.mixupAlpha > 0) {
    lines.push(
      `    lam = torch.distributions.Beta(${pythonLiteral(augment.mixupAlpha)}, ${pythonLiteral(augment.mixupAlpha)}).sample((n,)).to(x.device)`,
      '    partner = torch.randint(0, n, (n,), generator=generator).to(x.device)',
      '    x = lam.view(-1, *[1] * (x.dim() - 1)) * x + (1 - lam.view(-1, *[1] * (x.dim() - 1))) * x[partner]',
      '    soft = one_hot(labels)',
      '    labels = lam.view(-1, 1) * soft + (1 - lam.view(-1, 1)) * soft[partner]',
    );
  }
  if (lines.length === 0) return null;
  return [
    'def augment(x, labels, generator):',
    '    """Random changes to a training batch (never to validation or test data); mixup makes soft labels."""',
    '    n = x.shape[0]',
    ...lines,
    '    return x, labels',
  ].join('\n');
}
