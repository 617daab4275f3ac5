import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useAuth } from '../auth/auth-context';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { CorrectionStatus, DueState, ProblemKind, PublishedListQuery, ResultCategory } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { PROBLEM_LABELS, RESULT_LABELS } from '../inspections/labels';

const Due = graphql(`
  query PublicationDueList($state: DueState!) {
    publicationDue(state: $state, first: 500) {
      totalCount
      overdueCount
      dueSoonCount
      nodes {
        completedOn
        dueOn
        provisional
        overdue
        workingDays
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

const Published = graphql(`
  query PublishedList($departmentId: ID, $enterprise: String, $after: String) {
    publicResults(departmentId: $departmentId, enterprise: $enterprise, first: 20, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        enterpriseName
        uscc
        completedOn
        publishedOn
        corrected
        correctedOn
        version
        items {
          ...PublicItemFields
        }
      }
    }
  }
`);

const RequestCorrection = graphql(`
  mutation RequestCorrection($publicationId: ID!, $reason: String!, $items: [CorrectionItemInput!]!) {
    requestCorrection(publicationId: $publicationId, reason: $reason, items: $items) {
      id
      status
    }
  }
`);

const Corrections = graphql(`
  query CorrectionList($status: CorrectionStatus) {
    corrections(status: $status) {
      id
      version
      status
      reason
      requestedAt
      decisionNote
      resultingVersion
      requestedBy {
        id
        displayName
      }
      changes {
        item {
          id
          item
        }
        resultText
      }
      publication {
        id
        currentVersion
        record {
          id
          enterpriseName
        }
      }
    }
  }
`);

const Decide = graphql(`
  mutation DecideCorrection($id: ID!, $version: Int!, $approve: Boolean!, $note: String) {
    decideCorrection(id: $id, version: $version, approve: $approve, note: $note) {
      id
      status
      version
    }
  }
`);

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

const Changed = graphql(`
  subscription PublicationChanged {
    publicationChanged {
      action
      cursor
      publication {
        id
      }
    }
  }
