import {
  FollowUpMeasureLabels,
  InspectionMethodLabels,
  InspectionStatusLabels,
  ProblemKindLabels,
  ResultCategoryLabels,
} from '../gql/enum-labels';
import type { FollowUpMeasure, InspectionMethod, InspectionStatus, ProblemKind, ResultCategory } from '../gql/graphql';

/** The labels come from the schema (gql/enum-labels.ts); only the order on the form and the colours are decided here. */
function inOrder<K extends string>(labels: Record<K, string>, order: readonly K[]): Record<K, string> {
  return Object.fromEntries(order.map((key) => [key, labels[key]])) as Record<K, string>;
}

const STATUS_COLORS: Record<InspectionStatus, string> = {
  ASSIGNED: 'blue',
  IN_PROGRESS: 'orange',
  SUBMITTED: 'purple',
  FINALISED: 'green',
};

export const STATUS_LABELS = Object.fromEntries(
  (Object.keys(STATUS_COLORS) as InspectionStatus[]).map((s) => [s, { label: InspectionStatusLabels[s], color: STATUS_COLORS[s] }]),
) as Record<InspectionStatus, { label: string; color: string }>;

export const RESULT_LABELS = inOrder<ResultCategory>(ResultCategoryLabels, [
  'NO_PROBLEM',
  'PROBLEM_PENDING',
  'PROBLEM_CORRECTED',
  'ACTIVITY_NOT_FOUND',
  'CLOSED_OR_LIQUIDATING',
  'NON_COOPERATION',
]);

export const PROBLEM_LABELS = inOrder<ProblemKind>(ProblemKindLabels, [
  'NOT_DISCLOSED',
  'FALSE_DISCLOSURE',
  'UNREACHABLE_AT_ADDRESS',
  'VIOLATES_OWN_RULES',
  'VIOLATES_OTHER_DEPARTMENT_RULES',
]);

export const FOLLOW_UP_LABELS = inOrder<FollowUpMeasure>(FollowUpMeasureLabels, [
  'NONE',
  'ORDER_CORRECTION',
  'REFER_CASE_HANDLING',
  'NOTIFY_DEPARTMENT',
  'OTHER',
]);

export const METHOD_LABELS = inOrder<InspectionMethod>(InspectionMethodLabels, ['ON_SITE', 'DOCUMENTARY', 'ONLINE', 'ENTRUSTED']);
