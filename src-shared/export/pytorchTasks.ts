import type { TrainingConfig } from '../training/config';
import { lossFunction, type OutputActivation } from './pytorchTrainParts';

/**
 * What a task (classifier, segmenter, SSD detector, language model, encoder–decoder) adds to the shared training core: its loss, the
 * metrics each batch adds up (four numbers, summed over batches and processes) and how they read as
 * an epoch's figures. Each is Python for the generated script, computing what Netwright's TF.js
 * training computes for the same task (src-main/training/losses.ts, detection/multiboxLoss.ts).
 */
export type TrainingTask = 'classify' | 'segment' | 'detect' | 'language' | 'translate';

/**
 * Classifiers. Per batch, on the device: [loss · n, correct]; on the host: [labelled, samples] (no
 * scalar goes to the device per step, which would wait for it). Summed: [loss · n, correct, n, n].
 */
const CLASSIFY_METRICS = String.raw`def batch_metrics(outputs, labels, loss):
    """[summed loss, correct predictions] of a batch, on the device, to add up over an epoch."""
    truth = labels.argmax(-1) if labels.dim() == 2 else labels
    correct = (outputs.detach().argmax(-1) == truth).sum()
    return torch.stack([loss.detach().float() * labels.shape[0], correct.float()])


def batch_counts(labels):
    """[labelled, samples] of a batch, known on the host."""
    return [labels.shape[0], labels.shape[0]]


def summarize(totals):
    """(loss, accuracy) from summed batch_metrics and batch_counts."""
    loss, correct, labelled, samples = totals.tolist()
    return {'loss': loss / max(samples, 1), 'accuracy': correct / max(labelled, 1)}`;

/** Segmenters: the loss is per pixel, and so is the accuracy. Net's output is NCHW: [N, classes, H, W]. */
function segmentDefinitions(output: OutputActivation): string {
  const logProbs = output === 'softmax' ? 'torch.log(outputs.clamp(1e-7, 1))' : 'F.log_softmax(outputs, dim=1)';
  return String.raw`def loss_fn(outputs, labels):
    """Per-pixel cross-entropy of the class scores [N, C, H, W] against masks [N, H, W], averaged over pixels."""
    log_probs = ${logProbs}
    return -log_probs.gather(1, labels.long().unsqueeze(1)).mean()


def batch_metrics(outputs, labels, loss):
    """[summed loss, correct pixels] of a batch, on the device."""
    correct = (outputs.detach().argmax(1) == labels).sum()
    return torch.stack([loss.detach().float() * labels.shape[0], correct.float()])


def batch_counts(labels):
    """[pixels, images] of a batch, known on the host."""
    return [labels.numel(), labels.shape[0]]


def summarize(totals):
    """(loss, pixel accuracy) from summed batch_metrics."""
    loss, correct, pixels, images = totals.tolist()
    return {'loss': loss / max(images, 1), 'accuracy': correct / max(pixels, 1)}`;
}

/**
 * SSD detectors, as d2l's "Single Shot Multibox Detection": anchor targets per batch (multibox_target,
 * the same rules as src-shared/analysis/anchors/packedTarget.ts, for a whole batch at once), loss =
 * cross-entropy over anchor classes + L1 over masked offsets, class error and box MAE per epoch.
 * Labels are (class ids [N, A], offsets [N, 4A], masks [N, 4A]); Net returns its outputs in
 * CLASS_OUTPUT / BOX_OUTPUT order.
 */
