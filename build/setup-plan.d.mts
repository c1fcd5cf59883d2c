// Types for build/setup-plan.mjs (plain JavaScript so that it runs before node_modules exists).
export const KIOSK_BROWSER_USER: string;
export type TreeState = { state: 'ok' } | { state: 'absent' | 'stale'; reason: string };
export interface LockFile {
  packages?: Record<string, { version?: string; optional?: boolean; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
}
export interface SetupProbes {
  debian: boolean;
  missingPackages: string[];
  cupsRunning: boolean;
  kioskUserExists: boolean;
  root: boolean;
  sudo: () => boolean;
  tree: TreeState;
  lockDrift: string[];
}
export type SetupStep = { kind: 'system'; sudo: boolean; reason: string } | { kind: 'npm-ci'; reason: string };
export interface SetupPlan {
  steps: SetupStep[];
  advice: string[];
  fatal: boolean;
}
export function readPackageList(text: string): string[];
export function installedFromDpkgStatus(text: string): Set<string>;
export function compareInstalledTree(lock: LockFile, installed: LockFile | undefined): TreeState;
export function lockOutOfSync(pkg: Record<string, Record<string, string> | unknown>, lock: LockFile): string[];
export function planSetup(purpose: 'start' | 'test', probes: SetupProbes): SetupPlan;
export function probeMachine(root: string, purpose: 'start' | 'test'): SetupProbes;
export function processRunning(comm: string, procDir?: string): boolean;
export function userExists(name: string, passwd?: string): boolean;
