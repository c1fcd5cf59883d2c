import { afterEach, describe, expect, it } from 'vitest';
import { SerialScannerSimulator } from '../../drivers/scanner/simulator.js';
import { createPtyPair, type PtyPair } from '../../drivers/testing/socat.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { DiagIo } from './command.js';
import { createScannerListenCommand, maskPayload, scannerListenCommand } from './scanner.js';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const io: DiagIo = { out: (l) => out.push(l), err: (l) => err.push(l), signal: controller.signal };
  return { io, out, err, controller };
}

describe('diag scanner listen (socat pair + simulator, real bindings)', () => {
  let pair: PtyPair | undefined;
  let device: SerialTransport | undefined;
  afterEach(async () => {
    await device?.close();
    await pair?.close();
    pair = undefined;
    device = undefined;
  });

  const setup = async () => {
    pair = await createPtyPair();
    device = new SerialTransport({ path: pair.devicePath, baudRate: 9600 });
    await device.open();
    return { pair, sim: new SerialScannerSimulator(device, { aimPrefix: true }) };
  };

  it('prints one masked JSON line per scan and exits 0 after --count scans', async () => {
    const { pair, sim } = await setup();
    const f = fakeIo();
    const running = scannerListenCommand.run(['--port', pair.hostPath, '--count', '2', '--json'], f.io);
    await new Promise((r) => setTimeout(r, 150)); // let it open the port
    await sim.scan('HKT:Secret1234', { aim: ']Q1' });
    await sim.scan('YY20240501-0031', { aim: ']C0' });
    expect(await running).toBe(0);
    expect(f.err).toEqual([]);
    const lines = f.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ at: _at, ...rest }) => rest)).toEqual([
      { kind: 'ticket', symbology: 'qr', aim: ']Q1', length: 14, payload: 'HKT:…(14 chars)' },
      { kind: 'appointment', symbology: 'code128', aim: ']C0', length: 15, payload: 'YY20…(15 chars)' },
    ]);
    expect(f.out.join('\n')).not.toContain('Secret');
  });

  it('shows payloads with --reveal and stops cleanly on SIGINT (abort)', async () => {
    const { pair, sim } = await setup();
    const f = fakeIo();
    const running = createScannerListenCommand().run(['--port', pair.hostPath, '--reveal'], f.io);
    await new Promise((r) => setTimeout(r, 150));
    await sim.scan('https://q.example.cn/t/abcdef');
    await expect.poll(() => f.out.some((l) => l.includes('https://q.example.cn/t/abcdef'))).toBe(true);
    f.controller.abort();
    expect(await running).toBe(0);
    expect(f.out.at(-1)).toBe('1 scan(s), 0 discarded');
  });

  it('exits 1 with a clear message when the port does not exist', async () => {
    const f = fakeIo();
    expect(await scannerListenCommand.run(['--port', '/dev/ttyNOPE42', '--json'], f.io)).toBe(1);
    expect(f.err.join('\n')).toMatch(/cannot open \/dev\/ttyNOPE42: .*diag ports/);
  });

  it('exits 1 when the scanner is unplugged while listening', async () => {
    const { pair } = await setup();
    const f = fakeIo();
    const running = scannerListenCommand.run(['--port', pair.hostPath], f.io);
    await new Promise((r) => setTimeout(r, 150));
    await pair.unplug();
    expect(await running).toBe(1);
    expect(f.err.join('\n')).toContain('disconnected (TRANSPORT_DISCONNECTED)');
  });

  it('exits 2 on usage errors', async () => {
    const f = fakeIo();
    expect(await scannerListenCommand.run([], f.io)).toBe(2);
    expect(await scannerListenCommand.run(['--port', '/dev/x', '--count', '-1'], f.io)).toBe(2);
    expect(await scannerListenCommand.run(['--bogus'], f.io)).toBe(2);
  });

  it('masks short and long payloads', () => {
    expect(maskPayload('abc')).toBe('***');
    expect(maskPayload('办事码123456')).toBe('办事码1…(9 chars)');
  });
});
