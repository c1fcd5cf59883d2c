import { describe, expect, it } from 'vitest';
import { OpaqueCardBytes, type Identity } from '../../drivers/id-card/identity.js';
import { CitizenSession } from './citizen-session.js';

/** A fictional resident (the simulator's kind of sample person), with wipeable photo bytes. */
function identity(): Identity {
  return {
    cardType: 'resident',
    name: '陈小明',
    gender: 'male',
    genderCode: '1',
    birthDate: '1990-03-07',
    idNumber: '440104199003070017',
    idNumberCheck: 'valid',
    validity: { from: '2020-01-01', to: '2040-01-01' },
    photo: new OpaqueCardBytes('photo', new Uint8Array(1024).fill(7)),
    fingerprint: undefined,
    nation: { code: '01', name: '汉' },
    address: '广东省广州市从化区街口街1号',
    authority: '广州市公安局从化分局',
  };
}

const now = () => new Date('2026-12-03T02:00:00Z');

describe('CitizenSession: one identity per page session', () => {
  it('belongs to the page that said hello: another connection gets nothing; the owner closing wipes it', () => {
    const s = new CitizenSession({ now });
    s.attach('ws-1', true);
    s.setIdentity(identity());
    expect(s.personal('ws-1')?.idNumber).toBe('440104199003070017');
    expect(s.personal('ws-2')).toBeUndefined();
    expect(s.view('ws-2')).toBeNull();
    expect(s.view('ws-1')?.maskedName).toBe('陈*明');
    expect(s.detach('ws-2')).toBe(false);
    expect(s.hasIdentity()).toBe(true);
    expect(s.detach('ws-1')).toBe(true);
    expect(s.hasIdentity()).toBe(false);
    expect(s.ownerConnection).toBeUndefined();
  });

  it('a reload (a fresh hello on the same Electron webContents) starts with no identity; its own app.ready keeps it', () => {
    const s = new CitizenSession({ now });
    s.attach('wc-1', true);
    s.setIdentity(identity());
    expect(s.attach('wc-1', false)).toBe(false);
    expect(s.hasIdentity()).toBe(true);
    expect(s.attach('wc-1', true)).toBe(true);
    expect(s.hasIdentity()).toBe(false);
  });

  it('a bridge reconnect (app.ready on a new connection) starts with no identity, even read while no page was attached', () => {
    const s = new CitizenSession({ now });
    s.attach('ws-1', true);
    s.detach('ws-1');
    s.setIdentity(identity());
    expect(s.attach('ws-2', false)).toBe(true);
    expect(s.personal('ws-2')).toBeUndefined();
  });

  it('removing the card wipes the identity, zeroes the photo and tells the per-session listeners; presence is tracked apart', () => {
    const s = new CitizenSession({ now });
    const reasons: string[] = [];
    s.onWipe((r) => reasons.push(r));
    s.attach('ws-1', true);
    const id = identity();
    s.setIdentity(id);
    expect(s.cardOnReader).toBe(true);
    // A reload wipes the identity but the card still lies there: the new page reminds the citizen to take it.
    s.attach('ws-1', true);
    expect(s.cardOnReader).toBe(true);
    s.setIdentity(identity());
    expect(s.cardRemoved()).toBe(true);
    expect(s.cardOnReader).toBe(false);
    expect(s.personal('ws-1')).toBeUndefined();
    expect(id.photo.bytes().every((b) => b === 0)).toBe(true);
    expect(reasons).toContain('card-removed');
  });
});
