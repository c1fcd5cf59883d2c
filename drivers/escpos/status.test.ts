import { describe, expect, it } from 'vitest';
import { EscPosStatusFramer } from './framer.js';
import { blockingCode, combineStatus, describeStatusByte, isStatusByte, parseAsb, parseStatusByte, stateOf, statusRequestBytes } from './status.js';

describe('DLE EOT answers (escpos.md status table)', () => {
  it('DLE EOT n request = 10 04 n', () => {
    expect([...statusRequestBytes(3)]).toEqual([0x10, 0x04, 0x03]);
  });
  it('0x12 on all four means all clear and online', () => {
    const s = combineStatus([0x12, 0x12, 0x12, 0x12])!;
    expect(s).toMatchObject({ online: true, coverOpen: false, paperNearEnd: false, paperEnd: false, cutterError: false, unrecoverable: false, autoRecoverable: false, feedButton: false });
    expect(blockingCode(s)).toBeUndefined();
    expect(stateOf(s)).toBe('ok');
  });
  it('DLE EOT 4 = 0x1E → paper near end: prints, state warning', () => {
    expect(parseStatusByte(4, 0x1e)).toEqual({ n: 4, paperNearEnd: true, paperEnd: false, paperInPresenter: false });
    const s = combineStatus([0x12, 0x12, 0x12, 0x1e])!;
    expect(blockingCode(s)).toBeUndefined();
    expect(stateOf(s)).toBe('warning');
    expect(describeStatusByte(4, 0x1e)).toBe('0x1E near end');
  });
  it('DLE EOT 4 = 0x72 → paper end, blocks with PRINTER_PAPER_END', () => {
    expect(parseStatusByte(4, 0x72)).toEqual({ n: 4, paperNearEnd: false, paperEnd: true, paperInPresenter: false });
    expect(blockingCode(combineStatus([0x12, 0x12, 0x12, 0x72])!)).toBe('PRINTER_PAPER_END');
  });
  it('out-of-paper printer answering 1 = 0x1A, 2 = 0x32, 4 = 0x7E: offline because of paper end', () => {
    expect(parseStatusByte(1, 0x1a)).toMatchObject({ offline: true });
    expect(parseStatusByte(2, 0x32)).toMatchObject({ paperEndStop: true, coverOpen: false });
    expect(parseStatusByte(4, 0x7e)).toEqual({ n: 4, paperNearEnd: true, paperEnd: true, paperInPresenter: false });
    const s = combineStatus([0x1a, 0x32, 0x12, 0x7e])!;
    expect(s.online).toBe(false);
    expect(blockingCode(s)).toBe('PRINTER_PAPER_END'); // the cause, not the generic PRINTER_OFFLINE
    expect(stateOf(s)).toBe('error');
  });
  it('0x16 = online with the drawer pin high (bit 2 of DLE EOT 1 is not a fault)', () => {
    expect(parseStatusByte(1, 0x16)).toEqual({ n: 1, offline: false, waitingForRecovery: false, drawerPinHigh: true });
    expect(blockingCode(combineStatus([0x16, 0x12, 0x12, 0x12])!)).toBeUndefined();
  });
  it('DLE EOT 2 bit 2 = cover open → PRINTER_COVER_OPEN', () => {
    expect(blockingCode(combineStatus([0x1a, 0x16, 0x12, 0x12])!)).toBe('PRINTER_COVER_OPEN');
  });
  it('DLE EOT 3 bits: 3 cutter → PRINTER_CUTTER_ERROR, 5 → PRINTER_UNRECOVERABLE, 6 → PRINTER_RECOVERABLE', () => {
    expect(blockingCode(combineStatus([0x1a, 0x52, 0x1a, 0x12])!)).toBe('PRINTER_CUTTER_ERROR');
    expect(blockingCode(combineStatus([0x1a, 0x52, 0x32, 0x12])!)).toBe('PRINTER_UNRECOVERABLE');
    expect(blockingCode(combineStatus([0x1a, 0x52, 0x52, 0x12])!)).toBe('PRINTER_RECOVERABLE');
  });
  it('offline with no named cause → PRINTER_OFFLINE, state offline', () => {
    const s = combineStatus([0x1a, 0x12, 0x12, 0x12])!;
    expect(blockingCode(s)).toBe('PRINTER_OFFLINE');
    expect(stateOf(s)).toBe('offline');
  });
  it('DLE EOT 2 bit 3 = paper fed by the button', () => {
    expect(combineStatus([0x12, 0x1a, 0x12, 0x12])!.feedButton).toBe(true);
  });
  it.each([0x00, 0x02, 0x10, 0x13, 0x11, 0x92, 0xff, 0x0a])('0x%s is not a status byte (fixed bits 1 and 4 set, 0 and 7 clear)', (b) => {
    expect(isStatusByte(b)).toBe(false);
    expect(parseStatusByte(1, b)).toBeUndefined();
  });
  it('combineStatus refuses a set containing a non-status byte', () => {
    expect(combineStatus([0x12, 0x12, 0x00, 0x12])).toBeUndefined();
  });
});

