/**
 * The ID card reader session on an injected Transport (serial, USB-serial, or HID through IdCardHidEnvelopeTransport).
 * Three seams, three files: this one holds the session (open/close, the poll loop, the read, the events);
 * command-channel.ts the command exchange (framing, time-outs, retries, redacted trace); presence.ts the pure rule
 * that tells a card that left from one that is only halted.
 *
 * open():  transport open → SAM status (11 FF); a fault (SW3 60 / 66) sets status `error` with IDCARD_SAM_FAULT,
 *          closes the transport and rejects. The driver can be opened again, also on a fresh transport.
 * polling: every `pollIntervalMs` (≥ 300 ms, from the start of one cycle to the start of the next):
 *          find (20 01) → select (20 02) → read (30 01, or 30 10 with `withFingerprint`). While a read card is
 *          tracked, a failed find is followed by a select to ask whether that card still lies there.
 *
 * Events (what the flows may rely on):
 * - `card-read` (identity): once per placement. A card that stays on the reader is not read again.
 * - `card-removed`: the card reported by the last `card-read` is PHYSICALLY GONE. The citizen session wipes the
 *   identity on it, so it is never emitted for a card that still lies there. Most readers halt a card after reading
 *   it: it no longer answers find (SW3 80) but still answers select (90); an absent card fails both (80, then 81).
 *   So the event comes when `removalConfirmations` (default 2) consecutive polls fail find AND select — about
 *   removalConfirmations × pollIntervalMs after the card was lifted — or at once, before the next `card-read`,
 *   when a find succeeds after a failed find + select (lifted and put back, or swapped). On a halting reader a card
 *   that answers find with no failed poll in between is read and compared with the card read last (SHA-256 of type
 *   and number, in memory): another card → `card-removed` then `card-read`; the same card (a reader whose select
 *   wakes the halted card) → nothing; unreadable → `card-removed` then `read-failed`.
 *   Known limit: on a reader that keeps finding cards it has read (no halt), a card swapped for another between two
 *   polls cannot be told from the first by find or select; it is taken for the same card until it is lifted. Whether
 *   the reader halts is learned from its answers after each open (or set with `haltsAfterRead`).
 * - `read-failed` (error): a placement that could not be read, first failure per placement (counters count every
 *   one); the next cycle tries again while the card stays. A failed select/read (card moved, SW3 41/81...) is one.
 * - `status` (status, error): ready / reading / error (SAM fault) / disconnected, on change.
 *
 * Time-outs: `commandTimeoutMs` (default 1000) for short commands; the read answer (1295 bytes, 2321 with fingerprints)
 * needs bytes×10/baud on the wire (~113 ms at 115200, ~1.35 s at 9600), so its time-out is commandTimeoutMs plus twice
 * that wire time unless `readTimeoutMs` is given. Protocol errors are retried `retries` times (default 2); a failed
 * read is retried as select → read.
 *
 * Privacy: traces and logs carry hex of commands and short answers only (command-channel.ts redacts the rest).
 */
