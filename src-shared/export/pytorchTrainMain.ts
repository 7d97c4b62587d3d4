/**
 * The entry of the generated train.py: command line, data split, the epoch loop with early stopping
 * and checkpoints, the test. The step and evaluation are the shared core's (pytorchCore.ts), which
 * the app's PyTorch engine runs too; it calls the config-specific functions that
 * pytorchTrainParts.ts writes above it (load_data, prepare, loss_fn, make_optimizer, scheduled_rate,
 * decay_kernels, augment). An encoder–decoder's main differs in four places (encoderDecoder below): its
 * data are (source, decoder input, labels), its batches hand Net both inputs, and after each epoch and
 * the test it translates test sources greedily and scores them with BLEU (translation functions above it).
 */
export function trainingMain(options: { encoderDecoder: boolean }): string {
  const pair = options.encoderDecoder;
  // The number of samples: the first input's (as it always was) or, for two inputs, the labels'.
  const [samples, testSamples] = pair ? ['len(y)', 'len(test_y)'] : ['len(x)', 'len(test_x)'];
  const batchInputs = pair ? 'tuple(part[chunk].to(device) for part in x)' : 'prepare(x[chunk].to(device))';
  const loaded = pair
    ? '    # x: the model\'s two inputs, the source ids and the decoder input ids.\n    (*x, y), (*test_x, test_y) = load_data(args.data, args.limit, args.test_limit)'
    : '    (x, y), (test_x, test_y) = load_data(args.data, args.limit, args.test_limit)';
  const epochTranslations = pair ? '\n        if rank == 0:\n            log(epoch_translations(net, test_x[0], epoch, device))' : '';
  const testBleu = pair ? '\n    if rank == 0:\n        log(test_bleu(net, test_x[0], device))' : '';
  return `def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_help = f'where {DATASET} is read from (default: %(default)s)' if READS_FILES else 'not used: the data are generated'
    parser.add_argument('--data', default=DATA_DIR, help=data_help)
    parser.add_argument('--epochs', type=int, default=EPOCHS)
    parser.add_argument('--batch-size', type=int, default=BATCH_SIZE)
    parser.add_argument('--lr', type=float, default=LEARNING_RATE)
    parser.add_argument('--limit', type=int, default=LIMIT, help='train on the first N samples')
    parser.add_argument('--test-limit', type=int, default=TEST_LIMIT, help='test on the first N samples')
    parser.add_argument('--seed', type=int, default=SEED)
    parser.add_argument('--checkpoint-dir', default='checkpoints', help='where rank 0 writes last.pt and best.pt')
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda', 'mps'], default='auto')
    return parser.parse_args()


def tensor_batches(x, y, ids, batch_size, device):
    """(prepared inputs, labels) on the device for the samples ids, batch by batch."""
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        yield ${batchInputs}, y[chunk].to(device)


def perplexity_text(figures, prefix=''):
    """A language model's perplexity for a log line ('' for other models)."""
    return f'  {prefix}perplexity {figures["perplexity"]:.3f}' if 'perplexity' in figures else ''


def stop_if_diverged(index, metrics, counts):
    """Stops the script when a batch's loss is no longer a number (before it spoils the checkpoints)."""
    if not torch.isfinite(metrics[0]):
        raise SystemExit(f'The loss became {metrics[0].item()} at batch {index + 1}: training diverged. Lower the learning rate.')


def main():
    args = parse_args()
    rank, world_size, device = setup(args.device)
    log = (lambda *line: print(*line, flush=True)) if rank == 0 else (lambda *_: None)
    torch.manual_seed(args.seed)

${loaded}
    # A seeded shuffle, the same in every process; the last VALIDATION_SPLIT of it validates.
    order = torch.randperm(${samples}, generator=torch.Generator().manual_seed(args.seed))
    validation = int(${samples} * VALIDATION_SPLIT)
    train_ids, val_ids = order[:${samples} - validation], order[${samples} - validation:]

    batch_size = max(1, args.batch_size // world_size)
    generator = torch.Generator().manual_seed(args.seed)

    net = Net().to(device)
    model = DistributedDataParallel(net, device_ids=[device.index] if device.type == 'cuda' else None) if world_size > 1 else net
    optimizer = make_optimizer(parameter_groups(net, args.lr), args.lr)
    augment_generator = torch.Generator().manual_seed(args.seed + rank)
    log(f'{DATASET}: {len(train_ids)} training, {validation} validation, {${testSamples}} test samples; '
        f'{world_size} process(es) on {device}, batch {batch_size} each')

    if rank == 0:
        os.makedirs(args.checkpoint_dir, exist_ok=True)
    best_loss, best_state, since_best = math.inf, None, 0
    for epoch in range(args.epochs):
        started = time.time()
        rate = scheduled_rate(args.lr, epoch, args.epochs)
        set_rate(optimizer, rate)
        # The same seeded order in every process; each takes its share of it.
        order = share_of(train_ids[torch.randperm(len(train_ids), generator=generator)], rank, world_size)
        batches = tensor_batches(x, y, order, batch_size, device)
        totals, _ = train_epoch(model, net, batches, optimizer, rate, augment_generator, on_batch=stop_if_diverged)
        train = summarize(sum_over_processes(totals, world_size))
        line = f'epoch {epoch + 1}/{args.epochs}  loss {train["loss"]:.4f}  accuracy {train["accuracy"]:.4f}' + perplexity_text(train)
        val_loss = None
        if validation > 0:
            validated = summarize(sum_over_processes(evaluate(net, tensor_batches(x, y, val_ids[rank::world_size], batch_size, device)), world_size))
            val_loss = validated['loss']
            line += f'  val_loss {val_loss:.4f}  val_accuracy {validated["accuracy"]:.4f}' + perplexity_text(validated, 'val_')
        log(f'{line}  lr {rate:.6g}  {time.time() - started:.1f}s')${epochTranslations}

        if rank == 0:
            torch.save(net.state_dict(), os.path.join(args.checkpoint_dir, 'last.pt'))
        if val_loss is not None and val_loss < best_loss:
            best_loss, since_best = val_loss, 0
            if SAVE_BEST_CHECKPOINT:
                best_state = {name: value.detach().clone() for name, value in net.state_dict().items()}
                if rank == 0:
                    torch.save(best_state, os.path.join(args.checkpoint_dir, 'best.pt'))
        elif val_loss is not None:
            since_best += 1
            if EARLY_STOPPING_PATIENCE > 0 and since_best >= EARLY_STOPPING_PATIENCE:
                log(f'Early stopping: validation loss has not improved for {since_best} epochs.')
                break

    if best_state is not None:
        net.load_state_dict(best_state)
    test_ids = torch.arange(${testSamples})[rank::world_size]
    tested = summarize(sum_over_processes(evaluate(net, tensor_batches(test_x, test_y, test_ids, batch_size, device)), world_size))
    log(f'test loss {tested["loss"]:.4f}  test accuracy {tested["accuracy"]:.4f}' + perplexity_text(tested, 'test '))${testBleu}
    log(f'checkpoints in {os.path.abspath(args.checkpoint_dir)}')
    if world_size > 1:
        # Every rank reaches the end before the group goes: destroying it while a peer is still
        # finishing hangs now and then (pytorch/pytorch#75097; 1 run in 6 on a busy machine here).
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()`;
}
