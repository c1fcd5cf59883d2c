// `node build/bench.mjs escpos`: encoding throughput of a realistic queue ticket (Chinese text, two-column rows,
// a QR code, CODE128, cut) and the virtual printer's decode + PNG render time. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';
import { EscPosDecoder } from './decoder.js';
import { EscPosEncoder } from './encoder.js';
import { ReceiptAssembler, type Receipt } from './receipt.js';
import { renderReceiptPng, unifontAvailable } from './render-png.js';

function ticket(n: number): Uint8Array {
  const no = `A${String(n % 1000).padStart(3, '0')}`;
  return new EscPosEncoder()
    .initialize()
    .align('center')
    .bold()
    .textLine('广州市天河区政务服务中心')
    .bold(false)
    .size(3, 3)
    .textLine(no)
    .size(1, 1)
    .textLine('社会保障业务 · 综合窗口')
    .align('left')
    .rule()
    .line('等候人数', `${n % 37}人`)
    .line('取号时间', '2024-05-20 09:31:05')
    .line('办理地点', '二楼东区 12-15号窗口')
    .wrap('温馨提示：请携带本人身份证原件及复印件一份；过号请到服务台重新取号。Please keep this ticket.')
    .rule()
    .align('center')
    .qr(`https://zwfw.example.gov.cn/q?hall=440106&n=${no}`, { moduleSize: 6, errorLevel: 'M' })
    .code128(no)
    .feed(1)
    .cut('partial')
    .encode();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

// warm-up (JIT, iconv tables, qrcode)
for (let i = 0; i < 200; i++) ticket(i);

const N = 3000;
let bytes = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) bytes += ticket(i).length;
const encodeMs = performance.now() - t0;
console.log(`encode: ${N} tickets in ${encodeMs.toFixed(0)} ms → ${((N / encodeMs) * 1000).toFixed(0)} tickets/s, ${(bytes / N).toFixed(0)} bytes/ticket`);

const sample = ticket(7);
const decodeTimes: number[] = [];
const renderTimes: number[] = [];
let receipt: Receipt | undefined;
let pngBytes = 0;
console.log(`unifont: ${unifontAvailable() ? 'found' : 'MISSING (boxes drawn instead of glyphs)'}`);
for (let i = 0; i < 60; i++) {
  const a = performance.now();
  const asm = new ReceiptAssembler({ columns: 48 });
  for (const cmd of new EscPosDecoder().push(sample)) receipt = asm.apply(cmd).cut ?? receipt;
  const b = performance.now();
  const png = renderReceiptPng(receipt!.blocks, { widthDots: 576, columns: 48 });
  const c = performance.now();
  pngBytes = png.length;
  if (i >= 10) {
    decodeTimes.push(b - a);
    renderTimes.push(c - b);
  }
}
decodeTimes.sort((x, y) => x - y);
renderTimes.sort((x, y) => x - y);
console.log(`virtual printer decode: p50 ${percentile(decodeTimes, 0.5).toFixed(2)} ms, p95 ${percentile(decodeTimes, 0.95).toFixed(2)} ms per ticket`);
console.log(`PNG render (576 dots wide): p50 ${percentile(renderTimes, 0.5).toFixed(1)} ms, p95 ${percentile(renderTimes, 0.95).toFixed(1)} ms, ${(pngBytes / 1024).toFixed(1)} KiB`);

// Virtual printer decoder on hostile input (issue #9): 1 MiB of GS k function A data that never sends its NUL, in
// 4 KiB pushes, and a 64 KiB GS ( command pushed one byte at a time. Before the fix the first held all 1 MiB and
// copied it on every push.
{
  const unterminated = new Uint8Array(1 << 20).fill(0x31);
  unterminated.set([0x1d, 0x6b, 0x04], 0); // GS k m=4 (CODE39), data '1' × 1 MiB, no NUL
  const d = new EscPosDecoder();
  let maxPending = 0;
  const a = performance.now();
  for (let at = 0; at < unterminated.length; at += 4096) {
    d.push(unterminated.subarray(at, at + 4096));
    maxPending = Math.max(maxPending, d.pendingBytes);
  }
  const ms = performance.now() - a;
  console.log(`decoder, 1 MiB unterminated GS k in 4 KiB pushes: ${ms.toFixed(0)} ms, max pending ${maxPending} B, discarded ${d.discardedBytes} B`);

  const k = 65535;
  const big = new Uint8Array(5 + k);
  big.set([0x1d, 0x28, 0x4c, k & 0xff, k >> 8]); // GS ( L pL pH: a 64 KiB length-prefixed command
  const e = new EscPosDecoder();
  const b = performance.now();
  for (let i = 0; i < big.length; i++) e.push(big.subarray(i, i + 1));
  console.log(`decoder, 64 KiB GS ( command pushed byte by byte: ${(performance.now() - b).toFixed(0)} ms`);
}
