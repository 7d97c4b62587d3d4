import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { dispatch } from '../../../src-main/api/dispatch';
import { createApiHandlers } from '../../../src-main/api/handlers';
import type { ResponseOf } from '../../../src-shared/api';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { getTemplate } from '../../../src-shared/templates/index';
import { testWorkspace } from '../../support/workspace';

describe("'export.model' to Keras (File › Export)", () => {
  it('writes the module and model.json into the workspace, previews the module, and the JSON imports back', async () => {
    const workspaceDir = testWorkspace();
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir }));
    const document = getTemplate('resnet18-course')?.build();
    const result = (await dispatch(handlers, 'export.model', { document, name: 'ResNet course', target: 'keras', runId: null, withTraining: false })) as ResponseOf<'export.model'>;
    expect(result.folder).toBe(join(workspaceDir, 'exports', 'ResNet-course-keras'));
    expect(result.files.map((f) => f.name)).toEqual(['ResNet_course.py', 'model.json']);
    expect(result.preview?.name).toBe('ResNet_course.py');
    expect(result.preview?.text).toContain("Keras export of the Netwright document 'ResNet-18 (course)'");
    const back = importKerasJson(readFileSync(join(result.folder, 'model.json'), 'utf8'), 'back');
    expect(back.ok && back.document.nodes.length).toBe(66);
  });
});
