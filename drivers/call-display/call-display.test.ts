import { describe, expect, it } from 'vitest';
import { DriverError } from '../errors.js';
import { CallDisplayHub, CallDisplayStatusTracker, type Call, type CallDisplay, type CallDisplayFault } from './call-display.js';

class FakeDisplay implements CallDisplay {
  readonly shown: Call[] = [];
  readonly tracker = new CallDisplayStatusTracker();
  constructor(
    readonly name: string,
    private readonly behaviour: 'ok' | 'fail' | 'hang' | 'throw-sync' = 'ok',
  ) {}
  get status() {
    return this.tracker.status;
  }
  show(call: Call): Promise<void> {
    switch (this.behaviour) {
      case 'ok':
        this.shown.push(call);
        this.tracker.ok();
        return Promise.resolve();
      case 'fail':
        this.tracker.fault(new DriverError('DISPLAY_REJECTED', 'refused'));
        return Promise.reject(new DriverError('DISPLAY_REJECTED', 'refused'));
      case 'hang':
        return new Promise(() => undefined);
      case 'throw-sync':
        throw new Error('bug in a display');
    }
  }
  async clear(): Promise<void> {
    if (this.behaviour === 'fail') throw new DriverError('PROTOCOL_TIMEOUT', 'no answer');
  }
}

const call: Call = { ticket: 'A012', window: '3', at: 1_700_000_000_000 };

describe('CallDisplayHub', () => {
  it('fans a call out to every display; failing, hanging and throwing ones are reported, not blocking', async () => {
    const good1 = new FakeDisplay('good1');
    const good2 = new FakeDisplay('good2');
    const hub = new CallDisplayHub(
      [good1, new FakeDisplay('bad', 'fail'), new FakeDisplay('stuck', 'hang'), new FakeDisplay('buggy', 'throw-sync'), good2],
      { timeoutMs: 100 },
    );
    const faults: CallDisplayFault[] = [];
    hub.onFault((f) => faults.push(f));
    const t0 = Date.now();
    const outcomes = await hub.showWithOutcomes(call);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(good1.shown).toEqual([call]);
    expect(good2.shown).toEqual([call]);
    expect(outcomes.map((o) => (o.ok ? `${o.display}:ok` : `${o.display}:${o.error.code}`))).toEqual([
      'good1:ok',
      'bad:DISPLAY_REJECTED',
      'stuck:PROTOCOL_TIMEOUT',
      'buggy:DEVICE_NOT_READY',
      'good2:ok',
    ]);
    expect(faults.map((f) => `${f.display}/${f.operation}`).sort()).toEqual(['bad/show', 'buggy/show', 'stuck/show']);
    expect(hub.status).toMatchObject({ state: 'fault', code: 'DISPLAY_REJECTED' });
  });

  it('show and clear never reject', async () => {
    const hub = new CallDisplayHub([new FakeDisplay('bad', 'fail')]);
    await expect(hub.show(call)).resolves.toBeUndefined();
    await expect(hub.clear()).resolves.toBeUndefined();
    expect(hub.lastOutcomes).toMatchObject([{ display: 'bad', ok: false, error: { code: 'PROTOCOL_TIMEOUT' } }]);
  });

  it('status is ok only when every member is ok; removed members no longer receive calls', async () => {
    const a = new FakeDisplay('a');
    const b = new FakeDisplay('b');
    const hub = new CallDisplayHub([a]);
    const remove = hub.add(b);
    expect(hub.status.state).toBe('unknown');
    await hub.show(call);
    expect(hub.status.state).toBe('ok');
    remove();
    await hub.show({ ...call, ticket: 'A013' });
    expect(b.shown).toHaveLength(1);
    expect(a.shown).toHaveLength(2);
  });
});
