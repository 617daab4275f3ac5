import { Prng } from '../../core/prng.js';
import { EnterpriseStatus, OfficerStatus, RiskClass } from './registry.enums.js';
import { USCC_CHARSET, orgCodeCheckChar, usccCheckChar } from './uscc.js';

/**
 * Deterministic synthetic registries for demos, tests and benchmarks: the same seed and
 * index give the same record, with valid USCCs and a realistic mix of industries and risk.
 */

export interface SyntheticRegion {
  code: string;
  name: string;
  usccArea: string;
  /** Relative number of firms. */
  weight: number;
}

export interface SyntheticIndustry {
  code: string;
  name: string;
  weight: number;
}

export interface SyntheticEnterprise {
  uscc: string;
  name: string;
  regionCode: string;
  industryCodes: string[];
  riskClass: RiskClass;
  address: string;
  legalRepresentative: string;
  status: EnterpriseStatus;
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强志明晓东晓燕海燕红梅玉兰丽华文博子涵浩宇欣怡晨阳鹏飞';
const TRADE_WORDS = [
  '鑫源',
  '恒通',
  '宏达',
  '兴旺',
  '华泰',
  '太行',
  '丹河',
  '泽润',
  '凤城',
  '晋丰',
  '荣盛',
  '瑞祥',
  '永和',
  '金鼎',
  '广源',
  '天成',
  '福瑞',
  '长城',
  '新世纪',
  '佳诚',
  '通达',
  '中兴',
  '顺安',
  '嘉禾',
  '锦程',
  '华盛',
  '东方',
  '汇丰',
  '远航',
  '沁园',
];
const INDUSTRY_SUFFIX: Record<string, string[]> = {
  'C-USED-CAR': ['二手车经纪有限公司', '二手车交易市场有限公司', '旧机动车经销有限公司'],
  'C-CAR-SALES': ['汽车销售有限公司', '汽车贸易有限公司', '汽车销售服务有限公司'],
  'C-SCRAP-VEHICLE': ['报废汽车回收拆解有限公司', '再生资源回收有限公司'],
  'C-PREPAID-CARD': ['商贸有限公司', '百货有限公司', '超市有限公司', '美容美发店', '健身服务有限公司'],
  'C-FOREIGN-INVEST': ['（中外合资）有限公司', '国际贸易有限公司'],
  'C-AUCTION': ['拍卖有限公司'],
  'C-FRANCHISE': ['餐饮管理有限公司', '商业管理有限公司'],
  'M-FOOD-SALES': ['食品商行', '副食超市', '粮油经销部'],
  'M-CATERING': ['饭店', '餐饮有限公司', '小吃店'],
  'M-DRUG-RETAIL': ['大药房有限公司', '医药连锁有限公司'],
  'M-MED-DEVICE': ['医疗器械有限公司'],
  'M-SPECIAL-EQUIP': ['物业管理有限公司', '热力有限公司'],
  'M-INDUSTRIAL': ['建材有限公司', '机械制造有限公司', '铸造有限公司'],
  'M-COSMETICS': ['化妆品经营部', '日化商行'],
  'M-METROLOGY': ['加油站', '燃气有限公司'],
  'M-ONLINE-TRADE': ['电子商务有限公司', '网络科技有限公司'],
  'M-GENERAL': ['商贸有限公司', '科技有限公司', '建筑工程有限公司', '文化传媒有限公司'],
};
const STREETS = ['凤台街', '泽州路', '红星街', '书院街', '新市街', '黄华街', '太行路', '景西路', '中原街', '文昌街', '白水街', '兰花路'];

/** Risk mix seen in practice: most firms low or general risk. */
const RISK_MIX: [RiskClass, number][] = [
  [RiskClass.A_LOW, 0.55],
  [RiskClass.B_GENERAL, 0.33],
  [RiskClass.C_ELEVATED, 0.09],
  [RiskClass.D_HIGH, 0.03],
];
const STATUS_MIX: [EnterpriseStatus, number][] = [
  [EnterpriseStatus.OPERATING, 0.95],
  [EnterpriseStatus.DEREGISTERED, 0.03],
  [EnterpriseStatus.SUSPENDED, 0.01],
  [EnterpriseStatus.REVOKED, 0.01],
];
/** Industries that often come together in one firm (a car dealer that also sells used cars, …). */
const COMPANIONS: Record<string, string[]> = {
  'C-CAR-SALES': ['C-USED-CAR', 'C-PREPAID-CARD'],
  'C-USED-CAR': ['C-CAR-SALES'],
  'M-CATERING': ['C-PREPAID-CARD', 'C-FRANCHISE', 'M-FOOD-SALES'],
  'M-FOOD-SALES': ['C-PREPAID-CARD', 'M-ONLINE-TRADE'],
  'C-FRANCHISE': ['M-CATERING'],
};

export function personName(rng: Prng): string {
  const given = rng.next() < 0.5 ? GIVEN[rng.int(GIVEN.length)] : GIVEN.substr(rng.int(GIVEN.length - 1), 2);
  return SURNAMES[rng.int(SURNAMES.length)] + given;
}

/** A unique, valid USCC for firm number `index` in an area: 91 (enterprise) + area + org code + check. */
export function syntheticUscc(index: number, usccArea: string): string {
  // 7919 is coprime with 31, so index → body is one-to-one below 31^6 (≈ 887 million).
  let n = (index * 7919 + 104_729) % 31 ** 6;
  let body = '';
  for (let i = 0; i < 6; i++) {
    body = USCC_CHARSET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const org8 = `MA${body}`;
  const first17 = `91${usccArea}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}

function mix<T>(rng: Prng, table: [T, number][]): T {
  return rng.weighted(table, ([, w]) => w)[0];
}

/** Yields `count` enterprises, deterministic for (seed, index). */
export function* syntheticEnterprises(
  count: number,
  regions: readonly SyntheticRegion[],
  industries: readonly SyntheticIndustry[],
  seed = 'jincheng-demo',
  /** First firm number: registries generated with disjoint ranges never share a USCC. */
  startIndex = 0,
): Generator<SyntheticEnterprise> {
  const rng = new Prng(seed);
  const byCode = new Map(industries.map((i) => [i.code, i]));
  for (let index = startIndex; index < startIndex + count; index++) {
    const region = rng.weighted(regions, (r) => r.weight);
    const primary = rng.weighted(industries, (i) => i.weight);
    const industryCodes = [primary.code];
    const companions = (COMPANIONS[primary.code] ?? []).filter((c) => byCode.has(c));
    if (companions.length && rng.next() < 0.3) industryCodes.push(rng.pick(companions));
    const suffixes = INDUSTRY_SUFFIX[primary.code] ?? ['有限公司'];
    // County firms carry the county's name (泽州县…, 高平市…); city districts carry the city's.
    const namePrefix = /[县市]$/.test(region.name) && region.name !== '晋城市' ? region.name : '晋城市';
    yield {
      uscc: syntheticUscc(index, region.usccArea),
      name: `${namePrefix}${rng.pick(TRADE_WORDS)}${rng.pick(TRADE_WORDS)}${rng.pick(suffixes)}`,
      regionCode: region.code,
      industryCodes,
      riskClass: mix(rng, RISK_MIX),
      address: `山西省晋城市${region.name === '晋城市' ? '' : region.name}${rng.pick(STREETS)}${1 + rng.int(300)}号`,
      legalRepresentative: personName(rng),
      status: mix(rng, STATUS_MIX),
    };
  }
}

export interface SyntheticOfficer {
  certificateNo: string;
  name: string;
  specialties: string[];
  status: OfficerStatus;
  certificateValidUntil: string | null;
}

/** Officers of one department; certificate numbers are unique per (department index, n). */
export function syntheticOfficers(
  count: number,
  departmentIndex: number,
  specialties: readonly string[],
  seed = 'jincheng-officers',
): SyntheticOfficer[] {
  const rng = new Prng(`${seed}:${departmentIndex}`);
  return Array.from({ length: count }, (_, n) => {
    const own = new Set<string>();
    const wanted = 1 + rng.int(Math.min(3, specialties.length));
    while (own.size < wanted) own.add(rng.pick(specialties));
    const roll = rng.next();
    return {
      certificateNo: `14050${String(departmentIndex).padStart(2, '0')}${String(n + 1).padStart(4, '0')}`,
      name: personName(rng),
      specialties: [...own],
      // A few are away, a few carry an expired certificate: the draw must skip both.
      status: roll < 0.05 ? OfficerStatus.INACTIVE : OfficerStatus.ACTIVE,
      certificateValidUntil: roll > 0.97 ? '2025-12-31' : roll > 0.5 ? '2028-12-31' : null,
    };
  });
}
