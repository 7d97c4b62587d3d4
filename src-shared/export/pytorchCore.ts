/**
 * The Python that both the exported train.py and the app's PyTorch engine run: process set-up, one
 * training epoch and evaluation. The two differ only in where their data come from and who decides
 * between epochs (train.py's own loop; the app's epoch driver through the engine's runner), so the
 * step itself, with its loss, optimizer, schedule, decay and augmentation, cannot drift between them.
 * It calls the config-specific functions that pytorchTrainParts.ts writes above it.
 */
const CORE = String.raw`def setup(device_choice):
    """(rank, world size, device); joins the process group when started by torchrun."""
    if device_choice == 'auto':
        device_choice = 'cuda' if torch.cuda.is_available() else 'cpu'
    world_size = int(os.environ.get('WORLD_SIZE', '1'))
    if world_size == 1:
        return 0, 1, torch.device(device_choice)
    dist.init_process_group('nccl' if device_choice == 'cuda' else 'gloo')
    if device_choice != 'cuda':
        return dist.get_rank(), world_size, torch.device(device_choice)
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    torch.cuda.set_device(local_rank)
    return dist.get_rank(), world_size, torch.device('cuda', local_rank)


def share_of(order, rank, world_size):
    """This process's every world_size-th sample of an epoch's order, padded by wrapping around (as
    DistributedSampler does) so every process takes the same number of steps."""
    if world_size == 1:
        return order
    padded = torch.cat([order, order[:(-len(order)) % world_size]])
    return padded[rank::world_size]


def sum_over_processes(totals, world_size):
    """Adds up every process's summed metrics (a no-op for one process)."""
    if world_size > 1:
        dist.all_reduce(totals)
    return totals


def with_counts(sums, counts):
    """The four figures summarize reads: the device sums of batch_metrics, then the host counts."""
    return torch.cat([sums.float(), torch.tensor(counts, dtype=torch.float32, device=sums.device)])


def lr_multiplier(net, parameter_name):
    """The learning-rate multiplier of the layer (self.<attr>) a parameter belongs to: Net.LR_MULTIPLIERS, else 1."""
    return getattr(net, 'LR_MULTIPLIERS', {}).get(parameter_name.split('.', 1)[0], 1.0)


def parameter_groups(net, learning_rate):
    """Netwright's per-layer learning rates as parameter groups: one per multiplier, at learning_rate times it.
    Frozen parameters (requires_grad False) and multipliers of 0 are left out: nothing steps them."""
    groups = {}
    for name, parameter in net.named_parameters():
        multiplier = lr_multiplier(net, name)
        if parameter.requires_grad and multiplier != 0:
            groups.setdefault(multiplier, []).append(parameter)
    if not groups:
        raise SystemExit('Every layer with weights is frozen or has a learning-rate multiplier of 0: nothing would train.')
    return [{'params': params, 'lr': learning_rate * multiplier, 'multiplier': multiplier} for multiplier, params in groups.items()]


def set_rate(optimizer, rate):
    """The scheduled rate for this epoch, times each group's multiplier."""
    for group in optimizer.param_groups:
        group['lr'] = rate * group.get('multiplier', 1.0)


def train_epoch(model, net, batches, optimizer, rate, generator, on_batch=None, proceed=None):
    """One pass over batches, an iterable of prepared (inputs, labels) on the device: forward, loss,
    backward, (gradient clipping,) step, kernel decay. Returns the summed figures (with_counts; None without a batch) and
    whether proceed() stopped it early. on_batch(index, metrics, counts) sees every batch's."""
    sums, counts = None, None
    for index, (batch_x, batch_y) in enumerate(batches):
        if proceed is not None and not proceed():
            return (None if sums is None else with_counts(sums, counts)), True
        if AUGMENT:
            batch_x, batch_y = augment(batch_x, batch_y, generator)
        outputs = model(batch_x)
        loss = loss_fn(outputs, batch_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if DECAY:
            decay_kernels(net, rate)
        metrics, counted = batch_metrics(outputs, batch_y, loss), batch_counts(batch_y)
        if sums is None:
            sums, counts = metrics.clone(), counted
        else:
            sums += metrics
            counts = [a + b for a, b in zip(counts, counted)]
        if on_batch is not None:
            on_batch(index, metrics, counted)
    return (None if sums is None else with_counts(sums, counts)), False


@torch.no_grad()
def evaluate(net, batches):
    """The summed figures (with_counts) of net in inference mode over batches (None without a batch)."""
    net.eval()
    sums, counts = None, None
    for batch_x, batch_y in batches:
        outputs = net(batch_x)
        metrics, counted = batch_metrics(outputs, batch_y, loss_fn(outputs, batch_y)), batch_counts(batch_y)
        if sums is None:
            sums, counts = metrics.clone(), counted
        else:
            sums += metrics
            counts = [a + b for a, b in zip(counts, counted)]
    net.train()
    return None if sums is None else with_counts(sums, counts)`;

const STEP = '        loss.backward()\n        optimizer.step()\n';
/** d2l's grad_clipping(net, theta) as torch has it: the global L2 norm of every gradient the optimizer steps, at most CLIP_NORM. */
const CLIPPED_STEP = [
  '        loss.backward()',
  "        torch.nn.utils.clip_grad_norm_([p for group in optimizer.param_groups for p in group['params']], CLIP_NORM)",
  '        optimizer.step()',
  '',
].join('\n');

/** The forward calls of the core, for a model with one input; a model with several takes them as a tuple. */
const FORWARDS = ['outputs = model(batch_x)', 'outputs = net(batch_x)'] as const;

/**
 * The core for a config: with `clip`, the gradients are clipped by their global norm (the setting
 * CLIP_NORM) between backward and step. Under DistributedDataParallel backward has already averaged
 * them over the processes, so each clips the combined gradients, as all do alike. With `inputTuple`
 * (an encoder–decoder's source and decoder input) each batch's inputs are a tuple, spread into Net's forward.
 */
export function trainingCore(options: { clip: boolean; inputTuple?: boolean }): string {
  if (!CORE.includes(STEP)) throw new Error('The training core has no backward-then-step to clip between.');
  let core = options.clip ? CORE.replace(STEP, CLIPPED_STEP) : CORE;
  if (options.inputTuple) {
    for (const call of FORWARDS) {
      if (!core.includes(call)) throw new Error(`The training core has no '${call}' to spread a tuple of inputs into.`);
      core = core.replace(call, call.replace('(batch_x)', '(*batch_x)'));
    }
  }
  return core;
}
