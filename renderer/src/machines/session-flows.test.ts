import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import type { CitizenIdentityView, CitizenTicket, HelpRequestView } from '../../../main/contract/index.js';
import { checkinMachine } from './checkin.machine.js';
import { helpMachine } from './help.machine.js';
import { kioskMachine } from './kiosk.machine.js';
import { hallOpenState } from './opening-hours.js';
import { ticketMachine } from './ticket.machine.js';
import { fail, fakeHost, settle } from './test-kit.js';

/**
 * Issue 10 in the machines, on simulated time (vi fake timers): one identity per session (card removal and a
 * host-side session end wipe it), the printer state said before a citizen starts, check-in that offers 取号 and says
 * when to come back, help with a reference, a cancel and the staff's acknowledgement.
 */
const adult: CitizenIdentityView = { cardType: 'resident', maskedName: '陈*', maskedIdNumber: '440104**********17', age: 35, elderly: false, gender: 'male', expired: false };
const elder: CitizenIdentityView = { ...adult, maskedName: '李*芳', age: 75, elderly: true };
const categories = [{ id: 'social', prefix: 'A', name: { 'zh-CN': '社保' }, idRequired: false, closedReason: null, waiting: 0, estimatedWaitMinutes: 0, quotaLeft: 10 }];
const ticket = (over: Partial<CitizenTicket> = {}): CitizenTicket => ({
  ticketId: 9, number: 'E002', categoryId: 'social', categoryName: { 'zh-CN': '社保' }, priority: null, peopleAhead: 0,
  estimatedWaitMinutes: 0, issuedAt: '2026-12-03T02:00:00.000Z', status: 'waiting', qrPayload: 'HKT:abc', ...over,
});
const input = { idleMs: 90_000, warningMs: 20_000, lang: 'zh-CN' as const };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('one identity per citizen', () => {
  it('removing the card ends the identity: after the ticket and 完成, home shows none and the next ticket flow starts unidentified', async () => {
    fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket(), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'CARD_READ', identity: adult });
    a.send({ type: 'CONFIRM' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    await settle();
    const flow = a.getSnapshot().children.flow!;
    flow.send({ type: 'CHOOSE', categoryId: 'social' });
    flow.send({ type: 'TAKE' });
    await settle();
    expect(a.getSnapshot().context.cardOnReader).toBe(true);
    a.send({ type: 'CARD_REMOVED' });
    expect(a.getSnapshot().context).toMatchObject({ identity: null, cardOnReader: false });
    expect((flow.getSnapshot() as { context: { identity: unknown } }).context.identity).toBeNull();
    flow.send({ type: 'DONE' });
    await waitFor(a, (s) => s.matches({ session: { screen: 'home' } }));
    expect(a.getSnapshot().context.identity).toBeNull();
    a.send({ type: 'OPEN', flow: 'ticket' });
    await settle();
    expect(a.getSnapshot().children.flow!.getSnapshot().value).toBe('identify');
  });

  it('a card taken away before "this is me" leaves the home screen without an identity', () => {
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'CARD_READ', identity: elder });
    expect(a.getSnapshot().matches({ session: { screen: 'identified' } })).toBe(true);
    a.send({ type: 'CARD_REMOVED' });
    expect(a.getSnapshot().matches({ session: { screen: 'home' } })).toBe(true);
    expect(a.getSnapshot().context.identity).toBeNull();
  });

  it('a card taken away on the confirm screen goes back to "place your card"', () => {
    fakeHost({});
    const a = createActor(ticketMachine, { input: { identity: null, lang: 'zh-CN' } }).start();
    a.send({ type: 'CARD_READ', identity: elder });
    expect(a.getSnapshot().value).toBe('confirm');
    a.send({ type: 'CARD_REMOVED' });
    expect(a.getSnapshot().value).toBe('identify');
    expect(a.getSnapshot().context.identity).toBeNull();
  });

  it('a card left on the reader keeps the identity however long the citizen takes (no removal event, no wipe)', async () => {
    fakeHost({ 'queue.categories': () => categories });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'CARD_READ', identity: adult });
    a.send({ type: 'CONFIRM' });
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      a.send({ type: 'TOUCH' });
    }
    expect(a.getSnapshot().context.identity?.maskedName).toBe('陈*');
    expect(a.getSnapshot().matches({ session: { screen: 'home' } })).toBe(true);
  });

  it('a session the host ended (connection lost, staff entry) returns to the attract screen without the identity', async () => {
    fakeHost({ 'queue.categories': () => categories });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'CARD_READ', identity: elder });
    a.send({ type: 'CONFIRM' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    await settle();
    a.send({ type: 'SESSION_ENDED' });
    expect(a.getSnapshot().value).toBe('attract');
    expect(a.getSnapshot().context.identity).toBeNull();
    expect(a.getSnapshot().children.flow).toBeUndefined();
  });

  it('a new page learns from bootstrap that a card still lies on the reader, without its identity', () => {
    const a = createActor(kioskMachine, { input: { ...input, cardOnReader: true } }).start();
    expect(a.getSnapshot().context).toMatchObject({ cardOnReader: true, identity: null });
  });
});

