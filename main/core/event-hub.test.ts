import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

describe('EventHub: readiness and queues per connection', () => {
  it('one connection closing or reloading does not stop delivery to another', () => {
    const hub = new EventHub();
    const kiosk: string[] = [];
    const staff: string[] = [];
    hub.addSink((n) => kiosk.push(n), 'ws-1');
    const removeStaff = hub.addSink((n) => staff.push(n), 'ws-2');
    hub.markReady('ws-1');
    hub.markReady('ws-2');
    hub.emit('card-removed', {});
    expect([kiosk, staff]).toEqual([['card-removed'], ['card-removed']]);
    // the staff page goes away: the kiosk page still gets everything
    hub.markNotReady('ws-2');
    removeStaff();
    hub.emit('session-ended', { reason: 'timeout' });
    expect(kiosk).toEqual(['card-removed', 'session-ended']);
    // a LAN staff connection without a sink closing changes nothing
    hub.markNotReady('lan-7');
    hub.emit('card-removed', {});
    expect(kiosk).toHaveLength(3);
  });

  it('queues for a connection until that connection is ready, in order', () => {
    const hub = new EventHub();
    const a: string[] = [];
    const b: string[] = [];
    hub.addSink((n) => a.push(n), 'a');
    hub.markReady('a');
    hub.addSink((n) => b.push(n), 'b');
    hub.emit('card-removed', {});
    hub.emit('session-ended', { reason: 'timeout' });
    expect(a).toEqual(['card-removed', 'session-ended']);
    expect(b).toEqual([]);
    expect(hub.markReady('b')).toBe(2);
    expect(b).toEqual(['card-removed', 'session-ended']);
    // b reloads: queued for b only, a keeps receiving
    hub.markNotReady('b');
    hub.emit('card-removed', {});
    expect([a.length, b.length]).toEqual([3, 2]);
    expect(hub.stats).toMatchObject({ queued: 1, ready: true });
  });

  it('an unnamed sink (the Electron window) follows app.ready from its own connection id', () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.addSink((n) => got.push(n));
    hub.emit('card-removed', {});
    expect(hub.markReady('wc-1')).toBe(1);
    hub.emit('card-removed', {});
    expect(got).toHaveLength(2);
    hub.markNotReady(); // renderer reload
    hub.emit('card-removed', {});
    expect(got).toHaveLength(2);
  });

  it('emitTo delivers a citizen event to the owning page only (queued until it is ready); without an owner it is emit', () => {
    const hub = new EventHub();
    const owner: string[] = [];
    const other: string[] = [];
    const taps: string[] = [];
    hub.tap((n) => taps.push(n));
    hub.addSink((n) => owner.push(n), 'ws-1');
    hub.addSink((n) => other.push(n), 'ws-2');
    hub.markReady('ws-2');
    const masked = { cardType: 'resident', maskedName: '张*明', maskedIdNumber: '4401**********0017', age: 36, elderly: false, gender: 'male', expired: false } as const;
    hub.emitTo('ws-1', 'card-read', masked);
    expect(other).toEqual([]);
    expect(owner).toEqual([]);
    expect(hub.markReady('ws-1')).toBe(1);
    expect(owner).toEqual(['card-read']);
    expect(taps).toEqual(['card-read']);
    hub.emitTo(undefined, 'card-removed', {});
    expect([owner, other]).toEqual([['card-read', 'card-removed'], ['card-removed']]);
    // The Electron window's sink names no id: a call context id no sink has reaches the unnamed sink, not ws-2.
    const electron: string[] = [];
    hub.addSink((n) => electron.push(n));
    hub.markReady('electron-window');
    hub.emitTo('electron-window', 'card-read', masked);
    expect(electron).toEqual(['card-read']);
    expect(other).toEqual(['card-removed']);
  });
});
