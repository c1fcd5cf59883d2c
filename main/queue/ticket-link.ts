import { classifyPayload } from '../../drivers/scanner/protocol.js';

/**
 * The two forms of a ticket's QR code (issue #10): `HKT:<token>` (kiosk scanners only) and, when the hall configured
 * `network.publicBaseUrl`, the follow page `<publicBaseUrl>/t/<token>` a phone can open. Kiosks accept both.
 */

/** `<publicBaseUrl>/t/<token>` for the engine's `HKT:<token>`; the payload unchanged when no URL is configured. */
export function followQrPayload(qrPayload: string, publicBaseUrl: string | undefined): string {
  const m = /^HKT:([0-9A-Za-z_-]{6,64})$/.exec(qrPayload);
  if (!publicBaseUrl || !m) return qrPayload;
  return `${publicBaseUrl.replace(/\/+$/, '')}/t/${m[1]!}`;
}

/**
 * The ticket token in a scanned code (`HKT:<token>`, `HKT.<token>` or a follow-page URL on any host, with or
 * without a path prefix); undefined for anything else. The token is checked against the queue by the caller.
 */
export function ticketTokenOf(code: string): string | undefined {
  const c = classifyPayload(code.trim());
  return c.kind === 'ticket' ? c.token : undefined;
}
