import type { DevicesConfig } from '../../kiosk-config/devices.js';
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
import { renderDocumentPdf } from '../../drivers/a4/pdf.js';
import { CallDisplayHub, type Call } from '../../drivers/call-display/call-display.js';
import { LedCallDisplay } from '../../drivers/call-display/led-call-display.js';
import { LedStripDriver } from '../../drivers/call-display/led-driver.js';
import { createSystemPlayer, VoiceAnnouncer } from '../../drivers/call-display/voice.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { TraceEntry } from '../../drivers/log.js';
import { TransportSupervisor, type SupervisorStateEvent } from '../../drivers/transport/supervisor.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { DEVICE_IDS, type DeviceId, type DeviceState, type DeviceStatus, type ScanView } from '../contract/index.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import { HostError } from '../errors.js';
import type { CitizenSession } from '../session/citizen-session.js';
import { SimulationRig } from '../simulation/sim-rig.js';
import { recordPrint } from '../staff/reports.js';
import type { Db } from '../storage/database.js';
import { describeTransport, idCardTransportFactory, printerTransportFactory, scannerTransportFactory } from './transports.js';

export interface DeviceManagerOptions {
  config: DevicesConfig;
  simulate: boolean;
  hub: EventHub;
  session: CitizenSession;
  logger: Logger;
  db: Db;
  now: () => Date;
  /** Printer status poll while idle, ms; default 3000. */
  printerPollMs?: number;
  /** Folder of the generated voice clips (`<lang>/<id>.wav`). */
  voiceDir: string;
}

type SimHandlerNames = 'sim.state' | 'sim.placeCard' | 'sim.removeCard' | 'sim.scan' | 'sim.setPrinterFault' | 'sim.unplug' | 'sim.replug' | 'sim.receipts';

export interface PrintReceiptResult {
  printed: boolean;
  statusKnown: boolean;
  warning?: string;
}

export type SequencedTrace = TraceEntry & { seq: number };

export type TestAction = 'read-card' | 'wait-scan' | 'print-test' | 'printer-status' | 'display-test' | 'cups-test-page';

const TRACE_RING = 1000;

/**
 * Owns every device of the kiosk: builds its transport (real, or the simulator's in simulation mode) under a
 * TransportSupervisor that reconnects with back-off, runs its driver, tracks its status for the device board and
 * /healthz, turns driver events into contract events, keeps a redacted protocol trace, and records state changes
 * in `device_events`.
 */
export class DeviceManager {
  private readonly status = new Map<DeviceId, DeviceStatus>();
  readonly rig: SimulationRig | undefined;
  private readonly profile: PrinterProfile;
  private readonly supervisors: TransportSupervisor[] = [];
  private idCard: IdCardReaderDriver | undefined;
  private scanner: ScannerDriver | undefined;
  private printer: ReceiptPrinterDriver | undefined;
  private printerTimer: NodeJS.Timeout | undefined;
  private readonly calls = new CallDisplayHub();
  private led: LedStripDriver | undefined;
  readonly a4: CupsPrinter;
  private readonly traceRing: SequencedTrace[] = [];
  private traceSeq = 0;
  private readonly cleanups: (() => void)[] = [];
  private readonly log: Logger;
  private stopped = false;

