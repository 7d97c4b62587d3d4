import type { TemplateInfo } from '../../src-shared/templates';

/**
 * Whether a template matches what was typed in the gallery's search box: every word, in any order, in
 * its title, id or description (case and accents ignored), so "resnet course" finds ResNet-18 (course).
 */
export function matchesTemplate(template: Pick<TemplateInfo, 'name' | 'title' | 'description'>, query: string, groupTitle = ''): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = fold(`${template.title} ${template.name} ${template.description} ${groupTitle}`);
  return words.every((word) => text.includes(word));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
