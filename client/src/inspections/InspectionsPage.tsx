import { Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { STATUS_LABELS } from './labels';

const Inspections = graphql(`
  query InspectionList($mine: Boolean) {
    inspections(first: 200, mine: $mine) {
      totalCount
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

/** 我的检查: a list that works at phone width; staff see their department's visits. */
export function InspectionsPage() {
  const { session } = useAuth();
  const isOfficer = session?.user.roles.includes('OFFICER') ?? false;
  const [scope, setScope] = useState<'mine' | 'all'>(isOfficer ? 'mine' : 'all');
  const [{ data, fetching }] = useQuery({ query: Inspections, variables: { mine: scope === 'mine' } });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {scope === 'mine' ? '我的检查' : '联合检查'}
        </Typography.Title>
        {isOfficer && (
          <Segmented
            value={scope}
            onChange={(v) => setScope(v as 'mine' | 'all')}
            options={[
              { value: 'mine', label: '派给我的' },
              { value: 'all', label: '本部门参与的' },
            ]}
          />
        )}
      </Space>
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
    </Space>
  );
}
