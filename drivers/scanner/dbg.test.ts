import { it } from 'vitest';
import { createPtyPair } from '../testing/socat.js';
import { SerialTransport } from '../transport/serial.js';
it('dbg', async () => {
  const pair = await createPtyPair();
  const dev = new SerialTransport({ path: pair.devicePath, baudRate: 9600 });
  const host = new SerialTransport({ path: pair.hostPath, baudRate: 9600 });
  await dev.open();
  await host.open();
  host.onClose((e) => console.log('host close', e?.code));
  dev.onClose((e) => console.log('dev close', e?.code));

  const c0 = process.cpuUsage();
  await pair.unplug();
  await new Promise((r) => setTimeout(r, 1000));
  const c = process.cpuUsage(c0);
  console.log('cpu ms', (c.user + c.system) / 1000, host.isOpen, dev.isOpen);
  await host.close(); await dev.close(); await pair.close();
});
