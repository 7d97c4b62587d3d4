import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { encoderDecoderShape } from '../../../src-shared/analysis/encoderDecoder';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { getTemplate } from '../../../src-shared/templates';

function shapeOf(build: (b: DocumentBuilder) => void) {
  const b = new DocumentBuilder('graph');
  build(b);
  const document = b.build();
  return encoderDecoderShape(document, analyze(document));
}

describe('encoderDecoderShape: how an encoder–decoder reads sentence pairs', () => {
  it('reads the seq2seq template: source first, decoder input second, the room of each vocabulary', () => {
    const document = getTemplate('seq2seq-dates')?.build();
    if (!document) throw new Error('no seq2seq-dates template');
    const analysis = analyze(document);
    expect(analysis.errors).toEqual([]);
    expect(encoderDecoderShape(document, analysis)).toEqual({
      sourceInput: 'source',
      decoderInput: 'decoder_input',
      sourceSteps: 8,
      targetSteps: 12,
      sourceVocabulary: 192,
      targetVocabulary: 16,
      outputs: 16,
    });
  });

  it('the target room is the smaller of the decoder Embedding and the output', () => {
    const shape = shapeOf((b) => {
      const src = b.add('Embedding', { inputDim: 30, outputDim: 4 }, [b.add('TokenInput', { length: 5 }, [], 'src')]);
      const dec = b.add('Embedding', { inputDim: 50, outputDim: 4 }, [b.add('TokenInput', { length: 3 }, [], 'dec')]);
      const encoder = b.add('GRU', { units: 6, returnState: true }, [src], 'encoder');
      b.add('Dense', { units: 20 }, [b.add('GRU', { units: 6, returnSequences: true, initialState: true }, [dec, { node: encoder, port: 1 }])]);
    });
    expect(shape).toMatchObject({ sourceSteps: 5, targetSteps: 3, sourceVocabulary: 30, targetVocabulary: 20, outputs: 20 });
  });

  it.each([
    [
      'one input',
      (b: DocumentBuilder) => b.add('Dense', { units: 4 }, [b.add('LSTM', { units: 4, returnSequences: true }, [b.add('Embedding', { inputDim: 9, outputDim: 2 }, [b.add('TokenInput', { length: 3 })])])]),
      /reads two token inputs.*This graph has 1 input\./u,
    ],
    [
      'an output that is not one score row per decoder step',
      (b: DocumentBuilder) => {
        const src = b.add('Embedding', { inputDim: 9, outputDim: 2 }, [b.add('TokenInput', { length: 5 })]);
        const dec = b.add('Embedding', { inputDim: 9, outputDim: 2 }, [b.add('TokenInput', { length: 3 })]);
        const encoder = b.add('GRU', { units: 4, returnState: true }, [src], 'encoder');
        b.add('Dense', { units: 9 }, [b.add('GRU', { units: 4, initialState: true }, [dec, { node: encoder, port: 1 }])]);
      },
      /must be 3×\(target vocabulary\), but is 9.*return sequences/u,
    ],
    [
      'a token input without an Embedding',
      (b: DocumentBuilder) => {
        const src = b.add('Reshape', { targetShape: [5, 1] }, [b.add('TokenInput', { length: 5 }, [], 'src')]);
        const dec = b.add('Embedding', { inputDim: 9, outputDim: 2 }, [b.add('TokenInput', { length: 3 })]);
        const encoder = b.add('GRU', { units: 4, returnState: true }, [src], 'encoder');
        b.add('Dense', { units: 9 }, [b.add('GRU', { units: 4, returnSequences: true, initialState: true }, [dec, { node: encoder, port: 1 }])]);
      },
      /Feed 'src' into an Embedding/u,
    ],
  ])('refuses %s with what to change', (_name, build, message) => {
    const shape = shapeOf(build);
    expect('message' in shape ? shape.message : '').toMatch(message);
  });
});
