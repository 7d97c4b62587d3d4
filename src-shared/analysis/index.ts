// anchors.ts (detection math) is written separately; export it here once it lands.
export * from './analyze';
export * from './convMath';
export * from './order';
export * from './receptiveField';
export * from './summary';
export * from './types';
