import { RiskClass } from '../../registry/registry.enums.js';
import { DrawType, Mode, RatioKind } from '../plan.enums.js';

/** Parsers for the cells of a published plan table. Each keeps the original text; none drops a cell silently. */

export interface ParsedRatio {
  kind: RatioKind;
  percent: number | null;
  /** Per risk class (A_LOW → 5 …), for "A类5%，B类10%…". */
  perRiskClass?: Partial<Record<RiskClass, number>>;
  atLeast: boolean;
  count: number | null;
  text: string;
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function number(text: string): number {
  return CHINESE_DIGITS[text] ?? Number(text);
}

/** "10% 1次/年", "不低于5%; 1次/年", "抽查比例不低于10%；抽查1次", "20户", "100%" … */
export function parseRatio(raw: string): { ratio: ParsedRatio; frequencyPerYear: number | null; warnings: string[] } {
  const text = raw.trim();
  const warnings: string[] = [];
  const compact = text.replace(/\s/g, '');
  const frequency =
    /(\d+|[一二两三四五六七八九十])次(?:\/|每)?年|每年(\d+|[一二两三四五六七八九十])次|抽查(\d+|[一二两三四五六七八九十])次/.exec(compact);
  const frequencyPerYear = frequency ? number(frequency[1] ?? frequency[2] ?? frequency[3]) : null;
  const RISK_CLASSES: Record<string, RiskClass> = {
    A: RiskClass.A_LOW,
    B: RiskClass.B_GENERAL,
    C: RiskClass.C_ELEVATED,
    D: RiskClass.D_HIGH,
  };
  const perClass = [...compact.matchAll(/([ABCD])类(?:企业)?(?:抽查比例)?(?:为|不低于)?(\d+(?:\.\d+)?)[%％]/g)];
  if (perClass.length >= 2) {
    const perRiskClass: Partial<Record<RiskClass, number>> = {};
    for (const m of perClass) perRiskClass[RISK_CLASSES[m[1]]] = Number(m[2]);
    return {
      ratio: { kind: RatioKind.PER_RISK_CLASS, percent: null, atLeast: false, count: null, perRiskClass, text },
      frequencyPerYear,
      warnings,
    };
  }
  const percent = /(不低于|不少于|至少|≥)?(?:抽查比例)?(不低于|不少于|至少|≥)?(\d+(?:\.\d+)?)[%％]/.exec(compact);
  if (percent) {
    return {
      ratio: {
        kind: RatioKind.PERCENT,
        percent: Number(percent[3]),
        atLeast: Boolean(percent[1] || percent[2] || /不低于|不少于/.test(compact.slice(0, percent.index))),
        count: null,
        text,
      },
      frequencyPerYear,
      warnings,
    };
  }
  const count = /(\d+)(户|家|个)/.exec(compact);
  if (count) {
    return {
      ratio: { kind: RatioKind.COUNT, percent: null, atLeast: /不低于|不少于|至少/.test(compact), count: Number(count[1]), text },
      frequencyPerYear,
      warnings,
    };
  }
  warnings.push(text ? `抽查比例“${text}”不是可计算的比例或户数，已按原文保留` : '抽查比例为空');
  return { ratio: { kind: RatioKind.UNSPECIFIED, percent: null, atLeast: false, count: null, text }, frequencyPerYear, warnings };
}

/** "3月-12月", "3月—12月", "2024年3月-12月", "2024年9月至2024年11月". */
export function parseWindow(raw: string): { window: { fromMonth: number; toMonth: number } | null; warnings: string[] } {
  const text = raw.replace(/\s/g, '');
  if (!text) return { window: null, warnings: [] };
  const m = /(?:\d{4}年)?(\d{1,2})月(?:\d{1,2}日)?[-—–~～至到]+(?:\d{4}年)?(\d{1,2})月/.exec(text);
  if (m) {
    const fromMonth = Number(m[1]);
    const toMonth = Number(m[2]);
    if (fromMonth >= 1 && toMonth <= 12 && fromMonth <= toMonth) return { window: { fromMonth, toMonth }, warnings: [] };
  }
  return { window: null, warnings: [`抽查起止时间“${raw.trim()}”无法识别为月份区间，已按原文保留`] };
}

const MODE_WORDS: [RegExp, Mode][] = [
  [/市抽市查|市抽查/g, Mode.CITY_DRAWS_CITY_CHECKS],
  [/市抽县查/g, Mode.CITY_DRAWS_COUNTY_CHECKS],
  [/县抽县查/g, Mode.COUNTY_DRAWS_COUNTY_CHECKS],
];

/** "市抽市查", "市抽查" (= 市抽市查), "【市抽县查】…", several in one cell; in order of appearance. */
export function parseModes(raw: string): { modes: Mode[]; warnings: string[] } {
  const found: { index: number; mode: Mode }[] = [];
  for (const [pattern, mode] of MODE_WORDS) for (const m of raw.matchAll(pattern)) found.push({ index: m.index, mode });
  const modes = [...new Set(found.sort((a, b) => a.index - b.index).map((f) => f.mode))];
  const warnings =
    raw.trim() && modes.length === 0 ? [`抽查模式“${raw.trim()}”无法识别（应为 市抽市查、市抽县查、县抽县查），已按原文保留`] : [];
  return { modes, warnings };
}

export function parseDrawType(raw: string): { drawType: DrawType | null; warnings: string[] } {
  const text = raw.replace(/\s/g, '');
  if (!text) return { drawType: null, warnings: [] };
  if (text.includes('不定向')) return { drawType: DrawType.UNDIRECTED, warnings: [] };
  if (text.includes('定向')) return { drawType: DrawType.DIRECTED, warnings: [] };
  return { drawType: null, warnings: [`抽查类型“${raw.trim()}”无法识别（应为 定向 或 不定向）`] };
}

/**
 * Departments named in one cell ("市市场监管局 市公安局", "市商务局、市税务局"). A unit inside a
 * department ("市商务局对外经济合作科组织发起") is read as that department, with a warning.
 */
export function parseDepartments(raw: string): { names: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const names: string[] = [];
  for (const part of raw.split(/[\s、，,;；/]+/).filter(Boolean)) {
    const m = /^(.+?(?:局|委员会|委|办公室|办|院|中心|支队|大队))/.exec(part);
    if (!m) {
      warnings.push(`“${part}”不像部门名称，已按原文保留`);
      names.push(part);
    } else {
      if (m[1] !== part) warnings.push(`“${part}”按“${m[1]}”识别`);
      names.push(m[1]);
    }
  }
  return { names, warnings };
}

/**
 * The numbered checks in a 抽查事项 cell: "1.…；2.…", "1、…2、…", "…的检查 3.…". A number counts as a
 * marker only when it is the next one expected, so "2017年" or "500万元" never split an item.
 */
export function parseItems(raw: string): string[] {
  const text = raw.trim();
  if (!text) return [];
  const markers: { index: number; end: number }[] = [];
  // "1." but not "1.5"; "2、" even before a digit ("2、2017年…").
  const pattern = /(\d{1,2})\s*(?:、|[.．](?!\d))/g;
  let expected = 1;
  for (const m of text.matchAll(pattern)) {
    if (Number(m[1]) !== expected) continue;
    if (expected === 1 && text.slice(0, m.index).trim() !== '') continue;
    markers.push({ index: m.index, end: m.index + m[0].length });
    expected++;
  }
  if (markers.length < 2) return [text.replace(/^\d{1,2}\s*[.、．]\s*/, '').replace(/[；;。，,\s]+$/, '')];
  return markers.map((marker, i) =>
    text
      .slice(marker.end, markers[i + 1]?.index ?? text.length)
      .trim()
      .replace(/[；;。，,\s]+$/, ''),
  );
}

/**
 * The 抽查对象范围 cell as the hub writes it: the scope's words, then the industries and regions
 * chosen in the hub that the words do not name, in 【行业：…；区域：…】 (so an import gets them back).
 */
export function formatScope(text: string, industries: string[], regions: string[]): string {
  const parts = [
    ...(industries.some((n) => !text.includes(n)) ? [`行业：${industries.join('、')}`] : []),
    ...(regions.some((n) => !text.includes(n)) ? [`区域：${regions.join('、')}`] : []),
  ];
  return parts.length ? `${text}【${parts.join('；')}】` : text;
}

/** The reverse of formatScope: the words, and the industries and regions named in 【…】 (null: none named). */
export function parseScope(cell: string): { text: string; industries: string[] | null; regions: string[] | null } {
  const m = /【([^【】]*)】\s*$/.exec(cell);
  if (!m) return { text: cell, industries: null, regions: null };
  const list = (label: string) => {
    const part = m[1].split('；').find((p) => p.startsWith(`${label}：`));
    return part
      ? part
          .slice(label.length + 1)
          .split('、')
          .filter(Boolean)
      : null;
  };
  return { text: cell.slice(0, m.index).trim(), industries: list('行业'), regions: list('区域') };
}
