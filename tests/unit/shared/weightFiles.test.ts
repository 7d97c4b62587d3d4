import { describe, expect, it } from 'vitest';
import { kerasArchiveRefusal, weightFilesOf } from '../../../src-shared/export/weightFiles';

describe('the importer reads which weight files a model.json names', () => {
  it.each<[string, string, string[]]>([
    ['one file', '{"modelTopology":{},"weightsManifest":[{"paths":["weights.bin"],"weights":[]}]}', ['weights.bin']],
    ['shards, folders dropped', '{"modelTopology":{},"weightsManifest":[{"paths":["a/group1-shard1of2.bin","a/group1-shard2of2.bin"],"weights":[]}]}', ['group1-shard1of2.bin', 'group1-shard2of2.bin']],
    ['a Keras to_json() topology', '{"class_name":"Functional","config":{}}', []],
    ['not JSON', '{', []],
  ])('%s', (_case, text, expected) => {
    expect(weightFilesOf(text)).toEqual(expected);
  });
});

describe('a Keras 3 .keras archive is refused with the ways in that work', () => {
  it.each<[string, boolean]>([
    ['resnet.keras', true],
    ['RESNET.KERAS', true],
    ['model.json', false],
    ['weights.bin', false],
    ['model.keras.json', false],
  ])('%s', (name, refused) => {
    const refusal = kerasArchiveRefusal(name);
    expect(refusal !== null).toBe(refused);
    if (refusal) {
      expect(refusal).toContain(`${name} is a Keras 3 archive`);
      expect(refusal).toMatch(/import its config\.json/);
      expect(refusal).toMatch(/model\.json with its \.bin files/);
    }
  });
});
