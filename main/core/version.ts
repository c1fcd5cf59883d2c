/** Replaced at build time by esbuild's `define` with package.json's version; the fallback serves tests. */
declare const __APP_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
