/**
 * Voice for the hall display: each call is spoken from pre-recorded clips, strictly one call after another and one
 * clip after another (never overlapping), in arrival order. Pure: the clip look-up and the audio player are injected
 * (HtmlAudioPlayer in the page, a fake in tests). The text of every call is shown by the page whether or not voice
 * works; this module only reports the voice state.
 *
 * - A recall is a new announcement (the citizen hears it again).
 * - At most `maxPending` calls wait (default 6, range 1..50); when more arrive, the oldest waiting ones are dropped
 *   and counted in `dropped`: a backlog of stale calls would mislead more than it helps, and the text is on screen.
 * - A browser that refuses autoplay (AUTOPLAY_BLOCKED) pauses the queue in state `blocked`; the page shows
 *   "点击启用语音", and `unlock()` (from that click) replays the call that was refused and goes on.
 * - A call without clips (host has none, network error) or a clip that fails is reported as `unavailable` / `error`
 *   with its reason and the queue goes on with the next call.
 */

export type AudioErrorCode = 'AUTOPLAY_BLOCKED' | 'PLAYBACK_FAILED' | 'PLAYBACK_TIMEOUT';

export class AudioError extends Error {
  override readonly name = 'AudioError';
  constructor(
    readonly code: AudioErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AudioPlayer {
  /** Resolves when the clip has ended; rejects with an AudioError. */
  play(url: string): Promise<void>;
}

export interface SpokenCall {
  ticket: string;
  window: string;
  recall: boolean;
}

export type VoiceState =
  | { kind: 'idle' }
  | { kind: 'speaking'; call: SpokenCall }
  /** `call` is the refused call; absent when a start-up probe found autoplay blocked before any call. */
  | { kind: 'blocked'; call?: SpokenCall }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; reason: string };

export interface CallAnnouncerOptions {
  /** Clip URLs of a call, in order (GET /api/v1/voice). Rejections are reported as `unavailable`. */
  resolveClips(call: SpokenCall): Promise<string[]>;
  player: AudioPlayer;
  onState?(state: VoiceState): void;
  maxPending?: number;
}

export class CallAnnouncer {
  private readonly pending: SpokenCall[] = [];
  private readonly maxPending: number;
  private running = false;
  private blocked = false;
  private state_: VoiceState = { kind: 'idle' };
  /** Calls dropped because too many were waiting. */
  dropped = 0;

  constructor(private readonly options: CallAnnouncerOptions) {
    this.maxPending = Math.min(50, Math.max(1, options.maxPending ?? 6));
  }

  get state(): VoiceState {
    return this.state_;
  }

  get waiting(): number {
    return this.pending.length;
  }

  announce(call: SpokenCall): void {
    this.pending.push(call);
    while (this.pending.length > this.maxPending) {
      this.pending.shift();
      this.dropped += 1;
    }
    void this.pump();
  }

  /** A start-up probe found autoplay blocked: wait for `unlock()` before speaking anything. */
  block(): void {
    if (this.blocked) return;
    this.blocked = true;
    this.setState({ kind: 'blocked' });
  }

  /** After a user gesture: leave `blocked` and replay the refused call. */
  unlock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    if (this.pending.length === 0) this.setState({ kind: 'idle' });
    void this.pump();
  }

  private setState(s: VoiceState): void {
    this.state_ = s;
    this.options.onState?.(s);
  }

  private async pump(): Promise<void> {
    if (this.running || this.blocked) return;
    this.running = true;
    try {
      for (let call = this.pending.shift(); call; call = this.blocked ? undefined : this.pending.shift()) {
        await this.speak(call);
      }
      if (!this.blocked && this.state_.kind === 'speaking') this.setState({ kind: 'idle' });
    } finally {
      this.running = false;
    }
  }

  private async speak(call: SpokenCall): Promise<void> {
    let clips: string[];
    try {
      clips = await this.options.resolveClips(call);
    } catch (e) {
      this.setState({ kind: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.setState({ kind: 'speaking', call });
    for (const url of clips) {
      try {
        await this.options.player.play(url);
      } catch (e) {
        if (e instanceof AudioError && e.code === 'AUTOPLAY_BLOCKED') {
          this.blocked = true;
          this.pending.unshift(call);
          this.setState({ kind: 'blocked', call });
          return;
        }
        this.setState({ kind: 'error', reason: e instanceof Error ? e.message : String(e) });
        return;
      }
    }
  }
}
