import { Alert, Button, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { DueState } from '../gql/graphql';
import { errorText } from '../graphql/client';

import { usePublicationLive } from './use-publication-live';

const Due = graphql(`
  query PublicationDueList($state: DueState!) {
    publicationDue(state: $state, first: 500) {
      totalCount
      overdueCount
      dueSoonCount
      viewerCanPublish
      nodes {
        completedOn
        dueOn
        provisional
        overdue
        workingDays
        dueSoon
        inspection {
          id
          enterprise {
            id
            name
            uscc
          }
          tasks {
            id
            name
          }
        }
      }
    }
  }
`);

const Publish = graphql(`
  mutation PublishInspections($ids: [ID!]!) {
    publishInspections(inspectionIds: $ids) {
      id
      publishedOn
    }
  }
`);

export function DueTab() {
  const [state, setState] = useState<DueState>('ALL');
  const [{ data, fetching, error }, refetch] = useQuery({ query: Due, variables: { state } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  usePublicationLive(reload);
  const [selected, setSelected] = useState<string[]>([]);
  const [publishing, publish] = useMutation(Publish);
  const canPublish = data?.publicationDue.viewerCanPublish ?? false;
  const due = data?.publicationDue;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {publishing.error && <Alert type="error" showIcon title={errorText(publishing.error)} />}
      <Space wrap>
        <Radio.Group value={state} onChange={(e) => setState(e.target.value as DueState)} optionType="button">
          <Radio.Button value="ALL">全部待公示（{due?.totalCount ?? 0}）</Radio.Button>
          <Radio.Button value="DUE_SOON">即将到期（{due?.dueSoonCount ?? 0}）</Radio.Button>
          <Radio.Button value="OVERDUE">已逾期（{due?.overdueCount ?? 0}）</Radio.Button>
        </Radio.Group>
        {canPublish && (
          <Button
            type="primary"
            disabled={selected.length === 0}
            loading={publishing.fetching}
            onClick={async () => {
              const result = await publish({ ids: selected });
              if (result.data) {
                setSelected([]);
                reload();
              }
            }}
          >
            公示所选（{selected.length}）
          </Button>
        )}
      </Space>
      <Table
        rowKey={(r) => r.inspection.id}
        size="small"
        loading={fetching}
        dataSource={due?.nodes ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        rowSelection={canPublish ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined}
        columns={[
          {
            title: '企业',
            key: 'enterprise',
            render: (_, r) => <Link to={`/inspections/${r.inspection.id}`}>{r.inspection.enterprise.name}</Link>,
          },
          { title: '抽查任务', key: 'tasks', render: (_, r) => r.inspection.tasks.map((t) => t.name).join('；') },
          { title: '抽查完成日期', dataIndex: 'completedOn', width: 120 },
          {
            title: '公示期限',
            key: 'due',
            width: 160,
            render: (_, r) => (
              <Space>
                {r.dueOn}
                {r.provisional && <Tag title="当年节假日安排尚未公布，暂按周一至周五计算">暂定</Tag>}
              </Space>
            ),
          },
          {
            title: '剩余',
            key: 'left',
            width: 150,
            render: (_, r) =>
              r.overdue ? (
                <Tag color="red">逾期 {r.workingDays} 个工作日</Tag>
              ) : (
                <Tag color={r.dueSoon ? 'orange' : 'green'}>剩 {r.workingDays} 个工作日</Tag>
              ),
          },
        ]}
      />
    </Space>
  );
}
