import { existsSync, realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from './socat.js';

describe('createPtyPair', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('creates both links, removes them on unplug, recreates them on replug, cleans up on close', async () => {
    pair = await createPtyPair();
    expect(existsSync(pair.hostPath)).toBe(true);
    expect(existsSync(pair.devicePath)).toBe(true);
    expect(realpathSync(pair.hostPath)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(pair.plugged).toBe(true);
    await pair.unplug();
    expect(pair.plugged).toBe(false);
    expect(existsSync(pair.hostPath)).toBe(false);
    expect(existsSync(pair.devicePath)).toBe(false);
    await pair.replug();
    expect(existsSync(pair.hostPath)).toBe(true);
    const host = pair.hostPath;
    await pair.close();
    expect(existsSync(host)).toBe(false);
  });
});
