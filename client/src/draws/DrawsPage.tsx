import { ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Draws = graphql(`
  query DrawList {
    draws {
      id
      status
      year
      openedAt
      revealedAt
      visits
      visitsIndependent
      leadDepartment {
        id
        shortName
      }
      tasks {
        id
        seq
        name
      }
    }
  }
`);

const DrawableTasks = graphql(`
  query DrawableTasks {
    plans {
      id
      name
      status
      year
      department {
        id
      }
      tasks {
        id
        seq
        name
        leadDepartment {
          id
        }
      }
    }
  }
`);

const OpenDraw = graphql(`
  mutation OpenDraw($taskIds: [ID!]!) {
    openDraw(taskIds: $taskIds) {
      id
    }
  }
`);

export const DRAW_STATUS: Record<string, { label: string; color: string }> = {
  COMMITTED: { label: '待揭示（见证人可加入随机串）', color: 'orange' },
  REVEALED: { label: '已完成', color: 'green' },
  CANCELLED: { label: '已撤销', color: 'default' },
};

function OpenDrawDialog({ onClose }: { onClose: () => void }) {
  const { session } = useAuth();
  const navigate = useNavigate();
  const [{ data }] = useQuery({ query: DrawableTasks });
  const [{ fetching, error }, open] = useMutation(OpenDraw);
  const [selected, setSelected] = useState<string[]>([]);
  const plans = (data?.plans ?? []).filter((p) => p.status === 'APPROVED' && p.department.id === session?.user.department.id);
  const submit = async () => {
    const result = await open({ taskIds: selected });
    if (result.data) void navigate(`/draws/${result.data.openDraw.id}`);
  };
  return (
    <Modal
      open
      title="开启随机抽取"
      okText="开启（公布承诺值）"
      cancelText="取消"
      onOk={submit}
      okButtonProps={{ disabled: !selected.length, loading: fetching }}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">
        同一次抽取中范围重叠的任务会抽中同一批企业，一次上门完成多项检查。开启后系统公布承诺值和名录承诺，见证人加入随机串后再揭示。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      {plans.length === 0 && <Alert type="info" showIcon title="本部门没有已批准的计划" />}
      {plans.map((plan) => (
        <div key={plan.id} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{plan.name}</Typography.Text>
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', marginTop: 8 }}
            value={selected}
            onChange={(v) => setSelected(v)}
            options={plan.tasks
              .filter((t) => t.leadDepartment.id === session?.user.department.id)
              .map((t) => ({ value: t.id, label: `${t.seq}. ${t.name}` }))}
          />
        </div>
      ))}
    </Modal>
  );
}

/** The draws this department takes part in. */
export function DrawsPage() {
  const { session } = useAuth();
  const [{ data, fetching, error }] = useQuery({ query: Draws });
  const [opening, setOpening] = useState(false);
  const canOpen = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          随机抽取
        </Typography.Title>
        {canOpen && (
          <Button type="primary" icon={<ThunderboltOutlined />} onClick={() => setOpening(true)}>
            开启抽取
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={data?.draws ?? []}
        pagination={false}
        columns={[
          { title: '任务', key: 'tasks', render: (_, d) => <Link to={`/draws/${d.id}`}>{d.tasks.map((t) => t.name).join('；')}</Link> },
          { title: '发起部门', key: 'lead', width: 120, render: (_, d) => d.leadDepartment.shortName },
          {
            title: '状态',
            dataIndex: 'status',
            width: 220,
            render: (s: string) => <Tag color={DRAW_STATUS[s].color}>{DRAW_STATUS[s].label}</Tag>,
          },
          { title: '户次', dataIndex: 'visits', width: 80, render: (v: number, d) => (d.status === 'REVEALED' ? v : '—') },
          { title: '开启时间', dataIndex: 'openedAt', width: 180, render: (v: string) => new Date(v).toLocaleString('zh-CN') },
        ]}
      />
      {opening && <OpenDrawDialog onClose={() => setOpening(false)} />}
    </Space>
  );
}
