import { IdCardReaderSimulator } from '../../drivers/id-card/simulator.js';
import { SAMPLE_IDENTITIES, samplePlacedCard, type SampleIdentityId } from '../../drivers/id-card/sample-identities.js';
import { VirtualReceiptPrinter, type PrinterFault as VirtualFault } from '../../drivers/escpos/simulator.js';
import type { Receipt } from '../../drivers/escpos/receipt.js';
import type { PrinterProfile } from '../../drivers/escpos/profiles.js';
import { SerialScannerSimulator } from '../../drivers/scanner/simulator.js';
import { LedStripSimulator } from '../../drivers/call-display/led-simulator.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { memoryPair } from '../../drivers/transport/memory.js';
import { HostError } from '../errors.js';
import type { DeviceId, PrinterFault, SimIdentity, SimReceipt, SimState } from '../contract/index.js';
import { SimLink } from './sim-link.js';

/**
 * The simulated hardware of a kiosk in simulation mode: an ID card reader, a serial QR scanner and a receipt printer,
 * each speaking the device side of its real protocol over a SimLink to the real driver. The only module of the host
 * that imports simulators (eslint enforces it).
 */
export class SimulationRig {
  readonly idCard: IdCardReaderSimulator;
  readonly printer: VirtualReceiptPrinter;
  private scanner: SerialScannerSimulator | undefined;
  readonly links: Record<'idCard' | 'scanner' | 'receiptPrinter' | 'ledStrip', SimLink>;
  led: LedStripSimulator | undefined;
  private cardPresent: string | null = null;
  private appointments: { code: string; label: string }[] = [];
  private printerFault: PrinterFault = 'none';
  private readonly unpluggedOther = new Set<DeviceId>();
  private detachPrinter: (() => void) | undefined;

  constructor(options: { profile: PrinterProfile; ledAddresses: number[] }) {
    // The reader starts on a placeholder transport; the SimLink hands it the real device side on each connection.
    this.idCard = new IdCardReaderSimulator(memoryPair().device);
    this.printer = new VirtualReceiptPrinter({ profile: options.profile });
    this.links = {
      idCard: new SimLink('id-card', (t) => this.idCard.restart(t)),
      scanner: new SimLink('scanner', (t) => {
        this.scanner = new SerialScannerSimulator(t, { suffix: 'cr' });
      }),
      receiptPrinter: new SimLink('printer', (t) => {
        this.detachPrinter?.();
        this.detachPrinter = this.printer.attach(t);
      }),
      ledStrip: new SimLink('led-strip', async (t) => {
        this.led = new LedStripSimulator({ transport: t, addresses: options.ledAddresses.length ? options.ledAddresses : [1] });
        await this.led.start();
      }),
    };
  }

  identities(): SimIdentity[] {
    return SAMPLE_IDENTITIES.map((s) => ({ id: s.id, label: s.label }));
  }

  state(): SimState {
    const unplugged: DeviceId[] = [];
    for (const [id, link] of Object.entries(this.links)) if (!link.isPlugged) unplugged.push((id === 'ledStrip' ? 'callDisplay' : id) as DeviceId);
    for (const id of this.unpluggedOther) unplugged.push(id);
    return { identities: this.identities(), appointments: this.appointments, cardPresent: this.cardPresent, printerFault: this.printerFault, unplugged };
  }

  setAppointments(list: { code: string; label: string }[]): void {
    this.appointments = list;
  }

  placeCard(identityId: string): void {
    if (!SAMPLE_IDENTITIES.some((s) => s.id === identityId)) {
      throw new HostError('BAD_REQUEST', `no sample identity "${identityId}"`);
    }
    this.idCard.placeCard(samplePlacedCard(identityId as SampleIdentityId));
    this.cardPresent = identityId;
  }

  removeCard(): void {
    this.idCard.removeCard();
    this.cardPresent = null;
  }

  async scan(payload: string): Promise<void> {
    if (!this.links.scanner.isPlugged || !this.scanner) throw new HostError('NOT_AVAILABLE', 'the simulated scanner is unplugged');
    await this.scanner.scan(payload, { aim: ']Q1' });
  }

  setPrinterFault(fault: PrinterFault): void {
    this.printer.clearFaults();
    const map: Record<Exclude<PrinterFault, 'none'>, VirtualFault> = {
      'near-end': 'paperNearEnd',
      'paper-end': 'paperEnd',
      'cover-open': 'coverOpen',
      'cutter-jam': 'cutterError',
      offline: 'offline',
    };
    if (fault !== 'none') this.printer.setFault(map[fault], true);
    this.printerFault = fault;
  }

  unplug(device: DeviceId): void {
    if (device === 'idCard' || device === 'scanner' || device === 'receiptPrinter') this.links[device].unplug();
    else if (device === 'callDisplay') this.links.ledStrip.unplug();
    else this.unpluggedOther.add(device);
  }

  replug(device: DeviceId): void {
    if (device === 'idCard' || device === 'scanner' || device === 'receiptPrinter') this.links[device].replug();
    else if (device === 'callDisplay') this.links.ledStrip.replug();
    else this.unpluggedOther.delete(device);
  }

  isUnplugged(device: DeviceId): boolean {
    return this.state().unplugged.includes(device);
  }

  receipts(limit: number): SimReceipt[] {
    return this.printer
      .receipts()
      .slice(-limit)
      .reverse()
      .map((r) => this.toSimReceipt(r));
  }

  onReceipt(listener: (r: SimReceipt) => void): () => void {
    return this.printer.onReceipt((r) => listener(this.toSimReceipt(r)));
  }

  private toSimReceipt(r: Receipt): SimReceipt {
    return { id: r.id, at: r.at, text: r.text, png: `data:image/png;base64,${this.printer.renderPng(r).toString('base64')}` };
  }
}

export type { Transport };
