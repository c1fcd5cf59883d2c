import { asDriverError, DriverError } from '../../drivers/errors.js';
import { IdCardReaderDriver } from '../../drivers/id-card/driver.js';
import { toMaskedIdentity } from '../../drivers/id-card/identity.js';
import { ReceiptPrinterDriver } from '../../drivers/escpos/driver.js';
import type { PrintJob } from '../../drivers/escpos/encoder.js';
import { PRINTER_PROFILES, type PrinterProfile } from '../../drivers/escpos/profiles.js';
import { stateOf, type PrinterState, type PrinterStatus } from '../../drivers/escpos/status.js';
import { ScannerDriver } from '../../drivers/scanner/driver.js';
import { HONEYWELL_VENDOR_ID } from '../../drivers/scanner/protocol.js';
import { CupsPrinter, type CupsJobStatus } from '../../drivers/a4/cups.js';
import { CallDisplayHub, type Call } from '../../drivers/call-display/call-display.js';
import { LedCallDisplay } from '../../drivers/call-display/led-call-display.js';
import { LedStripDriver } from '../../drivers/call-display/led-driver.js';
import { createSystemPlayer, VoiceAnnouncer } from '../../drivers/call-display/voice.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import { TransportSupervisor, type SupervisorStateEvent } from '../../drivers/transport/supervisor.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { DEVICE_IDS, type DeviceId, type DeviceState, type DeviceStatus, type ScanView } from '../contract/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import { HostError } from '../errors.js';
import type { CitizenSession } from '../session/citizen-session.js';
import type { Db } from '../storage/database.js';
import { DeviceBoard, sumCounters, type SequencedTrace } from './device-board.js';
import type { DevicePlan, SimulatedPart } from './device-plan.js';
import { runTestAction, type TestAction } from './device-tests.js';
import { idCardTransportFactory, printerTransportFactory, scannerTransportFactory, type Factory } from './transports.js';

export type { SequencedTrace } from './device-board.js';
export type { TestAction } from './device-tests.js';

/** One print for the manager's statistics (no content, no personal data). */
export interface PrintLogEntry {
  at: number;
  device: 'receiptPrinter' | 'a4Printer';
  kind: string;
  paperMm?: number;
  sheets?: number;
}

export interface DeviceManagerOptions {
  /** Which device is real, simulated or absent (device-plan.ts), and the device config actually used. */
  plan: DevicePlan;
  /** The simulators' cable ends, one per simulated device of the plan (built by main/simulation/ on top). */
  simulators: Partial<Record<SimulatedPart, Factory>>;
  hub: EventHub;
  session: CitizenSession;
  logger: Logger;
  db: Db;
  now: () => Date;
  /** Printer status poll while idle, ms; default 3000. */
  printerPollMs?: number;
  /** Folder of the generated voice clips (`<lang>/<id>.wav`). */
  voiceDir: string;
  /** Called for every print (statistics); failures are logged, never thrown. */
  onPrint?: (entry: PrintLogEntry) => void;
}

export interface PrintReceiptResult {
  printed: boolean;
  statusKnown: boolean;
  warning?: string;
}

/**
 * Owns every device of the kiosk. Each device runs as its plan says — its configured transport, its simulator, or
 * not at all — under a TransportSupervisor that reconnects with back-off; its driver's events become contract
 * events; its status, link meter and trace live on the DeviceBoard (/healthz and the technician's board).
 */
export class DeviceManager {
  readonly board: DeviceBoard;
  private readonly profile: PrinterProfile;
  private readonly supervisors: TransportSupervisor[] = [];
  private idCard: IdCardReaderDriver | undefined;
  private scanner: ScannerDriver | undefined;
  private printer: ReceiptPrinterDriver | undefined;
  private printerTimer: NodeJS.Timeout | undefined;
  readonly calls = new CallDisplayHub();
  private led: LedStripDriver | undefined;
  private ledDisplay: (() => void) | undefined;
  readonly a4: CupsPrinter;
  private readonly cleanups: (() => void)[] = [];
  private readonly log: Logger;
  private readonly plan: DevicePlan;

