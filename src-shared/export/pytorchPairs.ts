import type { EncoderDecoderShape } from '../analysis/encoderDecoder';
import { LANGUAGE_TEST_SHARE } from '../text/grammarText';
import { BOS_TOKEN, EOS_TOKEN, PAD_TOKEN } from '../text/padding';
import { MAX_PROBLEMS } from '../text/pairsFile';
import { DATE_FORMS, FIRST_DATE_YEAR, LAST_DATE_YEAR, MAX_NUMBER_WORDS, MONTH_NAMES, NUMBER_ONES, NUMBER_TENS, SYNTHETIC_PAIRS } from '../text/syntheticPairs';
import { SPACED_PUNCTUATION } from '../text/tokenize';
import { UNKNOWN_TOKEN } from '../text/vocab';
import type { PairsDatasetChoice } from '../training/config';
import { MULBERRY32, pythonLiteral } from './pytorchTrainParts';

/**
 * The sentence pairs of an encoder–decoder in the generated train.py, exactly as
 * src-main/training/seq2seqData.ts makes them: the synthetic pairs drawn from the same seeds (the test
 * sources unseen in training) or the pairs file read, shuffled and split the same way; d2l's tokens;
 * each side's vocabulary within the model's room; source + <eos>, <bos> + target, and labels -1 past
 * the target's <eos>. The Python constants come from the TypeScript ones, so the two cannot drift apart.
 */

const pythonList = (items: readonly string[]) => `[${items.map((item) => pythonLiteral(item)).join(', ')}]`;

/**
 * Every character JavaScript's \s (and String.prototype.trim) counts as whitespace, asked of the
 * engine itself, as a Python string of \uXXXX escapes: Python's str.isspace() differs (it takes
 * U+001C–U+001F and U+0085, not U+FEFF).
 */
function jsWhitespace(): string {
  const codes = Array.from({ length: 0x10000 }, (_, code) => code).filter((code) => /\s/u.test(String.fromCharCode(code)));
  return `'${codes.map((code) => `\\u${code.toString(16).padStart(4, '0')}`).join('')}'`;
}

const RANDOM_INT = `def random_int(random, bound):
    """An integer in [0, bound), as Netwright's randomInt draws it."""
    return min(bound - 1, math.floor(random.next() * bound))`;

const DATES = `MONTH_NAMES = ${pythonList(MONTH_NAMES)}
DATE_FORMS = ${pythonList(DATE_FORMS)}  # {mon}: the month's first three letters


def days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def make_pairs(count, random):
    """Netwright's dates written out -> ISO ("march 3, 2021" -> "2021-03-03"), ${FIRST_DATE_YEAR}–${LAST_DATE_YEAR}."""
    pairs = []
    for _ in range(count):
        year = ${FIRST_DATE_YEAR} + random_int(random, ${LAST_DATE_YEAR - FIRST_DATE_YEAR + 1})
        month = 1 + random_int(random, 12)
        day = 1 + random_int(random, days_in_month(year, month))
        form = DATE_FORMS[random_int(random, len(DATE_FORMS))]
        name = MONTH_NAMES[month - 1]
        pairs.append((form.format(day=day, month=name, mon=name[:3], year=year), f'{year}-{month:02d}-{day:02d}'))
    return pairs`;

const NUMBERS = `NUMBER_ONES = ${pythonList(NUMBER_ONES)}
NUMBER_TENS = ${pythonList(NUMBER_TENS)}


def number_words(value):
    """312 -> "three hundred twelve", 1005 -> "one thousand five", as Netwright's numberToWords."""
    if value == 0:
        return NUMBER_ONES[0]
    words = []
    if value // 1000 > 0:
        words += [NUMBER_ONES[value // 1000], 'thousand']
    if value % 1000 // 100 > 0:
        words += [NUMBER_ONES[value % 1000 // 100], 'hundred']
    rest = value % 100
    if 0 < rest < 20:
        words.append(NUMBER_ONES[rest])
    elif rest >= 20:
        words += [NUMBER_TENS[rest // 10]] + ([NUMBER_ONES[rest % 10]] if rest % 10 else [])
    return ' '.join(words)


def make_pairs(count, random):
    """Netwright's numbers 0–${MAX_NUMBER_WORDS} in words -> digits ("three hundred twelve" -> "312")."""
    pairs = []
    for _ in range(count):
        value = random_int(random, ${MAX_NUMBER_WORDS + 1})
        pairs.append((number_words(value), str(value)))
    return pairs`;

const SYNTHETIC = `def pairs_of(path, limit, test_limit):
    """(training pairs, test pairs): drawn from a fixed seed; the test pairs from the next seed, leaving out sources seen in training."""
    del path  # generated, not read
    train = make_pairs(${SYNTHETIC_PAIRS.train} if limit is None else limit, Mulberry32(${SYNTHETIC_PAIRS.seed}))
    seen = {source for source, _ in train}
    test_count = ${SYNTHETIC_PAIRS.test} if test_limit is None else test_limit
    test = [pair for pair in make_pairs(4 * test_count, Mulberry32(${SYNTHETIC_PAIRS.seed + 1})) if pair[0] not in seen][:test_count]
    return train, test`;

