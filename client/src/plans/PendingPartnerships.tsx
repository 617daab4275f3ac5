import { Alert, Button, Card, Checkbox, List, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Pending = graphql(`
  query PendingPartnerships($departmentId: ID) {
    pendingPartnerships {
      id
      seq
      name
      scopeText
      ratio {
        label
      }
      plan {
        id
        name
      }
      leadDepartment {
        id
        name
      }
    }
    checkItems(departmentId: $departmentId) {
      id
      code
      item
      kind
    }
  }
`);

const Confirm = graphql(`
  mutation ConfirmTaskPartnership($taskId: ID!, $itemIds: [ID!]!) {
    confirmTaskPartnership(taskId: $taskId, itemIds: $itemIds) {
      id
    }
  }
`);

/**
 * 待确认 (联合事项确认): joint tasks other departments wrote with this department as a partner;
 * the clerk confirms by choosing the department's own check items. Refreshed by the page's live events.
 */
export function PendingPartnerships({ refreshKey }: { refreshKey: number }) {
  const { session } = useAuth();
  const canConfirm = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD') ?? false;
  const [{ data }, refetch] = useQuery({ query: Pending, variables: { departmentId: session?.user.department.id } });
  // A live event on the plans page (a task created, a partner confirmed) may change this list.
  useEffect(() => {
    if (refreshKey > 0) refetch({ requestPolicy: 'network-only' });
  }, [refreshKey, refetch]);
  const [confirming, setConfirming] = useState<{ id: string; name: string } | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [saving, confirm] = useMutation(Confirm);
  const tasks = data?.pendingPartnerships ?? [];
  if (tasks.length === 0) return null;
  return (
    <Card
      size="small"
      title={
        <Space>
          待确认的联合任务 <Tag color="orange">{tasks.length}</Tag>
        </Space>
      }
    >
      <List
        size="small"
        dataSource={tasks}
        renderItem={(t) => (
          <List.Item
            actions={
              canConfirm
                ? [
                    <Button key="confirm" type="primary" size="small" onClick={() => setConfirming({ id: t.id, name: t.name })}>
                      确认联合事项
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={`${t.leadDepartment.name}：${t.seq}. ${t.name}`}
              description={`${t.plan.name} · 抽查比例 ${t.ratio.label}${t.scopeText ? ` · ${t.scopeText}` : ''}`}
            />
          </List.Item>
        )}
      />
      {confirming && (
        <Modal
          open
          title={`确认联合事项：${confirming.name}`}
          okText="确认"
          okButtonProps={{ disabled: chosen.length === 0, loading: saving.fetching }}
          onCancel={() => setConfirming(null)}
          onOk={async () => {
            if ((await confirm({ taskId: confirming.id, itemIds: chosen })).data) {
              setConfirming(null);
              setChosen([]);
              refetch({ requestPolicy: 'network-only' });
            }
          }}
        >
          <Typography.Paragraph type="secondary">选择本部门在这次联合检查中的检查事项（进一次门，查多项事）。</Typography.Paragraph>
          {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} style={{ marginBottom: 8 }} />}
          <Checkbox.Group value={chosen} onChange={(v) => setChosen(v)} style={{ display: 'grid', gap: 6 }}>
            {(data?.checkItems ?? []).map((i) => (
              <Checkbox key={i.id} value={i.id}>
                {i.kind === 'KEY' && <Tag color="red">重点</Tag>}
                {i.item}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Modal>
      )}
    </Card>
  );
}
