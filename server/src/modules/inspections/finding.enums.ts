import { registerEnumType } from 'type-graphql';
import { describeValues } from '../../core/labels.js';

/** 检查结果 as the official result form lists them. */
export enum ResultCategory {
  NO_PROBLEM = 'NO_PROBLEM',
  PROBLEM_PENDING = 'PROBLEM_PENDING',
  PROBLEM_CORRECTED = 'PROBLEM_CORRECTED',
  ACTIVITY_NOT_FOUND = 'ACTIVITY_NOT_FOUND',
  CLOSED_OR_LIQUIDATING = 'CLOSED_OR_LIQUIDATING',
  NON_COOPERATION = 'NON_COOPERATION',
}
/** The result form's wording: the schema's descriptions and the public record's text. */
export const RESULT_LABELS: Record<ResultCategory, string> = {
  NO_PROBLEM: '未发现问题',
  PROBLEM_PENDING: '发现问题待后续处理',
  PROBLEM_CORRECTED: '发现问题已责令改正',
  ACTIVITY_NOT_FOUND: '未发现开展本次抽查涉及的经营活动',
  CLOSED_OR_LIQUIDATING: '已关闭停业或正在组织清算',
  NON_COOPERATION: '不配合检查情节严重',
};
registerEnumType(ResultCategory, { name: 'ResultCategory', description: '检查结果', valuesConfig: describeValues(RESULT_LABELS) });

/** The kinds of 发现问题待后续处理. */
export enum ProblemKind {
  NOT_DISCLOSED = 'NOT_DISCLOSED',
  FALSE_DISCLOSURE = 'FALSE_DISCLOSURE',
  UNREACHABLE_AT_ADDRESS = 'UNREACHABLE_AT_ADDRESS',
  VIOLATES_OWN_RULES = 'VIOLATES_OWN_RULES',
  VIOLATES_OTHER_DEPARTMENT_RULES = 'VIOLATES_OTHER_DEPARTMENT_RULES',
}
export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  NOT_DISCLOSED: '未按规定公示应当公示的信息',
  FALSE_DISCLOSURE: '公示信息隐瞒真实情况弄虚作假',
  UNREACHABLE_AT_ADDRESS: '通过登记的住所（经营场所）无法联系',
  VIOLATES_OWN_RULES: '违反本部门其他规定',
  VIOLATES_OTHER_DEPARTMENT_RULES: '违反其他部门相关规定',
};
registerEnumType(ProblemKind, {
  name: 'ProblemKind',
  description: '发现问题待后续处理的具体情形',
  valuesConfig: describeValues(PROBLEM_LABELS),
});

/** One line of result text, as a published record reads: “发现问题待后续处理（未按规定公示应当公示的信息）”. */
export function resultText(results: readonly ResultCategory[], problemKinds: readonly ProblemKind[]): string {
  return results
    .map((r) =>
      r === ResultCategory.PROBLEM_PENDING && problemKinds.length
        ? `${RESULT_LABELS[r]}（${problemKinds.map((k) => PROBLEM_LABELS[k]).join('、')}）`
        : RESULT_LABELS[r],
    )
    .join('；');
}

export enum FollowUpMeasure {
  NONE = 'NONE',
  ORDER_CORRECTION = 'ORDER_CORRECTION',
  REFER_CASE_HANDLING = 'REFER_CASE_HANDLING',
  NOTIFY_DEPARTMENT = 'NOTIFY_DEPARTMENT',
  OTHER = 'OTHER',
}
export const FOLLOW_UP_LABELS: Record<FollowUpMeasure, string> = {
  NONE: '无需后续处置',
  ORDER_CORRECTION: '责令改正',
  REFER_CASE_HANDLING: '移送办案机构',
  NOTIFY_DEPARTMENT: '抄告相关部门',
  OTHER: '其他',
};
registerEnumType(FollowUpMeasure, {
  name: 'FollowUpMeasure',
  description: '后续处置措施（责令改正须填写期限；选择“其他”须在备注中说明）',
  valuesConfig: describeValues(FOLLOW_UP_LABELS),
});
