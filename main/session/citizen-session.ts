import { toMaskedIdentity, type Identity } from '../../drivers/id-card/identity.js';
import type { CitizenIdentityView } from '../contract/index.js';

export interface CitizenSessionOptions {
  now: () => Date;
  /** Age from which a citizen is elderly (适老化 and 长者优先). Default 65. */
  elderlyAge?: number;
  /** Hall's UTC offset in minutes for "today" (default +480, China Standard Time). */
  utcOffsetMinutes?: number;
}

/**
 * The citizen at the screen. The full identity lives here, in the host's memory only, for the flows that need
 * it (the queue's per-person key and elderly priority, appointment check-in); the UI only ever gets `view()`.
 * `wipe()` forgets it and zeroes the photo bytes; it runs on idle time-out, exit, card removal and shutdown.
 *
 * One identity belongs to one page session (issue 10): the page that said hello last (`attach`, on `app.bootstrap`
 * or `app.ready` from a new connection) owns it. A new page, a reload, a crashed renderer or a bridge reconnect
 * says hello again and starts with no identity; the owner's connection closing (`detach`) wipes it; a request from
 * any other connection never sees it (`personal(connectionId)`). Removing the card (`cardRemoved`, from the
 * reader's driver: physically gone, not merely halted) ends it too, as bank and hospital kiosks do.
 */
export class CitizenSession {
  private identity: Identity | undefined;
  private scan: { payload: string; kind: string; at: number } | undefined;
  private startedAt = 0;
  /** The connection of the page that said hello last; undefined while no page is attached. */
  private owner: string | undefined;
  /** A card was read and has not been taken off the reader since (independent of the identity being kept). */
  private cardPresent = false;

  constructor(private readonly options: CitizenSessionOptions) {}

  /** The hall's local date YYYY-MM-DD (ages are computed on the kiosk's date, not the machine's time zone). */
  today(): string {
    const offset = this.options.utcOffsetMinutes ?? 480;
    return new Date(this.options.now().getTime() + offset * 60_000).toISOString().slice(0, 10);
  }

  setIdentity(identity: Identity): CitizenIdentityView {
    this.wipe('replaced');
    this.identity = identity;
    this.cardPresent = true;
    this.startedAt = this.options.now().getTime();
    return this.view()!;
  }

  hasIdentity(): boolean {
    return this.identity !== undefined;
  }

  /**
   * A page said hello on `connectionId`. `fresh` (app.bootstrap: a newly loaded page, even on the same Electron
   * webContents) always starts with no identity; a hello from the owning connection that is not fresh (its own
   * `app.ready` right after bootstrap) keeps it. Returns whether something was wiped.
   */
  attach(connectionId: string, fresh: boolean): boolean {
    if (!fresh && this.owner === connectionId) return false;
    const wiped = this.wipe(fresh ? 'new-page' : 'new-connection');
    this.owner = connectionId;
    return wiped;
  }

  /** The connection closed (page closed, reloaded, crashed, bridge dropped): its citizen's identity ends with it. */
  detach(connectionId: string): boolean {
    if (this.owner !== connectionId) return false;
    this.owner = undefined;
    return this.wipe('connection-closed');
  }

  /** The page session that owns the identity, if any (for tests and diagnostics; an opaque connection id). */
  get ownerConnection(): string | undefined {
    return this.owner;
  }

  /** The reader reports the card physically gone: the identity ends. Returns whether one was wiped. */
  cardRemoved(): boolean {
    this.cardPresent = false;
    return this.wipe('card-removed');
  }

  /** A card lies on the reader since its last read (so the screens can remind "请取回身份证"). */
  get cardOnReader(): boolean {
    return this.cardPresent;
  }

  /** Whether `connectionId` is the page session the citizen is on (or no page is attached). */
  isPageOf(connectionId: string): boolean {
    return this.mayUse(connectionId);
  }

  /** Whether a request on `connectionId` may act under the identity: the owning page only (or any, while none is attached). */
  private mayUse(connectionId: string | undefined): boolean {
    return connectionId === undefined || this.owner === undefined || this.owner === connectionId;
  }

  view(connectionId?: string): CitizenIdentityView | null {
    const id = this.identity;
    if (!id || !this.mayUse(connectionId)) return null;
    const m = toMaskedIdentity(id, this.today(), { elderlyAge: this.options.elderlyAge ?? 65 });
    return {
      cardType: m.cardType,
      maskedName: m.name,
      maskedIdNumber: m.idNumber,
      age: m.age,
      elderly: m.isElderly,
      gender: m.gender === 'male' || m.gender === 'female' ? m.gender : 'unknown',
      expired: m.isExpired,
    };
  }

  /**
   * For host services only (the queue's HMAC key, check-in); never sent to the UI or logged. Handlers pass the
   * caller's connection: another page than the owner gets nothing.
   */
  personal(connectionId?: string): { idNumber: string; birthDate: string } | undefined {
    if (!this.identity || !this.mayUse(connectionId)) return undefined;
    return { idNumber: this.identity.idNumber, birthDate: this.identity.birthDate };
  }

  /** The last scanned code of this session (an appointment or ticket token), for the host's own lookups. */
  setScan(payload: string, kind: string): void {
    this.scan = { payload, kind, at: this.options.now().getTime() };
  }

  lastScan(connectionId?: string): { payload: string; kind: string; at: number } | undefined {
    return this.mayUse(connectionId) ? this.scan : undefined;
  }

  sessionAgeMs(): number {
    return this.identity ? this.options.now().getTime() - this.startedAt : 0;
  }

  private readonly wipeListeners = new Set<(reason: string) => void>();

  /** Host services that keep per-session state (tickets taken in this session) forget it here. */
  onWipe(listener: (reason: string) => void): () => void {
    this.wipeListeners.add(listener);
    return () => this.wipeListeners.delete(listener);
  }

  /** Forgets the identity, the last scan, and (through onWipe) every per-session trace. Returns whether there was one. */
  wipe(reason: string): boolean {
    for (const l of this.wipeListeners) l(reason);
    const had = this.identity !== undefined;
    if (this.identity) {
      this.identity.photo.wipe();
      this.identity.fingerprint?.wipe();
    }
    this.identity = undefined;
    const hadScan = this.scan !== undefined;
    this.scan = undefined;
    return had || hadScan;
  }
}