import { createHash } from 'node:crypto';
import { DriverError, asDriverError } from '../errors.js';
import { silentLogger, toHex, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';
import type { IdCardReaderCounters, IdCardReaderDriverOptions, IdCardReaderEvents, IdCardReaderStatus } from './reader-types.js';
import { IdCardCommandChannel, isRetryable, longestAnswerBytes, wireTimeMs } from './command-channel.js';
import type { Identity } from './identity.js';
import { CardPresence } from './presence.js';
import { Sw3, expectSuccess, parseReadAnswer, parseTextBlock, type IdCardCommandName, type IdCardResponse } from './protocol.js';

export { redactedHex, wireTimeMs } from './command-channel.js';

export type { IdCardReaderCounters, IdCardReaderDriverOptions, IdCardReaderEvents, IdCardReaderStatus } from './reader-types.js';

const FIND_NO_CARD = Sw3.NO_CARD;

export class IdCardReaderDriver {
  private transport: Transport;
  private readonly log: DriverLogger;
  private readonly device: string;
  private readonly pollIntervalMs: number;
  private readonly readTimeoutMs: number;
  private readonly withFingerprint: boolean;
  private readonly removalConfirmations: number;
  private readonly haltsAfterRead: boolean | undefined;
  private readonly channel: IdCardCommandChannel;

  private detach: (() => void)[] = [];
  private opened = false;
  private status_: IdCardReaderStatus = 'disconnected';
  private lastError_: DriverError | undefined;
  private statusError: DriverError | undefined;
  private lastFailure: DriverError | undefined;

  private polling = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private presence: CardPresence;
  /** SHA-256 of card type + number of the card read last (memory only, never logged): tells a woken card from another. */
  private lastCardKey: string | undefined;
  private failedThisPlacement = false;

  private readonly listeners = {
    'card-read': new ListenerSet<IdCardReaderEvents['card-read']>(),
    'card-removed': new ListenerSet<IdCardReaderEvents['card-removed']>(),
    'read-failed': new ListenerSet<IdCardReaderEvents['read-failed']>(),
    status: new ListenerSet<IdCardReaderEvents['status']>(),
  };

  readonly counters: IdCardReaderCounters = {
    reads: 0,
    failures: 0,
    removals: 0,
    timeouts: 0,
    retries: 0,
    discardedFrames: 0,
    discardedBytes: 0,
  };

  constructor(options: IdCardReaderDriverOptions) {
    this.transport = options.transport;
    this.log = options.logger ?? silentLogger;
    this.device = options.device ?? 'id-card';
    const baudRate = options.baudRate ?? 115200;
    this.pollIntervalMs = Math.max(300, options.pollIntervalMs ?? 300);
    const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.withFingerprint = options.withFingerprint ?? false;
    const answerBytes = longestAnswerBytes(this.withFingerprint ? 'readWithFingerprint' : 'readText');
    this.readTimeoutMs = options.readTimeoutMs ?? Math.ceil(commandTimeoutMs + 2 * wireTimeMs(answerBytes, baudRate));
    this.removalConfirmations = Math.min(10, Math.max(1, options.removalConfirmations ?? 2));
    this.haltsAfterRead = options.haltsAfterRead;
    this.presence = this.newPresence();
    this.channel = new IdCardCommandChannel({
      log: this.log,
      trace: options.trace,
      device: this.device,
      baudRate,
      commandTimeoutMs,
      retries: Math.min(5, Math.max(0, options.retries ?? 2)),
      counters: this.counters,
      isOpen: () => this.opened,
    });
  }

  get status(): IdCardReaderStatus {
    return this.status_;
  }

  get lastError(): DriverError | undefined {
    return this.lastError_;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  get isPolling(): boolean {
    return this.polling;
  }

  /** The effective read time-out (for the device board and tests). */
  get effectiveReadTimeoutMs(): number {
    return this.readTimeoutMs;
  }

  /** Whether this reader halts cards it has read: configured, or learned since open (undefined: not yet known). */
  get readerHaltsAfterRead(): boolean | undefined {
    return this.presence.haltsAfterRead;
  }

  on<K extends keyof IdCardReaderEvents>(event: K, listener: (...args: IdCardReaderEvents[K]) => void): () => void {
    return (this.listeners[event] as unknown as ListenerSet<IdCardReaderEvents[K]>).add(listener);
  }

  /**
   * Opens the transport (unless already open) and checks the SAM. Pass a fresh transport to reopen after an unplug
   * (the supervisor's job); counters survive reopening.
   */
  async open(transport?: Transport): Promise<void> {
    if (this.opened) throw new DriverError('DEVICE_BUSY', `${this.transport.description} is already open`);
    if (transport) this.transport = transport;
    const t = this.transport;
    this.channel.attach(t);
    this.presence = this.newPresence();
    this.lastCardKey = undefined;
    this.failedThisPlacement = false;
    this.detach.push(
      t.onData((chunk) => this.channel.onData(chunk)),
      t.onClose((e) => this.onTransportClose(e)),
    );
    try {
      if (!t.isOpen) await t.open();
      this.opened = true;
      const status = await this.exchange('samStatus');
      expectSuccess(status, 'samStatus');
    } catch (e) {
      const err = asDriverError(e, 'TRANSPORT_OPEN_FAILED');
      this.opened = false;
      this.unsubscribe();
      if (t.isOpen) await t.close();
      this.setStatus(err.isTransport() ? 'disconnected' : 'error', err);
      this.log.error({ device: this.device, code: err.code, transport: t.description }, 'ID card reader could not be opened');
      throw err;
    }
    this.setStatus('ready', undefined);
    this.log.info({ device: this.device, transport: t.description }, 'ID card reader ready');
  }

  /** Stops polling and closes the transport; status becomes `disconnected` (without an error). */
  async close(): Promise<void> {
    if (!this.opened) return;
    await this.stopPolling();
    this.opened = false;
    this.channel.failPending(new DriverError('DEVICE_CLOSED', 'the ID card reader was closed'));
    const t = this.transport;
    this.unsubscribe();
    if (t.isOpen) await t.close();
    this.setStatus('disconnected', undefined);
  }

  /** Starts the find → select → read loop (idempotent). */
  startPolling(): void {
    if (this.polling) return;
    if (!this.opened) throw new DriverError('DEVICE_NOT_READY', 'open the ID card reader before polling');
    this.polling = true;
    this.loop = this.pollLoop();
  }

  /** Stops the loop after the current cycle. */
  async stopPolling(): Promise<void> {
    this.polling = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Waits for one card and resolves with its identity (the technician test-read and `diag idcard read`).
   * If the kiosk is already polling, resolves with the next `card-read`; otherwise polls until then.
   * Rejects with IDCARD_NO_CARD after `timeoutMs` (default 30 000), with the abort reason when `signal` aborts, with
   * the error of a non-transient failure (SAM fault, unsupported card, authentication, malformed text) and with
   * TRANSPORT_DISCONNECTED on unplug.
   */
  readOnce(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Identity> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const signal = options.signal;
    if (!this.opened) return Promise.reject(new DriverError('DEVICE_NOT_READY', 'open the ID card reader before reading'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ownLoop = !this.polling;
    // on its own loop the caller wants whatever card lies there now, even one read before polling stopped
    if (ownLoop) this.presence.forget();
    const failureBefore = this.lastFailure;
    return new Promise<Identity>((resolve, reject) => {
      const offs: (() => void)[] = [];
      const timer = setTimeout(
        () => {
          const last = this.lastFailure && this.lastFailure !== failureBefore ? this.lastFailure : undefined;
          const why = last ? ` (last failure: ${last.code})` : '';
          finish(() => reject(new DriverError('IDCARD_NO_CARD', `no card was read within ${timeoutMs} ms${why}`, { detail: { timeoutMs, lastFailure: last?.code } })));
        },
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        for (const off of offs.splice(0)) off();
        clearTimeout(timer);
        const stopped = ownLoop ? this.stopPolling() : Promise.resolve();
        stopped.then(settle, (e: unknown) => reject(asDriverError(e, 'DEVICE_NOT_READY')));
      };
      offs.push(this.on('card-read', (identity) => finish(() => resolve(identity))));
      offs.push(
        this.on('read-failed', (error) => {
          if (!error.isTransient()) finish(() => reject(error));
        }),
      );
      offs.push(
        this.on('status', (status, error) => {
          if (status === 'disconnected') finish(() => reject(error ?? new DriverError('DEVICE_CLOSED', 'the ID card reader was closed')));
          else if (status === 'error' && error) finish(() => reject(error));
        }),
      );
      if (signal) {
        const onAbort = () => finish(() => reject(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        offs.push(() => signal.removeEventListener('abort', onAbort));
      }
      if (ownLoop) this.startPolling();
    });
  }

  /** 11 FF: resolves when the SAM reports OK; rejects with IDCARD_SAM_FAULT otherwise. */
  async samStatus(): Promise<void> {
    expectSuccess(await this.exchange('samStatus'), 'samStatus');
  }

  /** 10 FF: resets the SAM. */
  async resetSam(): Promise<void> {
    expectSuccess(await this.exchange('resetSam'), 'resetSam');
  }

  /** 12 FF: the SAM's 16-byte id as hex (not personal data: it identifies the reader). */
  async readSamId(): Promise<string> {
    const r = expectSuccess(await this.exchange('readSamId'), 'readSamId');
    return toHex(r.data);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Poll loop

  private newPresence(): CardPresence {
    return new CardPresence({
      confirmations: this.removalConfirmations,
      ...(this.haltsAfterRead !== undefined ? { haltsAfterRead: this.haltsAfterRead } : {}),
    });
  }

  private exchange(command: IdCardCommandName, options: { retries?: number; timeoutMs?: number } = {}): Promise<IdCardResponse> {
    return this.channel.exchange(command, options);
  }

  private async pollLoop(): Promise<void> {
    while (this.polling && this.opened) {
      const started = Date.now();
      try {
        await this.cycle();
      } catch (e) {
        const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
        if (err.isTransport() || err.code === 'DEVICE_CLOSED') break;
        this.onCycleError(err);
      }
      const wait = started + this.pollIntervalMs - Date.now();
      if (this.polling && wait > 0) await this.sleep(wait);
    }
    this.polling = false;
  }

  private async cycle(): Promise<void> {
    const find = await this.exchange('findCard');
    if (find.sw3 === FIND_NO_CARD) {
      const stillThere = this.presence.tracking ? await this.selectAnswers() : undefined;
      if (stillThere === 'unknown') return;
      const verdict = this.presence.onNotFound(stillThere);
      if (verdict === 'removed') this.emitRemoved('find and select failed');
      if (!this.presence.tracking) this.failedThisPlacement = false;
      this.setStatus('ready', undefined);
      return;
    }
    expectSuccess(find, 'findCard');
    const verdict = this.presence.onFound();
    if (verdict === 'present') {
      this.setStatus('ready', undefined);
      return;
    }
    // Found after a failed find + select since the read: the card was lifted and put back, or swapped for the next
    // citizen's card. Either way it is a new placement.
    if (verdict === 'removed') this.emitRemoved('a card answered find after find and select had failed');
    this.setStatus('reading', undefined);
    let identity: Identity;
    try {
      identity = await this.selectAndRead();
    } catch (e) {
      // a card answered find where the halted one could not, and cannot be read: whose it is is unknown, so the
      // identity of the card read last must not live on
      if (verdict === 'verify') {
        this.presence.forget();
        this.emitRemoved('a card answered find where the read card could not, and could not be read');
      }
      throw e;
    }
    const key = cardKey(identity);
    if (verdict === 'verify') {
      if (key === this.lastCardKey) {
        // the card read last, woken by our presence select on some readers: still the same placement
        this.presence.onRead();
        this.setStatus('ready', undefined);
        this.log.debug({ device: this.device }, 'the read card answered find again (woken by select): still present');
        return;
      }
      this.presence.forget();
      this.emitRemoved('another card answered find (swapped within one poll)');
    }
    this.lastCardKey = key;
    this.presence.onRead();
    this.failedThisPlacement = false;
    this.counters.reads++;
    this.setStatus('ready', undefined);
    this.log.info({ device: this.device, cardType: identity.cardType }, 'card read');
    this.listeners['card-read'].emit(identity);
  }

  /**
   * After a failed find while a read card is tracked: select (20 02). A halted card answers 90 (true); an absent one
   * 81 (false; any other card-level SW3 counts as absence too, so a doubtful answer never keeps an identity alive).
   * A SAM fault is thrown (status error); a protocol error after retries gives 'unknown': this poll decides nothing.
   */
  private async selectAnswers(): Promise<boolean | 'unknown'> {
    let select: IdCardResponse;
    try {
      select = await this.exchange('selectCard');
    } catch (e) {
      const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
      if (err.isTransport() || err.code === 'DEVICE_CLOSED' || !isRetryable(err)) throw err;
      this.counters.failures++;
      this.lastFailure = err;
      this.log.warn({ device: this.device, code: err.code }, 'presence check (select) failed; deciding at the next poll');
      return 'unknown';
    }
    if (select.sw3 === Sw3.SUCCESS) return true;
    if (select.sw3 === Sw3.SAM_SELF_TEST_FAILED || select.sw3 === Sw3.SAM_NOT_AUTHORISED) expectSuccess(select, 'selectCard');
    return false;
  }

  private emitRemoved(why: string): void {
    this.counters.removals++;
    this.log.info({ device: this.device, why }, 'card removed');
    this.listeners['card-removed'].emit();
  }

  private async selectAndRead(): Promise<Identity> {
    const command: IdCardCommandName = this.withFingerprint ? 'readWithFingerprint' : 'readText';
    for (let attempt = 0; ; attempt++) {
      try {
        expectSuccess(await this.exchange('selectCard'), 'selectCard');
        const answer = expectSuccess(await this.exchange(command, { retries: 0, timeoutMs: this.readTimeoutMs }), command);
        const parts = parseReadAnswer(answer, this.withFingerprint);
        return parseTextBlock(parts.text, parts.photo, parts.fingerprint);
      } catch (e) {
        const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
        if (attempt >= this.channel.retries || !isRetryable(err)) throw err;
        this.counters.retries++;
        this.log.warn({ device: this.device, code: err.code, attempt: attempt + 1 }, 'read failed, retrying select → read');
        await this.channel.settle(command);
      }
    }
  }

  private onCycleError(err: DriverError): void {
    this.counters.failures++;
    this.lastFailure = err;
    if (err.code === 'IDCARD_SAM_FAULT') {
      this.setStatus('error', err);
      this.log.error({ device: this.device, code: err.code }, 'SAM fault while polling');
      return;
    }
    this.log.warn({ device: this.device, code: err.code }, 'card could not be read');
    this.setStatus('ready', undefined);
    if (!this.failedThisPlacement) {
      this.failedThisPlacement = true;
      this.listeners['read-failed'].emit(err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private onTransportClose(error: DriverError | undefined): void {
    const wasOpen = this.opened;
    this.opened = false;
    this.polling = false;
    this.wake?.();
    this.unsubscribe();
    const err = error ?? new DriverError('DEVICE_CLOSED', 'the transport was closed');
    this.channel.failPending(err);
    if (wasOpen) {
      this.log.warn({ device: this.device, code: err.code, transport: this.transport.description }, 'ID card reader disconnected');
      this.setStatus('disconnected', error);
    }
  }

  private unsubscribe(): void {
    for (const off of this.detach.splice(0)) off();
  }

  private setStatus(status: IdCardReaderStatus, error: DriverError | undefined): void {
    const changed = status !== this.status_ || error?.code !== this.statusError?.code;
    this.status_ = status;
    this.statusError = error;
    if (error) this.lastError_ = error;
    if (changed) this.listeners.status.emit(status, error);
  }
}

/** Identifies a card without keeping its number in the clear: SHA-256 of card type and card number. */
function cardKey(identity: Identity): string {
  return createHash('sha256').update(`${identity.cardType}\u0000${identity.idNumber}`).digest('hex');
}
