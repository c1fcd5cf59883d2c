import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, noPhotoDecoder, OpaqueCardBytes, toMaskedIdentity } from './identity.js';
import { parseTextBlock } from './protocol.js';
import { sampleIdentity, type SampleIdentityId } from './sample-identities.js';
import { buildTextBlock } from './simulator.js';

const identity = (id: SampleIdentityId) => parseTextBlock(buildTextBlock(sampleIdentity(id).card), new Uint8Array(1024));

describe('masking', () => {
  it('names: first and last character, 2-char names keep the first, code points not code units', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('陈𠇔')).toBe('陈*');
    expect(maskName('𠇔明华')).toBe('𠇔*华');
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('SAMPLE, JOHN')).toBe('S*****, J***');
  });
  it('ID numbers: first 6 and last 2 by default, configurable', () => {
    expect(maskIdNumber('44010219900307121X')).toBe('440102**********1X');
    expect(maskIdNumber('44010219900307121X', { keepStart: 4, keepEnd: 4 })).toBe('4401**********121X');
    expect(maskIdNumber('1234')).toBe('****');
  });
  it('address keeps the first 6 characters', () => {
    expect(maskAddress('广东省广州市越秀区示例路1号101房')).toBe('广东省广州市…');
    expect(maskAddress('广东省广州市')).toBe('广东省广州市');
  });
});

describe('toMaskedIdentity', () => {
  it('adult resident: masked name and ID, age on the kiosk date, not elderly', () => {
    const m = toMaskedIdentity(identity('gz-resident-adult'), '2025-03-06');
    expect(m).toEqual({
      cardType: 'resident',
      cardTypeLabel: '居民身份证',
      name: '张*明',
      idNumber: '440104**********17',
      gender: 'male',
      age: 34,
      isElderly: false,
      isExpired: false,
    });
    expect(JSON.stringify(m)).not.toMatch(/张三明|440104199003070017|示例路|1990/);
  });
  it('elderly from 65 on the given date; long-term never expires', () => {
    const id = identity('gz-resident-elderly');
    expect(toMaskedIdentity(id, '2015-06-14').isElderly).toBe(false);
    expect(toMaskedIdentity(id, '2015-06-15')).toMatchObject({ age: 65, isElderly: true, isExpired: false });
    expect(toMaskedIdentity(id, '2015-06-14', { elderlyAge: 60 }).isElderly).toBe(true);
  });
  it('expired card and J-card region', () => {
    const hk = toMaskedIdentity(identity('hk-resident-permit'), '2026-06-02');
    expect(hk).toMatchObject({ isExpired: true, region: 'hong-kong', name: '陳*文', cardTypeLabel: '港澳台居民居住证' });
    expect(toMaskedIdentity(identity('hk-resident-permit'), '2026-06-01').isExpired).toBe(false);
  });
  it('foreigner with a Chinese name uses it; masked either way', () => {
    expect(toMaskedIdentity(identity('foreigner-2023'), '2025-01-01').name).toBe('玛*');
    expect(toMaskedIdentity(identity('foreigner-2017'), '2025-01-01').name).toBe('约*');
  });
  it('no photo decoder ships: decode returns null', async () => {
    expect(await noPhotoDecoder.decode(new OpaqueCardBytes('photo', new Uint8Array(1024)))).toBeNull();
  });
});
