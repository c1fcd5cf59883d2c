import { describe, expect, it } from 'vitest';
import type { FleetAlertView, FleetKioskView } from '../../../main/contract/fleet.js';
import { applyFleetMessage, emptyFleetState, filteredKiosks, formatDuration, sortedAlerts } from './fleet-model.js';

const kiosk = (hallId: string, kioskId: string, extra: Partial<FleetKioskView> = {}): FleetKioskView => ({
  key: `${hallId}/${kioskId}`,
  hallId,
  kioskId,
  region: '从化区',
  hallName: hallId,
  online: true,
  lastSeen: 0,
  version: '1',
  configVersion: 1,
  fleetConfigVersion: null,
  devices: {},
  faults: 0,
  ...extra,
});
const alert = (id: string, extra: Partial<FleetAlertView>): FleetAlertView => ({
  id,
  code: 'PAPER_OUT',
  device: 'receiptPrinter',
  severity: 'critical',
  message: 'm',
  at: '',
  resolved: false,
  key: 'h/k1',
  hallId: 'h',
  kioskId: 'k1',
  openedAt: 0,
  closedAt: null,
  ...extra,
});

describe('fleet page model', () => {
  it('applies snapshot, coalesced kiosk rows and alerts; open alerts first, critical and oldest first', () => {
    let s = applyFleetMessage(emptyFleetState, { type: 'snapshot', snapshot: { kiosks: [kiosk('h', 'k1')], alerts: [], today: [], rollouts: [], now: 1000 } }, 400);
    expect(s.skew).toBe(600);
    s = applyFleetMessage(s, { type: 'kiosks', kiosks: [kiosk('h', 'k1', { online: false }), kiosk('h', 'k2')], today: [] }, 0);
    expect(Object.values(s.kiosks).map((k) => [k.key, k.online])).toEqual([
      ['h/k1', false],
      ['h/k2', true],
    ]);
    s = applyFleetMessage(s, { type: 'alert', alert: alert('a', { severity: 'warning', openedAt: 1 }) }, 0);
    s = applyFleetMessage(s, { type: 'alert', alert: alert('b', { openedAt: 5 }) }, 0);
    s = applyFleetMessage(s, { type: 'alert', alert: alert('c', { openedAt: 2 }) }, 0);
    s = applyFleetMessage(s, { type: 'alert', alert: alert('c', { openedAt: 2, resolved: true, closedAt: 9 }) }, 0);
    expect(sortedAlerts(s).map((a) => a.id)).toEqual(['b', 'a', 'c']);
    expect(filteredKiosks(s, { region: '', hallId: '', status: 'offline', text: '' }).map((k) => k.key)).toEqual(['h/k1']);
    expect(filteredKiosks(s, { region: '', hallId: '', status: 'all', text: 'k2' }).map((k) => k.key)).toEqual(['h/k2']);
  });

  it('says how long in Chinese first', () => {
    expect(formatDuration(30_000, 'zh-CN')).toBe('不到 1 分钟');
    expect(formatDuration(125 * 60_000, 'zh-CN')).toBe('2 小时 5 分');
    expect(formatDuration(26 * 3600_000, 'en')).toBe('1 d 2 h');
  });
});
