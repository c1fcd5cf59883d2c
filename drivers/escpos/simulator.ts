/**
 * Virtual ESC/POS receipt printer: the device side of the protocol, written from escpos.md (decoder.ts), never from
 * the encoder. It decodes what it receives into receipts, answers DLE EOT 1..4 and GS a (ASB) from its state, and
 * has fault switches: paper near end, paper end (also mid-job after N lines), cover open, cutter jam, offline,
 * unrecoverable / auto-recoverable error, unplug (also mid-job).
 *
 * Simplification (documented, deliberate): while a fault stops printing, print data is dropped and counted
 * (`stats.droppedWhileStopped`) instead of being held in a receive buffer until recovery; the receipt that was in
 * progress is ended as incomplete (`complete: false`, `stoppedBy`).
 *
 * Test and simulation only: production host code reaches it only through main/simulation/ (lint rule).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { assertNever, DriverError } from '../errors.js';
import { ListenerSet, type Transport } from '../transport/transport.js';
import { EscPosDecoder, type DecodedCommand } from './decoder.js';
import { DEFAULT_PRINTER_PROFILE, type PrinterProfile } from './profiles.js';
import { ReceiptAssembler, type Receipt } from './receipt.js';
import { renderReceiptPng, type RenderPngOptions } from './render-png.js';

export type PrinterFault = 'paperNearEnd' | 'paperEnd' | 'coverOpen' | 'cutterError' | 'offline' | 'unrecoverable' | 'autoRecoverable' | 'feedButton';

export interface VirtualReceiptPrinterOptions {
  /** Default: 80 mm. Columns, power-on Chinese mode and the PNG width come from it. */
  profile?: PrinterProfile;
  /** Receipts kept (oldest dropped first); default 20. */
  maxReceipts?: number;
  now?: () => number;
}

export interface VirtualPrinterStats {
  bytesReceived: number;
  linesPrinted: number;
  receipts: number;
  statusRequests: number;
  discarded: number;
  /** Bytes of the discarded commands (garbage, malformed or unterminated commands such as GS k without NUL). */
  discardedBytes: number;
  ignored: number;
  droppedWhileStopped: number;
  /** Status answers that could not be written (link went down). */
  answersLost: number;
}

interface Attachment {
  transport: Transport;
  decoder: EscPosDecoder;
  asbMask: number;
  detach: () => void;
}

export class VirtualReceiptPrinter {
  readonly profile: PrinterProfile;
  private readonly faults = new Set<PrinterFault>();
  private readonly assembler: ReceiptAssembler;
  private readonly kept: Receipt[] = [];
  private readonly maxReceipts: number;
  private readonly attachments = new Set<Attachment>();
  private readonly receiptListeners = new ListenerSet<[Receipt]>();
  private readonly unplugListeners = new ListenerSet<[]>();
  private paperLeftLines: number | undefined;
  private unplugLeftLines: number | undefined;
  private jamNextCut = false;
  private unplugged_ = false;
  readonly stats: VirtualPrinterStats = { bytesReceived: 0, linesPrinted: 0, receipts: 0, statusRequests: 0, discarded: 0, discardedBytes: 0, ignored: 0, droppedWhileStopped: 0, answersLost: 0 };

  constructor(options: VirtualReceiptPrinterOptions = {}) {
    this.profile = options.profile ?? DEFAULT_PRINTER_PROFILE;
    this.maxReceipts = options.maxReceipts ?? 20;
    this.assembler = new ReceiptAssembler({ columns: this.profile.columns, ...(options.now ? { now: options.now } : {}) });
  }

  /** Listens on a transport (the device end of a pair, a pty, an accepted socket). Returns a detach function. */
  attach(transport: Transport): () => void {
    const a: Attachment = {
      transport,
      decoder: new EscPosDecoder({ chineseModeAtPowerOn: this.profile.chineseModeAtPowerOn, gb18030Edition: this.profile.gb18030Edition }),
      asbMask: 0,
      detach: () => undefined,
    };
    const offData = transport.onData((chunk) => this.receive(a, chunk));
    const offClose = transport.onClose(() => a.detach());
    a.detach = () => {
      offData();
      offClose();
      this.attachments.delete(a);
    };
    this.attachments.add(a);
    return a.detach;
  }

  // ---- fault switches ----

  setFault(fault: PrinterFault, on = true): void {
    const before = this.asbBytes();
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
    if (on && this.stopsPrinting()) this.stopReceipt(fault);
    this.notifyAsb(before);
  }

  hasFault(fault: PrinterFault): boolean {
    return this.faults.has(fault);
  }

  clearFaults(): void {
    const before = this.asbBytes();
    this.faults.clear();
    this.paperLeftLines = undefined;
    this.unplugLeftLines = undefined;
    this.jamNextCut = false;
    this.notifyAsb(before);
  }

  /** Paper runs out after `lines` more printed lines (mid-job paper end). */
  paperEndAfterLines(lines: number): void {
    this.paperLeftLines = lines;
  }

