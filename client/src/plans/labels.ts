import type { Mode } from '../gql/graphql';

export const MODE_LABELS: Record<Mode, string> = {
  CITY_DRAWS_CITY_CHECKS: '市抽市查',
  CITY_DRAWS_COUNTY_CHECKS: '市抽县查',
  COUNTY_DRAWS_COUNTY_CHECKS: '县抽县查',
};

export function windowLabel(from?: number | null, to?: number | null): string {
  if (from == null && to == null) return '未规定';
  return `${from ?? '?'}月—${to ?? '?'}月`;
}

export function frequencyLabel(perYear?: number | null): string {
  return perYear ? `${perYear}次/年` : '';
}
