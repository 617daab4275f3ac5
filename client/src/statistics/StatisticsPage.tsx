import { App, Button, Card, Col, DatePicker, Row as GridRow, Select, Space, Statistic, Tabs, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { downloadFile, type DownloadProgress } from '../common/download';
import type { RiskClass, StatisticsFilter } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { RISK_LABELS } from '../registry/labels';
import { ApiTokensPanel } from './ApiTokensPanel';
import { ChartCard } from './ChartCard';
import { Dashboard, Options } from './documents';
import { labelOf, type Measure, type Row } from './measures';

const THIS_YEAR = new Date().getFullYear();
const percent = { type: 'value' as const, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, max: 1, min: 0 };

/** Bars for counts (left axis) and an optional line for a rate (right axis), by group label. */
function barsAndRate(rows: Row[], measures: Measure[], bars: (keyof Row)[], rateKey?: keyof Row): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: rateKey ? 48 : 16, bottom: 64, top: 36 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.label),
      axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0, width: 90, overflow: 'truncate' },
    },
    yAxis: rateKey ? [{ type: 'value' }, percent] : [{ type: 'value' }],
    series: [
      ...bars.map((key) => ({
        type: 'bar' as const,
        barMaxWidth: 40,
        name: labelOf(measures, key),
        data: rows.map((r) => r[key] as number | null),
      })),
      ...(rateKey
        ? [{ type: 'line' as const, name: labelOf(measures, rateKey), yAxisIndex: 1, data: rows.map((r) => r[rateKey] as number | null) }]
        : []),
    ],
  };
}

function rateBars(rows: Row[], measures: Measure[], key: keyof Row): EChartsOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—') },
    grid: { left: 48, right: 16, bottom: 64, top: 24 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.label),
      axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0, width: 90, overflow: 'truncate' },
    },
    yAxis: percent,
    series: [{ type: 'bar', barMaxWidth: 40, name: labelOf(measures, key), data: rows.map((r) => r[key] as number | null) }],
  };
}

function funnel(measures: Measure[], total: Row | undefined, keys: (keyof Row)[]): EChartsOption {
  const values = keys.map((key) => (total?.[key] as number | null) ?? 0);
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        // The widths are relative to the first stage (ECharts' default scale is 0–100).
        min: 0,
        max: Math.max(1, ...values),
        minSize: '8%',
        label: { formatter: '{b}：{c}' },
        data: keys.map((key, i) => ({ name: labelOf(measures, key), value: values[i] })),
      },
    ],
  };
}

/** One of the filters: several values or none (none = no limit). */
function MultiSelect<T extends string | number = number>(props: {
  label: string;
  width: number;
  value: readonly T[] | null | undefined;
  options: { value: T; label: string }[];
  onChange: (value: T[]) => void;
}) {
  return (
    <Select<T[]>
      aria-label={props.label}
      mode="multiple"
      allowClear
      placeholder={props.label}
      style={{ minWidth: props.width }}
      value={[...(props.value ?? [])]}
      options={props.options}
      onChange={props.onChange}
    />
  );
}

/** The query string of a statistics export, with the page's filter. */
function exportQuery(filter: StatisticsFilter, groupBy: string[]): string {
  const params = new URLSearchParams({ year: String(filter.year) });
  if (groupBy.length) params.set('groupBy', groupBy.join(','));
  for (const key of ['departmentIds', 'taskIds', 'regionIds', 'industryIds', 'riskClasses'] as const) {
    const values = filter[key];
    if (values?.length) params.set(key, values.join(','));
  }
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  return params.toString();
}