  /** The cable is pulled after `lines` more printed lines (unplug mid-job). */
  unplugAfterLines(lines: number): void {
    this.unplugLeftLines = lines;
  }

  /** The next cut jams the cutter (cutter error; the cut does not happen). */
  jamCutterOnNextCut(): void {
    this.jamNextCut = true;
  }

  /** Pulls the cable: every attached link goes down (the host sees TRANSPORT_DISCONNECTED). */
  unplug(): void {
    this.unplugged_ = true;
    this.stopReceipt('unplug');
    for (const a of [...this.attachments]) {
      a.detach();
      const t = a.transport as Transport & { unplug?: () => void };
      if (typeof t.unplug === 'function') t.unplug();
      else void t.close();
    }
    this.unplugListeners.emit();
  }

  replug(): void {
    this.unplugged_ = false;
  }

  get unplugged(): boolean {
    return this.unplugged_;
  }

  onUnplug(listener: () => void): () => void {
    return this.unplugListeners.add(listener);
  }

  // ---- receipts ----

  /** The latest receipts, oldest first. */
  receipts(): readonly Receipt[] {
    return this.kept;
  }

  lastReceipt(): Receipt | undefined {
    return this.kept[this.kept.length - 1];
  }

  onReceipt(listener: (r: Receipt) => void): () => void {
    return this.receiptListeners.add(listener);
  }

  /** Ends the receipt in progress without a cut (printers without cutter, end of a test). */
  flush(): Receipt | undefined {
    const r = this.assembler.finish(true);
    if (r) this.keep(r);
    return r;
  }

  /** PNG at printer resolution (profile's printable width in dots). */
  renderPng(receipt: Receipt, options: Omit<RenderPngOptions, 'widthDots' | 'columns'> = {}): Buffer {
    return renderReceiptPng(receipt.blocks, { ...options, widthDots: this.profile.printWidthDots, columns: this.profile.columns });
  }

  // ---- status, built from the escpos.md bit table ----

  /** The answer byte to DLE EOT n. Bits 1 and 4 are always set. */
  statusByte(n: 1 | 2 | 3 | 4): number {
    const f = (x: PrinterFault): boolean => this.faults.has(x);
    const error = f('cutterError') || f('unrecoverable') || f('autoRecoverable');
    switch (n) {
      case 1: // bit 3 offline, bit 5 waiting for online recovery
        return 0x12 | (this.offline() ? 0x08 : 0) | (f('cutterError') || f('autoRecoverable') ? 0x20 : 0);
      case 2: // bit 2 cover open, bit 3 feed button, bit 5 stopped by paper end, bit 6 error occurred
        return 0x12 | (f('coverOpen') ? 0x04 : 0) | (f('feedButton') ? 0x08 : 0) | (f('paperEnd') ? 0x20 : 0) | (error ? 0x40 : 0);
      case 3: // bit 3 auto-cutter error, bit 5 unrecoverable, bit 6 auto-recoverable
        return 0x12 | (f('cutterError') ? 0x08 : 0) | (f('unrecoverable') ? 0x20 : 0) | (f('autoRecoverable') ? 0x40 : 0);
      case 4: {
        // bits 2+3 near end (the near-end sensor also sees no paper at paper end); paper end: bits 5+6 on the
        // standard layout, bit 5 alone on a presenter printer (its bit 6 is the presenter sensor; no ticket waits here)
        const end = this.profile.dleEot4Layout === 'presenter' ? 0x20 : 0x60;
        return 0x12 | (f('paperNearEnd') || f('paperEnd') ? 0x0c : 0) | (f('paperEnd') ? end : 0);
      }
    }
  }

  /** GS a answer (Epson TM layout, see status.ts parseAsb). */
  asbBytes(): Uint8Array {
    const f = (x: PrinterFault): boolean => this.faults.has(x);
    return Uint8Array.of(
      0x10 | (this.offline() ? 0x08 : 0) | (f('coverOpen') ? 0x20 : 0) | (f('feedButton') ? 0x40 : 0),
      (f('cutterError') ? 0x08 : 0) | (f('unrecoverable') ? 0x20 : 0) | (f('autoRecoverable') ? 0x40 : 0),
      (f('paperNearEnd') || f('paperEnd') ? 0x03 : 0) | (f('paperEnd') ? 0x0c : 0),
      0x00,
    );
  }

  private offline(): boolean {
    return this.faults.has('offline') || this.stopsPrinting();
  }

  private stopsPrinting(): boolean {
    for (const x of ['paperEnd', 'coverOpen', 'cutterError', 'offline', 'unrecoverable', 'autoRecoverable'] as const) if (this.faults.has(x)) return true;
    return false;
  }

  // ---- data path ----

  private receive(a: Attachment, chunk: Buffer): void {
    if (this.unplugged_) return;
    this.stats.bytesReceived += chunk.length;
    for (const cmd of a.decoder.push(chunk)) {
      if (this.unplugged_) return;
      this.execute(a, cmd);
    }
  }

