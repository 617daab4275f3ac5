import { registerEnumType } from 'type-graphql';

/** 信用风险分类 A/B/C/D. */
export enum RiskClass {
  A_LOW = 'A_LOW',
  B_GENERAL = 'B_GENERAL',
  C_ELEVATED = 'C_ELEVATED',
  D_HIGH = 'D_HIGH',
}
registerEnumType(RiskClass, {
  name: 'RiskClass',
  description: '信用风险分类',
  valuesConfig: {
    A_LOW: { description: 'A类 低风险' },
    B_GENERAL: { description: 'B类 一般风险' },
    C_ELEVATED: { description: 'C类 较高风险' },
    D_HIGH: { description: 'D类 高风险' },
  },
});

export const RISK_CLASS_LABELS: Record<RiskClass, string> = {
  A_LOW: '低风险',
  B_GENERAL: '一般风险',
  C_ELEVATED: '较高风险',
  D_HIGH: '高风险',
};

/** 登记状态. */
export enum EnterpriseStatus {
  OPERATING = 'OPERATING',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
  DEREGISTERED = 'DEREGISTERED',
}
registerEnumType(EnterpriseStatus, {
  name: 'EnterpriseStatus',
  description: '登记状态',
  valuesConfig: {
    OPERATING: { description: '存续（在营、开业）' },
    SUSPENDED: { description: '歇业' },
    REVOKED: { description: '吊销' },
    DEREGISTERED: { description: '注销' },
  },
});

export enum OfficerStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(OfficerStatus, {
  name: 'OfficerStatus',
  description: '执法人员状态',
  valuesConfig: { ACTIVE: { description: '在岗' }, INACTIVE: { description: '不在岗（调离、退休、暂停执法）' } },
});