`);

/** Every list on the page refetches when any publication of the department changes. */
function useLive(reload: () => void) {
  useSubscription({ query: Changed }, (_, update) => {
    reload();
    return update;
  });
}

function DueTab() {
  const { session } = useAuth();
  const [state, setState] = useState<DueState>('ALL');
  const [{ data, fetching, error }, refetch] = useQuery({ query: Due, variables: { state } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLive(reload);
  const [selected, setSelected] = useState<string[]>([]);
  const [publishing, publish] = useMutation(Publish);
  const canPublish = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD');
  const due = data?.publicationDue;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {publishing.error && <Alert type="error" showIcon title={errorText(publishing.error)} />}
      <Space wrap>
        <Radio.Group value={state} onChange={(e) => setState(e.target.value)} optionType="button">
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
          { title: '企业', key: 'enterprise', render: (_, r) => <Link to={`/inspections/${r.inspection.id}`}>{r.inspection.enterprise.name}</Link> },
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
              r.overdue ? <Tag color="red">逾期 {r.workingDays} 个工作日</Tag> : <Tag color={r.workingDays <= 5 ? 'orange' : 'green'}>剩 {r.workingDays} 个工作日</Tag>,
          },
        ]}
      />
    </Space>
  );
}

type PublishedRow = PublishedListQuery['publicResults']['nodes'][number];

function CorrectionDialog({ row, onClose }: { row: PublishedRow; onClose: (sent: boolean) => void }) {
  const { session } = useAuth();
  const own = row.items.filter((i) => i.department === session?.user.department.name);
  const [changes, setChanges] = useState<Record<string, { results: ResultCategory[]; problemKinds: ProblemKind[] }>>({});
  const [reason, setReason] = useState('');
  const [state, request] = useMutation(RequestCorrection);
  const items = Object.entries(changes).map(([itemId, c]) => ({ itemId, results: c.results, problemKinds: c.problemKinds }));
  return (
    <Modal
      open
      width={860}
      title={`申请更正：${row.enterpriseName}`}
      okText="提交负责人审核"
      okButtonProps={{ disabled: items.length === 0 || !reason.trim(), loading: state.fetching }}
      onCancel={() => onClose(false)}
      onOk={async () => {
        const result = await request({ publicationId: row.id, reason, items });
        if (result.data) onClose(true);
      }}
    >
      {state.error && <Alert type="error" showIcon title={errorText(state.error)} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">只能更正本部门的检查事项；批准后公示新版本并标注“已更正”，原版本仍可查询。</Typography.Paragraph>
      {own.map((item) => {
        const change = changes[item.itemId];
        return (
          <Form.Item key={item.itemId} label={item.item} extra={`当前结果：${item.resultText}`}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Select
                mode="multiple"
                allowClear
                placeholder="不更正此项"
                value={change?.results ?? []}
                options={Object.entries(RESULT_LABELS).map(([value, label]) => ({ value, label }))}
                onChange={(results: ResultCategory[]) =>
                  setChanges((all) => {
                    const next = { ...all };
                    if (results.length) next[item.itemId] = { results, problemKinds: results.includes('PROBLEM_PENDING') ? (all[item.itemId]?.problemKinds ?? []) : [] };
                    else delete next[item.itemId];
                    return next;
                  })
                }
              />
              {change?.results.includes('PROBLEM_PENDING') && (
                <Select
                  mode="multiple"
                  placeholder="具体情形"
                  value={change.problemKinds}
                  options={Object.entries(PROBLEM_LABELS).map(([value, label]) => ({ value, label }))}
                  onChange={(problemKinds: ProblemKind[]) => setChanges((all) => ({ ...all, [item.itemId]: { ...all[item.itemId], problemKinds } }))}
                />
              )}
            </Space>
          </Form.Item>
        );
      })}
      <Form.Item label="更正理由" required htmlFor="correction-reason">
        <Input.TextArea id="correction-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Form.Item>
    </Modal>
  );
}

function PublishedTab() {
  const { session } = useAuth();
  const pages = useCursorPages();
  const [enterprise, setEnterprise] = useState<string | undefined>();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Published,
    variables: { departmentId: session?.user.department.id, enterprise, after: pages.after },
  });
  useLive(() => refetch({ requestPolicy: 'network-only' }));
  const [correcting, setCorrecting] = useState<PublishedRow | null>(null);
  const isStaff = session?.user.roles.includes('STAFF');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Input.Search
        allowClear
        placeholder="企业名称或统一社会信用代码"
        style={{ maxWidth: 360 }}
        onSearch={(v) => {
          pages.reset();
          setEnterprise(v.trim() || undefined);
        }}
      />
      <Typography.Text>本部门为抽查机关的已公示结果共 {data?.publicResults.totalCount ?? 0} 条</Typography.Text>
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.publicResults.nodes ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: '企业',
            key: 'name',
            render: (_, r) => (
              <Space>
                {r.enterpriseName}
                {r.corrected && <Tag color="orange">已更正 {r.correctedOn}</Tag>}
              </Space>
            ),
          },
          { title: '统一社会信用代码', dataIndex: 'uscc', width: 190 },
          { title: '抽查完成日期', dataIndex: 'completedOn', width: 120 },
          { title: '公示日期', dataIndex: 'publishedOn', width: 110 },
          { title: '版本', dataIndex: 'version', width: 70 },
          {
            title: '操作',
            key: 'actions',
            width: 110,
            render: (_, r) =>
              isStaff && (
                <Button size="small" onClick={() => setCorrecting(r)}>
                  申请更正
                </Button>
              ),
          },
        ]}
      />
      <CursorPager pages={pages} pageInfo={data?.publicResults.pageInfo} />
      {correcting && <CorrectionDialog row={correcting} onClose={() => setCorrecting(null)} />}
    </Space>
  );
}

const CORRECTION_STATUS: Record<CorrectionStatus, { label: string; color: string }> = {
  PENDING: { label: '待审核', color: 'orange' },
  APPROVED: { label: '已批准', color: 'green' },
  REJECTED: { label: '已驳回', color: 'default' },
};

function CorrectionsTab() {
  const { session } = useAuth();
  const [status, setStatus] = useState<CorrectionStatus | undefined>('PENDING');
  const [{ data, fetching, error }, refetch] = useQuery({ query: Corrections, variables: { status } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLive(reload);
  const [deciding, decide] = useMutation(Decide);
  const [rejecting, setRejecting] = useState<{ id: string; version: number } | null>(null);
  const [note, setNote] = useState('');
  const isHead = session?.user.roles.includes('HEAD');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {deciding.error && <Alert type="error" showIcon title={errorText(deciding.error)} />}
      <Radio.Group value={status ?? 'ALL'} onChange={(e) => setStatus(e.target.value === 'ALL' ? undefined : e.target.value)} optionType="button">
        <Radio.Button value="PENDING">待审核</Radio.Button>
        <Radio.Button value="ALL">全部</Radio.Button>
      </Radio.Group>
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.corrections ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { title: '企业', key: 'enterprise', render: (_, c) => c.publication.record.enterpriseName },
          {
            title: '更正内容',
            key: 'changes',
            render: (_, c) => c.changes.map((ch) => <div key={ch.item.id}>{`${ch.item.item} → ${ch.resultText}`}</div>),
          },
          { title: '理由', dataIndex: 'reason' },
          { title: '申请人', key: 'by', width: 100, render: (_, c) => c.requestedBy.displayName },
          { title: '状态', key: 'status', width: 90, render: (_, c) => <Tag color={CORRECTION_STATUS[c.status].color}>{CORRECTION_STATUS[c.status].label}</Tag> },
          { title: '审核意见', dataIndex: 'decisionNote', render: (v?: string | null) => v ?? '—' },
          {
            title: '操作',
            key: 'actions',
            width: 140,
            render: (_, c) =>
              isHead &&
              c.status === 'PENDING' && (
                <Space>
                  <Button size="small" type="primary" onClick={async () => (await decide({ id: c.id, version: c.version, approve: true })).data && reload()}>
                    批准
                  </Button>
                  <Button size="small" danger onClick={() => setRejecting({ id: c.id, version: c.version })}>
                    驳回
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={!!rejecting}
        title="驳回更正申请"
        okText="驳回"
        okButtonProps={{ danger: true, disabled: !note.trim() }}
        onCancel={() => setRejecting(null)}
        onOk={async () => {
          if (rejecting && (await decide({ ...rejecting, approve: false, note })).data) {
            setRejecting(null);
            setNote('');
            reload();
          }
        }}
      >
        <Input.TextArea rows={3} placeholder="驳回理由" value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </Space>
  );
}

const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

function StatsTab() {
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

/** 结果公示 for staff: what is due, what is published (and its corrections), and the rate. */
export function PublicationPage() {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          结果公示
        </Typography.Title>
        <Link to="/public" target="_blank">
          打开公众公示页面
        </Link>
      </Space>
      <Tabs
        items={[
          { key: 'due', label: '待公示', children: <DueTab /> },
          { key: 'published', label: '已公示', children: <PublishedTab /> },
          { key: 'corrections', label: '更正审核', children: <CorrectionsTab /> },
          { key: 'stats', label: '公示率', children: <StatsTab /> },
        ]}
      />
    </Space>
  );
}