  constructor(private readonly options: DeviceManagerOptions) {
    this.log = options.logger;
    this.plan = options.plan;
    const c = options.plan.config;
    this.profile = PRINTER_PROFILES[c.receiptPrinter.profile];
    this.a4 = new CupsPrinter({ queue: c.a4Printer.queue, logger: options.logger.child('a4') });
    const linked: DeviceId[] = [];
    if (this.plan.modes.idCard !== 'none') linked.push('idCard');
    if (this.plan.modes.scanner !== 'none' && c.scanner.transport !== 'keyboard-wedge') linked.push('scanner');
    if (this.plan.modes.receiptPrinter !== 'none') linked.push('receiptPrinter');
    if (this.plan.modes.callDisplay !== 'none' && c.callDisplay.ledStrip) linked.push('callDisplay');
    this.board = new DeviceBoard({
      hub: options.hub,
      db: options.db,
      logger: options.logger,
      modes: this.plan.modes,
      configured: this.plan.configured,
      linked,
      liveCounters: (id) => this.liveCounters(id),
      models: {
        idCard: 'GA/T 467 SAM reader',
        scanner: 'QR/barcode scanner (serial CDC)',
        receiptPrinter: `ESC/POS ${c.receiptPrinter.profile}`,
        callDisplay: 'hall display page' + (c.callDisplay.ledStrip ? ' + LED window strips' : '') + (c.callDisplay.voice.enabled ? ' + voice' : ''),
        a4Printer: `CUPS queue ${c.a4Printer.queue}`,
      },
    });
  }

  /** True when at least one device runs as its simulator. Says nothing about demo mode (that is the config's). */
  get anySimulated(): boolean {
    return Object.values(this.plan.modes).includes('simulated');
  }

  isSimulated(id: DeviceId): boolean {
    return this.plan.modes[id] === 'simulated';
  }

  async start(): Promise<void> {
    if (this.plan.provisioning) {
      for (const id of DEVICE_IDS) this.board.set(id, { state: 'offline', detail: 'no hall configuration (provisioning): not started' });
      this.log.info({}, 'no hall configuration: no device started');
      return;
    }
    if (this.plan.modes.idCard !== 'none') this.startIdCard();
    if (this.plan.modes.scanner !== 'none') this.startScanner();
    if (this.plan.modes.receiptPrinter !== 'none') this.startPrinter();
    this.startCallDisplay();
    if (this.plan.modes.a4Printer !== 'none') void this.checkA4();
    this.log.info({ modes: this.plan.modes }, 'devices started');
  }

  async stop(): Promise<void> {
    this.board.stopped = true;
    clearInterval(this.printerTimer);
    for (const c of this.cleanups.splice(0)) c();
    await Promise.all(this.supervisors.map((s) => s.stop()));
    await this.idCard?.close().catch((e: unknown) => this.log.warn({ err: e }, 'id card close failed'));
    await this.scanner?.close().catch((e: unknown) => this.log.warn({ err: e }, 'scanner close failed'));
    await this.printer?.close().catch((e: unknown) => this.log.warn({ err: e }, 'printer close failed'));
    await this.led?.close().catch((e: unknown) => this.log.warn({ err: e }, 'LED strip close failed'));
    this.log.info({}, 'devices stopped');
  }

  statuses(): DeviceStatus[] {
    return this.board.statuses();
  }

  /** Technician trace: entries after `seq` (0 = all kept), oldest first. Personal data is redacted by the drivers. */
  traceSince(seq: number): SequencedTrace[] {
    return this.board.traceSince(seq);
  }

  receiptProfile(): PrinterProfile {
    return this.profile;
  }

  /** For the simulator panel: a device without a link of its own (call display page, A4) shown unplugged/replugged. */
  setStatus(id: DeviceId, patch: { state?: DeviceState; detail?: string }): void {
    this.board.set(id, patch);
  }

