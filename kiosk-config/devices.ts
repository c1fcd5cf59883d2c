import { z } from 'zod';

/**
 * Device section of the kiosk config. Each device is decided on its own: `{ transport: 'simulated' }` (or an
 * absent ID card reader, scanner or receipt printer, which the schema fills in as simulated) runs that one device as
 * its simulator; any other transport is the real device, always. An absent `callDisplay.ledStrip` means the hall has
 * no LED strips (not a simulated one). `--simulate` on the command line makes every device simulated, LED strips
 * included. Whether the kiosk is a demo (simulator panel, sample PINs) is the config's `demo` flag, not this section.
 */

const serialPath = z.string().min(1, 'needs a serial port path such as /dev/ttyUSB0');
/** Baud rates the GA/T 467 SAM module can be switched to (commands 60 00..60 04). Default 115200. */
const samBaud = z.union([z.literal(115200), z.literal(57600), z.literal(38400), z.literal(19200), z.literal(9600)]);
const usbId = z.number().int().min(0).max(0xffff);
const simulated = z.object({ transport: z.literal('simulated') });
/**
 * A USB serial device found again by its USB ids when its path changes across re-plugs (/dev/ttyACM0 → ttyACM1).
 * `path` stays the fallback for ports without USB facts.
 */
const usbMatch = z
  .object({ vendorId: z.number().int().min(0).max(0xffff), productId: z.number().int().min(0).max(0xffff), serialNumber: z.string().min(1).optional() })
  .optional();

export const IdCardDeviceSchema = z.discriminatedUnion('transport', [
  simulated,
  z.object({
    transport: z.literal('serial'),
    path: serialPath,
    usb: usbMatch,
    baudRate: samBaud.default(115200),
    /** Poll interval for find-card, ms. Range 300..5000, default 500 (the spec asks for no faster than ~300). */
    pollIntervalMs: z.number().int().min(300).max(5000).default(500),
  }),
  z.object({
    transport: z.literal('hid'),
    vendorId: usbId,
    productId: usbId,
    pollIntervalMs: z.number().int().min(300).max(5000).default(500),
  }),
]);

export const ScannerDeviceSchema = z.discriminatedUnion('transport', [
  simulated,
  z.object({
    transport: z.literal('serial'),
    path: serialPath,
    usb: usbMatch,
    /** USB CDC scanners ignore it; RS-232 ones default to 9600. Range 1200..921600. */
    baudRate: z.number().int().min(1200).max(921600).default(9600),
    /** Inter-byte time-out that ends a code without a CR/LF suffix, ms. Range 20..1000, default 100. */
    interByteTimeoutMs: z.number().int().min(20).max(1000).default(100),
  }),
  z.object({
    transport: z.literal('hid-pos'),
    vendorId: usbId,
    productId: usbId,
  }),
  /** Keyboard-wedge scanners type into the renderer; the renderer tells bursts from typing. */
  z.object({ transport: z.literal('keyboard-wedge') }),
]);

export const PRINTER_PROFILES = ['80mm', '58mm', '80mm-presenter'] as const;

export const ReceiptPrinterDeviceSchema = z.discriminatedUnion('transport', [
  simulated.extend({ profile: z.enum(PRINTER_PROFILES).default('80mm') }),
  z.object({
    transport: z.literal('serial'),
    path: serialPath,
    usb: usbMatch,
    /** Range 9600..921600, default 115200. */
    baudRate: z.number().int().min(9600).max(921600).default(115200),
    profile: z.enum(PRINTER_PROFILES).default('80mm'),
  }),
  z.object({
    transport: z.literal('tcp'),
    host: z.string().min(1),
    /** Raw printing port, default 9100. */
    port: z.number().int().min(1).max(65535).default(9100),
    profile: z.enum(PRINTER_PROFILES).default('80mm'),
  }),
  /** Linux USB printer class device (/dev/usb/lp0): write-only, no status read-back. */
  z.object({ transport: z.literal('device-file'), path: z.string().min(1), profile: z.enum(PRINTER_PROFILES).default('80mm') }),
  /** A raw CUPS queue: write-only, no status read-back. */
  z.object({ transport: z.literal('spooler'), queue: z.string().min(1), profile: z.enum(PRINTER_PROFILES).default('80mm') }),
]);

export const CallDisplayDeviceSchema = z.object({
  /** Serial LED window strips on one RS-485 bus; absent means none. */
  ledStrip: z
    .object({
      /** `serial` (default): the strips on `path`; `simulated`: the LED strip simulator. */
      transport: z.enum(['serial', 'simulated']).default('serial'),
      path: z.string().min(1).optional(),
      baudRate: z.number().int().min(1200).max(115200).default(9600),
      /** Window number → strip bus address (0..255). */
      addresses: z.record(z.string(), z.number().int().min(0).max(255)).default({}),
    })
    .superRefine((strip, ctx) => {
      if (strip.transport === 'serial' && !strip.path) {
        ctx.addIssue({ code: 'custom', path: ['path'], message: 'needs a serial port path such as /dev/ttyUSB0 (or transport "simulated")' });
      }
    })
    .optional(),
  /** Spoken calls from pre-recorded clips; every call is shown as text too. */
  voice: z.object({ enabled: z.boolean().default(true) }).default({ enabled: true }),
});

export const A4PrinterDeviceSchema = z.object({
  /** CUPS queue name; `PDF` is cups-pdf's queue. */
  queue: z.string().min(1).default('PDF'),
  /** Copies a citizen may choose at most. Range 1..20, default 5. */
  maxCopies: z.number().int().min(1).max(20).default(5),
});

export const DevicesSchema = z.object({
  idCard: IdCardDeviceSchema.default({ transport: 'simulated' }),
  scanner: ScannerDeviceSchema.default({ transport: 'simulated' }),
  receiptPrinter: ReceiptPrinterDeviceSchema.default({ transport: 'simulated', profile: '80mm' }),
  callDisplay: CallDisplayDeviceSchema.default({ voice: { enabled: true } }),
  a4Printer: A4PrinterDeviceSchema.default({ queue: 'PDF', maxCopies: 5 }),
});

export type DevicesConfig = z.infer<typeof DevicesSchema>;
export type IdCardDeviceConfig = z.infer<typeof IdCardDeviceSchema>;
export type ScannerDeviceConfig = z.infer<typeof ScannerDeviceSchema>;
export type ReceiptPrinterDeviceConfig = z.infer<typeof ReceiptPrinterDeviceSchema>;
