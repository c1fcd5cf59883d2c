import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceFileTransport } from './device-file.js';

describe('DeviceFileTransport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-devfile-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes bytes in order, is write-only, closes with undefined', async () => {
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    const t = new DeviceFileTransport({ path });
    expect(t.readable).toBe(false);
    await t.open();
    await Promise.all([t.write(Uint8Array.of(0x1b, 0x40)), t.write(Uint8Array.of(0x41, 0x0a)), t.write(Uint8Array.of(0x1d, 0x56, 0x00))]);
    const events: unknown[] = [];
    t.onClose((e) => events.push(e));
    await t.close();
    expect(events).toEqual([undefined]);
    expect([...readFileSync(path)]).toEqual([0x1b, 0x40, 0x41, 0x0a, 0x1d, 0x56, 0x00]);
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
  });

  it('does not create a missing device (TRANSPORT_OPEN_FAILED)', async () => {
    const path = join(dir, 'lp9');
    await expect(new DeviceFileTransport({ path }).open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    expect(existsSync(path)).toBe(false);
  });

  it('rejects a failing write with TRANSPORT_WRITE_FAILED and stays open for non-fatal errno', async () => {
    const t = new DeviceFileTransport({ path: '/dev/full' });
    await t.open();
    const err = await t.write(Uint8Array.of(1, 2, 3)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TRANSPORT_WRITE_FAILED', detail: { errno: 'ENOSPC' } });
    expect(t.isOpen).toBe(true);
    await t.close();
  });
});