const FILE = `def read_pairs(path):
    """The file's pairs as Netwright reads them: one "source<TAB>target" per line (a third column ignored),
    blank lines skipped, both sides trimmed; (pairs, [(line number, why) of each line that is not a pair])."""
    try:
        with open(path, 'rb') as file:
            data = file.read()
    except FileNotFoundError:
        raise SystemExit(f'No such sentence-pairs file: {path}. Pass --data FILE.')
    try:
        text = data.decode('utf-8-sig')  # a leading byte-order mark dropped, as Netwright's decoder drops it
    except UnicodeDecodeError:
        raise SystemExit(f'{path} is not UTF-8 text. Save it as UTF-8, one "source<TAB>target" pair per line.')
    if text.startswith('\\ufeff'):
        text = text[1:]
    pairs, problems = [], []
    for number, line in enumerate(re.split('\\r?\\n', text), 1):
        if line.strip(JS_WHITESPACE) == '':
            continue
        columns = line.split('\\t')
        source, target = columns[0].strip(JS_WHITESPACE), columns[1].strip(JS_WHITESPACE) if len(columns) > 1 else None
        if target is None:
            problems.append((number, 'no tab: a pair is "source<TAB>target"'))
        elif source == '':
            problems.append((number, 'the source (before the tab) is empty'))
        elif target == '':
            problems.append((number, 'the target (after the tab) is empty'))
        else:
            pairs.append((source, target))
    return pairs, problems


def pairs_of(path, limit, test_limit):
    """(training pairs, test pairs): the file's pairs in a fixed shuffle, the last tenth testing."""
    pairs, problems = read_pairs(path)
    if len(pairs) < 2:
        named = '; '.join(f'line {number}: {problem}' for number, problem in problems[:${MAX_PROBLEMS}])
        more = f' (and {len(problems) - ${MAX_PROBLEMS}} more)' if len(problems) > ${MAX_PROBLEMS} else ''
        why = f' Lines that are not pairs: {named}{more}.' if problems else ''
        raise SystemExit(f'{os.path.basename(path)} has {len(pairs)} sentence pair{"" if len(pairs) == 1 else "s"}; an encoder–decoder '
                         f'needs at least 2 (one to train on, one to test), one "source<TAB>target" per line.{why}')
    random = Mulberry32(${SYNTHETIC_PAIRS.seed})
    for i in range(len(pairs) - 1, 0, -1):  # Fisher–Yates, as Netwright's shuffleInPlace
        j = random_int(random, i + 1)
        pairs[i], pairs[j] = pairs[j], pairs[i]
    test_count = max(1, math.floor(len(pairs) * ${LANGUAGE_TEST_SHARE}))
    test = pairs[len(pairs) - test_count:][:test_count if test_limit is None else test_limit]
    train = pairs[:len(pairs) - test_count][:len(pairs) if limit is None else limit]
    return train, test`;

/** The Python of the pairs themselves: drawn (dates or numbers) or read from the file. */
function pairsSource(choice: PairsDatasetChoice): string {
  if (choice.kind === 'pairs') return `${RANDOM_INT}\n\n\n${FILE}`;
  return `${RANDOM_INT}\n\n\n${choice.task === 'dates' ? DATES : NUMBERS}\n\n\n${SYNTHETIC}`;
}