  constructor(private readonly options: DeviceManagerOptions) {
    this.log = options.logger;
    this.profile = PRINTER_PROFILES[options.config.receiptPrinter.profile];
    if (this.simulation) this.rig = new SimulationRig({ profile: this.profile, ledAddresses: Object.values(options.config.callDisplay.ledStrip?.addresses ?? {}) });
    const c = options.config;
    this.a4 = new CupsPrinter({ queue: c.a4Printer.queue, logger: options.logger.child('a4') });
    const models: Record<DeviceId, string> = {
      idCard: 'GA/T 467 SAM reader',
      scanner: 'QR/barcode scanner (serial CDC)',
      receiptPrinter: `ESC/POS ${c.receiptPrinter.profile}`,
      callDisplay: 'hall display page' + (c.callDisplay.ledStrip ? ' + LED window strips' : '') + (c.callDisplay.voice.enabled ? ' + voice' : ''),
      a4Printer: `CUPS queue ${c.a4Printer.queue}`,
    };
    const transports: Record<DeviceId, string> = {
      idCard: this.isSimulated('idCard') ? 'simulator' : describeTransport(c.idCard),
      scanner: this.isSimulated('scanner') ? 'simulator' : describeTransport(c.scanner),
      receiptPrinter: this.isSimulated('receiptPrinter') ? 'simulator' : describeTransport(c.receiptPrinter),
      callDisplay: this.isSimulated('callDisplay') ? 'web page (simulated strips)' : describeTransport(c.callDisplay.ledStrip ?? { transport: 'web' }),
      a4Printer: `cups:${c.a4Printer.queue}`,
    };
    for (const id of DEVICE_IDS) {
      this.status.set(id, {
        id,
        model: models[id],
        transport: transports[id],
        simulated: this.isSimulated(id),
        state: 'starting',
        detail: 'starting',
        counters: {},
        since: Date.now(),
      });
    }
  }

  /** Simulation mode: `--simulate`, or any device left to its simulator (the default sample configs). */
  get simulation(): boolean {
    return DEVICE_IDS.some((id) => this.isSimulated(id));
  }

  isSimulated(id: DeviceId): boolean {
    if (this.options.simulate) return true;
    const c = this.options.config;
    switch (id) {
      case 'idCard':
        return c.idCard.transport === 'simulated';
      case 'scanner':
        return c.scanner.transport === 'simulated';
      case 'receiptPrinter':
        return c.receiptPrinter.transport === 'simulated';
      case 'callDisplay':
        return !c.callDisplay.ledStrip || c.callDisplay.ledStrip.transport === 'simulated';
      case 'a4Printer':
        return false; // always the OS spooler; cups-pdf stands in for a printer where there is none
      default: {
        const never: never = id;
        throw new Error(`unknown device ${String(never)}`);
      }
    }
  }

