export * from './schema';
export * from './parse';
export * from './ops';
export * from './group';
export * from './builder';
export * from './ids';
