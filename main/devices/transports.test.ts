import { describe, expect, it } from 'vitest';
import { describeTransport, idCardTransportFactory, printerTransportFactory, scannerTransportFactory } from './transports.js';

describe('transports for configured devices', () => {
  it('builds the transport each config names, without opening it', async () => {
    expect((await idCardTransportFactory({ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 115200, pollIntervalMs: 500 })()).description).toBe('serial:/dev/ttyUSB0@115200');
    expect((await idCardTransportFactory({ transport: 'hid', vendorId: 0x0400, productId: 0xc35a, pollIntervalMs: 500 })()).description).toMatch(/id-card envelope/);
    expect((await scannerTransportFactory({ transport: 'serial', path: '/dev/ttyACM0', baudRate: 9600, interByteTimeoutMs: 100 })!()).description).toBe('serial:/dev/ttyACM0@9600');
    expect((await scannerTransportFactory({ transport: 'hid-pos', vendorId: 0x0c2e, productId: 0x0b61 })!()).readable).toBe(true);
    expect(scannerTransportFactory({ transport: 'keyboard-wedge' })).toBeUndefined();
    expect((await printerTransportFactory({ transport: 'tcp', host: '10.0.0.9', port: 9100, profile: '80mm' })()).description).toBe('tcp://10.0.0.9:9100');
    expect((await printerTransportFactory({ transport: 'device-file', path: '/dev/usb/lp0', profile: '58mm' })()).readable).toBe(false);
    expect((await printerTransportFactory({ transport: 'spooler', queue: 'RECEIPT', profile: '80mm' })()).readable).toBe(false);
  });

  it('with USB ids, re-lists the ports on every connection and falls back to the configured path', async () => {
    const factory = idCardTransportFactory({ transport: 'serial', path: '/dev/ttyUSB7', baudRate: 115200, pollIntervalMs: 500, usb: { vendorId: 0x0400, productId: 0xc35a } });
    // No such USB device on a build machine: the listing finds nothing, so the configured path is the one tried.
    expect((await factory()).description).toBe('serial:/dev/ttyUSB7@115200');
  });

  it('describes transports for the device board', () => {
    expect(describeTransport({ transport: 'serial', path: '/dev/ttyS0', baudRate: 9600 })).toBe('serial:/dev/ttyS0@9600');
    expect(describeTransport({ transport: 'spooler', queue: 'RAW' })).toBe('cups-raw:RAW');
  });
});
