import { describe, expect, it } from 'vitest';
import { withoutSecrets, restoreSecrets, REDACTED } from '../staff/config-secrets.js';
import { deviceConditions, AlertTracker } from './alerts.js';
import { OfflineQueue } from './offline-queue.js';
import { canonicalJson, generateFleetKeyPair, loadPrivateKey, loadPublicKey, signConfig, verifyConfig } from './signing.js';
import { sampleKioskConfig } from './simulated-kiosk.js';
import { parseKioskTopic } from './topics.js';

describe('canonical JSON and Ed25519 config signatures', () => {
  it('sorts keys at every level, drops undefined, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: 'x', c: null }], e: undefined })).toBe('{"a":[3,{"c":null,"d":"x"}],"b":1}');
    expect(canonicalJson({ 名: '值' })).toBe('{"名":"值"}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    // RFC 8785 order: UTF-16 code units, so an astral key (U+1F600 = D83D DE00) sorts before U+FF61.
    expect(canonicalJson({ '\uff61': 1, '\u{1F600}': 2, a: 3, 名: 4 })).toBe('{"a":3,"名":4,"\u{1F600}":2,"\uff61":1}');
    expect(canonicalJson({ s: '\ud800', z: -0, f: 1.5e-7 })).toBe('{"f":1.5e-7,"s":"\\ud800","z":0}');
  });

  it('verifies a signature whatever the key order, and not after any change of config or version', () => {
    const k = generateFleetKeyPair();
    const priv = loadPrivateKey(k.privateKeyPem);
    const pub = loadPublicKey(k.publicKeyPem);
    const sig = signConfig(priv, { a: 1, b: { c: 2 } }, 7);
    expect(verifyConfig(pub, { b: { c: 2 }, a: 1 }, 7, sig)).toBe(true);
    expect(verifyConfig(pub, { a: 1, b: { c: 3 } }, 7, sig)).toBe(false);
    expect(verifyConfig(pub, { a: 1, b: { c: 2 } }, 8, sig)).toBe(false);
    expect(verifyConfig(pub, { a: 1, b: { c: 2 } }, 7, sig.slice(4))).toBe(false);
    // Non-ASCII text is signed as UTF-8 and survives a JSON round trip (as over MQTT); one changed character fails.
    const zh = { name: '从化区政务服务中心', note: '系統維護 😀' };
    const zhSig = signConfig(priv, zh, 9);
    expect(verifyConfig(pub, JSON.parse(JSON.stringify(zh)) as unknown, 9, zhSig)).toBe(true);
    expect(verifyConfig(pub, { ...zh, note: '系统維護 😀' }, 9, zhSig)).toBe(false);
    // Base64 SPKI DER works as well as PEM.
    const der = pub.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(verifyConfig(loadPublicKey(der), { a: 1, b: { c: 2 } }, 7, sig)).toBe(true);
  });
});

describe('offline queue', () => {
  it('keeps only the newest stats and drops stats before alerts when full', () => {
    const q = new OfflineQueue(3);
    q.push({ kind: 'stats', topic: 's', payload: '1' });
    q.push({ kind: 'alert', topic: 'a', payload: 'a1' });
    q.push({ kind: 'stats', topic: 's', payload: '2' });
    expect(q.size).toBe(2);
    q.push({ kind: 'alert', topic: 'a', payload: 'a2' });
    q.push({ kind: 'alert', topic: 'a', payload: 'a3' });
    expect(q.dropped).toBe(1);
    expect(q.drain().map((m) => m.payload)).toEqual(['a1', 'a2', 'a3']);
    q.push({ kind: 'alert', topic: 'a', payload: 'a4' });
    q.push({ kind: 'alert', topic: 'a', payload: 'a5' });
    q.push({ kind: 'alert', topic: 'a', payload: 'a6' });
    q.push({ kind: 'alert', topic: 'a', payload: 'a7' });
    expect(q.drain().map((m) => m.payload)).toEqual(['a5', 'a6', 'a7']);
  });
});

describe('alerts from device facts', () => {
  it('maps printer details and states to codes', () => {
    const codes = (state: 'ok' | 'warning' | 'error' | 'offline', detail: string) => deviceConditions({ id: 'receiptPrinter', state, detail }).map((c) => c.code);
    expect(codes('error', 'paper end')).toEqual(['PAPER_OUT']);
    expect(codes('warning', 'paper near end')).toEqual(['PAPER_NEAR_END']);
    expect(codes('error', 'cover open')).toEqual(['COVER_OPEN']);
    expect(codes('offline', 'disconnected')).toEqual(['DEVICE_OFFLINE']);
    expect(codes('error', 'cutter error')).toEqual(['DEVICE_ERROR']);
    expect(codes('ok', 'ready')).toEqual([]);
    // Only a state that stops printing counts; a write-only link (warning) is not a near-end roll.
    expect(codes('warning', 'write-only link: printer status cannot be read; prints are unverified')).toEqual([]);
    expect(codes('error', 'no status answer: timed out (paper end?)')).toEqual(['DEVICE_ERROR']);
    expect(codes('ok', 'paper end')).toEqual([]);
    expect(deviceConditions({ id: 'a4Printer', state: 'error', detail: 'paper end' }).map((c) => c.code)).toEqual(['DEVICE_ERROR']);
  });

  it('opens once per condition and resolves with the same id', () => {
    const t = new AlertTracker('k1', () => new Date(0));
    const [open] = t.update('device:receiptPrinter', deviceConditions({ id: 'receiptPrinter', state: 'error', detail: 'paper end' }));
    expect(t.update('device:receiptPrinter', deviceConditions({ id: 'receiptPrinter', state: 'error', detail: 'paper end' }))).toEqual([]);
    const [closed] = t.update('device:receiptPrinter', []);
    expect(closed).toMatchObject({ id: open!.id, resolved: true });
  });
});

describe('fleet topics and secrets', () => {
  it('parses the topic layout', () => {
    expect(parseKioskTopic('hk/v1', 'hk/v1/hall-a/k1/alert')).toEqual({ hallId: 'hall-a', kioskId: 'k1', kind: 'alert' });
    expect(parseKioskTopic('hk/v1', 'hk/v1/hall-a/k1/x')).toBeNull();
    expect(parseKioskTopic('hk/v1', 'hk/v2/hall-a/k1/status')).toBeNull();
  });

  it('never shows the broker password in exported configs and bundles, and puts it back on save', () => {
    const c = sampleKioskConfig();
    c.fleet = { url: 'mqtt://127.0.0.1:1883', password: 'broker-secret-1', topicPrefix: 'hk/v1', statsIntervalS: 60, offlineQueueMax: 500 };
    const shown = withoutSecrets(c);
    expect(JSON.stringify(shown)).not.toContain('broker-secret-1');
    expect(shown.fleet?.password).toBe(REDACTED);
    expect((restoreSecrets(shown, c) as typeof c).fleet?.password).toBe('broker-secret-1');
  });
});
