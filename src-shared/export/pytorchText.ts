import { GRAMMAR_CHANCES, GRAMMAR_LEXICON, LANGUAGE_TEST_SHARE, SYNTHETIC_TEXT } from '../text/grammarText';
import type { TextDatasetChoice } from '../training/config';
import { MULBERRY32, pythonLiteral } from './pytorchTrainParts';

/**
 * The text datasets in the generated train.py: the text read (or the synthetic grammar's, generated
 * from the same seed), cleaned and cut into tokens, a vocabulary of at most the model's outputs, and
 * d2l's random-sampling subsequences, exactly as src-main/training/languageModel.ts makes them, so a
 * run trains on the same samples in the app and in the script.
 */

const pythonList = (items: readonly string[]) => `[${items.map((item) => pythonLiteral(item)).join(', ')}]`;

/** JavaScript's \s, so runs of whitespace collapse where Netwright's preprocessText collapses them. */
const JS_WHITESPACE = String.raw`'[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+'`;

function grammarSection(): string {
  const l = GRAMMAR_LEXICON;
  return `GRAMMAR = {
    'determiners': ${pythonList(l.determiners)},
    'adjectives': ${pythonList(l.adjectives)},
    'nouns': ${pythonList(l.nouns)},
    'transitive': ${pythonList(l.transitiveVerbs)},
    'intransitive': ${pythonList(l.intransitiveVerbs)},
    'prepositions': ${pythonList(l.prepositions)},
}


def grammar_text(sentences, random):
    """Netwright's 'Synthetic text': sentences of a small grammar, drawn as src-shared/text/grammarText.ts draws them."""
    def choice(items):
        return items[min(len(items) - 1, int(random.next() * len(items)))]

    def noun_phrase():
        words = [choice(GRAMMAR['determiners'])]
        if random.next() < ${GRAMMAR_CHANCES.adjective}:
            words.append(choice(GRAMMAR['adjectives']))
        words.append(choice(GRAMMAR['nouns']))
        return words

    def sentence():
        words = noun_phrase()
        if random.next() < ${GRAMMAR_CHANCES.transitive}:
            words.append(choice(GRAMMAR['transitive']))
            words += noun_phrase()
        else:
            words.append(choice(GRAMMAR['intransitive']))
        if random.next() < ${GRAMMAR_CHANCES.preposition}:
            words.append(choice(GRAMMAR['prepositions']))
            words += noun_phrase()
        return ' '.join(words) + '.'

    return ' '.join(sentence() for _ in range(sentences))`;
}

const READ_TEXT = `def read_text(path):
    """The file as UTF-8 text; anything else stops the script with what to do."""
    try:
        with open(path, 'rb') as file:
            return file.read().decode('utf-8')
    except FileNotFoundError:
        raise SystemExit(f'No such text file: {path}. Pass --data FILE.')
    except UnicodeDecodeError:
        raise SystemExit(f'{path} is not UTF-8 text. Save it as UTF-8 (plain text).')`;

/** The dataset code: load_data(path, limit, test_limit) → ((x, y), (test_x, test_y)), ids [N, T] and next ids [N, T]. */
export function textLoader(choice: TextDatasetChoice, steps: number, vocabularySize: number): string {
  const synthetic = choice.kind === 'synthetic-text';
  const options = synthetic ? { unit: 'char' as const, minFreq: 0, lowercase: true, lettersOnly: false } : choice;
  const source = synthetic
    ? `    del path  # generated, not read\n    text = grammar_text(${SYNTHETIC_TEXT.sentences}, Mulberry32(${SYNTHETIC_TEXT.seed}))`
    : '    text = read_text(path)';
  return `${MULBERRY32}


${synthetic ? grammarSection() : READ_TEXT}


STEPS = ${steps}  # tokens per sample: the model's Token input
VOCABULARY_SIZE = ${vocabularySize}  # the model's outputs; rarer tokens read as <unk> (id 0)
TOKENS = ${pythonLiteral(options.unit)}
MIN_FREQ = ${options.minFreq}
LOWERCASE = ${pythonLiteral(options.lowercase)}
LETTERS_ONLY = ${pythonLiteral(options.lettersOnly)}


def preprocess(text):
    """Netwright's cleaning: NFC, (only letters kept,) runs of whitespace as one space, trimmed, (lower case)."""
    text = unicodedata.normalize('NFC', text)
    if LETTERS_ONLY:
        text = ''.join(c if c.isalpha() else ' ' for c in text)
    text = re.sub(${JS_WHITESPACE}, ' ', text).strip(' ')
    return text.lower() if LOWERCASE else text


def tokenize(text):
    return list(text) if TOKENS == 'char' else [token for token in text.split(' ') if token]


def build_vocabulary(tokens):
    """<unk> first, then the tokens by frequency (ties: first seen first), at least MIN_FREQ times, up to VOCABULARY_SIZE."""
    counts = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    kept = [token for token, count in ranked if count >= MIN_FREQ and token != '<unk>']
    return ['<unk>'] + kept[:VOCABULARY_SIZE - 1]


def subsequences(corpus, offset, limit):
    """d2l's random sampling: every non-overlapping window of STEPS from offset, and the window one token on."""
    count = max(0, (len(corpus) - offset - 1) // STEPS)
    if limit is not None:
        count = min(count, limit)
    x = torch.tensor(corpus[offset:offset + count * STEPS], dtype=torch.long).reshape(count, STEPS)
    y = torch.tensor(corpus[offset + 1:offset + 1 + count * STEPS], dtype=torch.long).reshape(count, STEPS)
    return x, y


def load_data(path, limit, test_limit):
    """The text as token ids [N, STEPS] and the next token at each step [N, STEPS]; the last tenth tests."""
${source}
    tokens = tokenize(preprocess(text))
    test_tokens = max(STEPS + 1, int(len(tokens) * ${LANGUAGE_TEST_SHARE}))
    if len(tokens) < test_tokens + 2 * (STEPS + 1):
        raise SystemExit(f'The text has {len(tokens)} tokens after preprocessing; {test_tokens + 2 * (STEPS + 1)} are needed. Use a longer text.')
    vocabulary = build_vocabulary(tokens)
    ids = {token: i for i, token in enumerate(vocabulary)}
    corpus = [ids.get(token, 0) for token in tokens]
    # The training windows start at a seeded offset in [0, STEPS), as Netwright's do.
    offset = min(STEPS - 1, int(Mulberry32(SEED).next() * STEPS))
    return subsequences(corpus[:-test_tokens], offset, limit), subsequences(corpus[-test_tokens:], 0, test_limit)`;
}
