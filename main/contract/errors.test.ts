import { describe, expect, it } from 'vitest';
import { DriverErrorCodes } from '../../drivers/errors.js';
import { HostErrorCodes } from '../errors.js';
import { WIRE_ERROR_CODES } from './errors.js';

describe('wire error codes', () => {
  it('list exactly the codes every layer can throw across the bridge', () => {
    const thrown = [...Object.keys(DriverErrorCodes), ...Object.keys(HostErrorCodes)].sort();
    expect([...WIRE_ERROR_CODES].sort()).toEqual(thrown);
  });

  it('keep every layer in its numeric range', () => {
    for (const [code, n] of Object.entries(DriverErrorCodes)) expect(n >= 1000 && n < 4000, code).toBe(true);
    for (const [code, n] of Object.entries(HostErrorCodes)) expect(n >= 4000 && n < 9000, code).toBe(true);
    const all = [...Object.values(DriverErrorCodes), ...Object.values(HostErrorCodes)];
    expect(new Set(all).size).toBe(all.length);
  });
});