const DETECT_DEFINITIONS = String.raw`def box_iou(anchors, boxes):
    """IoU of anchors [A, 4] with each image's boxes [N, K, 4] (corners): [N, A, K]."""
    a = anchors[None, :, None, :]
    b = boxes[:, None, :, :]
    width = (torch.minimum(a[..., 2], b[..., 2]) - torch.maximum(a[..., 0], b[..., 0])).clamp(min=0)
    height = (torch.minimum(a[..., 3], b[..., 3]) - torch.maximum(a[..., 1], b[..., 1])).clamp(min=0)
    inter = width * height
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(inter))


def multibox_target(anchors, centers, boxes, classes, valid, iou_threshold=0.5):
    """d2l's multibox_target for a batch: boxes [N, K, 4], classes [N, K] and valid [N, K] (K the most
    objects of an image, padded). Greedy one-anchor-per-box pairing (first maximum on ties), then every
    other anchor takes its best box at IoU >= iou_threshold. Returns (class ids [N, A], offsets and
    masks [N, 4A])."""
    n, k = classes.shape
    count = anchors.shape[0]
    if k == 0:
        zeros = torch.zeros((n, 4 * count), device=anchors.device)
        return torch.zeros((n, count), dtype=torch.long, device=anchors.device), zeros, zeros.clone()
    iou = box_iou(anchors, boxes)
    iou = torch.where(valid[:, None, :], iou, torch.full_like(iou, -1.0))
    best_iou = iou.max(dim=2).values
    best_box = iou.argmax(dim=2)
    assignment = torch.where(best_iou >= iou_threshold, best_box, torch.full_like(best_box, -1))
    free = iou.clone()
    rows = torch.arange(n, device=anchors.device)
    objects = valid.sum(1)
    for round_index in range(min(k, count)):
        flat = free.reshape(n, -1).argmax(dim=1)
        anchor, box = flat // k, flat % k
        taking = rows[objects > round_index]
        assignment[taking, anchor[taking]] = box[taking]
        free[taking, anchor[taking], :] = -2.0
        free[taking, :, box[taking]] = -2.0
    assigned = assignment >= 0
    index = assignment.clamp(min=0)
    matched = boxes.gather(1, index[..., None].expand(n, count, 4))
    cx, cy, w, h = centers.unbind(-1)
    mx = (matched[..., 0] + matched[..., 2]) / 2
    my = (matched[..., 1] + matched[..., 3]) / 2
    mw = matched[..., 2] - matched[..., 0]
    mh = matched[..., 3] - matched[..., 1]
    offsets = torch.stack([10 * (mx - cx) / w, 10 * (my - cy) / h, 5 * torch.log(1e-6 + mw / w), 5 * torch.log(1e-6 + mh / h)], dim=-1)
    mask = assigned[..., None].expand(n, count, 4).to(offsets.dtype)
    labels = torch.where(assigned, classes.gather(1, index) + 1, torch.zeros_like(index))
    return labels, (offsets * mask).reshape(n, -1), mask.reshape(n, -1)


def loss_fn(outputs, labels):
    """d2l's calc_loss: per image, cross-entropy averaged over anchors plus L1 of masked offsets
    averaged over 4 x anchors; then the mean over the batch."""
    class_logits, box_offsets = outputs[CLASS_OUTPUT], outputs[BOX_OUTPUT]
    class_labels, offsets, masks = labels
    cross_entropy = -F.log_softmax(class_logits, dim=-1).gather(-1, class_labels[..., None]).squeeze(-1)
    return cross_entropy.mean() + (box_offsets * masks - offsets * masks).abs().mean()


def batch_metrics(outputs, labels, loss):
    """[summed loss, misclassified anchors, summed |offset error|] of a batch (d2l's cls_eval, bbox_eval), on the device."""
    class_logits, box_offsets = outputs[CLASS_OUTPUT].detach(), outputs[BOX_OUTPUT].detach()
    class_labels, offsets, masks = labels
    wrong = (class_logits.argmax(-1) != class_labels).sum()
    offset_error = ((offsets - box_offsets) * masks).abs().sum()
    return torch.stack([loss.detach().float() * class_labels.shape[0], wrong.float(), offset_error.float()])


def batch_counts(labels):
    """[images] of a batch, known on the host."""
    return [labels[0].shape[0]]


def summarize(totals):
    """loss, d2l's class error and box MAE from summed batch_metrics."""
    loss, wrong, offset_error, images = totals.tolist()
    images = max(images, 1)
    return {'loss': loss / images, 'classError': wrong / (images * ANCHORS), 'bboxMae': offset_error / (images * ANCHORS * 4)}`;

