/**
 * The part of the generated train.py that is the same for every config: command line, process group,
 * data split, the epoch loop, evaluation and checkpoints. It calls the config-specific functions that
 * pytorchTrainParts.ts writes above it (load_data, prepare, loss_fn, make_optimizer, scheduled_rate,
 * decay_kernels, augment).
 */
export const TRAINING_MAIN = `def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_help = f'folder of the {DATASET} files (default: %(default)s)' if READS_FILES else 'not used: the data are generated'
    parser.add_argument('--data', default=DATA_DIR, help=data_help)
    parser.add_argument('--epochs', type=int, default=EPOCHS)
    parser.add_argument('--batch-size', type=int, default=BATCH_SIZE)
    parser.add_argument('--lr', type=float, default=LEARNING_RATE)
    parser.add_argument('--limit', type=int, default=LIMIT, help='train on the first N samples')
    parser.add_argument('--test-limit', type=int, default=TEST_LIMIT, help='test on the first N samples')
    parser.add_argument('--seed', type=int, default=SEED)
    parser.add_argument('--checkpoint-dir', default='checkpoints', help='where rank 0 writes last.pt and best.pt')
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    return parser.parse_args()


def setup(device_choice):
    """(rank, world size, device); joins the process group when started by torchrun."""
    use_cuda = torch.cuda.is_available() if device_choice == 'auto' else device_choice == 'cuda'
    world_size = int(os.environ.get('WORLD_SIZE', '1'))
    if world_size == 1:
        return 0, 1, torch.device('cuda' if use_cuda else 'cpu')
    dist.init_process_group('nccl' if use_cuda else 'gloo')
    if not use_cuda:
        return dist.get_rank(), world_size, torch.device('cpu')
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    torch.cuda.set_device(local_rank)
    return dist.get_rank(), world_size, torch.device('cuda', local_rank)


def batch_metrics(outputs, labels, loss):
    """[summed loss, correct predictions, samples] of a batch, to add up over an epoch."""
    truth = labels.argmax(-1) if labels.dim() == 2 else labels
    correct = (outputs.argmax(-1) == truth).sum()
    n = labels.shape[0]
    return torch.stack([loss.detach() * n, correct.to(outputs.dtype), torch.tensor(float(n), device=outputs.device)])


def mean_over_processes(totals, world_size):
    """(mean loss, accuracy) from summed metrics, adding up every process's share first."""
    if world_size > 1:
        dist.all_reduce(totals)
    loss, correct, count = totals.tolist()
    return loss / count, correct / count


@torch.no_grad()
def evaluate(net, x, y, batch_size, rank, world_size, device):
    """Loss and accuracy on (x, y); each process takes every world_size-th batch (no sample twice)."""
    net.eval()
    totals = torch.zeros(3, device=device)
    for start in range(rank * batch_size, len(x), world_size * batch_size):
        outputs = net(prepare(x[start:start + batch_size].to(device)))
        labels = y[start:start + batch_size].to(device)
        totals += batch_metrics(outputs, labels, loss_fn(outputs, labels))
    net.train()
    return mean_over_processes(totals, world_size)


def main():
    args = parse_args()
    rank, world_size, device = setup(args.device)
    log = (lambda *line: print(*line, flush=True)) if rank == 0 else (lambda *_: None)
    torch.manual_seed(args.seed)

    (x, y), (test_x, test_y) = load_data(args.data, args.limit, args.test_limit)
    # A seeded shuffle, the same in every process; the last VALIDATION_SPLIT of it validates.
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(args.seed))
    validation = int(len(x) * VALIDATION_SPLIT)
    train_ids, val_ids = order[:len(x) - validation], order[len(x) - validation:]
    train_set = TensorDataset(x[train_ids], y[train_ids])
    val_x, val_y = x[val_ids], y[val_ids]

    batch_size = max(1, args.batch_size // world_size)
    if world_size > 1:
        sampler = DistributedSampler(train_set, shuffle=True, seed=args.seed)
        loader = DataLoader(train_set, batch_size=batch_size, sampler=sampler)
    else:
        sampler = None
        loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(args.seed))

    net = Net().to(device)
    model = DistributedDataParallel(net, device_ids=[device.index] if device.type == 'cuda' else None) if world_size > 1 else net
    optimizer = make_optimizer(model.parameters(), args.lr)
    augment_generator = torch.Generator().manual_seed(args.seed + rank)
    log(f'{DATASET}: {len(train_set)} training, {validation} validation, {len(test_x)} test samples; '
        f'{world_size} process(es) on {device}, batch {batch_size} each')

    if rank == 0:
        os.makedirs(args.checkpoint_dir, exist_ok=True)
    best_loss, best_state, since_best = math.inf, None, 0
    for epoch in range(args.epochs):
        started = time.time()
        rate = scheduled_rate(args.lr, epoch, args.epochs)
        for group in optimizer.param_groups:
            group['lr'] = rate
        if sampler is not None:
            sampler.set_epoch(epoch)
        totals = torch.zeros(3, device=device)
        for batch_x, batch_y in loader:
            batch_x, batch_y = prepare(batch_x.to(device)), batch_y.to(device)
            if AUGMENT:
                batch_x, batch_y = augment(batch_x, batch_y, augment_generator)
            outputs = model(batch_x)
            loss = loss_fn(outputs, batch_y)
            if not torch.isfinite(loss):
                raise SystemExit(f'The loss became {loss.item()} in epoch {epoch + 1}: training diverged. Lower the learning rate.')
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if DECAY:
                decay_kernels(net, rate)
            totals += batch_metrics(outputs, batch_y, loss)
        train_loss, train_accuracy = mean_over_processes(totals, world_size)
        line = f'epoch {epoch + 1}/{args.epochs}  loss {train_loss:.4f}  accuracy {train_accuracy:.4f}'
        val_loss = None
        if validation > 0:
            val_loss, val_accuracy = evaluate(net, val_x, val_y, batch_size, rank, world_size, device)
            line += f'  val_loss {val_loss:.4f}  val_accuracy {val_accuracy:.4f}'
        log(f'{line}  lr {rate:.6g}  {time.time() - started:.1f}s')

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
    test_loss, test_accuracy = evaluate(net, test_x, test_y, batch_size, rank, world_size, device)
    log(f'test loss {test_loss:.4f}  test accuracy {test_accuracy:.4f}')
    log(f'checkpoints in {os.path.abspath(args.checkpoint_dir)}')
    if world_size > 1:
        # Every rank reaches the end before the group goes: destroying it while a peer is still
        # finishing hangs now and then (pytorch/pytorch#75097; 1 run in 6 on a busy machine here).
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()`;
