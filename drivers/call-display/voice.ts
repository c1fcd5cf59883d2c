/**
 * Voice calls from pre-recorded clips ("请 A012 号到 3 号窗口"): deterministic and offline, as queue systems do it.
 *
 * Reading rules (zh):
 *   - ticket: letters by name, digits one by one (A012 → A 0 1 2: "A 零一二"), as halls read ticket numbers;
 *   - window: 1..99 without a leading zero is read as a number (12 → 十二, 20 → 二十, 21 → 二十一), because
 *     "请到十二号窗口" is what citizens expect; anything else (`03`, `101`, `B2`) is read character by character.
 * English (`en`) follows the same rules ("number A zero one two, please go to window twelve").
 * Unsupported characters (e.g. a Chinese window name) are DISPLAY_REJECTED: there is no clip for them.
 *
 * Clip ids and texts come from voice-clips.json, which build/voice/generate-clips.mjs renders with espeak-ng into
 * `<clipDir>/<lang>/<id>.wav` (default clipDir dist/voice).
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DriverError, asDriverError, isDriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet } from '../transport/transport.js';
import { CallDisplayStatusTracker, type Call, type CallDisplay, type CallDisplayStatus } from './call-display.js';
import clipTable from './voice-clips.json' with { type: 'json' };
import { concatWav } from './wav.js';

export type VoiceLang = 'zh' | 'en';
export const VOICE_LANGS: readonly VoiceLang[] = ['zh', 'en'];

/** Every clip id a language has (the generator renders exactly these). */
export function clipIds(lang: VoiceLang): string[] {
  return Object.keys(clipTable.clips[lang]);
}

function charClips(s: string, what: string): string[] {
  return [...s.toUpperCase()].map((ch) => {
    if (!/^[0-9A-Z]$/.test(ch)) {
      throw new DriverError('DISPLAY_REJECTED', `${what} contains "${ch}", which has no voice clip (only 0-9 and A-Z)`, {
        detail: { what },
      });
    }
    return ch;
  });
}

function zhNumber(n: number): string[] {
  if (n < 10) return [String(n)];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return [...(tens === 1 ? [] : [String(tens)]), 'shi', ...(ones ? [String(ones)] : [])];
}

function enNumber(n: number): string[] {
  if (n < 20) return [String(n)];
  const ones = n % 10;
  return [String(n - ones), ...(ones ? [String(ones)] : [])];
}

function windowClips(window: string, lang: VoiceLang): string[] {
  if (/^[1-9][0-9]?$/.test(window)) {
    const n = Number(window);
    return lang === 'zh' ? zhNumber(n) : enNumber(n);
  }
  return charClips(window, 'window');
}

/** Pure: a call → the clip ids to play, in order. */
export function callToClips(call: { ticket: string; window: string }, lang: VoiceLang = 'zh'): string[] {
  if (!call.ticket || !call.window) throw new DriverError('DISPLAY_REJECTED', 'ticket and window are required for a voice call');
  const ticket = charClips(call.ticket, 'ticket');
  const window = windowClips(call.window, lang);
  switch (lang) {
    case 'zh':
      return ['qing', ...ticket, 'hao', 'dao', ...window, 'hao', 'chuangkou'];
    case 'en':
      return ['number', ...ticket, 'please-go-to-window', ...window];
    default: {
      const never: never = lang;
      throw new DriverError('DISPLAY_REJECTED', `unsupported voice language ${String(never)}`);
    }
  }
}

/** The text shown with the voice (for deaf citizens), e.g. `请 A012 号到 3 号窗口`. */
export function callToText(call: { ticket: string; window: string }, lang: VoiceLang = 'zh'): string {
  switch (lang) {
    case 'zh':
      return `请 ${call.ticket} 号到 ${call.window} 号窗口`;
    case 'en':
      return `Number ${call.ticket}, please go to window ${call.window}`;
    default: {
      const never: never = lang;
      throw new DriverError('DISPLAY_REJECTED', `unsupported voice language ${String(never)}`);
    }
  }
}

export function clipPath(clipDir: string, lang: VoiceLang, id: string): string {
  return join(clipDir, lang, `${id}.wav`);
}

/** Plays the given WAV files back to back; resolves when playback ended. Rejects with a DriverError. */
export type ClipPlayer = (clipPaths: string[]) => Promise<void>;

export interface SystemPlayerOptions {
  /** Players tried in order, first found on PATH wins; default paplay, pw-play, aplay. */
  candidates?: string[];
  /** Silence between clips, ms; default 60. */
  gapMs?: number;
  /** Kill a playback that takes longer, ms; default 30000. */
  timeoutMs?: number;
}

async function onPath(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      await access(p, fsConstants.X_OK);
      return p;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
    }
  }
  return undefined;
}

/** Error detail reason used when the host has no audio output at all. */
export const NO_AUDIO_OUTPUT = 'no audio output';

/**
 * The host's default player: concatenates the clips into one WAV (one process per call, no gaps between processes)
 * and plays it with paplay / pw-play / aplay. Without any of them it rejects with DEVICE_NOT_READY
 * (`detail.reason = 'no audio output'`); the announcer turns that into a status, it never crashes.
 */
