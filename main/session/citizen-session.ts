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
 * `wipe()` forgets it and zeroes the photo bytes; it runs on idle time-out, exit, card removal policies and shutdown.
 */
export class CitizenSession {
  private identity: Identity | undefined;
  private scan: { payload: string; kind: string; at: number } | undefined;
  private startedAt = 0;

  constructor(private readonly options: CitizenSessionOptions) {}

  /** The hall's local date YYYY-MM-DD (ages are computed on the kiosk's date, not the machine's time zone). */
  today(): string {
    const offset = this.options.utcOffsetMinutes ?? 480;
    return new Date(this.options.now().getTime() + offset * 60_000).toISOString().slice(0, 10);
  }

  setIdentity(identity: Identity): CitizenIdentityView {
    this.wipe('replaced');
    this.identity = identity;
    this.startedAt = this.options.now().getTime();
    return this.view()!;
  }

  hasIdentity(): boolean {
    return this.identity !== undefined;
  }

  view(): CitizenIdentityView | null {
    const id = this.identity;
    if (!id) return null;
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

  /** For host services only (the queue's HMAC key, check-in); never sent to the UI or logged. */
  personal(): { idNumber: string; birthDate: string } | undefined {
    return this.identity ? { idNumber: this.identity.idNumber, birthDate: this.identity.birthDate } : undefined;
  }

  /** The last scanned code of this session (an appointment or ticket token), for the host's own lookups. */
  setScan(payload: string, kind: string): void {
    this.scan = { payload, kind, at: this.options.now().getTime() };
  }

  lastScan(): { payload: string; kind: string; at: number } | undefined {
    return this.scan;
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
