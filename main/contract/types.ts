import type { Language, LocalizedText } from '../../kiosk-config/i18n.js';

/** Types that cross the bridge. Personal data only ever crosses masked (CitizenIdentityView). */

export type HostKind = 'electron' | 'browser';
export type DeviceId = 'idCard' | 'scanner' | 'receiptPrinter' | 'callDisplay' | 'a4Printer';
export const DEVICE_IDS: readonly DeviceId[] = ['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer'];

export type DeviceState = 'ok' | 'warning' | 'error' | 'offline' | 'starting';

export interface DeviceStatus {
  id: DeviceId;
  /** Model or profile, e.g. `GA/T 467 SAM reader`, `ESC/POS 80mm`. */
  model: string;
  /** Transport description, e.g. `serial:/dev/ttyUSB0@115200`, `simulator`. */
  transport: string;
  simulated: boolean;
  state: DeviceState;
  /** A short technician-facing sentence about the state (never personal data). */
  detail: string;
  lastError?: { code: string; message: string; at: number };
  counters: Record<string, number>;
  since: number;
}

export interface PublicCategory {
  id: string;
  prefix: string;
  name: LocalizedText;
  description?: LocalizedText;
  idRequired: boolean;
}

/** What the citizen UI needs of the config; no secrets, no tokens. */
export interface PublicConfig {
  name: string;
  hall: {
    id: string;
    name: LocalizedText;
    level: 'center' | 'service-center' | 'station';
    address: LocalizedText;
    phone: string;
    staffed: boolean;
  };
  kiosk: {
    id: string;
    orientation: 'portrait' | 'landscape';
    languages: Language[];
    defaultLanguage: Language;
    elderlyModeDefault: boolean;
    idle: { timeoutSeconds: number; elderlyTimeoutSeconds: number; warningSeconds: number };
  };
  openingHours: { weekly: { days: number[]; open: string; close: string }[]; holidays: string[] };
  announcements: { id: string; text: LocalizedText }[];
  categories: PublicCategory[];
}

export interface Bootstrap {
  hostKind: HostKind;
  simulation: boolean;
  version: string;
  config: PublicConfig;
  devices: DeviceStatus[];
  /** The host's clock, epoch ms, so the attract screen shows the hall's time even if the page's clock is off. */
  now: number;
}

export type CardType = 'resident' | 'hk-macao-taiwan' | 'foreign-2017' | 'foreign-2023';

/** The identity as the citizen UI may see it: masked, plus the facts the flows need. */
export interface CitizenIdentityView {
  cardType: CardType;
  /** e.g. `张*明` */
  maskedName: string;
  /** e.g. `440102**********1X` */
  maskedIdNumber: string;
  age: number;
  elderly: boolean;
  gender: 'male' | 'female' | 'unknown';
  /** True when the card's validity has ended on the kiosk's date. */
  expired: boolean;
}

export interface ScanView {
  kind: 'appointment' | 'ticket' | 'url' | 'unknown';
  /** Safe to display: a code's first characters, never a whole opaque token. */
  display: string;
  symbology?: string;
}

export interface SimIdentity {
  id: string;
  label: string;
}

export type PrinterFault = 'none' | 'near-end' | 'paper-end' | 'cover-open' | 'cutter-jam' | 'offline';

export interface SimState {
  identities: SimIdentity[];
  /** Today's simulated bookings, to scan at 预约签到. */
  appointments: { code: string; label: string }[];
  cardPresent: string | null;
  printerFault: PrinterFault;
  unplugged: DeviceId[];
}

export interface SimReceipt {
  id: number;
  at: number;
  text: string;
  /** data:image/png;base64,… */
  png: string;
}
