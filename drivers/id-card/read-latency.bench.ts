/**
 * `node build/bench.mjs id-card`: card placement → usable Identity over a socat pty pair with real serialport
 * bindings at 115200 bps, the simulator delaying each answer by its wire time (bytes×10/baud; a pty does not enforce
 * baud). N = 50 placements at random phases of the 300 ms poll. Then pure codec throughput. Prints, asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { createPtyPair } from '../testing/socat.js';
import { SerialTransport } from '../transport/serial.js';
import { IdCardReaderDriver, wireTimeMs } from './driver.js';
import { IdCardFramer } from './framer.js';
import { buildFrame, parseReadAnswer, parseResponse, parseTextBlock } from './protocol.js';
import { samplePlacedCard } from './sample-identities.js';
import { IdCardReaderSimulator, buildTextBlock, samplePhoto } from './simulator.js';

const N = 50;
const BAUD = 115200;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function summary(label: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${label.padEnd(44)} p50 ${pct(s, 50).toFixed(1).padStart(6)} ms  p95 ${pct(s, 95).toFixed(1).padStart(6)} ms  max ${s[s.length - 1]!.toFixed(1).padStart(6)} ms  mean ${mean.toFixed(1)} ms`;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function latency(): Promise<void> {
  const pty = await createPtyPair();
  const sim = new IdCardReaderSimulator(new SerialTransport({ path: pty.devicePath, baudRate: BAUD }), { simulateWireTime: true, baudRate: BAUD });
  await sim.start();
  let lastFindAt = 0;
  const driver = new IdCardReaderDriver({
    transport: new SerialTransport({ path: pty.hostPath, baudRate: BAUD }),
    baudRate: BAUD,
    removalConfirmations: 1,
    trace: (e) => {
      if (e.dir === 'tx' && e.meaning.startsWith('find card')) lastFindAt = performance.now();
    },
  });
  await driver.open();
  driver.startPolling();
  const placement: number[] = [];
  const protocol: number[] = [];
  const removal: number[] = [];
  for (let i = 0; i < N; i++) {
    await sleep(Math.random() * 300);
    const read = new Promise<number>((resolve) => {
      const off = driver.on('card-read', () => {
        off();
        resolve(performance.now());
      });
    });
    const placedAt = performance.now();
    sim.placeCard(samplePlacedCard(i % 2 ? 'gz-resident-adult' : 'hk-resident-permit'));
    const at = await read;
    placement.push(at - placedAt);
    protocol.push(at - lastFindAt);
    const removed = new Promise<void>((resolve) => {
      const off = driver.on('card-removed', () => {
        off();
        resolve();
      });
    });
    // the card stays a while first: a halted card (find 80, select 90) must not count as removed
    await sleep(400 + Math.random() * 300);
    const liftedAt = performance.now();
    sim.removeCard();
    await removed;
    removal.push(performance.now() - liftedAt);
  }
  await driver.close();
  await sim.stop();
  await pty.close();

  const frameWire = [11, 15, 19, 1295].map((b) => wireTimeMs(b, BAUD));
  console.log(`ID card read latency over socat pty, ${BAUD} bps with simulated wire time, N=${N}, poll 300 ms`);
  console.log(summary('placement → card-read (includes poll wait)', placement));
  console.log(summary('find sent → card-read (find, select, read)', protocol));
  console.log(summary('lift → card-removed (find+select fail, ×1)', removal));
  console.log(
    `wire time: read answer 1295 B = ${frameWire[3]!.toFixed(1)} ms; find+select+read answers and 3 commands = ${(
      frameWire[1]! + frameWire[2]! + frameWire[3]! + 3 * wireTimeMs(10, BAUD)
    ).toFixed(1)} ms (lower bound of the protocol part; a real reader adds ~0.5-1 s of card RF/auth time)`,
  );
  console.log(`driver counters: ${JSON.stringify(driver.counters)}`);
}

function codecThroughput(): void {
  const text = buildTextBlock(samplePlacedCard('gz-resident-adult').card);
  const frame = buildFrame([0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00, ...text, ...samplePhoto(text)]);
  const M = 20_000;
  for (let i = 0; i < 2000; i++) parseTextBlock(parseReadAnswer(parseResponse(frame), false).text); // warm-up
  let t = performance.now();
  for (let i = 0; i < M; i++) {
    const a = parseReadAnswer(parseResponse(frame), false);
    parseTextBlock(a.text, a.photo);
  }
  let ms = performance.now() - t;
  console.log(
    `codec: parseResponse+parseReadAnswer+parseTextBlock  ${(M / (ms / 1000)).toFixed(0)} reads/s  (${((ms * 1000) / M).toFixed(1)} µs each, ${((M * frame.length) / 1e6 / (ms / 1000)).toFixed(0)} MB/s)`,
  );
  const framer = new IdCardFramer();
  t = performance.now();
  let frames = 0;
  for (let i = 0; i < M; i++) frames += framer.push(frame).length;
  ms = performance.now() - t;
  console.log(`framer: whole 1295-byte frames                      ${(M / (ms / 1000)).toFixed(0)} frames/s (${frames} frames)`);
  const chunked = new IdCardFramer();
  t = performance.now();
  frames = 0;
  const K = 2000;
  for (let i = 0; i < K; i++) for (let o = 0; o < frame.length; o += 32) frames += chunked.push(frame.subarray(o, o + 32)).length;
  ms = performance.now() - t;
  console.log(`framer: 32-byte chunks (USB-serial like)             ${(K / (ms / 1000)).toFixed(0)} frames/s (${frames} frames)`);
}

await latency();
codecThroughput();
