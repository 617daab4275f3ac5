import type { EnterpriseStatus, OfficerStatus, RiskClass } from '../gql/graphql';

export const RISK_LABELS: Record<RiskClass, { label: string; color: string }> = {
  A_LOW: { label: 'A 低风险', color: 'green' },
  B_GENERAL: { label: 'B 一般风险', color: 'blue' },
  C_ELEVATED: { label: 'C 较高风险', color: 'orange' },
  D_HIGH: { label: 'D 高风险', color: 'red' },
};

export const ENTERPRISE_STATUS_LABELS: Record<EnterpriseStatus, string> = {
  OPERATING: '存续',
  SUSPENDED: '歇业',
  REVOKED: '吊销',
  DEREGISTERED: '注销',
};

export const OFFICER_STATUS_LABELS: Record<OfficerStatus, string> = { ACTIVE: '在岗', INACTIVE: '不在岗' };
