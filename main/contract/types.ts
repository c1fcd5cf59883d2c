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
  /** The link really in use (absent for a device the host does not drive: keyboard wedge, display page, CUPS). */
  link?: DeviceLink;
}

/** What really goes over a device's link: the transport last opened, bytes each way, the last real answer. */
export interface DeviceLink {
  /** `serial`, `tcp`, `hid`, `file`, `cups-raw`, `simulator`, or `none` before anything was opened. */
  kind: string;
  /** e.g. `/dev/ttyUSB0@115200`, `127.0.0.1:9100`, `printer-host` (a simulator's in-memory link). */
  address: string;
  open: boolean;
  bytesIn: number;
  bytesOut: number;
  /** Epoch ms of the last answer decoded from the device; null = it never answered (then it is never `ok`). */
  lastGoodAt: number | null;
}

/**
 * `demo`: `--simulate` or a config with `"demo": true` (simulator panel, sample PINs and appointments);
 * `installation`: a real hall, none of those; `provisioning`: no hall configuration yet (packaged install).
 */
export type KioskMode = 'demo' | 'installation' | 'provisioning';

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
    /** The hall's UTC offset `+08:00`: every time a person reads is formatted with it (kiosk-config/hall-clock.ts). */
    utcOffset: string;
  };
  kiosk: {
    id: string;
    orientation: 'portrait' | 'landscape';
    languages: Language[];
    defaultLanguage: Language;
    elderlyModeDefault: boolean;
    idle: { timeoutSeconds: number; elderlyTimeoutSeconds: number; warningSeconds: number };
  };
  /** `extraWorkdays`: weekend days worked on a weekday's hours (调休上班). */
  openingHours: { weekly: { days: number[]; open: string; close: string }[]; holidays: string[]; extraWorkdays: string[] };
  announcements: { id: string; text: LocalizedText }[];
  categories: PublicCategory[];
  /** `queue.whenPrinterDown`: with the receipt printer down, show the number on screen only, or issue none. */
  whenPrinterDown: 'screen-ticket' | 'refuse';
}

export interface Bootstrap {
  hostKind: HostKind;
  /** Demo mode only (the simulator panel is shown; `sim.*` requests are served). Same as `mode === 'demo'`. */
  simulation: boolean;
  mode: KioskMode;
  /** In provisioning mode: what the screen tells the technician (plain text lines). */
  provisioning?: { title: string; lines: string[] };
  version: string;
  config: PublicConfig;
  devices: DeviceStatus[];
  /** The host's clock, epoch ms, so the attract screen shows the hall's time even if the page's clock is off. */
  now: number;
  /** A card read earlier still lies on the reader (its identity is not this page's): the screen says 请取回身份证. */
  cardOnReader: boolean;
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
