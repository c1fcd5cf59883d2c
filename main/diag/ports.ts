import { isDriverError } from '../../drivers/errors.js';
import {
  formatHexId,
  isHidPosScanner,
  listHidDevices,
  listSerialPorts,
  type HidDeviceSummary,
  type SerialPortInfo,
} from '../../drivers/transport/discovery.js';
import type { HidModule } from '../../drivers/transport/hid.js';
import type { SerialPortListing } from '../../drivers/transport/supervisor.js';
import { createSerialLister } from '../../drivers/transport/sysfs-ports.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

export interface PortsCommandOptions {
  /** Serial port lister; default SerialPort.list(), or sysfs where udevadm is missing (said on stderr). */
  listSerial?: () => Promise<SerialPortListing[]>;
  /** node-hid module; default the real one. */
  hid?: HidModule;
}

const USAGE = 'ports [--json]   list serial ports and HID devices with USB vendor/product ids (HID POS scanners marked)';

export function createPortsCommand(options: PortsCommandOptions = {}): DiagCommand {
  return {
    name: 'ports',
    usage: USAGE,
    async run(args: string[], io: DiagIo): Promise<number> {
      const parsed = parseOptions(args, { json: 'boolean' });
      if (!parsed.ok) {
        io.err(`ports: ${parsed.message}`);
        io.err(`usage: ${USAGE}`);
        return 2;
      }
      const json = parsed.values.json === true;
      let serial: SerialPortInfo[];
      let hid: HidDeviceSummary[];
      try {
        const listSerial = options.listSerial ?? createSerialLister({ onFallback: (reason) => io.err(`ports: note: ${reason}`) });
        [serial, hid] = await Promise.all([listSerialPorts(listSerial), listHidDevices(options.hid)]);
      } catch (e) {
        io.err(`ports: ${isDriverError(e) ? `${e.code}: ${e.message}` : String(e)}`);
        return 1;
      }
      if (json) {
        io.out(JSON.stringify({ serial, hid: hid.map((d) => ({ ...d, hidPos: isHidPosScanner(d) })) }));
        return 0;
      }
      io.out(`serial ports (${serial.length}):`);
      for (const p of serial) {
        const ids = p.vendorId === undefined ? '          ' : `${formatHexId(p.vendorId)}:${formatHexId(p.productId)}`;
        io.out(`  ${p.path.padEnd(24)} ${ids}  ${[p.manufacturer, p.serialNumber && `s/n ${p.serialNumber}`].filter(Boolean).join(', ')}`.trimEnd());
      }
      io.out(`HID devices (${hid.length}):`);
      for (const d of hid) {
        const usage = d.usagePage === undefined ? '' : ` usage ${formatHexId(d.usagePage)}/${formatHexId(d.usage)}`;
        io.out(
          `  ${formatHexId(d.vendorId)}:${formatHexId(d.productId)}${usage}  ${d.product ?? ''}${isHidPosScanner(d) ? '  [HID POS scanner]' : ''}${d.path ? `  ${d.path}` : ''}`.trimEnd(),
        );
      }
      if (hid.length === 0) io.out('  (none; on Linux, HID access needs a udev rule for hidraw)');
      return 0;
    },
  };
}

/** `diag ports` on the real OS listings. */
export const portsCommand: DiagCommand = createPortsCommand();
