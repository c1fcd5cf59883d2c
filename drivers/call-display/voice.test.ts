import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverError, isDriverError } from '../errors.js';
import type { Call } from './call-display.js';
import {
  NO_AUDIO_OUTPUT,
  VoiceAnnouncer,
  callToClips,
  callToText,
  clipIds,
  clipPath,
  createSystemPlayer,
  type Announcement,
} from './voice.js';
import { buildWav, concatWav, parseWav, wavDurationMs } from './wav.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const call = (ticket: string, window: string, at = 0): Call => ({ ticket, window, at });

describe('callToClips', () => {
  it.each([
    ['A012', '3', ['qing', 'A', '0', '1', '2', 'hao', 'dao', '3', 'hao', 'chuangkou']],
    ['b7', '10', ['qing', 'B', '7', 'hao', 'dao', 'shi', 'hao', 'chuangkou']],
    ['C100', '12', ['qing', 'C', '1', '0', '0', 'hao', 'dao', 'shi', '2', 'hao', 'chuangkou']],
    ['D001', '20', ['qing', 'D', '0', '0', '1', 'hao', 'dao', '2', 'shi', 'hao', 'chuangkou']],
    ['E1', '99', ['qing', 'E', '1', 'hao', 'dao', '9', 'shi', '9', 'hao', 'chuangkou']],
    // not 1..99 without leading zero: character by character
    ['F2', '03', ['qing', 'F', '2', 'hao', 'dao', '0', '3', 'hao', 'chuangkou']],
    ['G3', '101', ['qing', 'G', '3', 'hao', 'dao', '1', '0', '1', 'hao', 'chuangkou']],
    ['H4', 'B2', ['qing', 'H', '4', 'hao', 'dao', 'B', '2', 'hao', 'chuangkou']],
  ])('zh: %s to window %s', (ticket, window, clips) => {
    expect(callToClips({ ticket, window }, 'zh')).toEqual(clips);
  });

  it('en reads the window as an English number', () => {
    expect(callToClips({ ticket: 'A012', window: '3' }, 'en')).toEqual(['number', 'A', '0', '1', '2', 'please-go-to-window', '3']);
    expect(callToClips({ ticket: 'A1', window: '15' }, 'en')).toEqual(['number', 'A', '1', 'please-go-to-window', '15']);
    expect(callToClips({ ticket: 'A1', window: '42' }, 'en')).toEqual(['number', 'A', '1', 'please-go-to-window', '40', '2']);
  });

  it('every clip any call can produce exists in the clip table (exhaustive over tickets A-Z0-9 and windows 1..99)', () => {
    for (const lang of ['zh', 'en'] as const) {
      const ids = new Set(clipIds(lang));
      const used = new Set<string>();
      for (let w = 1; w <= 99; w++) callToClips({ ticket: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', window: String(w) }, lang).forEach((c) => used.add(c));
      for (const id of used) expect(ids.has(id), `${lang}:${id}`).toBe(true);
      expect([...ids].filter((id) => !used.has(id)), `${lang}: clips never used`).toEqual([]);
    }
  });

  it('unsupported characters are DISPLAY_REJECTED', () => {
    expect(() => callToClips({ ticket: 'A-1', window: '3' })).toThrow(DriverError);
    try {
      callToClips({ ticket: 'A1', window: '综合' });
    } catch (e) {
      expect(isDriverError(e, 'DISPLAY_REJECTED')).toBe(true);
    }
    expect(callToText({ ticket: 'A012', window: '3' })).toBe('请 A012 号到 3 号窗口');
  });
});

describe('VoiceAnnouncer', () => {
  it('plays calls strictly in order and never overlapping, and emits each as text first', async () => {
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    const player = async (paths: string[]): Promise<void> => {
      active++;
      maxActive = Math.max(maxActive, active);
      const ticket = paths[1]!.split('/').pop()!.replace('.wav', '');
      log.push(`start ${paths.length} ${ticket}`);
      await sleep(paths.length * 3 + (ticket === 'A' ? 40 : 5)); // the first call is the slowest
      log.push('end');
      active--;
    };
    const announced: Announcement[] = [];
    const v = new VoiceAnnouncer({ clipDir: '/clips', player });
    v.onAnnounced((a) => announced.push(a));
    const results = await Promise.all([v.announce(call('A1', '3')), v.announce(call('B22', '12')), v.announce(call('C333', '5'))]);
    expect(maxActive).toBe(1);
    expect(log).toEqual(['start 8 A', 'end', 'start 10 B', 'end', 'start 10 C', 'end']);
    expect(announced.map((a) => a.text)).toEqual(['请 A1 号到 3 号窗口', '请 B22 号到 12 号窗口', '请 C333 号到 5 号窗口']);
    expect(results.every((r) => r.played)).toBe(true);
    expect(v.status.state).toBe('ok');
    expect(v.audio).toBe('ok');
  });

  it('show() only enqueues (the hub does not wait for speech); repeat and two languages', async () => {
    const played: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const v = new VoiceAnnouncer({
      clipDir: '/c',
      langs: ['zh', 'en'],
      repeat: 2,
      player: async (p) => {
        played.push(p);
        await gate;
      },
    });
    const t0 = Date.now();
    await v.show(call('A1', '2'));
    expect(Date.now() - t0).toBeLessThan(50);
    release();
    await v.announce(call('A2', '2'));
    expect(played.map((p) => p[0])).toEqual([
      clipPath('/c', 'zh', 'qing'),
      clipPath('/c', 'zh', 'qing'),
      clipPath('/c', 'en', 'number'),
      clipPath('/c', 'en', 'number'),
      clipPath('/c', 'zh', 'qing'),
      clipPath('/c', 'zh', 'qing'),
      clipPath('/c', 'en', 'number'),
      clipPath('/c', 'en', 'number'),
    ]);
  });

  it('without audio output: status says so, text is still announced, the queue keeps going', async () => {
    const announced: string[] = [];
    const v = new VoiceAnnouncer({ player: createSystemPlayer({ candidates: ['kiosk-no-such-player'] }) });
    v.onAnnounced((a) => announced.push(a.call.ticket));
    const r1 = await v.announce(call('A1', '1'));
    const r2 = await v.announce(call('A2', '1'));
    expect(announced).toEqual(['A1', 'A2']);
    expect(r1).toMatchObject({ played: false, error: { code: 'DEVICE_NOT_READY', detail: { reason: NO_AUDIO_OUTPUT } } });
    expect(r2.played).toBe(false);
    expect(v.audio).toBe('no-output');
    expect(v.status).toMatchObject({ state: 'fault', code: 'DEVICE_NOT_READY' });
  });

  it('clear drops waiting calls but lets the current one finish', async () => {
    const spoken: string[] = [];
    const v = new VoiceAnnouncer({
      player: async (p) => {
        await sleep(20);
        spoken.push(p[1]!);
      },
    });
    const first = v.announce(call('A1', '1'));
    const second = v.announce(call('B1', '1'));
    await sleep(5);
    expect(v.pending).toBe(1);
    await v.clear();
    expect(await second).toMatchObject({ played: false, error: { code: 'DEVICE_CLOSED' } });
    expect(await first).toMatchObject({ played: true });
    expect(spoken).toEqual([clipPath('dist/voice', 'zh', 'A')]);
  });
});

describe('WAV concatenation', () => {
  const fmt = { audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 };
  it('joins data with gaps and checks formats', () => {
    const a = buildWav(fmt, Buffer.alloc(1600, 1)); // 100 ms
    const b = buildWav(fmt, Buffer.alloc(800, 2)); // 50 ms
    const joined = parseWav(concatWav([a, b], 25));
    expect(wavDurationMs(joined)).toBeCloseTo(175, 5);
    expect(joined.data.subarray(1600, 2000).every((x) => x === 0)).toBe(true);
    expect(() => concatWav([a, buildWav({ ...fmt, sampleRate: 22050 }, Buffer.alloc(10))])).toThrow(DriverError);
    expect(() => parseWav(Buffer.from('not a wav file at all'))).toThrow(DriverError);
  });
});

describe('generate-clips.mjs (runs espeak-ng)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-voice-gen-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders real WAV clips and a manifest; a concatenated call has a plausible length', async () => {
    const { stdout } = await run(process.execPath, ['build/voice/generate-clips.mjs', '--out', dir, '--only', 'zh:qing,zh:3,zh:chuangkou,en:A']);
    expect(stdout).toContain('4 clips written');
    expect((await readdir(join(dir, 'zh'))).sort()).toEqual(['3.wav', 'chuangkou.wav', 'qing.wav']);
    const durations: number[] = [];
    for (const id of ['qing', '3', 'chuangkou']) {
      const buf = await readFile(join(dir, 'zh', `${id}.wav`));
      expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
      expect(buf.toString('ascii', 8, 12)).toBe('WAVE');
      const w = parseWav(buf);
      expect(w.format).toEqual({ audioFormat: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16 });
      const ms = wavDurationMs(w);
      // independent check of our header math with sox
      const sox = Number((await run('sox', ['--i', '-D', join(dir, 'zh', `${id}.wav`)])).stdout.trim()) * 1000;
      expect(Math.abs(ms - sox)).toBeLessThan(5);
      expect(ms).toBeGreaterThan(200);
      expect(ms).toBeLessThan(3000);
      // not silence: some sample is loud
      let peak = 0;
      for (let i = 0; i + 1 < w.data.length; i += 2) peak = Math.max(peak, Math.abs(w.data.readInt16LE(i)));
      expect(peak).toBeGreaterThan(3000);
      durations.push(ms);
    }
    const joined = parseWav(concatWav(await Promise.all(['qing', '3', 'chuangkou'].map((id) => readFile(join(dir, 'zh', `${id}.wav`)))), 60));
    expect(wavDurationMs(joined)).toBeCloseTo(durations.reduce((a, b) => a + b) + 120, 0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { clips: { lang: string; id: string; text: string }[] };
    expect(manifest.clips.find((c) => c.id === 'qing')).toMatchObject({ lang: 'zh', text: 'qing3' });
  });

  it('an unknown clip is a usage error (exit 2)', async () => {
    const err = await run(process.execPath, ['build/voice/generate-clips.mjs', '--out', dir, '--only', 'zh:nope']).catch((e: { code: number }) => e);
    expect((err as { code: number }).code).toBe(2);
  });
});
