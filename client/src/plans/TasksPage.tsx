import { App, Alert, Button, Card, Descriptions, Empty, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { useEventStream } from '../events/use-event-stream';
import { graphql } from '../gql';
import type { EventType, PlanTasksQuery } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { downloadFile } from '../common/download';
import { NewPlanModal, WithdrawPartnerModal } from './PlanDialogs';
import { TaskFormModal } from './TaskFormModal';
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

const DeleteTask = graphql(`
  mutation DeleteTask($id: ID!) {
    deleteTask(id: $id)
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
      viewerCanEdit
      viewerCanApprove
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
        problemYear
        joint
        viewerCanEdit
        ratio {
          kind
          label
          text
          percent
          atLeast
          count
          perRiskClass {
            riskClass
            percent
          }
        }
        partnerships {
          status
          reason
          decidedAt
          department {
            id
            name
            shortName
          }
        }
        scopeIndustries {
          id
        }
        scopeRegions {
          id
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
          department {
            id
            shortName
          }
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

const PARTNERSHIP_LABELS = {
  PENDING: { label: '待确认', color: 'orange' },
  CONFIRMED: { label: '已确认', color: 'green' },
  WITHDRAWN: { label: '已撤回', color: 'default' },
} as const;

function TaskDetail({ task, onWithdraw }: { task: TaskRow; onWithdraw: (department: { id: string; name: string }) => void }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {task.partnerships.length > 0 && (
        <Descriptions size="small" column={1} bordered title="联合事项确认">
          {task.partnerships.map((p) => (
            <Descriptions.Item key={`${p.department.id}-${p.status}`} label={p.department.name}>
              <Space wrap>
                <Tag color={PARTNERSHIP_LABELS[p.status].color}>{PARTNERSHIP_LABELS[p.status].label}</Tag>
                {p.reason && <Typography.Text type="secondary">理由：{p.reason}</Typography.Text>}
                {task.viewerCanEdit && p.status !== 'WITHDRAWN' && (
                  <Button size="small" danger onClick={() => onWithdraw(p.department)}>
                    撤回
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      <Typography.Text strong>抽查事项（{task.items.length} 项）</Typography.Text>
      <List
        size="small"
        dataSource={task.items}
        renderItem={(item) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>
                <Tag color={item.kind === 'KEY' ? 'red' : 'default'}>{item.kind === 'KEY' ? '重点' : '一般'}</Tag>
                <Tag>{item.department.shortName}</Tag>
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
      {task.source.length > 0 && (
        <Descriptions size="small" column={1} bordered title="计划原文">
          {task.source.map((cell) => (
            <Descriptions.Item key={cell.header} label={cell.header}>
              {cell.text}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Space>
  );
}

/** The year's plans and their tasks, kept current by the event stream. */
export function TasksPage() {
  const { message } = App.useApp();
  const [year, setYear] = useState(THIS_YEAR);
  const [{ data, fetching, error }, refetch] = useQuery({ query: PlanTasks, variables: { year } });
  const { session } = useAuth();
  // A task being written: new in a plan (task null) or an existing one.
  const [editing, setEditing] = useState<{ plan: PlanRow; task: TaskRow | null } | null>(null);
  const [witnessRuleOf, setWitnessRuleOf] = useState<PlanRow | null>(null);
  const [withdrawing, setWithdrawing] = useState<{ taskId: string; department: { id: string; name: string } } | null>(null);
  const [newPlan, setNewPlan] = useState(false);
  const [live, setLive] = useState(0);
  const [approving, approve] = useMutation(ApprovePlan);
  const [deleting, deleteTask] = useMutation(DeleteTask);
  // Who may write plans at all (the server decides each plan and task through viewerCan* fields).
  const writesPlans = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD') ?? false;
  // The actions column only where the plan can still change (a draft the viewer writes).
  const columnsOf = (plan: PlanRow): ColumnsType<TaskRow> => [...baseColumns, ...(plan.viewerCanEdit ? [actionsColumn(plan)] : [])];
  const actionsColumn = (plan: PlanRow): ColumnsType<TaskRow>[number] => ({
    title: '操作',
    key: 'actions',
    width: 130,
    render: (_, task) =>
      task.viewerCanEdit ? (
        <Space size="small">
          <Button size="small" onClick={() => setEditing({ plan, task })}>
            修改
          </Button>
          <Popconfirm title={`删除任务“${task.name}”？`} okText="删除" cancelText="取消" onConfirm={() => deleteTask({ id: task.id })}>
            <Button size="small" danger loading={deleting.fetching}>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ) : null,
  });
  const exportPlan = async (plan: PlanRow) => {
    try {
      await downloadFile(`/api/plans/${plan.id}/export.xlsx`, session!.token, `${plan.name}.xlsx`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

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
          options={[...new Set([year, ...YEARS])].sort((a, b) => b - a).map((y) => ({ value: y, label: `${y}年度` }))}
          style={{ width: 120 }}
          aria-label="计划年度"
        />
        {writesPlans && (
          <Button type="primary" onClick={() => setNewPlan(true)}>
            新建计划
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {approving.error && <Alert type="error" showIcon title={errorText(approving.error)} closable />}
      {deleting.error && <Alert type="error" showIcon title={errorText(deleting.error)} closable />}
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
              {plan.department.id === session?.user.department.id && writesPlans && (
                <Button size="small" onClick={() => setWitnessRuleOf(plan)}>
                  见证规则
                </Button>
              )}
              <Button size="small" onClick={() => exportPlan(plan)}>
                导出 XLSX
              </Button>
              {plan.viewerCanEdit && (
                <Button size="small" onClick={() => setEditing({ plan, task: null })}>
                  新增任务
                </Button>
              )}
              <Tag color={plan.status === 'APPROVED' ? 'green' : 'orange'}>{plan.status === 'APPROVED' ? '已批准' : '草稿'}</Tag>
              {plan.viewerCanApprove && (
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
            columns={columnsOf(plan)}
            dataSource={plan.tasks}
            pagination={false}
            loading={fetching}
            scroll={{ x: 900 }}
            locale={{ emptyText: plan.viewerCanEdit ? '还没有任务，点击“新增任务”编写' : '没有本部门可见的任务' }}
            expandable={{
              expandedRowRender: (task) => (
                <TaskDetail task={task} onWithdraw={(department) => setWithdrawing({ taskId: task.id, department })} />
              ),
            }}
          />
        </Card>
      ))}
      {witnessRuleOf && <WitnessRuleModal key={witnessRuleOf.id} plan={witnessRuleOf} onClose={() => setWitnessRuleOf(null)} />}
      {editing && (
        <TaskFormModal
          key={editing.task?.id ?? `new-${editing.plan.id}`}
          planId={editing.plan.id}
          departmentId={editing.plan.department.id}
          task={editing.task}
          onClose={() => setEditing(null)}
        />
      )}
      {withdrawing && <WithdrawPartnerModal {...withdrawing} onClose={() => setWithdrawing(null)} />}
      {newPlan && <NewPlanModal defaultYear={year} onClose={() => setNewPlan(false)} onCreated={setYear} />}
    </Space>
  );
}