  /**
   * Prints on the receipt printer. Throws a DriverError with the blocking PRINTER_* code when the printer cannot
   * print (checked before the job) or did not finish it (checked after); never reports `printed` unverified.
   */
  async printReceipt(job: PrintJob | Uint8Array): Promise<PrintReceiptResult> {
    const driver = this.printer;
    if (!driver || this.board.get('receiptPrinter').state === 'offline') {
      throw new DriverError('TRANSPORT_DISCONNECTED', 'the receipt printer is not connected');
    }
    try {
      const r = await driver.print(job);
      this.updatePrinterState(driver.state, driver.lastStatus);
      this.logPrint({ device: 'receiptPrinter', kind: 'receipt', paperMm: job instanceof Uint8Array ? 0 : job.paperMm });
      if (r.outcome === 'printed') return { printed: true, statusKnown: true, ...(r.warning ? { warning: r.warning } : {}) };
      return { printed: false, statusKnown: false };
    } catch (e) {
      const err = asDriverError(e, 'PRINTER_UNRECOVERABLE');
      this.board.recordError('receiptPrinter', err);
      this.updatePrinterState(driver.state, driver.lastStatus);
      throw err;
    }
  }

  async printerStatus(): Promise<PrinterStatus> {
    if (!this.printer) throw new DriverError('TRANSPORT_DISCONNECTED', 'the receipt printer is not connected');
    const s = await this.printer.status();
    this.board.answered('receiptPrinter');
    this.updatePrinterState(this.printer.state, s);
    return s;
  }

  /** Technician: one masked test read (waits up to `timeoutMs` for a card). */
  async testReadCard(timeoutMs = 15_000): Promise<{ maskedName: string; maskedIdNumber: string; cardType: string }> {
    if (!this.idCard) throw new DriverError('TRANSPORT_DISCONNECTED', 'the ID card reader is not connected');
    const identity = await this.idCard.readOnce({ timeoutMs });
    const m = toMaskedIdentity(identity, this.options.session.today());
    identity.photo.wipe();
    return { maskedName: m.name, maskedIdNumber: m.idNumber, cardType: m.cardTypeLabel };
  }

  /** Technician: the next scan (its kind and a safe prefix only). */
  async testWaitScan(timeoutMs = 15_000): Promise<ScanView> {
    if (!this.scanner) throw new DriverError('TRANSPORT_DISCONNECTED', 'the scanner is not connected');
    const e = await this.scanner.nextScan(timeoutMs);
    return scanView(e.payload, e.kind, e.aim);
  }

  /** Shows a call on every configured display (LED strips, voice); a failing one is reported, never blocks others. */
  announceCall(call: Call): void {
    this.calls.show(call).catch((e: unknown) => this.log.warn({ err: e }, 'call display failed'));
  }

  /** Submits a PDF to the A4 printer's CUPS queue; returns the job id to follow with `a4Job`. */
  async printA4(pdf: Buffer, options: { copies: number; title: string }): Promise<{ jobId: string }> {
    const max = this.plan.config.a4Printer.maxCopies;
    if (options.copies < 1 || options.copies > max) throw new HostError('BAD_REQUEST', `copies must be 1..${max}`);
    try {
      const jobId = await this.a4.submit({ data: pdf, copies: options.copies, title: options.title });
      this.board.bump('a4Printer', 'jobs');
      this.board.bump('a4Printer', 'copies', options.copies);
      this.logPrint({ device: 'a4Printer', kind: options.title, sheets: options.copies });
      return { jobId };
    } catch (e) {
      const err = asDriverError(e, 'SPOOLER_FAILED');
      this.board.recordError('a4Printer', err);
      void this.checkA4();
      throw err;
    }
  }

  async a4Job(jobId: string): Promise<CupsJobStatus> {
    const s = await this.a4.jobStatus(jobId);
    if (s.state === 'failed') this.board.recordError('a4Printer', new DriverError('SPOOLER_FAILED', `job ${jobId} ${s.ippState}: ${s.message}`));
    return s;
  }