export function createSystemPlayer(options: SystemPlayerOptions = {}): ClipPlayer {
  const candidates = options.candidates ?? ['paplay', 'pw-play', 'aplay'];
  let found: Promise<string | undefined> | undefined;
  return async (clipPaths) => {
    found ??= (async () => {
      for (const c of candidates) {
        const p = await onPath(c);
        if (p) return p;
      }
      return undefined;
    })();
    const player = await found;
    if (!player) {
      throw new DriverError('DEVICE_NOT_READY', `${NO_AUDIO_OUTPUT}: none of ${candidates.join(', ')} is installed`, {
        detail: { reason: NO_AUDIO_OUTPUT },
      });
    }
    const wav = concatWav(await Promise.all(clipPaths.map((p) => readFile(p))), options.gapMs ?? 60);
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-voice-'));
    const file = join(dir, 'call.wav');
    try {
      await writeFile(file, wav);
      await new Promise<void>((resolve, reject) => {
        execFile(player, [file], { timeout: options.timeoutMs ?? 30_000 }, (err, _stdout, stderr) => {
          if (err) {
            reject(
              new DriverError('DEVICE_NOT_READY', `${player} failed: ${String(stderr).trim() || err.message}`, {
                cause: err,
                detail: { reason: 'playback failed' },
              }),
            );
          } else resolve();
        });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

export interface Announcement {
  call: Call;
  lang: VoiceLang;
  text: string;
  clips: string[];
}

export interface AnnounceResult {
  call: Call;
  played: boolean;
  /** Why it was not played: no audio output, missing clip, cleared before its turn. */
  error?: DriverError;
}

export type VoiceAudioState = 'unknown' | 'ok' | 'no-output' | 'error';

export interface VoiceAnnouncerOptions {
  /** Folder with `<lang>/<id>.wav`; default `dist/voice`. */
  clipDir?: string;
  /** Languages spoken for each call, in order; default ['zh']. */
  langs?: VoiceLang[];
  /** Times each call is spoken; 1..3, default 1 (many halls say it twice). */
  repeat?: number;
  player?: ClipPlayer;
  logger?: DriverLogger;
}

/**
 * Speaks calls strictly in order, never overlapping: a FIFO queue in front of one player. Each call is emitted as
 * text (`onAnnounced`) when its turn comes, whether or not audio works. As a CallDisplay, `show` only enqueues
 * (it resolves at once; the hub must not wait for seconds of speech); `announce` resolves when the call was spoken.
 */
export class VoiceAnnouncer implements CallDisplay {
  readonly name = 'voice';
  private readonly clipDir: string;
  private readonly langs: VoiceLang[];
  private readonly repeat: number;
  private readonly player: ClipPlayer;
  private readonly log: DriverLogger;
  private readonly tracker = new CallDisplayStatusTracker();
  private readonly announcedListeners = new ListenerSet<[Announcement]>();
  private readonly queue: { call: Call; done: (r: AnnounceResult) => void }[] = [];
  private running = false;
  private audio_: VoiceAudioState = 'unknown';

  constructor(options: VoiceAnnouncerOptions = {}) {
    this.clipDir = options.clipDir ?? join('dist', 'voice');
    this.langs = options.langs?.length ? options.langs : ['zh'];
    this.repeat = Math.min(3, Math.max(1, options.repeat ?? 1));
    this.player = options.player ?? createSystemPlayer();
    this.log = options.logger ?? silentLogger;
  }

  get status(): CallDisplayStatus {
    return this.tracker.status;
  }

  get audio(): VoiceAudioState {
    return this.audio_;
  }

  /** Calls waiting, not counting the one being spoken. */
  get pending(): number {
    return this.queue.length;
  }

  onAnnounced(listener: (a: Announcement) => void): () => void {
    return this.announcedListeners.add(listener);
  }

  announce(call: Call): Promise<AnnounceResult> {
    return new Promise((done) => {
      this.queue.push({ call, done });
      void this.pump();
    });
  }

  async show(call: Call): Promise<void> {
    // Reject unspeakable calls at once (the hub reports it); speakable ones are queued.
    for (const lang of this.langs) callToClips(call, lang);
    void this.announce(call);
  }

  /** Drops calls not yet spoken (the one being spoken finishes). */
  async clear(): Promise<void> {
    for (const item of this.queue.splice(0)) {
      item.done({ call: item.call, played: false, error: new DriverError('DEVICE_CLOSED', 'voice queue cleared') });
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        item.done(await this.speak(item.call));
      }
    } finally {
      this.running = false;
    }
  }

  private async speak(call: Call): Promise<AnnounceResult> {
    let played = true;
    let firstError: DriverError | undefined;
    for (const lang of this.langs) {
      let clips: string[];
      try {
        clips = callToClips(call, lang);
      } catch (e) {
        firstError ??= asDriverError(e, 'DISPLAY_REJECTED');
        played = false;
        continue;
      }
      try {
        this.announcedListeners.emit({ call, lang, text: callToText(call, lang), clips });
      } catch (e) {
        // a broken text subscriber must not stop the voice queue; it is logged, the call is still spoken
        this.log.error({ code: asDriverError(e, 'DEVICE_NOT_READY').code, lang }, 'announced listener failed');
      }
      const paths = clips.map((id) => clipPath(this.clipDir, lang, id));
      for (let r = 0; r < this.repeat; r++) {
        try {
          await this.player(paths);
          this.audio_ = 'ok';
          this.tracker.ok();
        } catch (e) {
          const error = asDriverError(e, 'DEVICE_NOT_READY');
          firstError ??= error;
          played = false;
          this.audio_ = isDriverError(error, 'DEVICE_NOT_READY') && error.detail?.reason === NO_AUDIO_OUTPUT ? 'no-output' : 'error';
          this.tracker.fault(error);
          this.log.warn({ code: error.code, message: error.message, lang }, 'voice call not played');
          break;
        }
      }
    }
    return firstError ? { call, played, error: firstError } : { call, played };
  }
}
