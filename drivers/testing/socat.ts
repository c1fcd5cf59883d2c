import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test harness: a pair of pseudo-terminals wired back to back by `socat`, standing in for a USB serial device
 * (ENVIRONMENT.md: real serialport bindings work over it; DTR/RTS ioctls fail; the baud rate is not enforced).
 *
 * `hostPath` is the end the driver under test opens; `devicePath` is where the simulator plays the device.
 * Both are symlinks in a private temp dir, so parallel test files never collide.
 * `unplug()` kills socat: both ptys vanish and an open port sees EIO, as when a USB cable is pulled.
 * `replug()` starts socat again with the same link names (new /dev/pts/N behind them).
 *
 * Test-only: never imported by production code.
 */
export interface PtyPair {
  hostPath: string;
  devicePath: string;
  readonly plugged: boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** How long to wait for socat to create both links; default 5000 ms. */
  startTimeoutMs?: number;
  /** Extra socat address options for both ends, e.g. `['crnl']`; default none. */
  extraOptions?: string[];
}

export async function createPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  const startTimeoutMs = opts.startTimeoutMs ?? 5000;
  const extra = opts.extraOptions?.length ? `,${opts.extraOptions.join(',')}` : '';
  let child: ChildProcess | undefined;
  let closed = false;

  const start = async (): Promise<void> => {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}${extra}`, `pty,raw,echo=0,link=${devicePath}${extra}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (s: string) => {
      // keep only the tail: socat -d -d is chatty and long-running pairs must not grow memory
      stderr = (stderr + s).slice(-4000);
    });
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: Error | undefined;
    proc.once('exit', (code, signal) => {
      exited = { code, signal };
    });
    proc.once('error', (e) => {
      spawnError = e;
    });
    const deadline = Date.now() + startTimeoutMs;
    // socat prints "starting data transfer loop" once both ptys exist and the links are made
    while (!(existsSync(hostPath) && existsSync(devicePath) && stderr.includes('starting data transfer loop'))) {
      if (spawnError) throw new Error(`socat could not be started: ${spawnError.message} (apt-get install socat)`);
      if (exited) throw new Error(`socat exited (${exited.code ?? exited.signal}) before the ptys were ready: ${stderr.trim()}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`socat did not create ${hostPath} and ${devicePath} within ${startTimeoutMs} ms: ${stderr.trim()}`);
      }
      await sleep(10);
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await gone;
    clearTimeout(timer);
    // socat removes its links on a clean exit; after SIGKILL they may dangle, so remove them ourselves
    await rm(hostPath, { force: true });
    await rm(devicePath, { force: true });
  };

  await start();

  return {
    hostPath,
    devicePath,
    get plugged() {
      return child !== undefined;
    },
    async unplug() {
      await stop();
    },
    async replug() {
      if (closed) throw new Error('pty pair is closed');
      if (child) return;
      await start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