/** 统计分析: the year's figures by task, industry, region, month and risk class, each as a chart and a table, with the exports. */
export function StatisticsPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<StatisticsFilter>({ year: THIS_YEAR });
  const [progress, setProgress] = useState<(DownloadProgress & { name: string }) | null>(null);
  const [{ data, fetching, error }, reload] = useQuery({ query: Dashboard, variables: { filter }, requestPolicy: 'cache-and-network' });
  const [{ data: options }] = useQuery({ query: Options, variables: { year: filter.year } });
  const measures = data?.statisticsMeasures ?? [];
  const total = data?.byTask.total;
  const roles = session?.user.roles ?? [];
  const desk = roles.some((r) => r === 'STAFF' || r === 'HEAD');

  const download = (path: string, fileName: string) => {
    setProgress({ name: fileName, bytes: 0, rows: null });
    downloadFile(path, session!.token, fileName, (p) => setProgress({ name: fileName, ...p }))
      .catch((e: Error) => message.error(e.message))
      .finally(() => setProgress(null));
  };
  const exportTable = (groupBy: string[], name: string) => () =>
    download(`/api/statistics.xlsx?${exportQuery(filter, groupBy)}`, `${name}-${filter.year}.xlsx`);
  const choose = (list: { id: number; name: string }[] | undefined) => (list ?? []).map((o) => ({ value: o.id, label: o.name }));
  const set = (patch: Partial<StatisticsFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const charts = useMemo(() => {
    if (!data) return null;
    return {
      tasks: barsAndRate(data.byTask.rows, measures, ['visits', 'visitsFinalised'], 'completionRate'),
      industries: rateBars(data.byIndustry.rows, measures, 'problemRate'),
      regions: rateBars(data.byRegion.rows, measures, 'problemRate'),
      months: barsAndRate(data.byMonth.rows, measures, ['visitsFinalised', 'published', 'publishedOnTime'], 'onTimeRate'),
      risks: barsAndRate(data.byRisk.rows, measures, ['firmsInScope', 'firmsDrawn']),
      referrals: funnel(measures, total, ['referralsOpened', 'referralsAccepted', 'referralsClosed']),
      corrections: funnel(measures, total, ['correctionsOrdered', 'correctionsDone']),
    };
  }, [data, measures, total]);

  const dashboard = (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Select
            aria-label="年度"
            value={filter.year}
            style={{ width: 100 }}
            options={[THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2].map((y) => ({ value: y, label: `${y} 年` }))}
            onChange={(year: number) => setFilter({ year })}
          />
          <MultiSelect
            label="部门"
            width={160}
            value={filter.departmentIds}
            options={choose(options?.statisticsOptions.departments)}
            onChange={(v) => set({ departmentIds: v })}
          />
          <MultiSelect
            label="抽查任务"
            width={200}
            value={filter.taskIds}
            options={choose(options?.statisticsOptions.tasks)}
            onChange={(v) => set({ taskIds: v })}
          />
          <MultiSelect
            label="行政区划"
            width={140}
            value={filter.regionIds}
            options={choose(options?.statisticsOptions.regions)}
            onChange={(v) => set({ regionIds: v })}
          />
          <MultiSelect
            label="行业"
            width={140}
            value={filter.industryIds}
            options={choose(options?.statisticsOptions.industries)}
            onChange={(v) => set({ industryIds: v })}
          />
          <MultiSelect<RiskClass>
            label="风险分类"
            width={140}
            value={filter.riskClasses}
            options={(Object.keys(RISK_LABELS) as RiskClass[]).map((r) => ({ value: r, label: RISK_LABELS[r].label }))}
            onChange={(v) => set({ riskClasses: v })}
          />
          <DatePicker.RangePicker
            picker="month"
            aria-label="月份"
            placeholder={['起始月份', '截止月份']}
            value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
            onChange={(range) => set({ from: range?.[0]?.format('YYYY-MM') ?? null, to: range?.[1]?.format('YYYY-MM') ?? null })}
          />
          <Button onClick={() => reload({ requestPolicy: 'network-only' })} loading={fetching}>
            刷新
          </Button>
        </Space>
      </Card>
      {error && <Typography.Text type="danger">{errorText(error)}</Typography.Text>}
      <Card size="small">
        <Space wrap size="large">
          {(
            ['visits', 'completionRate', 'problemRate', 'publicationRate', 'visitsSaved', 'correctionsOverdue', 'referralsOverdue'] as const
          ).map((key) => {
            const measure = measures.find((m) => m.key === key);
            const value = total?.[key] ?? null;
            return (
              <Statistic
                key={key}
                title={<span title={measure?.formula}>{measure?.label ?? key}</span>}
                value={value === null ? '—' : measure?.kind === 'rate' ? (value * 100).toFixed(1) : value}
                suffix={value !== null && measure?.kind === 'rate' ? '%' : undefined}
              />
            );
          })}
        </Space>
        <Space wrap style={{ marginTop: 12 }}>
          <Button onClick={() => download(`/api/statistics/summary.xlsx?year=${filter.year}`, `汇总表-${filter.year}.xlsx`)}>
            导出年度汇总表
          </Button>
          <Button onClick={exportTable(['DEPARTMENT', 'TASK'], '统计表-部门与任务')}>导出统计表（部门 × 任务）</Button>
          {desk && (
            <Button
              onClick={() =>
                download(
                  `/api/inspections.xlsx?year=${filter.year}${filter.taskIds?.length ? `&taskIds=${filter.taskIds.join(',')}` : ''}`,
                  `检查清单-${filter.year}.xlsx`,
                )
              }
            >
              导出检查清单
            </Button>
          )}
          {progress && (
            <Typography.Text type="secondary" role="status">
              正在导出 {progress.name}
              {progress.rows !== null ? `（共 ${progress.rows.toLocaleString('zh-CN')} 行）` : ''}… 已接收{' '}
              {(progress.bytes / 1024 / 1024).toFixed(1)} MB
            </Typography.Text>
          )}
          {data && <Typography.Text type="secondary">统计日 {data.byTask.asOf}（逾期按此日判断）</Typography.Text>}
        </Space>
      </Card>
      {charts && data && (
        <GridRow gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <ChartCard
              title="各任务完成情况"
              option={charts.tasks}
              rows={data.byTask.rows}
              measures={measures}
              columns={['firmsInScope', 'firmsDrawn', 'visits', 'visitsFinalised', 'completionRate', 'itemsPerVisit', 'visitsSaved']}
              onExport={exportTable(['TASK'], '统计表-任务')}
            />
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard
              title="抽取户数与名录（按风险分类）"
              option={charts.risks}
              rows={data.byRisk.rows}
              measures={measures}
              columns={['firmsInScope', 'firmsDrawn', 'visits', 'visitsWithProblem', 'problemRate']}
              onExport={exportTable(['RISK_CLASS'], '统计表-风险分类')}
            />
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard
              title="问题发现率（按行业）"
              option={charts.industries}
              rows={data.byIndustry.rows}
              measures={measures}
              columns={['visits', 'visitsFinalised', 'visitsWithProblem', 'problemRate']}
              onExport={exportTable(['INDUSTRY'], '统计表-行业')}
            />
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard
              title="问题发现率（按行政区划）"
              option={charts.regions}
              rows={data.byRegion.rows}
              measures={measures}
              columns={['visits', 'visitsFinalised', 'visitsWithProblem', 'problemRate']}
              onExport={exportTable(['REGION'], '统计表-行政区划')}
            />
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard
              title="公示及时性（按月）"
              option={charts.months}
              rows={data.byMonth.rows}
              measures={measures}
              columns={['visitsFinalised', 'published', 'publishedOnTime', 'publicationRate', 'onTimeRate']}
              onExport={exportTable(['MONTH'], '统计表-月份')}
            />
          </Col>
          <Col xs={24} xl={6}>
            <ChartCard
              title="问题线索移送"
              option={charts.referrals}
              rows={total ? [total] : []}
              measures={measures}
              columns={['referralsOpened', 'referralsAccepted', 'referralsClosed', 'referralsOverdue']}
            />
          </Col>
          <Col xs={24} xl={6}>
            <ChartCard
              title="责令改正"
              option={charts.corrections}
              rows={total ? [total] : []}
              measures={measures}
              columns={['correctionsOrdered', 'correctionsDone', 'correctionsOverdue']}
            />
          </Col>
        </GridRow>
      )}
    </Space>
  );

  return (
    <Tabs
      items={[
        { key: 'charts', label: '统计分析', children: dashboard },
        ...(desk ? [{ key: 'tokens', label: '报表令牌', children: <ApiTokensPanel /> }] : []),
      ]}
    />
  );
}
