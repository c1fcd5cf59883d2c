/**
 * Technician command for the resident ID card reader:
 *   diag idcard read --port <path> [--baud N] [--timeout-ms N] [--reveal] [--json]
 * Opens the reader (serial / USB-serial), checks the SAM, waits for one card (default 30 s) and prints it.
 * Personal data is masked unless `--reveal` is given (name `张*明`, ID `440104**********17`, address cut, no birth
 * date, pass number masked); the photo is never printed, only its size.
 * Exit: 0 card read; 1 time-out, port missing, SAM fault or protocol error (one sentence on stderr, or the JSON error
 * document on stdout with --json); 2 usage error.
 */
import { asDriverError, assertNever, type DriverError, type DriverErrorCode } from '../../drivers/errors.js';
import { IdCardReaderDriver } from '../../drivers/id-card/driver.js';
import {
  CARD_TYPE_LABELS,
  ageOn,
  maskAddress,
  maskIdNumber,
  maskName,
  type Identity,
} from '../../drivers/id-card/identity.js';
import { BAUD_COMMANDS } from '../../drivers/id-card/protocol.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

const SPEC = { port: 'string', baud: 'number', 'timeout-ms': 'number', reveal: 'boolean', json: 'boolean' } as const;
const USAGE = 'diag idcard read --port <path> [--baud 115200|57600|38400|19200|9600] [--timeout-ms N] [--reveal] [--json]';

/** One sentence per code for the technician. */
const ADVICE: Partial<Record<DriverErrorCode, string>> = {
  TRANSPORT_OPEN_FAILED: 'the port could not be opened: check the path, the cable and that no other program holds it',
  TRANSPORT_DISCONNECTED: 'the reader was disconnected',
  PROTOCOL_TIMEOUT: 'the reader does not answer: check the port and the baud rate (factory default 115200)',
  IDCARD_NO_CARD: 'place the card flat on the reader and keep it still',
  IDCARD_SAM_FAULT: 'the reader’s SAM module failed its self-test or is not authorised: call the reader’s vendor',
  IDCARD_AUTH_FAILED: 'the card failed authentication: it may be damaged or not genuine',
  IDCARD_UNSUPPORTED_CARD: 'this card type is not supported by the reader',
  IDCARD_HOST_FRAME_REJECTED: 'the reader rejected the command',
  PROTOCOL_MALFORMED: 'the card’s text could not be decoded',
};

export interface IdCardDiagOptions {
  /** Transport for `--port`; default a SerialTransport. */
  transportFor?: (port: string, baudRate: number) => Transport;
  /** The kiosk's date for the age; default now. */
  now?: () => Date;
}

export function createIdCardReadCommand(options: IdCardDiagOptions = {}): DiagCommand {
  const transportFor = options.transportFor ?? ((path: string, baudRate: number) => new SerialTransport({ path, baudRate }));
  const now = options.now ?? (() => new Date());
  return {
    name: 'idcard read',
    usage: USAGE,
    async run(args: string[], io: DiagIo): Promise<number> {
      const parsed = parseOptions(args, SPEC);
      if (!parsed.ok) {
        io.err(`${parsed.message}\nusage: ${USAGE}`);
        return 2;
      }
      const v = parsed.values;
      const port = v['port'];
      if (typeof port !== 'string') {
        io.err(`--port is required\nusage: ${USAGE}`);
        return 2;
      }
      const baud = typeof v['baud'] === 'number' ? v['baud'] : 115200;
      if (!(baud in BAUD_COMMANDS)) {
        io.err(`--baud must be one of ${Object.keys(BAUD_COMMANDS).reverse().join(', ')}\nusage: ${USAGE}`);
        return 2;
      }
      const timeoutMs = typeof v['timeout-ms'] === 'number' ? v['timeout-ms'] : 30_000;
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 3_600_000) {
        io.err(`--timeout-ms must be a whole number of milliseconds from 100 to 3600000\nusage: ${USAGE}`);
        return 2;
      }
      const reveal = v['reveal'] === true;
      const json = v['json'] === true;

      const driver = new IdCardReaderDriver({ transport: transportFor(port, baud), baudRate: baud });
      try {
        await driver.open();
        io.err(`place a card on the reader at ${port} (waiting up to ${Math.round(timeoutMs / 1000)} s)…`);
        const identity = await driver.readOnce({ timeoutMs, signal: io.signal });
        const fields = describeIdentity(identity, now(), reveal);
        if (json) io.out(JSON.stringify({ ok: true, masked: !reveal, identity: Object.fromEntries(fields) }));
        else {
          const width = Math.max(...fields.map(([k]) => k.length));
          for (const [k, value] of fields) io.out(`${k.padEnd(width)}  ${value}`);
          if (!reveal) io.out('(masked; --reveal shows full values)');
        }
        return 0;
      } catch (e) {
        const err: DriverError | undefined = io.signal.aborted && e === io.signal.reason ? undefined : asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
        const code = err?.code ?? 'CANCELLED';
        const message = err ? `${err.message}${ADVICE[err.code] ? ` — ${ADVICE[err.code]}` : ''}` : 'cancelled';
        if (json) io.out(JSON.stringify({ ok: false, error: { code, message } }));
        else io.err(`${code}: ${message}`);
        return 1;
      } finally {
        await driver.close();
      }
    },
  };
}

/** Label → value lines, masked unless `reveal`. Birth date only when revealed (it is in the ID number too). */
export function describeIdentity(id: Identity, today: Date, reveal: boolean): [string, string | number][] {
  const name = (s: string) => (reveal ? s : maskName(s));
  const lines: [string, string | number][] = [
    ['cardType', `${CARD_TYPE_LABELS[id.cardType]} (${id.cardType})`],
    ['name', name(id.name)],
  ];
  if (id.cardType === 'foreign-2017' || id.cardType === 'foreign-2023') lines.push(['englishName', name(id.englishName)]);
  lines.push(['gender', id.gender], ['age', ageOn(id.birthDate, today)]);
  if (reveal) lines.push(['birthDate', id.birthDate]);
  lines.push(['idNumber', `${reveal ? id.idNumber : maskIdNumber(id.idNumber)} (check digit ${id.idNumberCheck})`]);
  switch (id.cardType) {
    case 'resident':
      lines.push(['nation', id.nation.name], ['address', reveal ? id.address : maskAddress(id.address)], ['authority', id.authority]);
      break;
    case 'hk-macao-taiwan':
      lines.push(
        ['region', id.region],
        ['passNumber', reveal ? id.passNumber : maskIdNumber(id.passNumber, { keepStart: 1, keepEnd: 2 })],
        ['issueCount', id.issueCount],
        ['address', reveal ? id.address : maskAddress(id.address)],
        ['authority', id.authority],
      );
      break;
    case 'foreign-2017':
      lines.push(['nationality', id.nationality], ['cardVersion', id.cardVersion], ['issuingOffice', id.issuingOfficeCode]);
      break;
    case 'foreign-2023':
      lines.push(['nationality', id.nationality], ['renewalCount', id.renewalCount]);
      break;
    default:
      assertNever(id, 'identity');
  }
  lines.push(
    ['valid', `${id.validity.from} → ${id.validity.to === 'long-term' ? '长期 (long-term)' : id.validity.to}`],
    ['photo', `${id.photo.length} bytes WLT (not decoded)`],
  );
  if (id.fingerprint) lines.push(['fingerprint', `${id.fingerprint.length} bytes`]);
  return lines;
}

export const idcardReadCommand: DiagCommand = createIdCardReadCommand();
