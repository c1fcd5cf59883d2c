import { SAMPLE_IDENTITIES } from '../../drivers/id-card/sample-identities.js';

/** The sample people's personal data (names, ID and pass numbers, addresses) that must never leave the kiosk. */
export function personalNeedles(): string[] {
  const out: string[] = [];
  for (const s of SAMPLE_IDENTITIES) {
    const card = s.card as unknown as Record<string, unknown>;
    for (const key of ['name', 'idNumber', 'address', 'appendedAddress', 'englishName', 'englishName1', 'chineseName', 'cardNumber', 'passNumber']) {
      const v = card[key];
      if (typeof v === 'string' && v.trim().length >= 2) out.push(v.trim());
    }
  }
  return out;
}
