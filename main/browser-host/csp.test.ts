import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { startTestKiosk, within, type TestKiosk } from '../lan/test-host.js';
import { startBrowserHost, type BrowserHost } from './server.js';
import { contentSecurityPolicy } from './static.js';

/**
 * The browser host's Content-Security-Policy (the Electron host's is tested in main/electron/lockdown.test.ts):
 * every answer of the 127.0.0.1 host carries it, with connections allowed only back to this host's bridge.
 */
let kiosk: TestKiosk;
let host: BrowserHost;

beforeAll(async () => {
  kiosk = await startTestKiosk();
  host = await startBrowserHost({ services: kiosk.services, rendererDir: kiosk.rendererDir, port: 0, logger: createLogger('csp-test') });
});
afterAll(async () => {
  await within(host.close(), 5000);
  await kiosk.cleanup();
});

describe('browser host CSP', () => {
  it.each(['/', '/index.html', '/assets/app.js', '/no-such-page', '/healthz'])('is sent with %s', async (p) => {
    const res = await fetch(`${host.url}${p}`);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy');
    expect(csp).toBe(contentSecurityPolicy(`ws://127.0.0.1:${host.port}`));
  });

  it('allows only own scripts, no eval, no plugins, no framing, and connections only to this host', () => {
    const csp = contentSecurityPolicy(`ws://127.0.0.1:${host.port}`);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['script-src']).toBe("'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['connect-src']).toBe(`'self' ws://127.0.0.1:${host.port}`);
  });
});
