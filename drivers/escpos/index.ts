/**
 * Production entry point of the receipt printer driver. The virtual printer (simulator.ts, decoder.ts, receipt.ts,
 * render-png.ts) is deliberately not re-exported here: host code wires it in only from main/simulation/.
 */
export { EscPosCommands, EscPosEncoder } from './encoder.js';
export type { Align, CutMode, CutOptions, EscPosEncoderOptions, PrintJob, QrErrorLevel, QrModel, QrOptions, UnderlineMode } from './encoder.js';
export { ReceiptPrinterDriver } from './driver.js';
export type { PrintResult, PrinterCounters, PrinterStateEvent, ReceiptPrinterDriverOptions } from './driver.js';
export { EscPosStatusFramer } from './framer.js';
export type { PrinterFrame } from './framer.js';
export { DEFAULT_PRINTER_PROFILE, PRINTER_PROFILES } from './profiles.js';
export type { PrinterProfile, PrinterProfileId } from './profiles.js';
export { CupsRawTransport } from './spooler.js';
export type { CupsRawTransportOptions } from './spooler.js';
export {
  STATUS_REQUEST_MEANING,
  blockingCode,
  combineStatus,
  describeStatusByte,
  isStatusByte,
  parseAsb,
  parseStatusByte,
  stateOf,
  statusRequestBytes,
} from './status.js';
export type { DleEot4Layout, PrinterState, PrinterStatus, StatusRequest } from './status.js';
export { GB18030_2022_TWO_BYTE, displayColumns, toPrintable } from './text.js';
export type { Gb18030Edition, UnprintableChar } from './text.js';
