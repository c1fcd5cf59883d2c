import { existsSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { callToClips, callToText, type VoiceLang } from '../../drivers/call-display/voice.js';
import { isDriverError } from '../../drivers/errors.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { toPublicConfig } from '../core/public-config.js';
import type { HallInfo, VoiceCall } from '../contract/queue-wire.js';

export type { HallInfo, VoiceCall } from '../contract/queue-wire.js';
import { HallTime } from '../queue/hall-time.js';

/**
 * Read-only routes the LAN pages need beyond the queue API (any valid token: display, counter, kiosk, manager or a
 * counter session). Envelopes as in main/queue/api.ts.
 *
 * | GET /api/v1/hall                              | hall name, languages, categories, today's announcements (public config, no secrets) |
 * | GET /api/v1/voice?ticket=A012&window=3&lang=zh | { text, clips: ['/voice/zh/qing.wav', …] } from drivers/call-display/voice.ts; 503 NOT_AVAILABLE when this host has no generated clips; 400 BAD_REQUEST for input without clips |
 */
export interface LanRoutesOptions {
  config: () => KioskConfig;
  /** Folder with `<lang>/<id>.wav` (dist/voice). */
  voiceDir: string;
  now?: () => Date;
}



export type LanRouteResult = { status: number; body: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } };

export function hallInfo(config: KioskConfig, now: Date): HallInfo {
  const pub = toPublicConfig(config);
  const today = new HallTime(config.hall.utcOffset).day(now);
  const active = new Set(config.announcements.filter((a) => (!a.from || a.from <= today) && (!a.to || a.to >= today)).map((a) => a.id));
  return {
    name: pub.name,
    hall: pub.hall,
    languages: pub.kiosk.languages,
    defaultLanguage: pub.kiosk.defaultLanguage,
    categories: pub.categories,
    announcements: pub.announcements.filter((a) => active.has(a.id)),
  };
}

export function voiceCall(query: URLSearchParams, voiceDir: string): LanRouteResult {
  const ticket = query.get('ticket') ?? '';
  const window = query.get('window') ?? '';
  const langRaw = query.get('lang') ?? 'zh';
  if (langRaw !== 'zh' && langRaw !== 'en') return bad(`lang must be zh or en, got "${langRaw.slice(0, 8)}"`);
  const lang: VoiceLang = langRaw;
  if (!/^[A-Za-z0-9]{1,8}$/.test(ticket) || !/^[0-9A-Za-z-]{1,8}$/.test(window)) return bad('ticket and window must be 1-8 letters or digits');
  let clips: string[];
  try {
    clips = callToClips({ ticket, window }, lang);
  } catch (e) {
    if (isDriverError(e, 'DISPLAY_REJECTED')) return bad(e.message);
    throw e;
  }
  const missing = clips.filter((id) => !existsSync(path.join(voiceDir, lang, `${id}.wav`)));
  if (missing.length > 0) {
    return { status: 503, body: { ok: false, error: { code: 'NOT_AVAILABLE', message: `voice clips were not generated on this host (missing ${lang}/${missing[0]}.wav)` } } };
  }
  const value: VoiceCall = { text: callToText({ ticket, window }, lang), clips: clips.map((id) => `/voice/${lang}/${encodeURIComponent(id)}.wav`) };
  return { status: 200, body: { ok: true, value } };
}

function bad(message: string): LanRouteResult {
  return { status: 400, body: { ok: false, error: { code: 'BAD_REQUEST', message } } };
}

/** Routes /api/v1/hall and /api/v1/voice; undefined for anything else. The caller has authenticated the request. */
export function lanRoute(req: http.IncomingMessage, options: LanRoutesOptions): LanRouteResult | undefined {
  if (req.method !== 'GET') return undefined;
  const url = new URL(req.url ?? '/', 'http://lan.local');
  if (url.pathname === '/api/v1/hall') return { status: 200, body: { ok: true, value: hallInfo(options.config(), options.now?.() ?? new Date()) } };
  if (url.pathname === '/api/v1/voice') return voiceCall(url.searchParams, options.voiceDir);
  return undefined;
}

export function isLanRoute(req: http.IncomingMessage): boolean {
  const p = (req.url ?? '/').split('?')[0];
  return req.method === 'GET' && (p === '/api/v1/hall' || p === '/api/v1/voice');
}