describe('GS a automatic status back (4 bytes)', () => {
  it('all clear: 10 00 00 00', () => {
    expect(parseAsb([0x10, 0, 0, 0])).toMatchObject({ online: true, paperEnd: false, coverOpen: false, source: 'asb' });
  });
  it('cover open + offline, near end, paper end, cutter error', () => {
    expect(parseAsb([0x38, 0, 0, 0])).toMatchObject({ online: false, coverOpen: true });
    expect(parseAsb([0x10, 0, 0x03, 0])).toMatchObject({ paperNearEnd: true, paperEnd: false });
    expect(blockingCode(parseAsb([0x18, 0, 0x0f, 0])!)).toBe('PRINTER_PAPER_END');
    expect(blockingCode(parseAsb([0x18, 0x08, 0, 0])!)).toBe('PRINTER_CUTTER_ERROR');
  });
  it('rejects blocks with wrong fixed bits or length', () => {
    expect(parseAsb([0x12, 0, 0, 0])).toBeUndefined();
    expect(parseAsb([0x10, 0x10, 0, 0])).toBeUndefined();
    expect(parseAsb([0x10, 0, 0])).toBeUndefined();
  });
});

describe('EscPosStatusFramer', () => {
  it('separates status bytes, ASB blocks and noise, at every split point', () => {
    const stream = Uint8Array.of(0x12, 0x11, 0x1e, 0x10, 0x00, 0x03, 0x00, 0x72, 0xff);
    for (let cut = 0; cut <= stream.length; cut++) {
      const f = new EscPosStatusFramer();
      const frames = [...f.push(stream.slice(0, cut)), ...f.push(stream.slice(cut))];
      expect(frames.map((x) => x.kind)).toEqual(['status', 'discarded', 'status', 'asb', 'status', 'discarded']);
    }
  });
  it('an ASB block cut short by a status byte is discarded, the status byte kept', () => {
    const frames = new EscPosStatusFramer().push(Uint8Array.of(0x10, 0x00, 0x12));
    expect(frames).toEqual([
      { kind: 'discarded', bytes: Uint8Array.of(0x10, 0x00), reason: 'ASB block cut short' },
      { kind: 'status', byte: 0x12 },
    ]);
  });
});

describe('EscPosStatusFramer: XON/XOFF inside an ASB block (ASB is sent "continuously except for XOFF")', () => {
  const frames = (f: EscPosStatusFramer, parts: Uint8Array[]) => parts.flatMap((p) => f.push(p));
  it.each([
    ['XOFF after the header', [0x10, 0x13, 0x00, 0x03, 0x00]],
    ['XON after byte 2', [0x10, 0x00, 0x11, 0x03, 0x00]],
    ['XOFF then XON before the last byte', [0x10, 0x00, 0x03, 0x13, 0x11, 0x00]],
  ])('%s: the block comes out whole, at every split point', (_name, raw) => {
    const stream = Uint8Array.from([0x12, ...raw, 0x1e]);
    for (let cut = 0; cut <= stream.length; cut++) {
      for (let cut2 = cut; cut2 <= stream.length; cut2++) {
        const f = new EscPosStatusFramer();
        const out = frames(f, [stream.slice(0, cut), stream.slice(cut, cut2), stream.slice(cut2)]);
        expect(out, `split at ${cut}/${cut2}`).toEqual([
          { kind: 'status', byte: 0x12 },
          { kind: 'asb', bytes: Uint8Array.of(0x10, 0x00, 0x03, 0x00) },
          { kind: 'status', byte: 0x1e },
        ]);
        expect(f.flowControlBytes).toBe(raw.filter((b) => b === 0x11 || b === 0x13).length);
      }
    }
  });
  it('XON/XOFF outside a block are still not status bytes (discarded, as before)', () => {
    expect(new EscPosStatusFramer().push(Uint8Array.of(0x11, 0x13)).map((x) => x.kind)).toEqual(['discarded', 'discarded']);
  });
});