describe('receipt printer down, said before the citizen starts', () => {
  it('screen-ticket: the number is issued and shown on screen, never sent to the printer', async () => {
    const calls = fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket(), 'ticket.print': () => fail('PRINTER_PAPER_END') });
    const a = createActor(kioskMachine, { input: { ...input, printerProblem: 'paper-end', whenPrinterDown: 'screen-ticket' } }).start();
    a.send({ type: 'START' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    const flow = a.getSnapshot().children.flow!;
    flow.send({ type: 'CONTINUE_WITHOUT_ID' });
    await settle();
    flow.send({ type: 'CHOOSE', categoryId: 'social' });
    flow.send({ type: 'TAKE' });
    await settle();
    expect(flow.getSnapshot().value).toBe('screenTicket');
    expect(calls.map((c) => c.name)).toEqual(['queue.categories', 'ticket.take']);
  });

  it('the printer failing mid-flow reaches the running flow; recovering prints again', async () => {
    const calls = fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket(), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'START' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    const flow = a.getSnapshot().children.flow!;
    flow.send({ type: 'CONTINUE_WITHOUT_ID' });
    await settle();
    a.send({ type: 'PRINTER_STATUS', problem: 'cover-open' });
    await vi.advanceTimersByTimeAsync(5_000);
    a.send({ type: 'PRINTER_STATUS', problem: null });
    flow.send({ type: 'CHOOSE', categoryId: 'social' });
    flow.send({ type: 'TAKE' });
    await settle();
    expect(flow.getSnapshot().value).toBe('done');
    expect(calls.map((c) => c.name)).toContain('ticket.print');
  });

  it('refuse: 取号 and 预约签到 do not open while the printer is down, and open again when it recovers', () => {
    fakeHost({ 'queue.categories': () => categories });
    const a = createActor(kioskMachine, { input: { ...input, whenPrinterDown: 'refuse' } }).start();
    a.send({ type: 'START' });
    a.send({ type: 'PRINTER_STATUS', problem: 'disconnected' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    a.send({ type: 'OPEN', flow: 'checkin' });
    expect(a.getSnapshot().matches({ session: { screen: 'home' } })).toBe(true);
    a.send({ type: 'OPEN', flow: 'guide' });
    expect(a.getSnapshot().matches({ session: { screen: 'guide' } })).toBe(true);
    a.send({ type: 'EXIT' });
    a.send({ type: 'START' });
    a.send({ type: 'PRINTER_STATUS', problem: null });
    a.send({ type: 'OPEN', flow: 'ticket' });
    expect(a.getSnapshot().matches({ session: { screen: 'ticket' } })).toBe(true);
  });
});

describe('check-in', () => {
  it('no booking found offers 取号 right there: the kiosk goes on to the ticket flow', async () => {
    fakeHost({ 'checkin.appointment': () => fail('QUEUE_APPOINTMENT_UNKNOWN'), 'queue.categories': () => categories });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'START' });
    a.send({ type: 'OPEN', flow: 'checkin' });
    const flow = a.getSnapshot().children.flow!;
    flow.send({ type: 'CODE_SCANNED', scan: { kind: 'appointment', display: 'AP-1' }, code: 'AP-20261203-0009' });
    await settle();
    expect(flow.getSnapshot().value).toBe('refused');
    flow.send({ type: 'TAKE_TICKET' });
    await waitFor(a, (s) => s.matches({ session: { screen: 'ticket' } }));
  });

  it('too early: the time to come back comes from the error detail; 取号 is offered only when nothing was found', async () => {
    fakeHost({ 'checkin.appointment': () => fail('QUEUE_APPOINTMENT_TOO_EARLY', { opensAt: '2026-12-03T06:00:00.000Z' }) });
    const a = createActor(checkinMachine, { input: { identity: adult, lang: 'zh-CN' } }).start();
    a.send({ type: 'USE_CARD' });
    await settle();
    expect(a.getSnapshot().context).toMatchObject({ errorCode: 'QUEUE_APPOINTMENT_TOO_EARLY', opensAt: '2026-12-03T06:00:00.000Z' });
    a.send({ type: 'TAKE_TICKET' });
    expect(a.getSnapshot().value).toBe('refused');
  });
});

