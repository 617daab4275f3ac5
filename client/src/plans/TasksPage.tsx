import { App, Alert, Button, Card, Descriptions, Empty, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { useEventStream } from '../events/use-event-stream';
import { graphql } from '../gql';
import type { EventType, PlanTasksQuery } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { EditTaskModal } from './EditTaskModal';
import { PendingPartnerships } from './PendingPartnerships';
import { WitnessRuleModal } from './WitnessRuleModal';
import { frequencyLabel, MODE_LABELS, windowLabel } from './labels';

const ApprovePlan = graphql(`
  mutation ApprovePlan($id: ID!) {
    approvePlan(id: $id) {
      id
      status
      approvedAt
    }
  }
`);

const PlanTasks = graphql(`
  query PlanTasks($year: Int) {
    plans(year: $year) {
      id
      name
      documentNo
      status
      year
      witnessesRequired
      witnessFromOtherDepartment
      department {
        id
        shortName
      }
      tasks {
        id
        seq
        name
        version
        itemsText
        scopeText
        frequencyPerYear
        windowFromMonth
        windowToMonth
        riskStratified
        riskRuleText
        modes
        drawType
        joint
        ratio {
          kind
          label
          text
        }
        leadDepartment {
          id
          shortName
        }
        partnerDepartments {
          id
          shortName
        }
        items {
          id
          code
          item
          kind
          legalBasis
        }
        source {
          header
          text
        }
      }
    }
  }
`);

type PlanRow = PlanTasksQuery['plans'][number];
type TaskRow = PlanRow['tasks'][number];

const LIVE_TYPES: EventType[] = [
  'TASK_UPDATED',
  'PLAN_APPROVED',
  'PLAN_WITNESS_RULE_SET',
  'PLAN_CREATED',
  'TASK_CREATED',
  'TASK_DELETED',
  'TASK_PARTNERSHIP_CHANGED',
];
const THIS_YEAR = new Date().getFullYear();
const YEARS = [THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2];

const baseColumns: ColumnsType<TaskRow> = [
  { title: '序号', dataIndex: 'seq', width: 64, align: 'center' },
  {
    title: '抽查任务名称',
    dataIndex: 'name',
    render: (name: string, task) => (
      <Space direction="vertical" size={0}>
        <Typography.Text strong>{name}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          抽查对象范围：{task.scopeText || '—'}
        </Typography.Text>
      </Space>
    ),
  },
  { title: '发起部门', key: 'lead', width: 120, render: (_, task) => <Tag color="blue">{task.leadDepartment.shortName}</Tag> },
  {
    title: '配合部门',
    key: 'partners',
    width: 160,
    render: (_, task) => (task.partnerDepartments.length ? task.partnerDepartments.map((d) => <Tag key={d.id}>{d.shortName}</Tag>) : '—'),
  },
  {
    title: '抽查比例及频次',
    key: 'ratio',
    width: 150,
    render: (_, task) => (
      <Space direction="vertical" size={0}>
        <span>
          {task.ratio.label} {frequencyLabel(task.frequencyPerYear)}
        </span>
        {task.riskStratified && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            按信用风险分类递增
          </Typography.Text>
        )}
      </Space>
    ),
  },
  { title: '抽查起止时间', key: 'window', width: 120, render: (_, task) => windowLabel(task.windowFromMonth, task.windowToMonth) },
  { title: '抽查模式', key: 'modes', width: 110, render: (_, task) => task.modes.map((m) => MODE_LABELS[m]).join('、') || '—' },
];

