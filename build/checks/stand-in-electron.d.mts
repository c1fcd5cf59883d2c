export declare const FUSE_SENTINEL: string;
export declare const FACTORY_FUSES: string;
export declare function makeStandInElectronDist(dir: string, version?: string): string;
