import { Alert, Card, DatePicker, Empty, Input, List, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { InspectionStatus } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { isNetworkFailure, keptVisits } from '../offline/store';
import { STATUS_LABELS } from './labels';

const Inspections = graphql(`
  query InspectionList(
    $mine: Boolean
    $after: String
    $search: String
    $statuses: [InspectionStatus!]
    $taskId: ID
    $regionId: ID
    $scheduledFrom: String
    $scheduledTo: String
  ) {
    inspections(
      first: 20
      after: $after
      mine: $mine
      search: $search
      statuses: $statuses
      taskId: $taskId
      regionId: $regionId
      scheduledFrom: $scheduledFrom
      scheduledTo: $scheduledTo
    ) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        status
        scheduledAt
        enterprise {
          id
          name
          address
        }
        items {
          id
        }
        tasks {
          id
          name
        }
      }
    }
  }
`);

const Choices = graphql(`
  query InspectionListChoices {
    plans {
      id
      year
      tasks {
        id
        name
      }
    }
    regions {
      id
      name
    }
  }
`);

interface Filter {
  search?: string;
  statuses?: InspectionStatus[];
  taskId?: string;
  regionId?: string;
  scheduledFrom?: string;
  scheduledTo?: string;
}

/** Without a connection: the visits kept on this device (src/offline), which open offline. */
function KeptVisits() {
  const [visits, setVisits] = useState<Awaited<ReturnType<typeof keptVisits>>>([]);
  useEffect(() => void keptVisits().then(setVisits), []);
  return (
    <Card size="small" title="离线：本机保存的检查" data-testid="kept-visits">
      {visits.length === 0 && (
        <Typography.Text type="secondary">本机没有保存的检查（联网时打开“我的检查”会自动保存派给您的检查）</Typography.Text>
      )}
      <List
        size="small"
        dataSource={visits}
        renderItem={(v) => (
          <List.Item>
            <Link to={`/inspections/${v.id}`}>{v.enterprise.name}</Link>
            <Typography.Text type="secondary">
              {v.scheduledAt ? new Date(v.scheduledAt).toLocaleString('zh-CN') : '尚未预约'}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 我的检查: a list that works at phone width, searchable and paged; staff see their department's visits. */
export function InspectionsPage() {
  const { session } = useAuth();
  const isOfficer = session?.user.roles.includes('OFFICER') ?? false;
  const [scope, setScope] = useState<'mine' | 'all'>(isOfficer ? 'mine' : 'all');
  const [filter, setFilter] = useState<Filter>({});
  const pages = useCursorPages();
  const [{ data: choices }] = useQuery({ query: Choices });
  const [{ data, fetching, error }] = useQuery({
    query: Inspections,
    variables: { mine: scope === 'mine', after: pages.after, ...filter },
  });
  // A new filter starts again at the first page.
  const narrow = (change: Partial<Filter>) => {
    setFilter((f) => ({ ...f, ...change }));
    pages.reset();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {scope === 'mine' ? '我的检查' : '联合检查'}
        </Typography.Title>
        {isOfficer && (
          <Segmented
            value={scope}
            onChange={(v) => {
              setScope(v as 'mine' | 'all');
              pages.reset();
            }}
            options={[
              { value: 'mine', label: '派给我的' },
              { value: 'all', label: '本部门参与的' },
            ]}
          />
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder="企业名称或统一社会信用代码"
          aria-label="搜索企业"
          style={{ width: 260 }}
          onSearch={(v) => narrow({ search: v.trim() || undefined })}
        />
        <Select
          allowClear
          mode="multiple"
          placeholder="状态"
          aria-label="状态"
          style={{ minWidth: 140 }}
          options={Object.entries(STATUS_LABELS).map(([value, { label }]) => ({ value, label }))}
          onChange={(v: InspectionStatus[]) => narrow({ statuses: v.length ? v : undefined })}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="抽查任务"
          aria-label="抽查任务"
          style={{ width: 220 }}
          options={choices?.plans.flatMap((p) => p.tasks.map((t) => ({ value: t.id, label: `${p.year} ${t.name}` })))}
          onChange={(v?: string) => narrow({ taskId: v })}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="区域"
          aria-label="区域"
          style={{ width: 160 }}
          options={choices?.regions.map((r) => ({ value: r.id, label: r.name }))}
          onChange={(v?: string) => narrow({ regionId: v })}
        />
        <DatePicker.RangePicker
          placeholder={['约定检查自', '至']}
          onChange={(range) => narrow({ scheduledFrom: range?.[0]?.format('YYYY-MM-DD'), scheduledTo: range?.[1]?.format('YYYY-MM-DD') })}
        />
      </Space>
      {error && !isNetworkFailure(error) && <Alert type="error" showIcon title={errorText(error)} />}
      {isNetworkFailure(error) && <KeptVisits />}
      <Typography.Text type="secondary">共 {data?.inspections.totalCount ?? '…'} 项</Typography.Text>
      <List
        loading={fetching}
        dataSource={data?.inspections.nodes ?? []}
        locale={{ emptyText: <Empty description="暂无检查" /> }}
        renderItem={(inspection) => (
          <List.Item>
            <Card
              size="small"
              style={{ width: '100%' }}
              title={<Link to={`/inspections/${inspection.id}`}>{inspection.enterprise.name}</Link>}
              extra={<Tag color={STATUS_LABELS[inspection.status].color}>{STATUS_LABELS[inspection.status].label}</Tag>}
            >
              <Space direction="vertical" size={2}>
                <Typography.Text type="secondary">{inspection.enterprise.address ?? '—'}</Typography.Text>
                <Typography.Text>
                  {inspection.items.length} 项检查事项 · {inspection.tasks.map((t) => t.name).join('；')}
                </Typography.Text>
                <Typography.Text type="secondary">
                  约定时间：{inspection.scheduledAt ? new Date(inspection.scheduledAt).toLocaleString('zh-CN') : '尚未预约'}
                </Typography.Text>
              </Space>
            </Card>
          </List.Item>
        )}
      />
      <CursorPager pages={pages} pageInfo={data?.inspections.pageInfo} />
    </Space>
  );
}
