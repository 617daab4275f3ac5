import type { FollowUpMeasure, InspectionMethod, InspectionStatus, ProblemKind, ResultCategory } from '../gql/graphql';

export const STATUS_LABELS: Record<InspectionStatus, { label: string; color: string }> = {
  ASSIGNED: { label: '已派员', color: 'blue' },
  IN_PROGRESS: { label: '检查中', color: 'orange' },
  SUBMITTED: { label: '已提交', color: 'purple' },
  FINALISED: { label: '已办结', color: 'green' },
};

export const RESULT_LABELS: Record<ResultCategory, string> = {
  NO_PROBLEM: '未发现问题',
  PROBLEM_PENDING: '发现问题待后续处理',
  PROBLEM_CORRECTED: '发现问题已责令改正',
  ACTIVITY_NOT_FOUND: '未发现开展本次抽查涉及的经营活动',
  CLOSED_OR_LIQUIDATING: '已关闭停业或正在组织清算',
  NON_COOPERATION: '不配合检查情节严重',
};

export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  NOT_DISCLOSED: '未按规定公示应当公示的信息',
  FALSE_DISCLOSURE: '公示信息隐瞒真实情况弄虚作假',
  UNREACHABLE_AT_ADDRESS: '通过登记的住所（经营场所）无法联系',
  VIOLATES_OWN_RULES: '违反本部门其他规定',
  VIOLATES_OTHER_DEPARTMENT_RULES: '违反其他部门相关规定',
};

export const FOLLOW_UP_LABELS: Record<FollowUpMeasure, string> = {
  NONE: '无需后续处置',
  ORDER_CORRECTION: '责令改正',
  REFER_CASE_HANDLING: '移送办案机构',
  NOTIFY_DEPARTMENT: '抄告相关部门',
  OTHER: '其他',
};

export const METHOD_LABELS: Record<InspectionMethod, string> = {
  ON_SITE: '实地检查',
  DOCUMENTARY: '书面检查',
  ONLINE: '网络监测',
  ENTRUSTED: '委托专业机构',
};
