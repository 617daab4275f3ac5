import { Alert, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Stats = graphql(`
  query PublicationStats($year: Int!) {
    publicationStats(year: $year) {
      departments {
        finalised
        published
        onTime
        overdue
        rate
        department {
          id
          name
        }
      }
      tasks {
        finalised
        published
        onTime
        overdue
        rate
        task {
          id
          name
        }
      }
    }
  }
`);

const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

export function StatsTab() {
  const [year, setYear] = useState(new Date().getFullYear());
  const [{ data, fetching, error }] = useQuery({ query: Stats, variables: { year } });
  const measures = [
    { title: '已办结', dataIndex: 'finalised', width: 90 },
    { title: '已公示', dataIndex: 'published', width: 90 },
    { title: '按期公示', dataIndex: 'onTime', width: 90 },
    { title: '逾期未公示', dataIndex: 'overdue', width: 100 },
    { title: '公示率', dataIndex: 'rate', width: 90, render: percent },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Space>
        年度
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
      </Space>
      <Typography.Title level={5}>按部门（抽查机关）</Typography.Title>
      <Table
        rowKey={(r) => r.department.id}
        size="small"
        loading={fetching}
        pagination={false}
        dataSource={data?.publicationStats.departments ?? []}
        columns={[{ title: '部门', key: 'dept', render: (_, r) => r.department.name }, ...measures]}
      />
      <Typography.Title level={5}>按任务</Typography.Title>
      <Table
        rowKey={(r) => r.task.id}
        size="small"
        loading={fetching}
        pagination={false}
        dataSource={data?.publicationStats.tasks ?? []}
        columns={[{ title: '抽查任务', key: 'task', render: (_, r) => r.task.name }, ...measures]}
      />
    </Space>
  );
}
