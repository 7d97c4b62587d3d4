import { describe, expect, it } from 'vitest';
import * as core from '../../../src-shared/index';

describe('src-shared barrel', () => {
  it('exports the core API from one place', () => {
    for (const name of [
      'analyze',
      'analyzeLayer',
      'summary',
      'formatSummary',
      'convOutputLength',
      'parseDocument',
      'serializeDocument',
      'createDocument',
      'addNode',
      'connect',
      'groupNodes',
      'ungroupNode',
      'getLayerDef',
      'layerDefs',
      'defineLayer',
      'getTemplate',
      'templates',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });

  it('builds, edits and analyses a model end to end', () => {
    let doc = core.createDocument('MLP');
    doc = core.addNode(doc, { id: 'x', type: 'VectorInput', params: { features: 784 }, position: { x: 0, y: 0 } });
    doc = core.addNode(doc, { id: 'h', type: 'Dense', params: { units: 64, activation: 'relu' }, position: { x: 0, y: 100 } });
    doc = core.addNode(doc, { id: 'y', type: 'Dense', position: { x: 0, y: 200 } });
    doc = core.connect(core.connect(doc, { source: 'x', target: 'h' }), { source: 'h', target: 'y' });
    const analysis = core.analyze(doc);
    expect(analysis.errors).toEqual([]);
    expect(analysis.totals.params.total).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(core.parseDocumentText(core.serializeDocument(doc))).toEqual({ ok: true, document: doc });
  });
});