  private execute(a: Attachment, cmd: DecodedCommand): void {
    switch (cmd.op) {
      case 'status-request':
        this.stats.statusRequests++;
        void this.send(a, Uint8Array.of(this.statusByte(cmd.n)));
        return;
      case 'asb':
        a.asbMask = cmd.mask;
        if (cmd.mask !== 0) void this.send(a, this.asbBytes()); // initial status on enable
        return;
      case 'discarded':
        this.stats.discarded++;
        this.stats.discardedBytes += cmd.bytes.length;
        return;
      case 'ignored':
        this.stats.ignored++;
        return;
      case 'text':
      case 'lf':
      case 'feed':
      case 'qr-print':
      case 'barcode':
      case 'cut':
        if (this.stopsPrinting()) {
          this.stats.droppedWhileStopped++;
          return;
        }
        break;
      case 'init':
      case 'align':
      case 'bold':
      case 'underline':
      case 'chinese-underline':
      case 'size':
      case 'chinese':
      case 'qr-model':
      case 'qr-size':
      case 'qr-error':
      case 'qr-store':
        break;
      default:
        assertNever(cmd, 'decoded command');
    }
    if (cmd.op === 'cut' && this.jamNextCut) {
      this.jamNextCut = false;
      this.setFault('cutterError');
      return;
    }
    const result = this.assembler.apply(cmd);
    this.stats.linesPrinted += result.linesPrinted;
    if (result.cut) this.keep(result.cut);
    if (result.linesPrinted > 0) this.countDown(result.linesPrinted);
  }

  private countDown(lines: number): void {
    if (this.paperLeftLines !== undefined) {
      this.paperLeftLines -= lines;
      if (this.paperLeftLines <= 0) {
        this.paperLeftLines = undefined;
        this.setFault('paperEnd');
      }
    }
    if (this.unplugLeftLines !== undefined) {
      this.unplugLeftLines -= lines;
      if (this.unplugLeftLines <= 0) {
        this.unplugLeftLines = undefined;
        this.unplug();
      }
    }
  }

  private stopReceipt(reason: string): void {
    const r = this.assembler.finish(false, reason);
    if (r) this.keep(r);
  }

  private keep(r: Receipt): void {
    this.stats.receipts++;
    this.kept.push(r);
    while (this.kept.length > this.maxReceipts) this.kept.shift();
    this.receiptListeners.emit(r);
  }

  private notifyAsb(before: Uint8Array): void {
    const now = this.asbBytes();
    if (now.every((b, i) => b === before[i])) return;
    for (const a of this.attachments) if (a.asbMask !== 0) void this.send(a, now);
  }

  private async send(a: Attachment, bytes: Uint8Array): Promise<void> {
    if (!a.transport.isOpen) return;
    // A lost answer is noticed by the host (its request times out); the device side counts it.
    await a.transport.write(bytes).catch(() => {
      this.stats.answersLost++;
    });
  }
}

// ---- TCP 9100 wrapper ----

/** Device side of an accepted socket, as a Transport the printer can attach to. */
class AcceptedSocketTransport implements Transport {
  readonly readable = true;
  readonly description: string;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private open_ = true;
  lastError: Error | undefined;

  constructor(private readonly socket: Socket) {
    this.description = `tcp-peer:${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('data', (chunk: Buffer) => this.data.emit(chunk));
    // An 'error' is always followed by 'close', which reports the loss; without a listener Node would throw.
    socket.on('error', (e) => {
      this.lastError = e;
    });
    socket.on('close', () => {
      if (!this.open_) return;
      this.open_ = false;
      this.closed.emit(new DriverError('TRANSPORT_DISCONNECTED', `${this.description} closed`, this.lastError ? { cause: this.lastError } : undefined));
    });
  }

  get isOpen(): boolean {
    return this.open_ && !this.socket.destroyed;
  }

  async open(): Promise<void> {}

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(new DriverError('TRANSPORT_WRITE_FAILED', err.message, { cause: err })) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.socket.destroy();
    this.closed.emit(undefined);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }
}

export interface VirtualPrinterServerOptions extends VirtualReceiptPrinterOptions {
  /** 0 = ephemeral (tests); 9100 is the raw printing port. */
  port: number;
  host?: string;
  /** Serve an existing virtual printer instead of creating one. */
  printer?: VirtualReceiptPrinter;
}

export interface VirtualPrinterServer {
  printer: VirtualReceiptPrinter;
  host: string;
  port: number;
  /** `tcp://host:port`, as the diag `--port` option takes it. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a virtual printer on TCP (raw port 9100 protocol: bytes in, status bytes back on the same socket).
 * While the printer is unplugged, new connections are dropped at once.
 */
export async function startVirtualPrinterServer(options: VirtualPrinterServerOptions): Promise<VirtualPrinterServer> {
  const printer = options.printer ?? new VirtualReceiptPrinter(options);
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (printer.unplugged) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    printer.attach(new AcceptedSocketTransport(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new DriverError('TRANSPORT_OPEN_FAILED', `virtual printer could not listen on ${host}:${options.port}`, { cause: e })));
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    printer,
    host,
    port,
    url: `tcp://${host}:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
