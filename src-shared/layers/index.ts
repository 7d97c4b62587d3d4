export * from './types';
export * from './params';
export * from './registry';
export * from './subgraph';
export { ACTIVATIONS, formatShape, product, type ActivationName } from './helpers';