/** The dataset code: load_data(path, limit, test_limit) → ((source, decoder_input, labels), the same for the test pairs). */
export function pairsLoader(choice: PairsDatasetChoice, shape: EncoderDecoderShape): string {
  // Synthetic pairs read words in and characters out; a file is one unit both sides, as Netwright reads them.
  const units = choice.kind === 'pairs' ? { source: choice.unit, target: choice.unit, minFreq: choice.minFreq } : { source: 'word', target: 'char', minFreq: 0 };
  return `${MULBERRY32}


JS_WHITESPACE = ${jsWhitespace()}  # what JavaScript's \\s and trim() take as whitespace
WHITESPACE_RUN = re.compile('[' + JS_WHITESPACE + ']+')
SOURCE_STEPS = ${shape.sourceSteps}  # the encoder's token input
TARGET_STEPS = ${shape.targetSteps}  # the decoder's token input and the output's steps
SOURCE_ROOM = ${shape.sourceVocabulary}  # ids the source Embedding looks up
TARGET_ROOM = ${shape.targetVocabulary}  # ids the decoder reads (its Embedding) and predicts (the output)
SOURCE_TOKENS = ${pythonLiteral(units.source)}
TARGET_TOKENS = ${pythonLiteral(units.target)}
MIN_FREQ = ${units.minFreq}
RESERVED = ${pythonList([UNKNOWN_TOKEN, PAD_TOKEN, BOS_TOKEN, EOS_TOKEN])}  # the first ids of both vocabularies
SPACED_PUNCTUATION = ${pythonLiteral([...SPACED_PUNCTUATION].join(''))}
IGNORED_LABEL = -1  # a decoder step past the target's <eos>: the loss and the accuracy leave it out
# Filled by load_data for the translations after each epoch and the test (load_data returns what every train.py's does).
TRANSLATION = {}


${pairsSource(choice)}


def pair_tokens(text, unit):
    """Words as d2l's fra-eng (lower case, ${[...SPACED_PUNCTUATION].join(' ')} split off); characters of the text cleaned (NFC, whitespace runs as one space, lower case)."""
    if unit == 'word':
        lowered = text.replace('\\u202f', ' ').replace('\\u00a0', ' ').lower()
        spaced = ''.join(' ' + c if i > 0 and c in SPACED_PUNCTUATION and lowered[i - 1] != ' ' else c for i, c in enumerate(lowered))
        return [token for token in WHITESPACE_RUN.split(spaced) if token]
    return list(WHITESPACE_RUN.sub(' ', unicodedata.normalize('NFC', text)).strip(' ').lower())


def build_vocabulary(tokens, room, side):
    """RESERVED, then the tokens seen at least MIN_FREQ times by frequency (ties: first seen first), room ids in all."""
    if room < len(RESERVED):
        raise SystemExit(f'The {side} Embedding has room for {room} tokens; {len(RESERVED)} are reserved ({", ".join(RESERVED)}). Make it larger.')
    counts = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    kept = [token for token, count in ranked if count >= MIN_FREQ and token not in RESERVED]
    return RESERVED + kept[:room - len(RESERVED)]


def pair_arrays(pairs, source_vocabulary, target_vocabulary):
    """d2l's _build_arrays: source + <eos> cut or padded to SOURCE_STEPS; <bos> + the target as the decoder
    input; the target + <eos> as labels, -1 from its valid length on."""
    source_ids = {token: i for i, token in enumerate(source_vocabulary)}
    target_ids = {token: i for i, token in enumerate(target_vocabulary)}
    source_pad, source_eos = source_ids['${PAD_TOKEN}'], source_ids['${EOS_TOKEN}']
    pad, bos, eos = target_ids['${PAD_TOKEN}'], target_ids['${BOS_TOKEN}'], target_ids['${EOS_TOKEN}']

    def cut_or_pad(ids, steps, pad_id):
        return ids[:steps] + [pad_id] * (steps - len(ids))

    sources, decoder_inputs, labels = [], [], []
    for source, target in pairs:
        sources.append(cut_or_pad([source_ids.get(token, 0) for token in source] + [source_eos], SOURCE_STEPS, source_pad))
        row = cut_or_pad([target_ids.get(token, 0) for token in target] + [eos], TARGET_STEPS, pad)
        valid = sum(1 for token in row if token != pad)
        decoder_inputs.append([bos] + row[:TARGET_STEPS - 1])
        labels.append(row[:valid] + [IGNORED_LABEL] * (TARGET_STEPS - valid))

    def tensor(rows, steps):
        return torch.tensor(rows, dtype=torch.long).reshape(len(rows), steps)

    return tensor(sources, SOURCE_STEPS), tensor(decoder_inputs, TARGET_STEPS), tensor(labels, TARGET_STEPS)


def load_data(path, limit, test_limit):
    """((source ids [N, SOURCE_STEPS], decoder input ids [N, TARGET_STEPS], labels [N, TARGET_STEPS]), the same
    for the test pairs): the decoder reads <bos> + the target (teacher forcing); labels are -1 past its <eos>."""
    train, test = pairs_of(path, limit, test_limit)
    if not train or not test:
        raise SystemExit(f'{DATASET} left no {"training" if not train else "test"} pairs; ask for more samples.')
    train_tokens = [(pair_tokens(source, SOURCE_TOKENS), pair_tokens(target, TARGET_TOKENS)) for source, target in train]
    test_tokens = [(pair_tokens(source, SOURCE_TOKENS), pair_tokens(target, TARGET_TOKENS)) for source, target in test]
    source_vocabulary = build_vocabulary([token for source, _ in train_tokens for token in source], SOURCE_ROOM, 'source')
    target_vocabulary = build_vocabulary([token for _, target in train_tokens for token in target], TARGET_ROOM, 'target')
    TRANSLATION.update(target_vocabulary=target_vocabulary, test_pairs=[(source, target, tokens) for (source, target), (_, tokens) in zip(test, test_tokens)])
    return pair_arrays(train_tokens, source_vocabulary, target_vocabulary), pair_arrays(test_tokens, source_vocabulary, target_vocabulary)`;
}
