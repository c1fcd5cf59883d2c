import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { samplePlacedCard } from '../../drivers/id-card/sample-identities.js';
import { IdCardReaderSimulator } from '../../drivers/id-card/simulator.js';
import { createPtyPair, type PtyPair } from '../../drivers/testing/socat.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { DiagIo } from './command.js';
import { createIdCardReadCommand } from './idcard.js';

function io(signal = new AbortController().signal): DiagIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), signal };
}

const cmd = createIdCardReadCommand({ now: () => new Date(2025, 5, 1) });

describe('diag idcard read against the simulator over a socat pty pair', () => {
  let pty: PtyPair;
  let sim: IdCardReaderSimulator;
  beforeEach(async () => {
    pty = await createPtyPair();
    sim = new IdCardReaderSimulator(new SerialTransport({ path: pty.devicePath, baudRate: 115200 }));
    await sim.start();
  });
  afterEach(async () => {
    await sim.stop();
    await pty.close();
  });

  it('prints the identity masked by default', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    const o = io();
    expect(await cmd.run(['--port', pty.hostPath, '--timeout-ms', '3000'], o)).toBe(0);
    const text = o.outLines.join('\n');
    expect(text).toMatch(/^name +张\*明$/m);
    expect(text).toMatch(/^idNumber +440104\*{10}17 \(check digit valid\)$/m);
    expect(text).toMatch(/^address +广东省广州市…$/m);
    expect(text).toMatch(/^age +35$/m);
    expect(text).toMatch(/^photo +1024 bytes WLT \(not decoded\)$/m);
    expect(text + o.errLines.join('\n')).not.toMatch(/张三明|440104199003070017|越秀区示例路|1990-03-07/);
  });

  it('--reveal --json prints full values as one JSON document', async () => {
    sim.placeCard(samplePlacedCard('hk-resident-permit'));
    const o = io();
    expect(await cmd.run(['--port', pty.hostPath, '--reveal', '--json', '--timeout-ms=3000'], o)).toBe(0);
    expect(o.outLines.length).toBe(1);
    const doc = JSON.parse(o.outLines[0]!);
    expect(doc).toMatchObject({
      ok: true,
      masked: false,
      identity: { name: '陳大文', idNumber: '810000199505050014 (check digit valid)', region: 'hong-kong', passNumber: 'H12345678', birthDate: '1995-05-05' },
    });
  });

  it('masked J card hides the pass number', async () => {
    sim.placeCard(samplePlacedCard('macao-resident-permit'));
    const o = io();
    expect(await cmd.run(['--port', pty.hostPath, '--json', '--timeout-ms', '3000'], o)).toBe(0);
    const doc = JSON.parse(o.outLines[0]!);
    expect(doc.identity).toMatchObject({ name: '何*玲', passNumber: 'M******21', region: 'macao' });
    expect(doc.identity.birthDate).toBeUndefined();
  });

  it('time-out without a card: exit 1 with IDCARD_NO_CARD and advice', async () => {
    const o = io();
    expect(await cmd.run(['--port', pty.hostPath, '--timeout-ms', '700'], o)).toBe(1);
    expect(o.errLines.at(-1)).toMatch(/^IDCARD_NO_CARD: no card was read within 700 ms — place the card/);
  });

  it('SAM fault: exit 1, JSON error', async () => {
    sim.setSamFault(0x60);
    const o = io();
    expect(await cmd.run(['--port', pty.hostPath, '--json', '--timeout-ms', '1000'], o)).toBe(1);
    expect(JSON.parse(o.outLines[0]!)).toMatchObject({ ok: false, error: { code: 'IDCARD_SAM_FAULT' } });
  });

  it('missing port: exit 1 with TRANSPORT_OPEN_FAILED', async () => {
    const o = io();
    expect(await cmd.run(['--port', '/dev/does-not-exist-idcard'], o)).toBe(1);
    expect(o.errLines.at(-1)).toMatch(/^TRANSPORT_OPEN_FAILED: .*could not be opened/);
  });

  it('SIGINT (abort) ends the wait with exit 1', async () => {
    const ac = new AbortController();
    const o = io(ac.signal);
    setTimeout(() => ac.abort(new Error('SIGINT')), 300);
    expect(await cmd.run(['--port', pty.hostPath, '--timeout-ms', '10000'], o)).toBe(1);
    expect(o.errLines.at(-1)).toBe('CANCELLED: cancelled');
  });
});

describe('diag idcard read usage errors (exit 2)', () => {
  it.each([[[]], [['--port']], [['--port', '/dev/x', '--baud', '4800']], [['--port', '/dev/x', '--timeout-ms', '0']], [['--port', '/dev/x', '--bogus']], [['read']]])(
    '%j',
    async (args) => {
      const o = io();
      expect(await cmd.run(args, o)).toBe(2);
      expect(o.errLines.join('\n')).toContain('usage: diag idcard read --port');
    },
  );
});
