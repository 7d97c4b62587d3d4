import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { dispatch } from '../../../src-main/api/dispatch';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { ApiError, type ResponseOf } from '../../../src-shared/api';
import { testWorkspace } from '../../support/workspace';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/keras', name), 'utf8');
const handlers = () => createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() }));

describe("the 'import.kerasJson' channel", () => {
  it.each([
    ['mnist-cnn.json', 'mnist-cnn'],
    ['C:\\models\\tiny.JSON', 'tiny'],
    ['model.json', 'mnist_cnn'],
  ])('imports %s as a document named %s (a bare model.json takes the model\'s own name)', async (fileName, name) => {
    const { document } = (await dispatch(handlers(), 'import.kerasJson', { text: fixture('sequential-keras2.json'), fileName })) as ResponseOf<'import.kerasJson'>;
    expect(document.name).toBe(name);
    expect(document.nodes.map((n) => n.id)).toEqual(['image', 'conv1', 'pool1', 'conv2', 'bn', 'flatten', 'dropout', 'logits']);
  });

  it('answers an ApiError naming the file and every layer it cannot import', async () => {
    const call = dispatch(handlers(), 'import.kerasJson', { text: fixture('unsupported-layers.json'), fileName: 'exotic.json' });
    await expect(call).rejects.toThrow(ApiError);
    await expect(call).rejects.toThrow(/^exotic\.json: 4 layers can't be imported[\s\S]*Lambda 'double'[\s\S]*Conv3D 'volume'/);
  });

  it('refuses a request without a file name', async () => {
    await expect(dispatch(handlers(), 'import.kerasJson', { text: '{}', fileName: '' })).rejects.toThrow(/fileName/);
  });
});
