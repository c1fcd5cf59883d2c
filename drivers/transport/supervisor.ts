import { DriverError, asDriverError, assertNever } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { SerialTransport, type SerialTransportOptions } from './serial.js';
import { ListenerSet, type Transport } from './transport.js';
import { createSerialLister } from './sysfs-ports.js';

export type SupervisorState = 'connecting' | 'connected' | 'disconnected';

export interface SupervisorStateEvent {
  state: SupervisorState;
  /** Open attempts since the last successful connection (1 on the first try). */
  attempt: number;
  /** Why we are disconnected (open failure or lost link); absent after `stop()`. */
  error?: DriverError;
  /** When disconnected and retrying: the delay before the next attempt. Absent when stopped. */
  retryInMs?: number;
  /** When connected: the live transport. */
  transport?: Transport;
}

/** Builds a fresh transport per attempt; may be async (e.g. re-finding a USB serial port by serial number). */
export type AsyncTransportFactory = () => Transport | Promise<Transport>;

export interface TransportSupervisorOptions {
  factory: AsyncTransportFactory;
  /** First retry delay; default 250 ms. */
  initialDelayMs?: number;
  /** Upper bound of the retry delay; default 10 000 ms. */
  maxDelayMs?: number;
  /** Growth factor per failed attempt; default 2 (250, 500, 1000 … 10 000 ms). */
  factor?: number;
  logger?: DriverLogger;
  /** Injectable timers for deterministic tests; default the global ones. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

/**
 * Keeps one transport open: opens it from the factory, reports `connecting | connected | disconnected`, and when
 * the open fails or the link drops it retries with exponential back-off until `stop()`. Drivers either react to
 * `onState` (a new `transport` on every `connected`) or use the supervisor's own `onData`/`write`, which follow
 * whichever transport is current.
 */
export class TransportSupervisor {
  private state_: SupervisorState = 'disconnected';
  private current: Transport | undefined;
  private running = false;
  private attempt = 0;
  private timer: unknown;
  private generation = 0;
  private readonly states = new ListenerSet<[SupervisorStateEvent]>();
  private readonly data = new ListenerSet<[Buffer, Transport]>();
  private readonly log: DriverLogger;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private readonly timers: NonNullable<TransportSupervisorOptions['timers']>;

  constructor(private readonly options: TransportSupervisorOptions) {
    this.log = options.logger ?? silentLogger;
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    if (!(this.initialDelayMs > 0 && this.maxDelayMs >= this.initialDelayMs && this.factor >= 1)) {
      throw new RangeError('TransportSupervisor: need 0 < initialDelayMs <= maxDelayMs and factor >= 1');
    }
  }

  get state(): SupervisorState {
    return this.state_;
  }

  /** The open transport while connected, else undefined. */
  get transport(): Transport | undefined {
    return this.state_ === 'connected' ? this.current : undefined;
  }

