import { describe, expect, it } from 'vitest';
import { redactPath, redactString, redactValue } from './redact.js';

describe('ticket tokens and the bridge secret in logs', () => {
  const token = 'Zq9secretTicketToken_abc123';

  it.each([
    [`/api/v1/tickets/${token}`, '/api/v1/tickets/Zq9s…'],
    [`/api/v1/follow/${token}/rating`, '/api/v1/follow/Zq9s…/rating'],
    [`GET /t/${token} 404`, 'GET /t/Zq9s… 404'],
    [`https://hall.example.gov.cn/q/t/${token}`, 'https://hall.example.gov.cn/q/t/Zq9s…'],
    [`scanned HKT:${token}`, 'scanned HKT:Zq9s…'],
    [`/api/v1/stream?token=${token}&x=1`, '/api/v1/stream?token=Zq9s…&x=1'],
    [`http://127.0.0.1:8787/#k=${token}`, 'http://127.0.0.1:8787/#k=[redacted]'],
  ])('%s → %s', (input, output) => {
    expect(redactString(input)).toBe(output);
    expect(redactPath(input)).toBe(output);
  });

  it('keeps plain ticket ids and unrelated text', () => {
    expect(redactString('/api/v1/tickets/42')).toBe('/api/v1/tickets/42');
    expect(redactString('ticket A012 called at window 3')).toBe('ticket A012 called at window 3');
  });

  it('redacts token-carrying fields and nested paths in logged objects', () => {
    const v = redactValue({ path: `/t/${token}`, ticketToken: token, qrPayload: `HKT:${token}`, launchUrl: 'http://x/#k=s' }) as Record<string, unknown>;
    expect(JSON.stringify(v)).not.toContain(token);
    expect(v).toEqual({ path: '/t/Zq9s…', ticketToken: '[redacted]', qrPayload: '[redacted]', launchUrl: '[redacted]' });
  });

  it('bounds a logged path', () => {
    expect(redactPath(`/x/${'a'.repeat(500)}`).length).toBeLessThanOrEqual(201);
  });
});
