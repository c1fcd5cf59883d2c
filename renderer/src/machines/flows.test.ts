import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import type { CitizenIdentityView, CitizenTicket } from '../../../main/contract/index.js';
import { checkinMachine } from './checkin.machine.js';
import { guideMachine, SEARCH_DEBOUNCE_MS } from './guide.machine.js';
import { kioskMachine } from './kiosk.machine.js';
import { JOB_POLL_MS, printMachine } from './print.machine.js';
import { ratingMachine } from './rating.machine.js';
import { ticketMachine } from './ticket.machine.js';
import { fail, fakeHost, settle } from './test-kit.js';

const adult: CitizenIdentityView = { cardType: 'resident', maskedName: '张*明', maskedIdNumber: '440104**********17', age: 35, elderly: false, gender: 'male', expired: false };
const elder: CitizenIdentityView = { ...adult, maskedName: '李*芳', age: 75, elderly: true };
const categories = [
  { id: 'social', prefix: 'A', name: { 'zh-CN': '社保' }, idRequired: false, closedReason: null, waiting: 3, estimatedWaitMinutes: 24, quotaLeft: 10 },
  { id: 'household', prefix: 'C', name: { 'zh-CN': '户籍' }, idRequired: true, closedReason: null, waiting: 0, estimatedWaitMinutes: 0, quotaLeft: 10 },
  { id: 'estate', prefix: 'D', name: { 'zh-CN': '不动产' }, idRequired: false, closedReason: 'quota-reached', waiting: 9, estimatedWaitMinutes: 60, quotaLeft: 0 },
];
const ticket = (over: Partial<CitizenTicket> = {}): CitizenTicket => ({
  ticketId: 7, number: 'A004', categoryId: 'social', categoryName: { 'zh-CN': '社保' }, priority: null, peopleAhead: 3,
  estimatedWaitMinutes: 24, issuedAt: '2025-03-03T02:00:00.000Z', status: 'waiting', qrPayload: 'HKT:abc', ...over,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ticket flow', () => {
  it('card read → confirm → category → ticket issued with the session identity and printed', async () => {
    const calls = fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket(), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(ticketMachine, { input: { identity: null, lang: 'zh-CN' } }).start();
    expect(a.getSnapshot().value).toBe('identify');
    a.send({ type: 'CARD_READ', identity: adult });
    expect(a.getSnapshot().value).toBe('confirm');
    a.send({ type: 'CONFIRM' });
    await settle();
    expect(a.getSnapshot().matches({ categories: 'choosing' })).toBe(true);
    a.send({ type: 'CHOOSE', categoryId: 'estate' }); // quota reached: not offered
    expect(a.getSnapshot().matches({ categories: 'choosing' })).toBe(true);
    a.send({ type: 'CHOOSE', categoryId: 'social' });
    a.send({ type: 'PRIORITY', priority: 'pregnancy' });
    a.send({ type: 'TAKE' });
    await settle();
    expect(a.getSnapshot().value).toBe('done');
    const take = calls.find((c) => c.name === 'ticket.take')!.input as Record<string, unknown>;
    expect(take).toMatchObject({ categoryId: 'social', priority: 'pregnancy', lang: 'zh-CN' });
    expect(JSON.stringify(calls)).not.toMatch(/idNumber|张/);
    expect(calls.map((c) => c.name)).toEqual(['queue.categories', 'ticket.take', 'ticket.print']);
  });

  it('an elderly card gets priority from the host: no declared priority is sent', async () => {
    const calls = fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket({ priority: 'elderly' }), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(ticketMachine, { input: { identity: elder, lang: 'en' } }).start();
    await settle();
    a.send({ type: 'CHOOSE', categoryId: 'social' });
    a.send({ type: 'PRIORITY', priority: 'military' });
    a.send({ type: 'TAKE' });
    await settle();
    expect(calls.find((c) => c.name === 'ticket.take')!.input).not.toHaveProperty('priority');
  });

  it('a category that needs ID asks for the card without calling the host', async () => {
    const calls = fakeHost({ 'queue.categories': () => categories });
    const a = createActor(ticketMachine, { input: { identity: null, lang: 'zh-CN' } }).start();
    a.send({ type: 'CONTINUE_WITHOUT_ID' });
    await settle();
    a.send({ type: 'CHOOSE', categoryId: 'household' });
    expect(a.getSnapshot().matches({ categories: 'needId' })).toBe(true);
    a.send({ type: 'IDENTIFY' });
    expect(a.getSnapshot().value).toBe('identify');
    expect(calls.map((c) => c.name)).toEqual(['queue.categories']);
  });

  it('a refused ticket keeps its code for the sentence; a failed print keeps the ticket and retries with the same id', async () => {
    let prints = 0;
    fakeHost({
      'queue.categories': () => categories,
      'ticket.take': () => fail('QUEUE_PERSON_LIMIT'),
    });
    const a = createActor(ticketMachine, { input: { identity: adult, lang: 'zh-CN' } }).start();
    await settle();
    a.send({ type: 'CHOOSE', categoryId: 'social' });
    a.send({ type: 'TAKE' });
    await settle();
    expect(a.getSnapshot().value).toBe('refused');
    expect(a.getSnapshot().context.errorCode).toBe('QUEUE_PERSON_LIMIT');

    const calls = fakeHost({
      'queue.categories': () => categories,
      'ticket.take': () => ticket(),
      'ticket.print': () => (++prints === 1 ? fail('PRINTER_PAPER_END') : { printed: true, statusKnown: true }),
    });
    a.send({ type: 'BACK' });
    await settle();
    a.send({ type: 'CHOOSE', categoryId: 'social' });
    a.send({ type: 'TAKE' });
    await settle();
    expect(a.getSnapshot().value).toBe('printFailed');
    expect(a.getSnapshot().context.errorCode).toBe('PRINTER_PAPER_END');
    expect(a.getSnapshot().context.ticket?.number).toBe('A004');
    a.send({ type: 'RETRY' });
    await settle();
    expect(a.getSnapshot().value).toBe('done');
    expect(calls.filter((c) => c.name === 'ticket.print').map((c) => (c.input as { ticketId: number }).ticketId)).toEqual([7, 7]);
  });
});