describe('help', () => {
  const request = (status: HelpRequestView['status']): HelpRequestView => ({ id: 12, at: '2026-12-03T02:00:00.000Z', kioskId: 'k1', screen: 'home', status });

  it('shows the reference, turns to “staff on the way” on acknowledgement of its own request only', async () => {
    fakeHost({ 'help.request': () => request('open') });
    const a = createActor(helpMachine, { input: { screen: 'home' } }).start();
    await settle();
    expect(a.getSnapshot().matches({ sent: 'waiting' })).toBe(true);
    expect(a.getSnapshot().context.request?.id).toBe(12);
    a.send({ type: 'HELP_UPDATED', request: { ...request('acknowledged'), id: 13 } });
    expect(a.getSnapshot().matches({ sent: 'waiting' })).toBe(true);
    a.send({ type: 'HELP_UPDATED', request: request('acknowledged') });
    expect(a.getSnapshot().matches({ sent: 'acknowledged' })).toBe(true);
  });

  it('cancel asks the host to close it and says so', async () => {
    const calls = fakeHost({ 'help.request': () => request('open'), 'help.cancel': () => request('closed') });
    const a = createActor(helpMachine, { input: { screen: 'ticket' } }).start();
    await settle();
    a.send({ type: 'CANCEL' });
    await settle();
    expect(a.getSnapshot().value).toBe('cancelled');
    expect(calls.at(-1)).toEqual({ name: 'help.cancel', input: { id: 12 } });
  });
});

describe('opening hours on the attract screen (hall time +08:00)', () => {
  const hours = { weekly: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }, { days: [6], open: '09:00', close: '12:00' }], holidays: ['2026-12-07'] };
  const at = (local: string) => Date.parse(`${local}+08:00`);

  it('open inside a period, closed outside it, whatever zone the page runs in', () => {
    expect(hallOpenState(hours, '+08:00', at('2026-12-03T10:00:00')).open).toBe(true); // Thursday
    expect(hallOpenState(hours, '+08:00', at('2026-12-03T17:00:00')).open).toBe(false);
  });

  it('before opening: later today; after closing: tomorrow; Saturday afternoon: skips Sunday and the Monday holiday', () => {
    expect(hallOpenState(hours, '+08:00', at('2026-12-03T07:30:00')).next).toMatchObject({ inDays: 0, time: '09:00', day: '2026-12-03' });
    expect(hallOpenState(hours, '+08:00', at('2026-12-03T18:00:00')).next).toMatchObject({ inDays: 1, time: '09:00', day: '2026-12-04', weekday: 5 });
    const sat = hallOpenState(hours, '+08:00', at('2026-12-05T13:00:00'));
    expect(sat.next).toMatchObject({ inDays: 3, day: '2026-12-08', weekday: 2 });
    expect(sat.next!.at).toBe(at('2026-12-08T09:00:00'));
  });

  it('a weekend working day (调休上班) opens on Monday\'s hours', () => {
    const shifted = { ...hours, extraWorkdays: ['2026-12-06'] }; // a Sunday
    expect(hallOpenState(hours, '+08:00', at('2026-12-06T10:00:00')).open).toBe(false);
    expect(hallOpenState(shifted, '+08:00', at('2026-12-06T10:00:00')).open).toBe(true);
    expect(hallOpenState(shifted, '+08:00', at('2026-12-05T13:00:00')).next).toMatchObject({ inDays: 1, day: '2026-12-06', time: '09:00' });
  });

  it('late evening UTC is already the next hall day', () => {
    // 2026-12-03T23:30Z is Friday 07:30 in the hall.
    expect(hallOpenState(hours, '+08:00', Date.parse('2026-12-03T23:30:00Z')).next).toMatchObject({ inDays: 0, day: '2026-12-04', time: '09:00' });
  });
});
