import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryPair, type MemoryTransport } from '../transport/memory.js';
import { parseIdentityFrame } from './protocol.js';
import { samplePlacedCard } from './sample-identities.js';
import { IdCardReaderSimulator } from './simulator.js';

// The simulator is checked against the frames quoted in id-card-sam.md, written out by hand here.
const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const str = (b: Uint8Array) => [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

const CMD = {
  status: 'AA AA AA 96 69 00 03 11 FF ED',
  samId: 'AA AA AA 96 69 00 03 12 FF EE',
  find: 'AA AA AA 96 69 00 03 20 01 22',
  select: 'AA AA AA 96 69 00 03 20 02 21',
  read: 'AA AA AA 96 69 00 03 30 01 32',
  address: 'AA AA AA 96 69 00 03 30 03 30',
  readFp: 'AA AA AA 96 69 00 03 30 10 23',
};
const ANS = {
  statusOk: 'AA AA AA 96 69 00 04 00 00 90 94',
  samFault: 'AA AA AA 96 69 00 04 00 00 60 64',
  findOk: 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97',
  noCard: 'AA AA AA 96 69 00 04 00 00 80 84',
  selectOk: 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C',
  selectFailed: 'AA AA AA 96 69 00 04 00 00 81 85',
  readFailed: 'AA AA AA 96 69 00 04 00 00 41 45',
};

let host: MemoryTransport;
let sim: IdCardReaderSimulator;
let rx: number[];

beforeEach(async () => {
  const pair = memoryPair();
  host = pair.host;
  await host.open();
  rx = [];
  host.onData((c) => rx.push(...c));
  sim = new IdCardReaderSimulator(pair.device);
  await sim.start();
});
afterEach(async () => {
  await sim.stop();
});

/** Sends a command and returns the next answer frame (by its LEN). */
async function ask(cmd: string, timeoutMs = 500): Promise<Uint8Array> {
  rx = [];
  await host.write(hex(cmd));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (rx.length >= 7 && rx.length >= 7 + rx[5]! * 256 + rx[6]!) return Uint8Array.from(rx.splice(0, 7 + rx[5]! * 256 + rx[6]!));
    if (Date.now() > deadline) throw new Error(`no answer to ${cmd}; got ${rx.length} bytes`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
async function silence(cmd: string, ms = 100): Promise<number> {
  rx = [];
  await host.write(hex(cmd));
  await new Promise((r) => setTimeout(r, ms));
  return rx.length;
}

describe('IdCardReaderSimulator answers the spec frames', () => {
  it('status, find (no card / card), select, read, read-failed', async () => {
    expect(str(await ask(CMD.status))).toBe(ANS.statusOk);
    expect(str(await ask(CMD.find))).toBe(ANS.noCard);
    expect(str(await ask(CMD.select))).toBe(ANS.selectFailed);
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    expect(str(await ask(CMD.find))).toBe(ANS.findOk);
    expect(str(await ask(CMD.select))).toBe(ANS.selectOk);
    const read = await ask(CMD.read);
    expect(read.length).toBe(1295);
    expect(str(read.subarray(0, 14))).toBe('AA AA AA 96 69 05 08 00 00 90 01 00 04 00');
    let chk = 0;
    for (let i = 5; i < read.length - 1; i++) chk ^= read[i]!;
    expect(read[read.length - 1]).toBe(chk);
    expect(parseIdentityFrame(read)).toMatchObject({ name: '张三明', idNumber: '440104199003070017' });
    // a second read without select fails
    expect(str(await ask(CMD.read))).toBe(ANS.readFailed);
  });

  it('quirk: the same card is not found again after a read until lifted; switchable', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    await ask(CMD.read);
    expect(str(await ask(CMD.find))).toBe(ANS.noCard);
    sim.removeCard();
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    expect(str(await ask(CMD.find))).toBe(ANS.findOk);
    sim.setQuirkNoRefindAfterRead(false);
    await ask(CMD.select);
    await ask(CMD.read);
    expect(str(await ask(CMD.find))).toBe(ANS.findOk);
  });

  it('a read card left on the reader (halted) answers find "no card" but select OK; a removed card answers neither', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    await ask(CMD.read);
    for (let i = 0; i < 3; i++) {
      expect(str(await ask(CMD.find))).toBe(ANS.noCard);
      expect(str(await ask(CMD.select))).toBe(ANS.selectOk);
    }
    sim.removeCard();
    expect(str(await ask(CMD.find))).toBe(ANS.noCard);
    expect(str(await ask(CMD.select))).toBe(ANS.selectFailed);
  });

  it('fingerprint read: 2321 bytes with fingerprints, 1297 with a zero third length without', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult', { fingerprint: true }));
    await ask(CMD.find);
    await ask(CMD.select);
    const fp = await ask(CMD.readFp);
    expect(fp.length).toBe(2321);
    expect(str(fp.subarray(0, 16))).toBe('AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00');
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    const none = await ask(CMD.readFp);
    expect(none.length).toBe(1297);
    expect(str(none.subarray(0, 16))).toBe('AA AA AA 96 69 05 0A 00 00 90 01 00 04 00 00 00');
  });

  it('appended address 90 / 91; SAM id 16 bytes', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    const addr = await ask(CMD.address);
    expect(addr[9]).toBe(0x90);
    expect(addr.length).toBe(10 + 70 + 1);
    sim.placeCard(samplePlacedCard('gz-resident-elderly'));
    await ask(CMD.find);
    await ask(CMD.select);
    expect(str(await ask(CMD.address))).toBe('AA AA AA 96 69 00 04 00 00 91 95');
    const id = await ask(CMD.samId);
    expect(str(id.subarray(0, 10))).toBe('AA AA AA 96 69 00 14 00 00 90');
    expect(id.length).toBe(27);
  });

  it('SAM fault answers 60 to status and find', async () => {
    sim.setSamFault(0x60);
    expect(str(await ask(CMD.status))).toBe(ANS.samFault);
    expect(str(await ask(CMD.find))).toBe(ANS.samFault);
  });

  it('rejects a host frame with a bad checksum (10), a bad LEN (11), an unknown command (21)', async () => {
    expect(str(await ask('AA AA AA 96 69 00 03 20 01 23'))).toBe('AA AA AA 96 69 00 04 00 00 10 14');
    expect(str(await ask('AA AA AA 96 69 00 FF 20 01 22'))).toBe('AA AA AA 96 69 00 04 00 00 11 15');
    expect(str(await ask('AA AA AA 96 69 00 03 77 01 75'))).toBe('AA AA AA 96 69 00 04 00 00 21 25');
    expect(sim.counters.badFramesReceived).toBe(2);
  });

  it('one-shot faults: bad checksum, wrong LEN, inner lengths, any SW3, no answer, removed mid-read', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    sim.injectFault({ kind: 'bad-checksum', command: 'find' });
    expect(str(await ask(CMD.find))).toBe('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 CD');
    expect(str(await ask(CMD.find))).toBe(ANS.findOk);
    sim.injectFault({ kind: 'wrong-length', variant: 'len-too-small' });
    rx = [];
    await host.write(hex(CMD.find));
    await new Promise((r) => setTimeout(r, 50));
    expect(str(Uint8Array.from(rx))).toBe('AA AA AA 96 69 00 06 00 00 9F 00 00 00 00 97');
    sim.injectFault({ kind: 'sw3', sw3: 0x32, command: 'select' });
    expect(str(await ask(CMD.select))).toBe('AA AA AA 96 69 00 04 00 00 32 36');
    sim.injectFault({ kind: 'no-answer' });
    expect(await silence(CMD.status)).toBe(0);
    expect(await silence(CMD.status)).toBe(11);
    await ask(CMD.select);
    sim.injectFault({ kind: 'wrong-length', variant: 'inner-lengths' });
    const inner = await ask(CMD.read);
    expect(str(inner.subarray(0, 14))).toBe('AA AA AA 96 69 05 08 00 00 90 01 02 04 00');
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    sim.injectFault({ kind: 'removed-mid-read', answer: '41' });
    expect(str(await ask(CMD.read))).toBe(ANS.readFailed);
    expect(sim.cardPresent).toBe(false);
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    sim.injectFault({ kind: 'removed-mid-read', answer: 'none' });
    expect(await silence(CMD.read)).toBe(0);
  });

  it('slow responder and wire time: 1295 bytes at 115200 take ≥ 112 ms', async () => {
    sim.placeCard(samplePlacedCard('gz-resident-adult'));
    await ask(CMD.find);
    await ask(CMD.select);
    sim.setSimulateWireTime(true);
    let t = performance.now();
    await ask(CMD.read);
    expect(performance.now() - t).toBeGreaterThanOrEqual(112);
    sim.setSimulateWireTime(false);
    sim.setResponseDelay(150);
    t = performance.now();
    await ask(CMD.status);
    expect(performance.now() - t).toBeGreaterThanOrEqual(149);
  });

  it('baud switch 60 04 answers 90 at the old rate, then times answers at 9600', async () => {
    expect(str(await ask('AA AA AA 96 69 00 03 60 04 67'))).toBe(ANS.statusOk);
    expect(sim.baudRate).toBe(9600);
    sim.setSimulateWireTime(true);
    const t = performance.now();
    await ask(CMD.status); // 11 bytes at 9600 = 11.5 ms
    expect(performance.now() - t).toBeGreaterThanOrEqual(11);
  });
});

describe('independence', () => {
  it('the simulator imports neither the codec nor the framer of the driver', async () => {
    const { readFile } = await import('node:fs/promises');
    const src = await readFile(new URL('./simulator.ts', import.meta.url), 'utf8');
    const imports = [...src.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['../errors.js', '../transport/transport.js']);
    expect(src).toMatch(/^import type \{ DriverError \} from '..\/errors.js';$/m);
  });
});
