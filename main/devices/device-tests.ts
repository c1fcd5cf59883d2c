import { renderDocumentPdf } from '../../drivers/a4/pdf.js';
import { EscPosEncoder } from '../../drivers/escpos/encoder.js';
import type { DeviceId } from '../contract/index.js';
import { HostError } from '../errors.js';
import type { DeviceManager } from './device-manager.js';

export type TestAction = 'read-card' | 'wait-scan' | 'print-test' | 'printer-status' | 'display-test' | 'cups-test-page';

/** Technician test actions on the devices in use, each with a short, personal-data-free result. */
export async function runTestAction(devices: DeviceManager, device: DeviceId, action: TestAction): Promise<Record<string, unknown>> {
  switch (action) {
    case 'read-card':
      return devices.testReadCard();
    case 'wait-scan':
      return { ...(await devices.testWaitScan()) };
    case 'printer-status':
      return { ...(await devices.printerStatus()) };
    case 'print-test': {
      const job = new EscPosEncoder({ profile: devices.receiptProfile() })
        .initialize()
        .align('center')
        .size(2, 2)
        .text('打印测试 TEST')
        .newline()
        .size(1, 1)
        .text(`${new Date().toISOString()}`)
        .newline()
        .qr('HKT:test-print')
        .code128('HK0001')
        .feed(3)
        .cut()
        .job();
      return { ...(await devices.printReceipt(job)) };
    }
    case 'display-test':
      devices.announceCall({ ticket: 'A000', window: '0', at: Date.now() });
      return { shownOn: devices.calls.members.map((m) => m.name) };
    case 'cups-test-page': {
      const pdf = await renderDocumentPdf({ title: 'CUPS 测试页 / test page', sections: [{ heading: '打印测试', paragraphs: [`hall-kiosk ${new Date().toISOString()}`] }] });
      const { jobId } = await devices.printA4(pdf, { copies: 1, title: 'test page' });
      return { ...(await devices.a4.waitForJob(jobId, { timeoutMs: 60_000 })) };
    }
    default: {
      const never: never = action;
      throw new HostError('BAD_REQUEST', `unknown test action ${String(never)} for ${device}`);
    }
  }
}
