import { bleuOrder } from '../text/bleu';
import type { TokenUnit } from '../text/tokenize';
import { BOS_TOKEN, EOS_TOKEN, PAD_TOKEN } from '../text/padding';
import { UNKNOWN_TOKEN } from '../text/vocab';

/**
 * What an encoder–decoder's train.py reports beyond loss and accuracy, as Netwright does
 * (src-main/training/translate.ts, src-shared/text/bleu.ts): greedy translations of test sources (the
 * decoder input grown from <bos> by the token scored highest, until <eos>) and d2l's BLEU of each,
 * a few after every epoch and the mean over every test pair at the end. It reads TRANSLATION, which
 * load_data (pytorchPairs.ts) fills.
 */

/** Test pairs translated after each epoch, and shown after the test: Netwright's numbers. */
const EPOCH_PAIRS = 3;
const SHOWN_PAIRS = 5;

/** The translation functions for a target read in `targetUnit`s. */
export function translationReports(targetUnit: TokenUnit): string {
  return `BLEU_ORDER = ${bleuOrder(targetUnit)}  # BLEU's longest n-gram: 2 for words (d2l), 4 for characters
TARGET_JOIN = ${targetUnit === 'char' ? "''" : "' '"}  # how target tokens join into text


def bleu(prediction, label, k):
    """d2l's BLEU of one predicted token list against its label: the brevity penalty times the clipped
    n-gram precisions p_n ** (1/2 ** n) for n up to k (at most the prediction's length); 0 when empty."""
    if not prediction:
        return 0.0
    score = math.exp(min(0, 1 - len(label) / len(prediction)))
    for n in range(1, min(k, len(prediction)) + 1):
        left = {}
        for i in range(len(label) - n + 1):
            left[tuple(label[i:i + n])] = left.get(tuple(label[i:i + n]), 0) + 1
        matches = 0
        for i in range(len(prediction) - n + 1):
            gram = tuple(prediction[i:i + n])
            if left.get(gram, 0) > 0:
                matches += 1
                left[gram] -= 1
        score *= (matches / (len(prediction) - n + 1)) ** (0.5 ** n)
    return score


@torch.no_grad()
def greedy_translate(net, sources, device, batch_size=256):
    """The target ids of each source row's greedy translation, <eos> and after left out: Net run once per
    step with the decoder input grown by the token it scored highest (a one-direction decoder's step t
    reads only steps up to t, so the padding after them changes nothing)."""
    vocabulary = TRANSLATION['target_vocabulary']
    bos, eos, pad = vocabulary.index('${BOS_TOKEN}'), vocabulary.index('${EOS_TOKEN}'), vocabulary.index('${PAD_TOKEN}')
    net.eval()
    translations = []
    for start in range(0, len(sources), batch_size):
        source = sources[start:start + batch_size].to(device)
        decoder_input = torch.full((len(source), TARGET_STEPS), pad, dtype=torch.long, device=device)
        decoder_input[:, 0] = bos
        rows, done = [[] for _ in range(len(source))], [False] * len(source)
        for step in range(TARGET_STEPS):
            if all(done):
                break
            best = net(source, decoder_input)[:, step].argmax(-1).tolist()
            for row, token in enumerate(best):
                if done[row]:
                    continue
                if token == eos:
                    done[row] = True
                    continue
                rows[row].append(token)
                if step + 1 < TARGET_STEPS:
                    decoder_input[row, step + 1] = token
        translations += rows
    net.train()
    return translations


def translate_test_pairs(net, sources, count, device):
    """(source, target, translation, BLEU) of the first count test pairs."""
    pairs = TRANSLATION['test_pairs'][:min(count, len(sources))]
    vocabulary = TRANSLATION['target_vocabulary']
    results = []
    for (source, target, target_tokens), ids in zip(pairs, greedy_translate(net, sources[:len(pairs)], device)):
        tokens = [vocabulary[i] if i < len(vocabulary) else '${UNKNOWN_TOKEN}' for i in ids]
        results.append((source, target, TARGET_JOIN.join(tokens), bleu(tokens, target_tokens, BLEU_ORDER)))
    return results


def epoch_translations(net, sources, epoch, device):
    """The log line after an epoch, as d2l prints its translations: "source => translation, bleu 1.000"."""
    shown = translate_test_pairs(net, sources, ${EPOCH_PAIRS}, device)
    return f'epoch {epoch + 1} translations: ' + '; '.join(f'{source} => {predicted}, bleu {score:.3f}' for source, _, predicted, score in shown)


def test_bleu(net, sources, device):
    """The mean BLEU of every test pair's greedy translation, and the first few of them."""
    results = translate_test_pairs(net, sources, len(sources), device)
    mean = sum(score for *_, score in results) / max(len(results), 1)
    lines = [f'test BLEU {mean:.4f} on {len(results)} pairs (n-grams up to {BLEU_ORDER})']
    lines += [f'  {source} => {predicted} (expected {target}), bleu {score:.3f}' for source, target, predicted, score in results[:${SHOWN_PAIRS}]]
    return '\\n'.join(lines)`;
}
