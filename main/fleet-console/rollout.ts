import { randomBytes } from 'node:crypto';
import type { FleetAnswer, FleetRolloutStep, FleetRolloutView } from '../contract/fleet.js';

/**
 * A staged roll-out: wave 1 (the first `firstWave` kiosks) all at once; when every one of them answered ok, the
 * rest, `concurrency` at a time. The first failed answer (refusal, self-check rollback, time-out) stops it: what
 * was not sent yet is `skipped`, what is in flight still reports. Every kiosk's answer is kept and shown.
 */
export interface RolloutOptions {
  targets: { hallId: string; kioskId: string }[];
  firstWave: number;
  version: number;
  concurrency?: number;
  send: (t: { hallId: string; kioskId: string }) => Promise<FleetAnswer>;
  onChange: (view: FleetRolloutView) => void;
  now?: () => number;
}

export async function runRollout(o: RolloutOptions): Promise<FleetRolloutView> {
  const now = o.now ?? Date.now;
  const view: FleetRolloutView = {
    id: randomBytes(6).toString('hex'),
    startedAt: now(),
    finishedAt: null,
    version: o.version,
    state: 'running',
    steps: o.targets.map((t, i) => ({ ...t, wave: i < o.firstWave ? 1 : 2, state: 'pending' })),
  };
  o.onChange(view);
  let failed = false;
  const run = async (step: FleetRolloutStep) => {
    if (failed) {
      step.state = 'skipped';
      return;
    }
    step.state = 'sent';
    const answer = await o.send(step);
    step.answer = answer;
    step.state = answer.ok ? 'ok' : 'failed';
    if (!answer.ok) failed = true;
    o.onChange(view);
  };
  const pool = async (steps: FleetRolloutStep[], width: number) => {
    let next = 0;
    const worker = async () => {
      while (next < steps.length) await run(steps[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(width, steps.length) }, worker));
  };
  await pool(view.steps.filter((s) => s.wave === 1), o.firstWave);
  await pool(view.steps.filter((s) => s.wave === 2), o.concurrency ?? 200);
  for (const s of view.steps) if (s.state === 'pending') s.state = 'skipped';
  view.state = failed ? 'stopped' : 'done';
  view.finishedAt = now();
  o.onChange(view);
  return view;
}