  async start(): Promise<void> {
    this.startIdCard();
    this.startScanner();
    this.startPrinter();
    this.startCallDisplay();
    void this.checkA4();
    if (this.rig) this.cleanups.push(this.rig.onReceipt((r) => this.options.hub.emit('sim-receipt', r)));
    this.log.info({ simulation: this.simulation }, 'devices started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.printerTimer);
    for (const c of this.cleanups.splice(0)) c();
    await Promise.all(this.supervisors.map((s) => s.stop()));
    await this.idCard?.close().catch((e: unknown) => this.log.warn({ err: e }, 'id card close failed'));
    await this.scanner?.close().catch((e: unknown) => this.log.warn({ err: e }, 'scanner close failed'));
    await this.printer?.close().catch((e: unknown) => this.log.warn({ err: e }, 'printer close failed'));
    this.log.info({}, 'devices stopped');
  }

  statuses(): DeviceStatus[] {
    return DEVICE_IDS.map((id) => {
      const s = this.status.get(id)!;
      return { ...s, counters: { ...s.counters, ...this.liveCounters(id) } };
    });
  }

  /** Technician trace: entries after `seq` (0 = all kept), oldest first. Personal data is redacted by the drivers. */
  traceSince(seq: number): SequencedTrace[] {
    return this.traceRing.filter((t) => t.seq > seq);
  }

  receiptProfile(): PrinterProfile {
    return this.profile;
  }

  /**
   * Prints on the receipt printer. Throws a DriverError with the blocking PRINTER_* code when the printer cannot
   * print (checked before the job) or did not finish it (checked after); never reports `printed` unverified.
   */
  async printReceipt(job: PrintJob | Uint8Array): Promise<PrintReceiptResult> {
    const driver = this.printer;
    if (!driver || this.status.get('receiptPrinter')!.state === 'offline') {
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
      this.recordError('receiptPrinter', err);
      this.updatePrinterState(driver.state, driver.lastStatus);
      throw err;
    }
  }

  async printerStatus(): Promise<PrinterStatus> {
    if (!this.printer) throw new DriverError('TRANSPORT_DISCONNECTED', 'the receipt printer is not connected');
    const s = await this.printer.status();
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
    const max = this.options.config.a4Printer.maxCopies;
    if (options.copies < 1 || options.copies > max) throw new HostError('BAD_REQUEST', `copies must be 1..${max}`);
    try {
      const jobId = await this.a4.submit({ data: pdf, copies: options.copies, title: options.title });
      this.bump('a4Printer', 'jobs');
      this.bump('a4Printer', 'copies', options.copies);
      this.logPrint({ device: 'a4Printer', kind: options.title, sheets: options.copies });
      return { jobId };
    } catch (e) {
      const err = asDriverError(e, 'SPOOLER_FAILED');
      this.recordError('a4Printer', err);
      void this.checkA4();
      throw err;
    }
  }

  async a4Job(jobId: string): Promise<CupsJobStatus> {
    const s = await this.a4.jobStatus(jobId);
    if (s.state === 'failed') {
      this.recordError('a4Printer', new DriverError('SPOOLER_FAILED', `job ${jobId} ${s.ippState}: ${s.message}`));
    }
    return s;
  }

  /** Technician test actions, each with a short, personal-data-free result. */
  async testAction(device: DeviceId, action: TestAction): Promise<Record<string, unknown>> {
    switch (action) {
      case 'read-card':
        return this.testReadCard();
      case 'wait-scan':
        return { ...(await this.testWaitScan()) };
      case 'printer-status':
        return { ...(await this.printerStatus()) };
      case 'print-test': {
        const { EscPosEncoder } = await import('../../drivers/escpos/encoder.js');
        const job = new EscPosEncoder({ profile: this.profile })
          .initialize()
          .align('center')
          .size(2, 2)
          .text('打印测试 TEST')
          .newline()
          .size(1, 1)
          .text(`${new Date().toISOString()}`)
          .newline()
          .qr('HKT:test-print')
          .code128('HK0001')
          .feed(3)
          .cut()
          .job();
        return { ...(await this.printReceipt(job)) };
      }
      case 'display-test':
        this.announceCall({ ticket: 'A000', window: '0', at: Date.now() });
        return { shownOn: this.calls.members.map((m) => m.name) };
      case 'cups-test-page': {
        const pdf = await renderDocumentPdf({ title: 'CUPS 测试页 / test page', sections: [{ heading: '打印测试', paragraphs: [`hall-kiosk ${new Date().toISOString()}`] }] });
        const { jobId } = await this.printA4(pdf, { copies: 1, title: 'test page' });
        return { ...(await this.a4.waitForJob(jobId, { timeoutMs: 60_000 })) };
      }
      default: {
        const never: never = action;
        throw new HostError('BAD_REQUEST', `unknown test action ${String(never)} for ${device}`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Prints and paper used, for the manager's statistics (no content, no personal data). */
  private logPrint(entry: { device: 'receiptPrinter' | 'a4Printer'; kind: string; paperMm?: number; sheets?: number }): void {
    try {
      recordPrint(this.options.db, { at: Date.now(), ...entry });
    } catch (e) {
      this.log.error({ err: e }, 'could not record a print for the statistics');
    }
  }

  private bump(id: DeviceId, counter: string, by = 1): void {
    const s = this.status.get(id)!;
    s.counters[counter] = (s.counters[counter] ?? 0) + by;
  }

  private async checkA4(): Promise<void> {
    try {
      const q = await this.a4.queueState();
      const ok = q.enabled && q.accepting;
      this.setStatus('a4Printer', { state: ok ? 'ok' : 'error', detail: ok ? `CUPS queue ${q.name} ready` : `CUPS queue ${q.name} ${q.enabled ? '' : 'disabled '}${q.accepting ? '' : 'not accepting'}`.trim() });
    } catch (e) {
      const err = asDriverError(e, 'SPOOLER_FAILED');
      this.recordError('a4Printer', err);
      this.setStatus('a4Printer', { state: 'offline', detail: err.message });
    }
  }

  private startCallDisplay(): void {
    const c = this.options.config.callDisplay;
    const parts: string[] = ['hall display page'];
    if (c.voice.enabled) {
      const voice = new VoiceAnnouncer({ clipDir: this.options.voiceDir, player: createSystemPlayer(), logger: this.log.child('voice') });
      this.calls.add(voice);
      parts.push('voice');
    }
    const strip = c.ledStrip;
    if (strip) {
      const factory = this.rig && strip.transport === 'simulated'
        ? this.rig.links.ledStrip.factory
        : () => new SerialTransport({ path: strip.path ?? '', baudRate: strip.baudRate });
      this.supervise('callDisplay', factory, async (transport) => {
        await this.led?.close().catch((e: unknown) => this.log.debug({ err: e }, 'previous LED session close failed'));
        this.led = new LedStripDriver({ transport, logger: this.log.child('led'), trace: (t) => this.pushTrace(t) });
        await this.led.open();
        this.ledDisplay?.();
        this.ledDisplay = this.calls.add(new LedCallDisplay({ driver: this.led, windows: strip.addresses }));
        this.setStatus('callDisplay', { state: 'ok', detail: `${parts.join(' + ')} + LED strips` });
      });
    } else {
      this.setStatus('callDisplay', { state: 'ok', detail: parts.join(' + ') });
    }
    this.cleanups.push(
      this.calls.onFault((f) => {
        this.recordError('callDisplay', f.error);
        this.setStatus('callDisplay', { state: 'warning', detail: `${f.display}: ${f.error.message}` });
      }),
    );
  }

  private ledDisplay: (() => void) | undefined;

  private supervise(id: DeviceId, factory: () => Transport | Promise<Transport>, onConnected: (t: Transport) => Promise<void>): void {
    const supervisor = new TransportSupervisor({ factory, logger: this.log.child(id) });
    this.supervisors.push(supervisor);
    this.cleanups.push(
      supervisor.onState((e: SupervisorStateEvent) => {
        if (this.stopped) return;
        if (e.state === 'connected' && e.transport) {
          onConnected(e.transport).catch((err: unknown) => {
            const de = asDriverError(err, 'DEVICE_NOT_READY');
            this.recordError(id, de);
            this.setStatus(id, { state: 'error', detail: de.message });
          });
        } else if (e.state === 'disconnected') {
          if (e.error) this.recordError(id, e.error);
          this.setStatus(id, { state: 'offline', detail: e.retryInMs !== undefined ? `disconnected; retrying in ${e.retryInMs} ms` : 'disconnected' });
        } else if (e.state === 'connecting') {
          this.setStatus(id, { detail: `connecting (attempt ${e.attempt})` });
        }
      }),
    );
    supervisor.start();
  }

  private startIdCard(): void {
    const c = this.options.config.idCard;
    const factory = this.rig ? this.rig.links.idCard.factory : idCardTransportFactory(c);
    const baudRate = c.transport === 'serial' ? c.baudRate : 115200;
    const pollIntervalMs = c.transport === 'simulated' ? 500 : c.pollIntervalMs;
    this.supervise('idCard', factory, async (transport) => {
      if (!this.idCard) {
        this.idCard = new IdCardReaderDriver({ transport, baudRate, pollIntervalMs, logger: this.log.child('id-card'), trace: (t) => this.pushTrace(t) });
        this.wireIdCard(this.idCard);
      }
      await this.idCard.open(transport);
      this.idCard.startPolling();
    });
  }

  private wireIdCard(driver: IdCardReaderDriver): void {
    this.cleanups.push(
      driver.on('card-read', (identity) => {
        const view = this.options.session.setIdentity(identity);
        this.options.hub.emit('card-read', view);
      }),
      driver.on('card-removed', () => this.options.hub.emit('card-removed', {})),
      driver.on('read-failed', (e) => {
        this.recordError('idCard', e);
        this.options.hub.emit('card-error', { code: e.code, message: e.message });
      }),
      driver.on('status', (s, e) => {
        if (e) this.recordError('idCard', e);
        const state: DeviceState = s === 'ready' || s === 'reading' ? 'ok' : s === 'error' ? 'error' : 'offline';
        this.setStatus('idCard', { state, detail: s === 'reading' ? 'reading a card' : s === 'ready' ? 'ready: waiting for a card' : (e?.message ?? s) });
      }),
    );
  }

  private startScanner(): void {
    const c = this.options.config.scanner;
    const factory = this.rig ? this.rig.links.scanner.factory : scannerTransportFactory(c);
    if (!factory) {
      this.setStatus('scanner', { state: 'ok', detail: 'keyboard-wedge scanner: read by the kiosk page' });
      return;
    }
    const interByteTimeoutMs = c.transport === 'serial' ? c.interByteTimeoutMs : 100;
    this.supervise('scanner', factory, async (transport) => {
      await this.scanner?.close().catch((e: unknown) => this.log.debug({ err: e }, 'previous scanner session close failed'));
      const mode = c.transport === 'hid-pos' ? 'hid-pos' : 'serial';
      const driver = new ScannerDriver({ transport, mode, interByteTimeoutMs, switchToHidPos: c.transport === 'hid-pos' && c.vendorId === HONEYWELL_VENDOR_ID, logger: this.log.child('scanner'), trace: (t) => this.pushTrace(t) });
      this.scanner = driver;
      driver.onScan((e) => {
        this.options.session.setScan(e.payload, e.kind);
        this.options.hub.emit('code-scanned', scanView(e.payload, e.kind, e.aim));
      });
      driver.onStatus((s) => {
        if (s.state === 'disconnected') this.recordError('scanner', s.error);
      });
      await driver.open();
      this.setStatus('scanner', { state: 'ok', detail: 'ready: waiting for a code' });
    });
  }

  private startPrinter(): void {
    const c = this.options.config.receiptPrinter;
    const factory = this.rig ? this.rig.links.receiptPrinter.factory : printerTransportFactory(c);
    this.supervise('receiptPrinter', factory, async (transport) => {
      const driver = new ReceiptPrinterDriver({ transport, profile: this.profile, logger: this.log.child('printer') });
      if (this.printer) this.addCounters('receiptPrinter', this.printer.counters as unknown as Record<string, number>);
      this.printer = driver;
      driver.onTrace((t) => this.pushTrace(t));
      driver.onState((e) => {
        if (e.code) this.recordError('receiptPrinter', new DriverError(e.code, `printer ${e.state}`));
        this.updatePrinterState(e.state, e.status);
      });
      await driver.open();
      if (driver.statusReadable) {
        await this.printerStatus();
        clearInterval(this.printerTimer);
        this.printerTimer = setInterval(() => {
          if (this.printer === driver && transport.isOpen) {
            driver.status().then(
              (s) => this.updatePrinterState(driver.state, s),
              (e: unknown) => this.recordError('receiptPrinter', asDriverError(e, 'PROTOCOL_TIMEOUT')),
            );
          }
        }, this.options.printerPollMs ?? 3000);
        this.printerTimer.unref();
      } else {
        this.setStatus('receiptPrinter', { state: 'ok', detail: 'write-only link: printer status cannot be read' });
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
    this.setStatus('receiptPrinter', { state: mapped, detail });
  }

  private liveCounters(id: DeviceId): Record<string, number> {
    switch (id) {
      case 'idCard':
        return this.idCard ? { ...this.idCard.counters } : {};
      case 'scanner':
        return this.scanner ? ({ ...this.scanner.counters } as unknown as Record<string, number>) : {};
      case 'receiptPrinter':
        return this.printer ? sumCounters(this.status.get(id)!.counters, this.printer.counters as unknown as Record<string, number>) : {};
      case 'callDisplay':
      case 'a4Printer':
        return {};
      default: {
        const never: never = id;
        throw new Error(`unknown device ${String(never)}`);
      }
    }
  }

  private addCounters(id: DeviceId, add: Record<string, number>): void {
    const s = this.status.get(id)!;
    s.counters = sumCounters(s.counters, add);
  }

  private pushTrace(t: TraceEntry): void {
    this.traceRing.push({ ...t, seq: ++this.traceSeq });
    if (this.traceRing.length > TRACE_RING) this.traceRing.splice(0, this.traceRing.length - TRACE_RING);
  }

  private recordError(id: DeviceId, e: DriverError): void {
    const s = this.status.get(id)!;
    s.lastError = { code: e.code, message: e.message, at: Date.now() };
  }

  private setStatus(id: DeviceId, patch: Partial<Pick<DeviceStatus, 'state' | 'detail'>>): void {
    const s = this.status.get(id)!;
    const changed = (patch.state !== undefined && patch.state !== s.state) || (patch.detail !== undefined && patch.detail !== s.detail);
    if (!changed) return;
    const stateChanged = patch.state !== undefined && patch.state !== s.state;
    Object.assign(s, patch);
    if (stateChanged) {
      s.since = Date.now();
      try {
        this.options.db
          .prepare('INSERT INTO device_events (at, device, state, code, message) VALUES (?, ?, ?, ?, ?)')
          .run(Date.now(), id, s.state, s.lastError?.code ?? null, s.detail);
      } catch (e) {
        this.log.error({ err: e, device: id }, 'could not record device event');
      }
      this.log.info({ device: id, state: s.state, detail: s.detail }, 'device state');
    }
    this.options.hub.emit('device-status', { ...s, counters: { ...s.counters, ...this.liveCounters(id) } });
  }

  simHandlers(): Pick<Handlers, SimHandlerNames> {
    const rig = (): SimulationRig => {
      if (!this.rig) throw new HostError('NOT_AVAILABLE', 'the simulator is available only in simulation mode');
      return this.rig;
    };
    const changed = () => {
      const s = rig().state();
      this.options.hub.emit('sim-changed', s);
      return s;
    };
    return {
      'sim.state': () => rig().state(),
      'sim.placeCard': ({ identityId }) => {
        rig().placeCard(identityId);
        return changed();
      },
      'sim.removeCard': () => {
        rig().removeCard();
        return changed();
      },
      'sim.scan': async ({ payload }) => {
        await rig().scan(payload);
        return changed();
      },
      'sim.setPrinterFault': async ({ fault }) => {
        rig().setPrinterFault(fault);
        if (this.printer) await this.printerStatus().catch((e: unknown) => this.log.debug({ err: e }, 'status after fault change failed'));
        return changed();
      },
      'sim.unplug': ({ device }) => {
        rig().unplug(device);
        if (device === 'callDisplay' || device === 'a4Printer') this.setStatus(device, { state: 'offline', detail: 'unplugged (simulated)' });
        return changed();
      },
      'sim.replug': ({ device }) => {
        rig().replug(device);
        if (device === 'callDisplay' || device === 'a4Printer') this.setStatus(device, { state: 'ok', detail: 'replugged (simulated)' });
        return changed();
      },
      'sim.receipts': ({ limit }) => rig().receipts(limit),
    };
  }
}

function sumCounters(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
}

/** What the UI may see of a scanned code: its kind and a short prefix, never the whole opaque token. */
export function scanView(payload: string, kind: ScanView['kind'], aim?: string): ScanView {
  const display = payload.length <= 8 ? payload : `${payload.slice(0, 6)}…`;
  return { kind, display, ...(aim ? { symbology: aim } : {}) };
}
