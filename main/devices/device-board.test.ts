import { describe, expect, it } from 'vitest';
import { DEVICE_IDS, type DeviceId } from '../contract/index.js';
import { EventHub } from '../core/event-hub.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../storage/database.js';
import { DeviceBoard } from './device-board.js';
import type { DeviceMode } from './device-plan.js';

function board() {
  const db = openDatabase({ file: ':memory:' });
  const all = <T>(v: T) => Object.fromEntries(DEVICE_IDS.map((id) => [id, v])) as Record<DeviceId, T>;
  return new DeviceBoard({
    hub: new EventHub(),
    db,
    logger: createLogger('test/board'),
    models: all('model'),
    configured: all('configured'),
    modes: { ...all<DeviceMode>('real'), callDisplay: 'none' },
    linked: ['idCard', 'scanner', 'receiptPrinter'],
    liveCounters: () => ({}),
  });
}

describe('DeviceBoard', () => {
  it('never shows a linked device ok before it answered; the first answer makes it ok', () => {
    const b = board();
    b.set('scanner', { state: 'ok', detail: 'ready: waiting for a code' });
    expect(b.view('scanner')).toMatchObject({ state: 'starting', detail: 'ready: waiting for a code; no answer from the device yet', link: { lastGoodAt: null } });
    b.pushTrace('scanner', { device: 'scanner', dir: 'tx', at: 1, length: 1, hex: '00', meaning: 'sent' });
    expect(b.view('scanner').state).toBe('starting');
    b.pushTrace('scanner', { device: 'scanner', dir: 'rx', at: 2, length: 3, hex: '41 42 0d', meaning: 'scan' });
    expect(b.view('scanner')).toMatchObject({ state: 'ok', detail: 'ready: waiting for a code', link: { lastGoodAt: 2 } });
  });

  it('after its link reopens (replug, reconnect) a device is not ok again until it answers on the new link', () => {
    const b = board();
    const meter = b.meter('receiptPrinter')!;
    meter.opened('tcp://127.0.0.1:9100');
    b.set('receiptPrinter', { state: 'ok', detail: 'ready' });
    b.answered('receiptPrinter', 10);
    expect(b.view('receiptPrinter').state).toBe('ok');
    b.set('receiptPrinter', { state: 'offline', detail: 'link lost' });
    meter.opened('tcp://127.0.0.1:9100');
    b.set('receiptPrinter', { state: 'ok', detail: 'ready' });
    expect(b.view('receiptPrinter')).toMatchObject({ state: 'starting', link: { lastGoodAt: 10 } });
    b.answered('receiptPrinter', 20);
    expect(b.view('receiptPrinter')).toMatchObject({ state: 'ok', link: { lastGoodAt: 20 } });
  });

  it('a device without a link of its own (display page, CUPS) is reported as set', () => {
    const b = board();
    b.set('a4Printer', { state: 'ok', detail: 'CUPS queue PDF ready' });
    expect(b.view('a4Printer')).toMatchObject({ state: 'ok' });
    expect(b.view('a4Printer').link).toBeUndefined();
  });

  it('an error after an answer is shown at once and cancels a pending ok', () => {
    const b = board();
    b.set('idCard', { state: 'ok', detail: 'ready' });
    b.set('idCard', { state: 'error', detail: 'no SAM answer' });
    b.answered('idCard');
    expect(b.view('idCard').state).toBe('error');
  });
});