/**
 * Language models: Net's scores are [N, T, vocabulary], the labels the next token at every step
 * [N, T]; the loss is the cross-entropy averaged over tokens, and its exponential the perplexity.
 */
function languageDefinitions(output: OutputActivation): string {
  const logProbs = output === 'softmax' ? 'torch.log(outputs.clamp(1e-7, 1))' : 'F.log_softmax(outputs, dim=-1)';
  return String.raw`def loss_fn(outputs, labels):
    """Cross-entropy of the next token at every step, averaged over the tokens."""
    log_probs = ${logProbs}
    return -log_probs.gather(-1, labels.long().unsqueeze(-1)).mean()


def batch_metrics(outputs, labels, loss):
    """[summed loss, tokens predicted right] of a batch, on the device."""
    correct = (outputs.detach().argmax(-1) == labels).sum()
    return torch.stack([loss.detach().float() * labels.shape[0], correct.float()])


def batch_counts(labels):
    """[tokens, sequences] of a batch, known on the host."""
    return [labels.numel(), labels.shape[0]]


def summarize(totals):
    """loss, next-token accuracy and perplexity (exp of the mean loss per token) from summed batch_metrics."""
    loss, correct, tokens, sequences = totals.tolist()
    mean = loss / max(sequences, 1)
    return {'loss': mean, 'accuracy': correct / max(tokens, 1), 'perplexity': math.exp(min(mean, 700))}`;
}

/**
 * Encoder–decoders: Net's scores are [N, T, target vocabulary], the labels the target token at every
 * decoder step [N, T], -1 past each target's <eos>. The loss is d2l's MaskedSoftmaxCELoss as Netwright
 * computes it (src-main/training/losses.ts): cross-entropy averaged over the labelled steps of the batch.
 */
function translateDefinitions(output: OutputActivation): string {
  const logProbs = output === 'softmax' ? 'torch.log(outputs.clamp(1e-7, 1))' : 'F.log_softmax(outputs, dim=-1)';
  return String.raw`def loss_fn(outputs, labels):
    """Cross-entropy of the target token at every step up to the target's <eos>, averaged over those steps
    (labels of -1, the padding after <eos>, are left out of both)."""
    log_probs = ${logProbs}
    return F.nll_loss(log_probs.flatten(0, 1), labels.long().flatten(), ignore_index=-1)


def batch_metrics(outputs, labels, loss):
    """[summed loss, labelled steps predicted right, labelled steps] of a batch, on the device."""
    labelled = labels >= 0
    correct = ((outputs.detach().argmax(-1) == labels) & labelled).sum()
    return torch.stack([loss.detach().float() * labels.shape[0], correct.float(), labelled.sum().float()])


def batch_counts(labels):
    """[pairs] of a batch, known on the host."""
    return [labels.shape[0]]


def summarize(totals):
    """loss and next-token accuracy over the labelled steps from summed batch_metrics."""
    loss, correct, labelled, pairs = totals.tolist()
    return {'loss': loss / max(pairs, 1), 'accuracy': correct / max(labelled, 1)}`;
}

/** The task's loss, batch metrics and summary, as Python definitions. */
export function taskDefinitions(task: TrainingTask, loss: TrainingConfig['loss'], output: OutputActivation): string {
  switch (task) {
    case 'classify':
      return `${lossFunction(loss, output)}\n\n\n${CLASSIFY_METRICS}`;
    case 'segment':
      return segmentDefinitions(output);
    case 'detect':
      return DETECT_DEFINITIONS;
    case 'language':
      return languageDefinitions(output);
    case 'translate':
      return translateDefinitions(output);
  }
}
