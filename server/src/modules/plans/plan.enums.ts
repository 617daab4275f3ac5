import { registerEnumType } from 'type-graphql';

export enum PlanStatus {
  DRAFT = 'DRAFT',
  APPROVED = 'APPROVED',
}
registerEnumType(PlanStatus, {
  name: 'PlanStatus',
  description: '计划状态',
  valuesConfig: { DRAFT: { description: '草稿' }, APPROVED: { description: '已批准' } },
});

/** 抽查模式: who draws and whose officers go. */
export enum Mode {
  CITY_DRAWS_CITY_CHECKS = 'CITY_DRAWS_CITY_CHECKS',
  CITY_DRAWS_COUNTY_CHECKS = 'CITY_DRAWS_COUNTY_CHECKS',
  COUNTY_DRAWS_COUNTY_CHECKS = 'COUNTY_DRAWS_COUNTY_CHECKS',
}
registerEnumType(Mode, {
  name: 'Mode',
  description: '抽查模式',
  valuesConfig: {
    CITY_DRAWS_CITY_CHECKS: { description: '市抽市查' },
    CITY_DRAWS_COUNTY_CHECKS: { description: '市抽县查' },
    COUNTY_DRAWS_COUNTY_CHECKS: { description: '县抽县查' },
  },
});

export const MODE_LABELS: Record<Mode, string> = {
  CITY_DRAWS_CITY_CHECKS: '市抽市查',
  CITY_DRAWS_COUNTY_CHECKS: '市抽县查',
  COUNTY_DRAWS_COUNTY_CHECKS: '县抽县查',
};

export enum DrawType {
  DIRECTED = 'DIRECTED',
  UNDIRECTED = 'UNDIRECTED',
}
registerEnumType(DrawType, {
  name: 'DrawType',
  description: '抽查类型',
  valuesConfig: { DIRECTED: { description: '定向抽查' }, UNDIRECTED: { description: '不定向抽查' } },
});

export enum RatioKind {
  PERCENT = 'PERCENT',
  COUNT = 'COUNT',
  PER_RISK_CLASS = 'PER_RISK_CLASS',
  UNSPECIFIED = 'UNSPECIFIED',
}
registerEnumType(RatioKind, {
  name: 'RatioKind',
  description: '抽查比例的形式',
  valuesConfig: {
    PERCENT: { description: '按比例（可为“不低于”）' },
    COUNT: { description: '固定户数，如“20户”' },
    PER_RISK_CLASS: { description: '按信用风险分类分别规定比例' },
    UNSPECIFIED: { description: '未给出可计算的比例，保留原文' },
  },
});
