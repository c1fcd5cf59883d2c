import { describe, expect, it } from 'vitest';
import { AudioError, CallAnnouncer, type AudioPlayer, type SpokenCall, type VoiceState } from './announcer.js';

/** A player whose clips end only when the test says so; it records starts and ends and counts overlaps. */
class FakePlayer implements AudioPlayer {
  readonly log: string[] = [];
  playing = 0;
  maxPlaying = 0;
  private endings: { url: string; end: () => void; fail: (e: Error) => void }[] = [];
  blockNext = false;

  play(url: string): Promise<void> {
    if (this.blockNext) {
      this.blockNext = false;
      return Promise.reject(new AudioError('AUTOPLAY_BLOCKED', 'blocked'));
    }
    this.playing += 1;
    this.maxPlaying = Math.max(this.maxPlaying, this.playing);
    this.log.push(`start ${url}`);
    return new Promise((resolve, reject) => {
      this.endings.push({
        url,
        end: () => {
          this.playing -= 1;
          this.log.push(`end ${url}`);
          resolve();
        },
        fail: (e) => {
          this.playing -= 1;
          reject(e);
        },
      });
    });
  }

  /** Ends the clip that is playing; lets the announcer's promise chain run. */
  async endCurrent(): Promise<string | undefined> {
    await flush();
    const e = this.endings.shift();
    e?.end();
    await flush();
    return e?.url;
  }

  async failCurrent(error: Error): Promise<void> {
    await flush();
    this.endings.shift()?.fail(error);
    await flush();
  }

  async endAll(): Promise<string[]> {
    const played: string[] = [];
    for (let url = await this.endCurrent(); url; url = await this.endCurrent()) played.push(url);
    return played;
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const clipsOf = async (c: SpokenCall) => [`/voice/zh/${c.ticket}.wav`, `/voice/zh/w${c.window}.wav`];
const call = (ticket: string, window = '3', recall = false): SpokenCall => ({ ticket, window, recall });

describe('CallAnnouncer', () => {
  it('plays calls and their clips in order, never two at once', async () => {
    const player = new FakePlayer();
    const states: VoiceState['kind'][] = [];
    const a = new CallAnnouncer({ resolveClips: clipsOf, player, onState: (s) => states.push(s.kind) });
    a.announce(call('A001'));
    a.announce(call('A002', '4'));
    a.announce(call('A001', '3', true)); // a recall repeats the announcement
    const played = await player.endAll();
    expect(played).toEqual(['/voice/zh/A001.wav', '/voice/zh/w3.wav', '/voice/zh/A002.wav', '/voice/zh/w4.wav', '/voice/zh/A001.wav', '/voice/zh/w3.wav']);
    expect(player.maxPlaying).toBe(1);
    // every start is followed by its own end before the next start
    for (let i = 0; i < player.log.length; i += 2) expect(player.log[i + 1]).toBe(player.log[i]!.replace('start', 'end'));
    expect(states.at(-1)).toBe('idle');
  });

  it('a call arriving while another is spoken waits for it', async () => {
    const player = new FakePlayer();
    const a = new CallAnnouncer({ resolveClips: clipsOf, player });
    a.announce(call('A001'));
    await flush();
    expect(player.log).toEqual(['start /voice/zh/A001.wav']);
    a.announce(call('B001', '5'));
    await flush();
    expect(player.playing).toBe(1);
    expect(await player.endAll()).toEqual(['/voice/zh/A001.wav', '/voice/zh/w3.wav', '/voice/zh/B001.wav', '/voice/zh/w5.wav']);
    expect(player.maxPlaying).toBe(1);
  });

  it('drops the oldest waiting calls beyond maxPending and counts them', async () => {
    const player = new FakePlayer();
    const a = new CallAnnouncer({ resolveClips: clipsOf, player, maxPending: 2 });
    a.announce(call('A001'));
    await flush(); // A001 is being spoken
    for (const t of ['A002', 'A003', 'A004', 'A005']) a.announce(call(t));
    expect(a.dropped).toBe(2);
    const played = await player.endAll();
    expect(played.filter((u) => /A\d+/.test(u))).toEqual(['/voice/zh/A001.wav', '/voice/zh/A004.wav', '/voice/zh/A005.wav']);
  });

  it('pauses when autoplay is blocked and replays that call after unlock', async () => {
    const player = new FakePlayer();
    const states: VoiceState[] = [];
    const a = new CallAnnouncer({ resolveClips: clipsOf, player, onState: (s) => states.push(s) });
    player.blockNext = true;
    a.announce(call('A001'));
    await flush();
    a.announce(call('A002'));
    await flush();
    expect(a.state).toEqual({ kind: 'blocked', call: call('A001') });
    expect(player.log).toEqual([]);
    a.unlock();
    expect(await player.endAll()).toEqual(['/voice/zh/A001.wav', '/voice/zh/w3.wav', '/voice/zh/A002.wav', '/voice/zh/w3.wav']);
    expect(a.state.kind).toBe('idle');
  });

  it('reports a call without clips or a failing clip and goes on with the next call', async () => {
    const player = new FakePlayer();
    const a = new CallAnnouncer({
      resolveClips: async (c) => {
        if (c.ticket === 'X001') throw new Error('voice clips were not generated on this host');
        return clipsOf(c);
      },
      player,
    });
    const kinds: string[] = [];
    const b = new CallAnnouncer({ resolveClips: clipsOf, player: player, onState: (s) => kinds.push(s.kind) });
    a.announce(call('X001'));
    await flush();
    expect(a.state).toEqual({ kind: 'unavailable', reason: 'voice clips were not generated on this host' });
    a.announce(call('A001'));
    expect(await player.endAll()).toEqual(['/voice/zh/A001.wav', '/voice/zh/w3.wav']);

    b.announce(call('A002'));
    b.announce(call('A003'));
    await player.failCurrent(new AudioError('PLAYBACK_FAILED', 'media error 4'));
    expect(kinds).toContain('error');
    // the rest of A002 is skipped; A003 is spoken
    expect(await player.endAll()).toEqual(['/voice/zh/A003.wav', '/voice/zh/w3.wav']);
  });
});

describe('CallAnnouncer start-up block', () => {
  it('holds calls while blocked by the probe and speaks them after unlock', async () => {
    const player = new FakePlayer();
    const a = new CallAnnouncer({ resolveClips: clipsOf, player });
    a.block();
    expect(a.state).toEqual({ kind: 'blocked' });
    a.announce(call('A001'));
    await flush();
    expect(player.log).toEqual([]);
    a.unlock();
    expect(await player.endAll()).toEqual(['/voice/zh/A001.wav', '/voice/zh/w3.wav']);
  });
});
