import type { NativeVerdict } from './native-abi.mjs';

export declare const EXPECTED_FUSES: Record<string, '0' | '1' | null>;
export declare const RENDERER_ONLY: readonly string[];
export declare const ABI_ADVICE: string;
export interface PackageReport {
  problems: string[];
  abiProblems: string[];
  abiVerdicts: NativeVerdict[];
  fuses: Record<string, string>;
  sizes: { asar?: number; unpacked?: number; files?: number };
  electron?: { version: string; abi: number };
}
export declare function checkPackage(appOutDir: string, options?: { platform?: string; executableName?: string }): Promise<PackageReport>;
export declare function formatReport(r: PackageReport): string;