function TaskDetail({ task }: { task: TaskRow }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>抽查事项（{task.items.length} 项）</Typography.Text>
      <List
        size="small"
        dataSource={task.items}
        renderItem={(item) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>
                <Tag color={item.kind === 'KEY' ? 'red' : 'default'}>{item.kind === 'KEY' ? '重点' : '一般'}</Tag>
                {item.item}
              </span>
              {item.legalBasis && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  检查依据：{item.legalBasis}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
      <Descriptions size="small" column={1} bordered title="计划原文">
        {task.source.map((cell) => (
          <Descriptions.Item key={cell.header} label={cell.header}>
            {cell.text}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Space>
  );
}

/** The year's plans and their tasks, kept current by the event stream. */
export function TasksPage() {
  const { message } = App.useApp();
  const [year, setYear] = useState(THIS_YEAR);
  const [{ data, fetching, error }, refetch] = useQuery({ query: PlanTasks, variables: { year } });
  const { session } = useAuth();
  const [editing, setEditing] = useState<TaskRow | null>(null);
  const [witnessRuleOf, setWitnessRuleOf] = useState<PlanRow | null>(null);
  const [live, setLive] = useState(0);
  const [approving, approve] = useMutation(ApprovePlan);
  const isHeadOf = (departmentId: string) => departmentId === session?.user.department.id && session.user.roles.includes('HEAD');
  // The lead department's staff and heads may edit; the server checks the same rule.
  const isStaffOf = (departmentId: string) =>
    departmentId === session?.user.department.id && session.user.roles.some((r) => r === 'STAFF' || r === 'HEAD');
  const canEdit = (task: TaskRow) => isStaffOf(task.leadDepartment.id);
  const columns: ColumnsType<TaskRow> = [
    ...baseColumns,
    {
      title: '操作',
      key: 'actions',
      width: 80,
      render: (_, task) =>
        canEdit(task) ? (
          <Button size="small" onClick={() => setEditing(task)}>
            修改
          </Button>
        ) : null,
    },
  ];

  useEventStream(LIVE_TYPES, (event) => {
    refetch({ requestPolicy: 'network-only' });
    setLive((n) => n + 1);
    message.info(
      {
        PLAN_APPROVED: '计划已批准',
        PLAN_WITNESS_RULE_SET: '抽取见证规则已更新',
        PLAN_CREATED: '新建了计划',
        TASK_CREATED: '新增了抽查任务',
        TASK_DELETED: '删除了抽查任务',
        TASK_PARTNERSHIP_CHANGED: '配合部门的确认情况已更新',
      }[event.type as string] ?? '抽查任务已更新',
    );
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          年度抽查工作计划
        </Typography.Title>
        <Select
          value={year}
          onChange={setYear}
          options={YEARS.map((y) => ({ value: y, label: `${y}年度` }))}
          style={{ width: 120 }}
          aria-label="计划年度"
        />
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {approving.error && <Alert type="error" showIcon title={errorText(approving.error)} closable />}
      <PendingPartnerships refreshKey={live} />
      {!fetching && data?.plans.length === 0 && <Empty description={`${year}年度没有本部门发起或配合的计划`} />}
      {data?.plans.map((plan) => (
        <Card
          key={plan.id}
          title={plan.name}
          extra={
            <Space wrap>
              {plan.documentNo && <Typography.Text type="secondary">{plan.documentNo}</Typography.Text>}
              <Typography.Text type="secondary">
                见证：至少 {plan.witnessesRequired} 人{plan.witnessFromOtherDepartment ? '，含外部门' : ''}
              </Typography.Text>
              {isStaffOf(plan.department.id) && (
                <Button size="small" onClick={() => setWitnessRuleOf(plan)}>
                  见证规则
                </Button>
              )}
              <Tag color={plan.status === 'APPROVED' ? 'green' : 'orange'}>{plan.status === 'APPROVED' ? '已批准' : '草稿'}</Tag>
              {plan.status === 'DRAFT' && isHeadOf(plan.department.id) && (
                <Button size="small" type="primary" loading={approving.fetching} onClick={() => approve({ id: plan.id })}>
                  批准计划
                </Button>
              )}
            </Space>
          }
        >
          <Table<TaskRow>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={plan.tasks}
            pagination={false}
            loading={fetching}
            scroll={{ x: 900 }}
            expandable={{ expandedRowRender: (task) => <TaskDetail task={task} /> }}
          />
        </Card>
      ))}
      {witnessRuleOf && <WitnessRuleModal key={witnessRuleOf.id} plan={witnessRuleOf} onClose={() => setWitnessRuleOf(null)} />}
      {editing && <EditTaskModal key={editing.id} task={editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}
