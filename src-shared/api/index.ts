export * from './appInfo';
export * from './contract';
export * from './wire';
export * from './bridge';
export * from './files';
export * from './blocks';
export * from './training';
export * from './datasets';