  /** Delay before retry number `failures` (1-based): initial · factor^(failures-1), capped at maxDelayMs. */
  delayFor(failures: number): number {
    return Math.min(this.maxDelayMs, Math.round(this.initialDelayMs * this.factor ** Math.max(0, failures - 1)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect(++this.generation);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const t = this.current;
    this.current = undefined;
    if (t?.isOpen) await t.close();
    this.setState({ state: 'disconnected', attempt: this.attempt });
  }

  onState(listener: (e: SupervisorStateEvent) => void): () => void {
    return this.states.add(listener);
  }

  /** Bytes from whichever transport is current (with that transport, so a driver can tell reconnections apart). */
  onData(listener: (chunk: Buffer, from: Transport) => void): () => void {
    return this.data.add(listener);
  }

  async write(data: Uint8Array): Promise<void> {
    const t = this.transport;
    if (!t) throw new DriverError('TRANSPORT_NOT_OPEN', `supervised transport is ${this.state_}`);
    await t.write(data);
  }

  /** Resolves when the state is (or becomes) `state`; rejects with PROTOCOL_TIMEOUT after timeoutMs. */
  waitFor(state: SupervisorState, timeoutMs = 10_000): Promise<SupervisorStateEvent> {
    if (this.state_ === state) return Promise.resolve({ state, attempt: this.attempt, transport: this.transport });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        off();
        reject(new DriverError('PROTOCOL_TIMEOUT', `supervisor did not reach ${state} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onState((e) => {
        if (e.state !== state) return;
        clearTimeout(t);
        off();
        resolve(e);
      });
    });
  }

  private setState(e: SupervisorStateEvent): void {
    this.state_ = e.state;
    switch (e.state) {
      case 'connected':
        this.log.info({ transport: e.transport?.description, attempt: e.attempt }, 'connected');
        break;
      case 'connecting':
        this.log.debug({ attempt: e.attempt }, 'connecting');
        break;
      case 'disconnected':
        if (e.error) this.log.warn({ code: e.error.code, error: e.error.message, retryInMs: e.retryInMs }, 'disconnected');
        break;
      default:
        assertNever(e.state, 'supervisor state');
    }
    this.states.emit(e);
  }

  private async connect(gen: number): Promise<void> {
    if (gen !== this.generation || !this.running) return;
    this.attempt++;
    this.setState({ state: 'connecting', attempt: this.attempt });
    let transport: Transport | undefined;
    try {
      transport = await this.options.factory();
      await transport.open();
    } catch (e) {
      if (gen !== this.generation) return;
      this.scheduleRetry(gen, asDriverError(e, 'TRANSPORT_OPEN_FAILED'));
      return;
    }
    if (gen !== this.generation || !this.running) {
      // stopped while opening: do not leak the port
      await transport.close();
      return;
    }
    const t = transport;
    this.current = t;
    const offData = t.onData((chunk) => this.data.emit(chunk, t));
    const offClose = t.onClose((err) => {
      offData();
      offClose();
      if (this.current !== t || gen !== this.generation) return;
      this.current = undefined;
      this.attempt = 0;
      this.scheduleRetry(gen, err ?? new DriverError('TRANSPORT_DISCONNECTED', `${t.description} closed`));
    });
    const connectedAttempt = this.attempt;
    this.attempt = 0;
    this.setState({ state: 'connected', attempt: connectedAttempt, transport: t });
  }

  private scheduleRetry(gen: number, error: DriverError): void {
    if (!this.running || gen !== this.generation) return;
    const retryInMs = this.delayFor(Math.max(1, this.attempt));
    this.setState({ state: 'disconnected', attempt: this.attempt, error, retryInMs });
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.connect(gen);
    }, retryInMs);
  }
}

/** Port facts as serialport's `list()` reports them (vendor/product ids are lower-case hex strings). */
export interface SerialPortListing {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface UsbSerialFactoryOptions extends Omit<SerialTransportOptions, 'path'> {
  /** USB ids as numbers (0x0c2e) or hex strings ('0c2e'); serialNumber tells two identical devices apart. */
  match: { vendorId: number | string; productId: number | string; serialNumber?: string };
  /** Used when listing fails or finds nothing and this path exists (ports without USB facts, e.g. a pty). */
  fallbackPath?: string;
  /** Injectable port lister; default SerialPort.list() of the real bindings, sysfs where udevadm is missing. */
  list?: () => Promise<SerialPortListing[]>;
}

/**
 * A TransportFactory for a USB serial device whose path may change across re-plugs (/dev/ttyACM0 → /dev/ttyACM1):
 * each attempt re-lists the ports and picks the one with the same vendor/product/serial number.
 */
export function usbSerialFactory(options: UsbSerialFactoryOptions): () => Promise<SerialTransport> {
  const { match, fallbackPath, list, ...serial } = options;
  const lister = list ?? createSerialLister({ onFallback: (reason) => serial.logger?.info({ match }, reason) });
  const vid = normHex(match.vendorId);
  const pid = normHex(match.productId);
  return async () => {
    let ports: SerialPortListing[];
    try {
      ports = await lister();
    } catch (e) {
      if (fallbackPath) return new SerialTransport({ ...serial, path: fallbackPath });
      throw asDriverError(e, 'TRANSPORT_OPEN_FAILED', `listing serial ports failed: ${(e as Error).message}`);
    }
    const found = ports.find(
      (p) =>
        normHex(p.vendorId) === vid &&
        normHex(p.productId) === pid &&
        (match.serialNumber === undefined || p.serialNumber === match.serialNumber),
    );
    if (found) return new SerialTransport({ ...serial, path: found.path });
    if (fallbackPath) return new SerialTransport({ ...serial, path: fallbackPath });
    throw new DriverError('TRANSPORT_OPEN_FAILED', `no serial port with USB id ${vid}:${pid} is present`, {
      detail: { vendorId: vid, productId: pid, ports: ports.length },
    });
  };
}

function normHex(v: number | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number.parseInt(v.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? n.toString(16).padStart(4, '0') : undefined;
}
