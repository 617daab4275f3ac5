import { Button, Card, Segmented, Table } from 'antd';
import type { EChartsOption } from 'echarts';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useState } from 'react';
import { echarts } from './echarts';
import { formatMeasure, type Measure, type Row } from './measures';

interface Props {
  title: string;
  option: EChartsOption;
  rows: Row[];
  /** The measures the table shows (keys of StatisticsRow). */
  columns: string[];
  measures: Measure[];
  onExport?: () => void;
}

/** A chart with its figures as a table beside it (图表 / 表格), and the table's export. */
export function ChartCard({ title, option, rows, columns, measures, onExport }: Props) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const byKey = new Map(measures.map((m) => [m.key, m]));
  return (
    <Card
      title={title}
      size="small"
      extra={
        <>
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            options={[
              { label: '图表', value: 'chart' },
              { label: '表格', value: 'table' },
            ]}
          />
          {onExport && (
            <Button size="small" type="link" onClick={onExport}>
              导出
            </Button>
          )}
        </>
      }
    >
      {view === 'chart' ? (
        rows.length ? (
          <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280 }} notMerge aria-label={`${title}图表`} />
        ) : (
          <div style={{ height: 280, display: 'grid', placeItems: 'center', color: '#999' }}>暂无数据</div>
        )
      ) : (
        <Table<Row>
          size="small"
          rowKey="label"
          pagination={false}
          scroll={{ x: true }}
          dataSource={rows}
          aria-label={`${title}表格`}
          columns={[
            { title: '分组', dataIndex: 'label', fixed: 'left' },
            ...columns.map((key) => ({
              title: byKey.get(key)?.label ?? key,
              key,
              align: 'right' as const,
              render: (_: unknown, row: Row) => formatMeasure(byKey.get(key), row[key as keyof Row] as number | null),
            })),
          ]}
        />
      )}
    </Card>
  );
}
