/**
 * The framework-free core: the document, the layer registry, analysis and templates.
 * (The API contract lives apart, in ./api.)
 *
 * @example
 * import { analyze, getTemplate } from '../src-shared';
 * const analysis = analyze(getTemplate('lenet5')!.build());
 */
export * from './graph/index';
export * from './layers/index';
export * from './analysis/index';
export * from './templates/index';
