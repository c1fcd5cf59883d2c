import { describe, expect, it } from 'vitest';
import { cell } from './csv-export.js';

describe('CSV cells', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(cell('从化区政务服务中心')).toBe('从化区政务服务中心');
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(cell('+1')).toBe("'+1");
    expect(cell('-2')).toBe("'-2");
  });
});