describe('kiosk session', () => {
  const input = { idleMs: 90_000, warningMs: 20_000, lang: 'zh-CN' as const };

  it('warns 20 s before the reset, a touch extends, and the reset wipes identity, tickets and the flow, and tells the host', async () => {
    fakeHost({ 'queue.categories': () => categories });
    const ends: string[] = [];
    const machine = kioskMachine.provide({ actions: { notifySessionEnd: (_, p) => void ends.push(p.reason) } });
    const a = createActor(machine, { input }).start();
    a.send({ type: 'CARD_READ', identity: adult });
    expect(a.getSnapshot().context.identity?.maskedName).toBe('张*明');
    a.send({ type: 'CONFIRM' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    await settle();
    expect(a.getSnapshot().children.flow).toBeDefined();

    await vi.advanceTimersByTimeAsync(69_999);
    expect(a.getSnapshot().matches({ session: { idle: 'active' } })).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.getSnapshot().matches({ session: { idle: 'warning' } })).toBe(true);
    a.send({ type: 'TOUCH' });
    expect(a.getSnapshot().matches({ session: { idle: 'active' } })).toBe(true);
    await vi.advanceTimersByTimeAsync(70_000 + 19_999);
    expect(a.getSnapshot().matches('session')).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    const s = a.getSnapshot();
    expect(s.value).toBe('attract');
    expect(s.context.identity).toBeNull();
    expect(s.context.tickets).toEqual([]);
    expect(s.children.flow).toBeUndefined();
    expect(ends).toEqual(['timeout']);
  });

  it('elderly time-outs apply when changed, and a ticket taken is kept for rating until the session ends', async () => {
    fakeHost({ 'queue.categories': () => categories, 'ticket.take': () => ticket(), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'START' });
    a.send({ type: 'SET_TIMEOUTS', idleMs: 180_000, warningMs: 20_000 });
    a.send({ type: 'TOUCH' });
    a.send({ type: 'OPEN', flow: 'ticket' });
    const flow = a.getSnapshot().children.flow!;
    flow.send({ type: 'CONTINUE_WITHOUT_ID' });
    await settle();
    flow.send({ type: 'CHOOSE', categoryId: 'social' });
    flow.send({ type: 'TAKE' });
    await settle();
    flow.send({ type: 'DONE' });
    await waitFor(a, (s) => s.matches({ session: { screen: 'home' } }));
    expect(a.getSnapshot().context.tickets.map((t) => t.number)).toEqual(['A004']);
    await vi.advanceTimersByTimeAsync(159_999);
    expect(a.getSnapshot().matches({ session: { idle: 'active' } })).toBe(true);
    a.send({ type: 'EXIT' });
    expect(a.getSnapshot().context.tickets).toEqual([]);
  });

  it('an appointment code scanned on the attract screen checks in straight away', async () => {
    const calls = fakeHost({ 'checkin.appointment': () => ticket({ appointment: { slotStart: 'x', alreadyCheckedIn: false } }), 'ticket.print': () => ({ printed: true, statusKnown: true }) });
    const a = createActor(kioskMachine, { input }).start();
    a.send({ type: 'CODE_SCANNED', scan: { kind: 'appointment', display: 'AP-202' } });
    await settle();
    expect(a.getSnapshot().matches({ session: { screen: 'checkin' } })).toBe(true);
    expect(calls[0]).toEqual({ name: 'checkin.appointment', input: { scanned: true } });
  });
});

describe('check-in flow', () => {
  it('by the card already read, and explains a too-early check-in', async () => {
    const calls = fakeHost({ 'checkin.appointment': () => fail('QUEUE_APPOINTMENT_TOO_EARLY') });
    const a = createActor(checkinMachine, { input: { identity: adult, lang: 'zh-CN' } }).start();
    a.send({ type: 'USE_CARD' });
    await settle();
    expect(a.getSnapshot().value).toBe('refused');
    expect(a.getSnapshot().context.errorCode).toBe('QUEUE_APPOINTMENT_TOO_EARLY');
    expect(calls[0]!.input).toEqual({ card: true });
  });

  it('a keyboard-wedge scan sends its own code', async () => {
    const calls = fakeHost({ 'checkin.appointment': () => ticket(), 'ticket.print': () => ({ printed: true, statusKnown: false }) });
    const a = createActor(checkinMachine, { input: { identity: null, lang: 'zh-CN' } }).start();
    a.send({ type: 'CODE_SCANNED', scan: { kind: 'appointment', display: 'AP-1' }, code: 'AP-20250303-0001' });
    await settle();
    expect(a.getSnapshot().value).toBe('done');
    expect(calls[0]!.input).toEqual({ code: 'AP-20250303-0001' });
  });
});

describe('guide flow', () => {
  it('searches once after the debounce, with the letters typed on the keypad', async () => {
    const calls = fakeHost({ 'guide.groups': () => [], 'guide.search': () => [{ id: 'gd-sb-001' }] });
    const a = createActor(guideMachine, { input: { lang: 'zh-CN' } }).start();
    await settle();
    a.send({ type: 'SEARCH' });
    for (const k of 'sbk') a.send({ type: 'KEY', key: k });
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(calls.filter((c) => c.name === 'guide.search')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.filter((c) => c.name === 'guide.search').map((c) => c.input)).toEqual([{ query: 'sbk', limit: 20 }]);
    expect(a.getSnapshot().matches({ search: 'ready' })).toBe(true);
    expect(a.getSnapshot().context.results).toHaveLength(1);
  });
});

describe('print flow', () => {
  it('caps copies, submits, and follows the CUPS job until it completes', async () => {
    let polls = 0;
    const calls = fakeHost({
      'documents.list': () => ({ documents: [{ id: 'form:x', kind: 'blank-form', title: { 'zh-CN': '表', 'zh-TW': '表', en: 'Form' } }], maxCopies: 2 }),
      'documents.preview': () => ({ id: 'form:x', pageCount: 1, pages: ['data:image/png;base64,'] }),
      'documents.print': () => ({ jobId: 'PDF-1' }),
      'documents.job': () => ({ state: ++polls < 3 ? 'processing' : 'completed' }),
    });
    const a = createActor(printMachine, { input: { lang: 'zh-CN' } }).start();
    await settle();
    a.send({ type: 'CHOOSE', id: 'form:x' });
    await settle();
    for (let i = 0; i < 4; i++) a.send({ type: 'MORE' });
    expect(a.getSnapshot().context.copies).toBe(2);
    a.send({ type: 'PRINT' });
    await settle();
    expect(a.getSnapshot().matches('following')).toBe(true);
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 2);
    expect(a.getSnapshot().value).toBe('finished');
    expect(a.getSnapshot().context.jobState).toBe('completed');
    expect(calls.find((c) => c.name === 'documents.print')!.input).toEqual({ id: 'form:x', lang: 'zh-CN', copies: 2 });
  });
});

