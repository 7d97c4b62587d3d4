// Injected at build time by esbuild's `define`; falls back for tsx/vitest runs.
declare const __NETWRIGHT_VERSION__: string | undefined;

export const APP_VERSION: string =
  typeof __NETWRIGHT_VERSION__ === 'string' ? __NETWRIGHT_VERSION__ : (process.env.npm_package_version ?? '0.0.0-dev');
