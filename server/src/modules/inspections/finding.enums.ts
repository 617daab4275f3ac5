import { registerEnumType } from 'type-graphql';

/** 检查结果 as the official result form lists them. */
export enum ResultCategory {
  NO_PROBLEM = 'NO_PROBLEM',
  PROBLEM_PENDING = 'PROBLEM_PENDING',
  PROBLEM_CORRECTED = 'PROBLEM_CORRECTED',
  ACTIVITY_NOT_FOUND = 'ACTIVITY_NOT_FOUND',
  CLOSED_OR_LIQUIDATING = 'CLOSED_OR_LIQUIDATING',
  NON_COOPERATION = 'NON_COOPERATION',
}
registerEnumType(ResultCategory, {
  name: 'ResultCategory',
  description: '检查结果',
  valuesConfig: {
    NO_PROBLEM: { description: '未发现问题' },
    PROBLEM_PENDING: { description: '发现问题待后续处理' },
    PROBLEM_CORRECTED: { description: '发现问题已责令改正' },
    ACTIVITY_NOT_FOUND: { description: '未发现开展本次抽查涉及的经营活动' },
    CLOSED_OR_LIQUIDATING: { description: '已关闭停业或正在组织清算' },
    NON_COOPERATION: { description: '不配合检查情节严重' },
  },
});

/** The kinds of 发现问题待后续处理. */
export enum ProblemKind {
  NOT_DISCLOSED = 'NOT_DISCLOSED',
  FALSE_DISCLOSURE = 'FALSE_DISCLOSURE',
  UNREACHABLE_AT_ADDRESS = 'UNREACHABLE_AT_ADDRESS',
  VIOLATES_OWN_RULES = 'VIOLATES_OWN_RULES',
  VIOLATES_OTHER_DEPARTMENT_RULES = 'VIOLATES_OTHER_DEPARTMENT_RULES',
}
registerEnumType(ProblemKind, {
  name: 'ProblemKind',
  description: '发现问题待后续处理的具体情形',
  valuesConfig: {
    NOT_DISCLOSED: { description: '未按规定公示应当公示的信息' },
    FALSE_DISCLOSURE: { description: '公示信息隐瞒真实情况弄虚作假' },
    UNREACHABLE_AT_ADDRESS: { description: '通过登记的住所（经营场所）无法联系' },
    VIOLATES_OWN_RULES: { description: '违反本部门其他规定' },
    VIOLATES_OTHER_DEPARTMENT_RULES: { description: '违反其他部门相关规定' },
  },
});

export enum FollowUpMeasure {
  NONE = 'NONE',
  ORDER_CORRECTION = 'ORDER_CORRECTION',
  REFER_CASE_HANDLING = 'REFER_CASE_HANDLING',
  NOTIFY_DEPARTMENT = 'NOTIFY_DEPARTMENT',
  OTHER = 'OTHER',
}
registerEnumType(FollowUpMeasure, {
  name: 'FollowUpMeasure',
  description: '后续处置措施',
  valuesConfig: {
    NONE: { description: '无需后续处置' },
    ORDER_CORRECTION: { description: '责令改正（须填写期限）' },
    REFER_CASE_HANDLING: { description: '移送办案机构' },
    NOTIFY_DEPARTMENT: { description: '抄告相关部门' },
    OTHER: { description: '其他（须在备注中说明）' },
  },
});
