export interface PackageTarget {
  platform: string;
  arch: string;
  libc?: string;
}
export declare const BUILD_ONLY_PACKAGES: readonly string[];
export declare const APP_FILES: readonly string[];
export declare function bareImports(code: string): Set<string>;
export declare function runtimeRoots(root: string): string[];
export declare function dependencyClosure(root: string, roots: string[]): string[];
export declare function isLeftover(rel: string, pkgName: string, native: boolean, target: PackageTarget): boolean;
export declare function isForeignPrebuild(rel: string, target: PackageTarget): boolean;
export declare function parseTarget(s: string): PackageTarget;
export declare function prunePackages(stageDir: string, packages: string[], target: PackageTarget): { files: number; bytes: number };
export declare function stageApp(root: string, stageDir: string): { roots: string[]; packages: string[]; excluded: string[] };
