export type Registration = { kind: 'napi' } | { kind: 'abi'; versions: number[] } | { kind: 'unknown' };
export interface NativeVerdict {
  file: string;
  registration: Registration;
  format: string;
  ok: boolean;
  reason?: string;
}
export declare function electronAbi(root: string): { version: string; abi: number };
export declare function binaryFormat(buf: Buffer): string;
export declare function moduleRegistration(buf: Buffer): Registration;
export declare function checkNativeModule(file: string, abi: number, platform?: string): NativeVerdict;
export declare function findNativeModules(dir: string): string[];
export declare function checkNativeModules(dir: string, abi: number, platform?: string): NativeVerdict[];
export declare function formatVerdict(v: NativeVerdict, name: string): string;
