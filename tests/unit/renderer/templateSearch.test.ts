import { describe, expect, it } from 'vitest';
import { templates } from '../../../src-shared/templates';
import { matchesTemplate } from '../../../src-renderer/templates/templateSearch';

const found = (query: string) => templates.filter((t) => matchesTemplate(t, query)).map((t) => t.name);

describe("matchesTemplate: the gallery's search by name and description", () => {
  it.each<[string, string, string[], string[]]>([
    ['empty: everything', '', ['lenet5', 'resnet18', 'tiny-ssd'], []],
    ['by title, any case', 'LENET', ['lenet5'], ['resnet18']],
    ['by id', 'resnet18-course', ['resnet18-course'], ['resnet18']],
    ['every word, any order', 'course resnet', ['resnet18-course'], ['resnet18', 'lenet5']],
    ['by a word of the description', 'anchor', ['tiny-ssd'], ['lenet5']],
    ['nothing for nonsense', 'zzzz', [], ['lenet5']],
  ])('%s', (_case, query, include, exclude) => {
    const names = found(query);
    for (const name of include) expect(names).toContain(name);
    for (const name of exclude) expect(names).not.toContain(name);
  });

  it('ignores accents and surrounding spaces', () => {
    expect(matchesTemplate({ name: 'x', title: 'Réseau', description: '' }, '  reseau ')).toBe(true);
  });
});