  /** Technician test actions, each with a short, personal-data-free result. */
  testAction(device: DeviceId, action: TestAction): Promise<Record<string, unknown>> {
    return runTestAction(this, device, action);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private logPrint(entry: Omit<PrintLogEntry, 'at'>): void {
    try {
      this.options.onPrint?.({ at: Date.now(), ...entry });
    } catch (e) {
      this.log.error({ err: e }, 'could not record a print for the statistics');
    }
  }

  private async checkA4(): Promise<void> {
    try {
      const q = await this.a4.queueState();
      const ok = q.enabled && q.accepting;
      this.board.set('a4Printer', { state: ok ? 'ok' : 'error', detail: ok ? `CUPS queue ${q.name} ready` : `CUPS queue ${q.name} ${q.enabled ? '' : 'disabled '}${q.accepting ? '' : 'not accepting'}`.trim() });
    } catch (e) {
      const err = asDriverError(e, 'SPOOLER_FAILED');
      this.board.recordError('a4Printer', err);
      this.board.set('a4Printer', { state: 'offline', detail: err.message });
    }
  }

  /** The factory of a device: its simulator's cable when the plan says simulated, else its configured transport. */
  private factoryFor(part: SimulatedPart, id: DeviceId, real: () => Factory): Factory {
    if (this.plan.modes[id] !== 'simulated') return real();
    const sim = this.options.simulators[part];
    if (!sim) throw new HostError('INTERNAL', `${id} is simulated but no simulator was built for it`);
    return sim;
  }

  private startCallDisplay(): void {
    const c = this.plan.config.callDisplay;
    const parts: string[] = ['hall display page'];
    if (c.voice.enabled) {
      this.calls.add(new VoiceAnnouncer({ clipDir: this.options.voiceDir, player: createSystemPlayer(), logger: this.log.child('voice') }));
      parts.push('voice');
    }
    const strip = c.ledStrip;
    if (strip && this.plan.modes.callDisplay !== 'none') {
      const factory = this.factoryFor('ledStrip', 'callDisplay', () => () => new SerialTransport({ path: strip.path ?? '', baudRate: strip.baudRate }));
      const addresses = Object.values(strip.addresses);
      this.supervise('callDisplay', factory, async (transport) => {
        await this.led?.close().catch((e: unknown) => this.log.debug({ err: e }, 'previous LED session close failed'));
        this.led = new LedStripDriver({ transport, logger: this.log.child('led'), trace: (t) => this.board.pushTrace('callDisplay', t) });
        await this.led.open();
        this.ledDisplay?.();
        this.ledDisplay = this.calls.add(new LedCallDisplay({ driver: this.led, windows: strip.addresses }));
        // A status query is the strip's proof of life; without addresses there is nothing to ask.
        if (addresses.length) await this.led.status(addresses[0]!);
        this.board.set('callDisplay', { state: 'ok', detail: `${parts.join(' + ')} + LED strips` });
      });
    } else {
      this.board.set('callDisplay', { state: 'ok', detail: parts.join(' + ') });
    }
    this.cleanups.push(
      this.calls.onFault((f) => {
        this.board.recordError('callDisplay', f.error);
        this.board.set('callDisplay', { state: 'warning', detail: `${f.display}: ${f.error.message}` });
      }),
    );
  }

  private supervise(id: DeviceId, factory: Factory, onConnected: (t: Transport) => Promise<void>): void {
    const meter = this.board.meter(id);
    const supervisor = new TransportSupervisor({ factory: meter ? meter.wrap(factory) : factory, logger: this.log.child(id) });
    this.supervisors.push(supervisor);
    this.cleanups.push(
      supervisor.onState((e: SupervisorStateEvent) => {
        if (this.board.stopped) return;
        if (e.state === 'connected' && e.transport) {
          onConnected(e.transport).catch((err: unknown) => {
            const de = asDriverError(err, 'DEVICE_NOT_READY');
            this.board.recordError(id, de);
            this.board.set(id, { state: 'error', detail: de.message });
          });
        } else if (e.state === 'disconnected') {
          if (e.error) this.board.recordError(id, e.error);
          const why = e.error ? `${e.error.message}; ` : '';
          this.board.set(id, { state: 'offline', detail: e.retryInMs !== undefined ? `${why}retrying in ${e.retryInMs} ms` : `${why}disconnected` });
        } else if (e.state === 'connecting') {
          const s = this.board.get(id);
          const last = s.state === 'error' || s.state === 'offline' ? s.lastError : undefined;
          this.board.set(id, { detail: `connecting (attempt ${e.attempt})${last ? `; last error ${last.code}: ${last.message}` : ''}` });
        }
      }),
    );
    supervisor.start();
  }

  private startIdCard(): void {
    const c = this.plan.config.idCard;
    const factory = this.factoryFor('idCard', 'idCard', () => idCardTransportFactory(c, this.log.child('idCard')));
    const baudRate = c.transport === 'serial' ? c.baudRate : 115200;
    const pollIntervalMs = c.transport === 'simulated' ? 500 : c.pollIntervalMs;
    this.supervise('idCard', factory, async (transport) => {
      if (!this.idCard) {
        this.idCard = new IdCardReaderDriver({ transport, baudRate, pollIntervalMs, logger: this.log.child('id-card'), trace: (t) => this.board.pushTrace('idCard', t) });
        this.wireIdCard(this.idCard);
      }
      await this.idCard.open(transport);
      this.idCard.startPolling();
    });
  }

  private wireIdCard(driver: IdCardReaderDriver): void {
    const { hub, session } = this.options;
    this.cleanups.push(
      // The masked identity goes to the page that owns the citizen session only (issue 10), not to every page.
      driver.on('card-read', (identity) => hub.emitTo(session.ownerConnection, 'card-read', session.setIdentity(identity))),
      // The card left the reader: its identity ends (issue 10); the UI clears its copy on the same event.
      driver.on('card-removed', () => {
        session.cardRemoved();
        hub.emit('card-removed', {});
      }),
      driver.on('read-failed', (e) => {
        this.board.recordError('idCard', e);
        hub.emit('card-error', { code: e.code, message: e.message });
      }),
      driver.on('status', (s, e) => {
        if (e) this.board.recordError('idCard', e);
        const state: DeviceState = s === 'ready' || s === 'reading' ? 'ok' : s === 'error' ? 'error' : 'offline';
        this.board.set('idCard', { state, detail: s === 'reading' ? 'reading a card' : s === 'ready' ? 'ready: waiting for a card' : (e?.message ?? s) });
      }),
    );
  }

  private startScanner(): void {
    const c = this.plan.config.scanner;
    const factory = c.transport === 'keyboard-wedge' ? undefined : this.factoryFor('scanner', 'scanner', () => scannerTransportFactory(c, this.log.child('scanner'))!);
    if (!factory) {
      this.board.set('scanner', { state: 'ok', detail: 'keyboard-wedge scanner: read by the kiosk page' });
      return;
    }
    const interByteTimeoutMs = c.transport === 'serial' ? c.interByteTimeoutMs : 100;
    this.supervise('scanner', factory, async (transport) => {
      await this.scanner?.close().catch((e: unknown) => this.log.debug({ err: e }, 'previous scanner session close failed'));
      const mode = c.transport === 'hid-pos' ? 'hid-pos' : 'serial';
      const driver = new ScannerDriver({ transport, mode, interByteTimeoutMs, switchToHidPos: c.transport === 'hid-pos' && c.vendorId === HONEYWELL_VENDOR_ID, logger: this.log.child('scanner'), trace: (t) => this.board.pushTrace('scanner', t) });
      this.scanner = driver;
      driver.onScan((e) => {
        this.options.session.setScan(e.payload, e.kind);
        this.options.hub.emitTo(this.options.session.ownerConnection, 'code-scanned', scanView(e.payload, e.kind, e.aim));
      });
      driver.onStatus((s) => {
        if (s.state === 'disconnected') this.board.recordError('scanner', s.error);
      });
      await driver.open();
      // A scanner speaks only when it reads a code: until the first one the board says "no answer yet".
      this.board.set('scanner', { state: 'ok', detail: 'ready: waiting for a code' });
    });
  }

  private startPrinter(): void {
    const c = this.plan.config.receiptPrinter;
    const factory = this.factoryFor('receiptPrinter', 'receiptPrinter', () => printerTransportFactory(c, this.log.child('receiptPrinter')));
    this.supervise('receiptPrinter', factory, async (transport) => {
      const driver = new ReceiptPrinterDriver({ transport, profile: this.profile, logger: this.log.child('printer') });
      if (this.printer) this.board.addCounters('receiptPrinter', this.printer.counters as unknown as Record<string, number>);
      this.printer = driver;
      driver.onTrace((t) => this.board.pushTrace('receiptPrinter', t));
      driver.onState((e) => {
        if (e.code) this.board.recordError('receiptPrinter', new DriverError(e.code, `printer ${e.state}`));
        this.updatePrinterState(e.state, e.status);
      });
      await driver.open();
      if (driver.statusReadable) {
        await this.printerStatus();
        clearInterval(this.printerTimer);
        this.printerTimer = setInterval(() => {
          if (this.printer === driver && transport.isOpen) {
            driver.status().then(
              (s) => {
                this.board.answered('receiptPrinter');
                this.updatePrinterState(driver.state, s);
              },
              (e: unknown) => {
                const err = asDriverError(e, 'PROTOCOL_TIMEOUT');
                this.board.recordError('receiptPrinter', err);
                this.board.set('receiptPrinter', { state: 'error', detail: `no status answer: ${err.message}` });
              },
            );
          }
        }, this.options.printerPollMs ?? 3000);
        this.printerTimer.unref();
      } else {
        // Nothing comes back on a write-only link, so it is never shown as a verified `ok`.
        this.board.set('receiptPrinter', { state: 'warning', detail: 'write-only link: printer status cannot be read; prints are unverified' });
      }
    });
  }

  private updatePrinterState(state: PrinterState, status: PrinterStatus | undefined): void {
    const s = status ? stateOf(status) : state;
    const detail = !status
      ? s
      : status.paperEnd
        ? 'paper end'
        : status.coverOpen
          ? 'cover open'
          : status.cutterError
            ? 'cutter error'
            : status.unrecoverable
              ? 'unrecoverable error'
              : !status.online
                ? 'offline'
                : status.paperNearEnd
                  ? 'paper near end'
                  : 'ready';
    const mapped: DeviceState = s === 'unknown' ? 'starting' : s === 'disconnected' ? 'offline' : s;
    this.board.set('receiptPrinter', { state: mapped, detail });
  }

  private liveCounters(id: DeviceId): Record<string, number> {
    switch (id) {
      case 'idCard':
        return this.idCard ? { ...this.idCard.counters } : {};
      case 'scanner':
        return this.scanner ? ({ ...this.scanner.counters } as unknown as Record<string, number>) : {};
      case 'receiptPrinter':
        return this.printer ? sumCounters(this.board.get(id).counters, this.printer.counters as unknown as Record<string, number>) : {};
      case 'callDisplay':
      case 'a4Printer':
        return {};
      default: {
        const never: never = id;
        throw new Error(`unknown device ${String(never)}`);
      }
    }
  }
}

/** What the UI may see of a scanned code: its kind and a short prefix, never the whole opaque token. */
export function scanView(payload: string, kind: ScanView['kind'], aim?: string): ScanView {
  const display = payload.length <= 8 ? payload : `${payload.slice(0, 6)}…`;
  return { kind, display, ...(aim ? { symbology: aim } : {}) };
}
