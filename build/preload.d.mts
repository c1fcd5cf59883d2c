import type { BuildOptions } from 'esbuild';

export declare const SANDBOX_REQUIRABLE: readonly string[];
export declare function preloadBuildOptions(root: string, outdir: string): BuildOptions;
export declare function sandboxedPreloadProblems(code: string): string[];
