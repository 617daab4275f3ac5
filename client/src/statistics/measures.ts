import type { StatisticsDashboardQuery } from '../gql/graphql';

export type Measure = StatisticsDashboardQuery['statisticsMeasures'][number];
export type Row = StatisticsDashboardQuery['byTask']['rows'][number];

/** A figure as the tables show it: rates as percentages, ratios with two decimals, none as "—". */
export function formatMeasure(measure: Measure | undefined, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (measure?.kind === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (measure?.kind === 'ratio') return value.toFixed(2);
  return value.toLocaleString('zh-CN');
}

/** The label of a measure, from the server's definitions (measures.ts there). */
export const labelOf = (measures: Measure[], key: string) => measures.find((m) => m.key === key)?.label ?? key;
