import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedStripSimulator } from '../../drivers/call-display/led-simulator.js';
import { createPtyPair, type PtyPair } from '../../drivers/testing/socat.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { DiagIo } from './command.js';
import { DISPLAY_TEST_PATTERN, displayTestCommand } from './display.js';

function io(): DiagIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), signal: new AbortController().signal };
}

describe('diag display test (simulator on a socat pty pair, real serial bindings)', () => {
  let pty: PtyPair;
  let sim: LedStripSimulator;

  beforeEach(async () => {
    pty = await createPtyPair();
    sim = new LedStripSimulator({ transport: new SerialTransport({ path: pty.devicePath, baudRate: 9600 }), addresses: [1, 0x12] });
    await sim.start();
  });
  afterEach(async () => {
    await sim.stop();
    await pty.close();
  });

  it('shows the test pattern and reports status (human output)', async () => {
    const o = io();
    const code = await displayTestCommand.run(['--port', pty.hostPath, '--address', '12'], o);
    expect(o.errors).toEqual([]);
    expect(code).toBe(0);
    expect(sim.shown(0x12)).toBe(DISPLAY_TEST_PATTERN);
    expect(sim.shown(1)).toBe('');
    expect(o.lines[0]).toBe(`LED strip 12 on ${pty.hostPath}: brightness 8/15, no faults`);
  });

  it('--json reports status and fault flags; default address 01', async () => {
    sim.setFaultFlags(1, 0x02);
    const o = io();
    expect(await displayTestCommand.run(['--port', pty.hostPath, '--json'], o)).toBe(0);
    const doc = JSON.parse(o.lines[0]!) as { ok: boolean; address: string; shows: string; status: { overTemperature: boolean } };
    expect(doc).toMatchObject({ ok: true, address: '01', shows: DISPLAY_TEST_PATTERN, status: { overTemperature: true } });
  });

  it('exit 1 with a clear message when the strip does not answer or refuses', async () => {
    const o = io();
    expect(await displayTestCommand.run(['--port', pty.hostPath, '--address', '05', '--timeout', '50'], o)).toBe(1);
    expect(o.errors[0]).toContain('LED strip 05');
    expect(o.errors[0]).toContain('did not answer');
    sim.setFault(1, { nak: '3' });
    const o2 = io();
    expect(await displayTestCommand.run(['--port', pty.hostPath, '--json'], o2)).toBe(1);
    expect(JSON.parse(o2.lines[0]!)).toMatchObject({ ok: false, error: { code: 'DISPLAY_REJECTED' } });
  });

  it('exit 1 when the port cannot be opened; exit 2 on usage errors', async () => {
    const o = io();
    expect(await displayTestCommand.run(['--port', '/dev/kiosk-no-such-port'], o)).toBe(1);
    expect(o.errors[0]).toContain('cannot open /dev/kiosk-no-such-port');
    expect(await displayTestCommand.run([], io())).toBe(2);
    expect(await displayTestCommand.run(['--port', 'x', '--address', 'FF'], io())).toBe(2);
    expect(await displayTestCommand.run(['--port', 'x', '--bogus'], io())).toBe(2);
  });
});
