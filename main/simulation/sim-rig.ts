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
import type { SimulatedPart } from '../devices/device-plan.js';
import { SimLink } from './sim-link.js';

/**
 * The simulators of the devices a kiosk runs simulated (device-plan.ts decides which, per device): an ID card
 * reader, a serial QR scanner, a receipt printer and LED strips, each speaking the device side of its real protocol
 * over a SimLink to the real driver. Only the parts asked for are built; a real device never gets one. The only
 * module of the host that imports simulators (eslint enforces it).
 */
export class SimulationRig {
  readonly idCard: IdCardReaderSimulator | undefined;
  readonly printer: VirtualReceiptPrinter | undefined;
  private scanner: SerialScannerSimulator | undefined;
  readonly links: Partial<Record<SimulatedPart, SimLink>> = {};
  led: LedStripSimulator | undefined;
  private cardPresent: string | null = null;
  private appointments: { code: string; label: string }[] = [];
  private printerFault: PrinterFault = 'none';
  private readonly unpluggedOther = new Set<DeviceId>();
  private detachPrinter: (() => void) | undefined;

  constructor(options: { parts: readonly SimulatedPart[]; profile: PrinterProfile; ledAddresses: number[] }) {
    const parts = new Set(options.parts);
    if (parts.has('idCard')) {
      // The reader starts on a placeholder transport; the SimLink hands it the real device side on each connection.
      const reader = new IdCardReaderSimulator(memoryPair().device);
      this.idCard = reader;
      this.links.idCard = new SimLink('id-card', (t) => reader.restart(t));
    }
    if (parts.has('scanner')) {
      this.links.scanner = new SimLink('scanner', (t) => {
        this.scanner = new SerialScannerSimulator(t, { suffix: 'cr' });
      });
    }
    if (parts.has('receiptPrinter')) {
      const printer = new VirtualReceiptPrinter({ profile: options.profile });
      this.printer = printer;
      this.links.receiptPrinter = new SimLink('printer', (t) => {
        this.detachPrinter?.();
        this.detachPrinter = printer.attach(t);
      });
    }
    if (parts.has('ledStrip')) {
      this.links.ledStrip = new SimLink('led-strip', async (t) => {
        this.led = new LedStripSimulator({ transport: t, addresses: options.ledAddresses.length ? options.ledAddresses : [1] });
        await this.led.start();
      });
    }
  }

  /** The cable ends for the DeviceManager, one per simulated part. */
  factories(): Partial<Record<SimulatedPart, () => Transport>> {
    const out: Partial<Record<SimulatedPart, () => Transport>> = {};
    for (const [part, link] of Object.entries(this.links) as [SimulatedPart, SimLink][]) out[part] = link.factory;
    return out;
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
    this.part(this.idCard, 'ID card reader').placeCard(samplePlacedCard(identityId as SampleIdentityId));
    this.cardPresent = identityId;
  }

  removeCard(): void {
    this.part(this.idCard, 'ID card reader').removeCard();
    this.cardPresent = null;
  }

  async scan(payload: string): Promise<void> {
    if (!this.links.scanner) throw new HostError('NOT_AVAILABLE', 'the scanner is a real device, not simulated');
    if (!this.links.scanner.isPlugged || !this.scanner) throw new HostError('NOT_AVAILABLE', 'the simulated scanner is unplugged');
    await this.scanner.scan(payload, { aim: ']Q1' });
  }

  setPrinterFault(fault: PrinterFault): void {
    const printer = this.part(this.printer, 'receipt printer');
    printer.clearFaults();
    const map: Record<Exclude<PrinterFault, 'none'>, VirtualFault> = {
      'near-end': 'paperNearEnd',
      'paper-end': 'paperEnd',
      'cover-open': 'coverOpen',
      'cutter-jam': 'cutterError',
      offline: 'offline',
    };
    if (fault !== 'none') printer.setFault(map[fault], true);
    this.printerFault = fault;
  }

  /** Pulls a simulated cable; a device without a simulated link (page, CUPS, or a real one) is only marked. */
  unplug(device: DeviceId): void {
    const link = this.linkOf(device);
    if (link) link.unplug();
    else this.unpluggedOther.add(device);
  }

  replug(device: DeviceId): void {
    const link = this.linkOf(device);
    if (link) link.replug();
    else this.unpluggedOther.delete(device);
  }

  /** True when the device's own simulated link was cut (not only marked). */
  hasLink(device: DeviceId): boolean {
    return this.linkOf(device) !== undefined;
  }

  private linkOf(device: DeviceId): SimLink | undefined {
    if (device === 'idCard' || device === 'scanner' || device === 'receiptPrinter') return this.links[device];
    if (device === 'callDisplay') return this.links.ledStrip;
    return undefined;
  }

  private part<T>(p: T | undefined, name: string): T {
    if (!p) throw new HostError('NOT_AVAILABLE', `the ${name} is a real device, not simulated`);
    return p;
  }

  isUnplugged(device: DeviceId): boolean {
    return this.state().unplugged.includes(device);
  }

  receipts(limit: number): SimReceipt[] {
    if (!this.printer) return [];
    return this.printer
      .receipts()
      .slice(-limit)
      .reverse()
      .map((r) => this.toSimReceipt(r));
  }

  onReceipt(listener: (r: SimReceipt) => void): () => void {
    if (!this.printer) return () => undefined;
    return this.printer.onReceipt((r) => listener(this.toSimReceipt(r)));
  }

  private toSimReceipt(r: Receipt): SimReceipt {
    return { id: r.id, at: r.at, text: r.text, png: `data:image/png;base64,${this.part(this.printer, 'receipt printer').renderPng(r).toString('base64')}` };
  }
}

export type { Transport };
