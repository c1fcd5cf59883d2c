import { describe, expect, it } from 'vitest';
import { followQrPayload, ticketTokenOf } from './ticket-link.js';

describe('ticket QR forms', () => {
  const token = 'Tk_0123456789abcdefXYZ';
  it('the QR is the follow URL when a public base URL is configured, else HKT:<token>', () => {
    expect(followQrPayload(`HKT:${token}`, 'https://hall.example.gov.cn/q')).toBe(`https://hall.example.gov.cn/q/t/${token}`);
    expect(followQrPayload(`HKT:${token}`, 'https://hall.example.gov.cn/q/')).toBe(`https://hall.example.gov.cn/q/t/${token}`);
    expect(followQrPayload(`HKT:${token}`, undefined)).toBe(`HKT:${token}`);
    expect(followQrPayload('', 'https://hall.example.gov.cn')).toBe(''); // purged token: nothing to link to
  });

  it.each([
    [`HKT:${token}`, token],
    [`HKT.${token}`, token],
    [`https://hall.example.gov.cn/q/t/${token}`, token],
    [`http://10.0.0.5:8788/t/${token}/`, token],
    [` HKT:${token}\r`, token],
    ['https://example.com/news', undefined],
    ['HKT:abc', undefined],
    ['YY20240501-0031', undefined],
  ])('the kiosk scanner reads %s as ticket %s', (code, expected) => {
    expect(ticketTokenOf(code)).toBe(expected);
  });
});
