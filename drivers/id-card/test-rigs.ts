/**
 * Test-only: the links the ID card behaviour suite runs over, so one suite exercises the driver on an in-memory pair
 * and on real serialport bindings over a socat pty pair (STYLE.md §3, as bindings-cpp runs its suite on mock and port).
 * Never imported by production code.
 */
import { memoryPair } from '../transport/memory.js';
import { SerialTransport } from '../transport/serial.js';
import type { Transport } from '../transport/transport.js';
import { createPtyPair } from '../testing/socat.js';

export interface IdCardRig {
  host: Transport;
  device: Transport;
  /** Pulls the cable: both sides see TRANSPORT_DISCONNECTED. */
  unplug(): Promise<void>;
  /** Plugs back in and returns fresh transports (not yet opened). */
  replug(): Promise<{ host: Transport; device: Transport }>;
  dispose(): Promise<void>;
}

export interface IdCardRigFactory {
  name: string;
  create(options?: { baudRate?: number }): Promise<IdCardRig>;
}

export const memoryRig: IdCardRigFactory = {
  name: 'memoryPair',
  async create() {
    let pair = memoryPair('id-card-host', 'id-card-reader');
    return {
      get host() {
        return pair.host;
      },
      get device() {
        return pair.device;
      },
      async unplug() {
        pair.host.unplug();
      },
      async replug() {
        pair = memoryPair('id-card-host', 'id-card-reader');
        return { host: pair.host, device: pair.device };
      },
      async dispose() {
        await pair.host.close();
        await pair.device.close();
      },
    };
  },
};

export const socatRig: IdCardRigFactory = {
  name: 'serialport over socat pty',
  async create(options = {}) {
    const baudRate = options.baudRate ?? 115200;
    const pty = await createPtyPair();
    const make = () => ({
      host: new SerialTransport({ path: pty.hostPath, baudRate }),
      device: new SerialTransport({ path: pty.devicePath, baudRate }),
    });
    let current = make();
    return {
      get host() {
        return current.host;
      },
      get device() {
        return current.device;
      },
      async unplug() {
        await pty.unplug();
      },
      async replug() {
        await pty.replug();
        current = make();
        return current;
      },
      async dispose() {
        for (const t of [current.host, current.device]) if (t.isOpen) await t.close();
        await pty.close();
      },
    };
  },
};
