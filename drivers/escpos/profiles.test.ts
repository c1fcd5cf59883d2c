import { describe, expect, it } from 'vitest';
import { EscPosEncoder } from './encoder.js';
import { PRINTER_PROFILES, type PrinterProfile } from './profiles.js';
import { blockingCode, combineStatus, describeStatusByte, parseStatusByte } from './status.js';
import { VirtualReceiptPrinter } from './simulator.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1 ');
const STANDARD: PrinterProfile = PRINTER_PROFILES['80mm'];
const PRESENTER: PrinterProfile = PRINTER_PROFILES['80mm-presenter'];

describe('DLE EOT 4 bit layout is a profile property (dleEot4Layout)', () => {
  it('the profiles say which layout they use', () => {
    expect(STANDARD.dleEot4Layout).toBe('standard');
    expect(PRINTER_PROFILES['58mm'].dleEot4Layout).toBe('standard');
    expect(PRESENTER.dleEot4Layout).toBe('presenter');
  });

  it('0x52 on a standard printer: bit 6 is a paper-end sensor bit → paper end, blocks printing', () => {
    expect(parseStatusByte(4, 0x52, STANDARD.dleEot4Layout)).toEqual({ n: 4, paperNearEnd: false, paperEnd: true, paperInPresenter: false });
    expect(blockingCode(combineStatus([0x12, 0x12, 0x12, 0x52], STANDARD.dleEot4Layout)!)).toBe('PRINTER_PAPER_END');
  });

  it('0x52 on a presenter printer (e.g. Citizen PPU-231II): bit 6 is the presenter sensor → a ticket waits, not paper end', () => {
    expect(parseStatusByte(4, 0x52, PRESENTER.dleEot4Layout)).toEqual({ n: 4, paperNearEnd: false, paperEnd: false, paperInPresenter: true });
    const s = combineStatus([0x12, 0x12, 0x12, 0x52], PRESENTER.dleEot4Layout)!;
    expect(blockingCode(s)).toBeUndefined();
    expect(s.paperInPresenter).toBe(true);
    expect(describeStatusByte(4, 0x52, 'presenter')).toBe('0x52 paper in presenter');
    expect(describeStatusByte(4, 0x52, 'standard')).toBe('0x52 paper end');
  });

  it('paper end on a presenter printer is bit 5: 0x32 (and 0x72) block on both layouts', () => {
    for (const layout of ['standard', 'presenter'] as const) {
      expect(blockingCode(combineStatus([0x12, 0x12, 0x12, 0x32], layout)!)).toBe('PRINTER_PAPER_END');
      expect(blockingCode(combineStatus([0x12, 0x12, 0x12, 0x72], layout)!)).toBe('PRINTER_PAPER_END');
    }
  });

  it('the virtual printer answers paper end per its profile: 0x7E standard, 0x3E presenter (bit 6 is not paper)', () => {
    const std = new VirtualReceiptPrinter({ profile: STANDARD });
    std.setFault('paperEnd');
    expect(std.statusByte(4)).toBe(0x7e);
    const pre = new VirtualReceiptPrinter({ profile: PRESENTER });
    pre.setFault('paperEnd');
    expect(pre.statusByte(4)).toBe(0x3e);
  });
});

describe('cut command is a profile property (cutCommand)', () => {
  it('feed-to-cut-position profiles send GS V 66 n / GS V 65 n', () => {
    expect(STANDARD.cutCommand).toBe('feed-then-cut');
    expect(hex(new EscPosEncoder({ profile: STANDARD }).cut('partial').encode())).toBe('1D 56 42 00');
    expect(hex(new EscPosEncoder({ profile: STANDARD }).cut('full', { feed: 16 }).encode())).toBe('1D 56 41 10');
  });

  it('cut-at-once profiles feed cutFeedLines themselves (ESC d n), then GS V 1 / GS V 0', () => {
    expect(PRESENTER.cutCommand).toBe('cut-at-once');
    const n = PRESENTER.cutFeedLines.toString(16).toUpperCase().padStart(2, '0');
    expect(hex(new EscPosEncoder({ profile: PRESENTER }).cut('partial').encode())).toBe(`1B 64 ${n} 1D 56 01`);
    expect(hex(new EscPosEncoder({ profile: PRESENTER }).cut('full').encode())).toBe(`1B 64 ${n} 1D 56 00`);
    // feed: false still means "cut where the paper is"
    expect(hex(new EscPosEncoder({ profile: PRESENTER }).cut('partial', { feed: false }).encode())).toBe('1D 56 01');
  });

  it('after text, both end the line first', () => {
    expect(hex(new EscPosEncoder({ profile: STANDARD }).text('A').cut().encode())).toBe('41 0A 1D 56 42 00');
    expect(hex(new EscPosEncoder({ profile: { ...STANDARD, cutCommand: 'cut-at-once', cutFeedLines: 5 } }).text('A').cut().encode())).toBe(
      '41 0A 1B 64 05 1D 56 01',
    );
  });
});