describe('rating flow', () => {
  it('needs a reason for 非常不满意 and sends it with the level', async () => {
    const calls = fakeHost({ 'rating.ticket': () => ticket({ status: 'done' }), 'rating.submit': () => ({ ticketNumber: 'A004', level: 1, followUp: true }) });
    const a = createActor(ratingMachine, { input: { sessionTickets: [ticket()] } }).start();
    a.send({ type: 'PICK_TICKET', ticketId: 7 });
    await settle();
    a.send({ type: 'LEVEL', level: 1 });
    expect(a.getSnapshot().value).toBe('reason');
    a.send({ type: 'SUBMIT' });
    expect(a.getSnapshot().value).toBe('reason');
    a.send({ type: 'TOGGLE_REASON', reason: 'wait', text: '等候时间太长' });
    a.send({ type: 'SUBMIT' });
    await settle();
    expect(a.getSnapshot().value).toBe('thanks');
    expect(calls.at(-1)!.input).toEqual({ ticket: { ticketId: 7 }, level: 1, reason: '等候时间太长' });
  });

  it('a good level is sent without a reason; a second rating is explained', async () => {
    fakeHost({ 'rating.ticket': () => ticket({ status: 'done' }), 'rating.submit': () => fail('QUEUE_ALREADY_RATED') });
    const a = createActor(ratingMachine, { input: { sessionTickets: [], scan: {} } }).start();
    await settle();
    a.send({ type: 'LEVEL', level: 5 });
    await settle();
    expect(a.getSnapshot().value).toBe('refused');
    expect(a.getSnapshot().context.errorCode).toBe('QUEUE_ALREADY_RATED');
  });
});
