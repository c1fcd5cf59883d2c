/**
 * Fictional people for the simulator control panel and tests. Every name, number and address is invented (张三 and
 * 李四 are the Chinese "John Doe"; 陳大文 the Hong Kong one; addresses are on 示例路 "Example Road"); ID numbers carry
 * valid GB 11643 check characters so the driver's validation passes. Labels carry no full name.
 * Simulator-side data: production code does not import it.
 */
import type { PlacedCard, SimulatedCard } from './simulator.js';

export interface SampleIdentity {
  id: string;
  label: string;
  card: SimulatedCard;
}

export const SAMPLE_IDENTITIES = [
  {
    id: 'gz-resident-adult',
    label: 'Guangzhou resident, adult (张*明)',
    card: {
      type: 'resident',
      name: '张三明',
      gender: '1',
      nation: '01',
      birth: '19900307',
      address: '广东省广州市越秀区示例路1号101房',
      idNumber: '440104199003070017',
      authority: '广州市公安局越秀分局',
      validFrom: '20180315',
      validTo: '20380315',
      appendedAddress: '广东省广州市越秀区示例新路8号',
    },
  },
  {
    id: 'gz-resident-elderly',
    label: 'Guangzhou resident born 1950, elderly (李*芳)',
    card: {
      type: 'resident',
      name: '李四芳',
      gender: '2',
      nation: '01',
      birth: '19500615',
      address: '广东省广州市天河区示例路2号',
      idNumber: '440106195006150025',
      authority: '广州市公安局天河分局',
      validFrom: '20100520',
      validTo: '长期',
    },
  },
  {
    id: 'gz-resident-long-term',
    label: 'Resident with a 长期 (long-term) card, age 50+ (王*华)',
    card: {
      type: 'resident',
      name: '王五华',
      gender: '1',
      nation: '08',
      birth: '19720412',
      address: '广东省广州市天河区示例路3号',
      idNumber: '440106197204120037',
      authority: '广州市公安局天河分局',
      validFrom: '20190801',
      validTo: '长期',
    },
  },
  {
    id: 'gz-resident-rare-character',
    label: 'Resident whose name has a 生僻字 outside GBK (陈*)',
    card: {
      type: 'resident',
      // 𠇔 U+201D4 (CJK Ext. B): a surrogate pair in UTF-16, not encodable in 2-byte GBK
      name: '陈𠇔',
      gender: '2',
      nation: '15',
      birth: '19881001',
      address: '广东省广州市黄埔区示例路4号',
      idNumber: '440111198810010044',
      authority: '广州市公安局黄埔分局',
      validFrom: '20200101',
      validTo: '20400101',
    },
  },
  {
    id: 'hk-resident-permit',
    label: 'Hong Kong resident, 港澳台居民居住证 J (陳*文)',
    card: {
      type: 'J',
      name: '陳大文',
      gender: '1',
      birth: '19950505',
      address: '广东省深圳市福田区示例路5号',
      idNumber: '810000199505050014',
      authority: '深圳市公安局福田分局',
      validFrom: '20210601',
      validTo: '20260601',
      passNumber: 'H12345678',
      issueCount: '01',
    },
  },
  {
    id: 'macao-resident-permit',
    label: 'Macao resident, 港澳台居民居住证 J (何*玲)',
    card: {
      type: 'J',
      name: '何示玲',
      gender: '2',
      birth: '19881111',
      address: '广东省珠海市香洲区示例路6号',
      idNumber: '820000198811110027',
      authority: '珠海市公安局香洲分局',
      validFrom: '20220310',
      validTo: '20270310',
      passNumber: 'M87654321',
      issueCount: '02',
    },
  },
  {
    id: 'foreigner-2017',
    label: 'Foreign permanent resident, 2017 card I (S*****)',
    card: {
      type: 'I',
      englishName: 'SAMPLE, JOHN',
      gender: '1',
      cardNumber: 'CAN440780315001',
      nationality: 'CAN',
      chineseName: '约翰',
      validFrom: '20190902',
      validTo: '20290902',
      birth: '19780315',
      cardVersion: '01',
      officeCode: '1500',
    },
  },
  {
    id: 'foreigner-2023',
    label: 'Foreign permanent resident, 2023 card Y (玛*)',
    card: {
      type: 'Y',
      name: '玛丽',
      gender: '2',
      renewalCount: '00',
      birth: '19850707',
      englishName1: 'SAMPLE MARY ANNE',
      cardNumber: '944124198507070013',
      validFrom: '20240115',
      validTo: '20340115',
      englishName2: '',
      nationality: 'GBR',
    },
  },
] as const satisfies readonly SampleIdentity[];

export type SampleIdentityId = (typeof SAMPLE_IDENTITIES)[number]['id'];

export function sampleIdentity(id: SampleIdentityId): SampleIdentity {
  const found = SAMPLE_IDENTITIES.find((s) => s.id === id);
  if (!found) throw new Error(`no sample identity "${id}"`);
  return found;
}

/** A sample card ready for `IdCardReaderSimulator.placeCard`, optionally with 1024 fictional fingerprint bytes. */
export function samplePlacedCard(id: SampleIdentityId, options: { fingerprint?: boolean } = {}): PlacedCard {
  const card = sampleIdentity(id).card;
  if (!options.fingerprint) return { card };
  const fp = new Uint8Array(1024);
  for (let i = 0; i < fp.length; i++) fp[i] = (i * 37 + 11) & 0xff;
  return { card, fingerprint: fp };
}
