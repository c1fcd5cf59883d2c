import { AudioError, type AudioPlayer } from './announcer.js';

/**
 * Plays one clip at a time through an HTMLAudioElement. play() refused by the autoplay policy (NotAllowedError) is
 * AUTOPLAY_BLOCKED; a load or decode error is PLAYBACK_FAILED; a clip that has not ended after `timeoutMs`
 * (default 10 s; the longest clip is under 2 s) is PLAYBACK_TIMEOUT, so a stuck element cannot stall the queue.
 */
export class HtmlAudioPlayer implements AudioPlayer {
  constructor(private readonly timeoutMs = 10_000) {}

  /**
   * Whether this page may start audio without a click: plays `url` at volume 0 (the autoplay policy looks at
   * `muted`, not at the volume, so this is refused exactly when a real call would be). Resolves false only for
   * NotAllowedError; other failures resolve true (they are reported by the real playback).
   */
  async mayAutoplay(url: string): Promise<boolean> {
    const audio = new Audio(url);
    audio.volume = 0;
    try {
      await audio.play();
      audio.pause();
      return true;
    } catch (e) {
      return !(e instanceof DOMException && e.name === 'NotAllowedError');
    }
  }

  play(url: string): Promise<void> {
    const audio = new Audio(url);
    audio.preload = 'auto';
    return new Promise<void>((resolve, reject) => {
      const done = (err?: AudioError) => {
        clearTimeout(timer);
        audio.onended = null;
        audio.onerror = null;
        if (err) {
          audio.pause();
          reject(err);
        } else resolve();
      };
      const timer = setTimeout(() => done(new AudioError('PLAYBACK_TIMEOUT', `clip ${url} did not finish within ${this.timeoutMs} ms`)), this.timeoutMs);
      audio.onended = () => done();
      audio.onerror = () => done(new AudioError('PLAYBACK_FAILED', `clip ${url} could not be played (media error ${audio.error?.code ?? '?'})`));
      audio.play().catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'NotAllowedError') done(new AudioError('AUTOPLAY_BLOCKED', 'the browser blocks audio until the page is clicked'));
        else done(new AudioError('PLAYBACK_FAILED', `clip ${url}: ${e instanceof Error ? e.message : String(e)}`));
      });
    });
  }
}
