import { Alert, Button, Checkbox, DatePicker, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useEventStream } from '../events/use-event-stream';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import type { ReferralBox, ReferralStatus } from '../gql/graphql';
import { errorText } from '../graphql/client';

const Referrals = graphql(`
  query ReferralList($box: ReferralBox!, $overdueOnly: Boolean!) {
    referrals(box: $box, overdueOnly: $overdueOnly) {
      id
      version
      kind
      status
      description
      dueOn
      overdue
      result
      createdAt
      fromDepartment {
        id
        shortName
      }
      toDepartment {
        id
        shortName
      }
      inspection {
        id
        enterprise {
          id
          name
        }
      }
      finding {
        id
        item {
          id
          item
        }
      }
    }
  }
`);

const Accept = graphql(`
  mutation AcceptReferral($id: ID!, $version: Int!) {
    acceptReferral(id: $id, version: $version) {
      id
      status
      version
    }
  }
`);

const Close = graphql(`
  mutation CloseReferral($id: ID!, $version: Int!, $result: String!) {
    closeReferral(id: $id, version: $version, result: $result) {
      id
      status
      version
    }
  }
`);

const Rectifications = graphql(`
  query RectificationList($overdueOnly: Boolean!) {
    rectifications(overdueOnly: $overdueOnly) {
      overdue
      finding {
        id
        version
        followUpDeadline
        item {
          id
          item
        }
        inspection {
          id
          enterprise {
            id
            name
          }
        }
      }
    }
  }
`);

const CompleteFollowUp = graphql(`
  mutation CompleteFollowUp($findingId: ID!, $version: Int!, $doneOn: String!, $notes: String) {
    completeFollowUp(findingId: $findingId, version: $version, doneOn: $doneOn, notes: $notes) {
      id
      followUpDone
    }
  }
`);

const STATUS: Record<ReferralStatus, { label: string; color: string }> = {
  OPEN: { label: '待接收', color: 'orange' },
  ACCEPTED: { label: '处理中', color: 'blue' },
  CLOSED: { label: '已办结', color: 'green' },
};

function ReferralTable({ box }: { box: ReferralBox }) {
  const { session } = useAuth();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [{ data, fetching }, refetch] = useQuery({ query: Referrals, variables: { box, overdueOnly } });
  const [accepting, accept] = useMutation(Accept);
  const [closing, close] = useMutation(Close);
  const [closingId, setClosingId] = useState<{ id: string; version: number } | null>(null);
  const [result, setResult] = useState('');
  const canHandle = box === 'INBOX' && session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD');
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // Either end moves the loop (sent, received, closed): both lists follow live.
  useEventStream(['REFERRAL_UPDATED'], reload);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Checkbox checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)}>
        只看逾期未办结
      </Checkbox>
      {(accepting.error || closing.error) && <Alert type="error" showIcon title={errorText(accepting.error ?? closing.error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.referrals ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: '企业',
            key: 'enterprise',
            render: (_, r) => <Link to={`/inspections/${r.inspection.id}`}>{r.inspection.enterprise.name}</Link>,
          },
          { title: '事项', key: 'item', render: (_, r) => r.finding.item.item },
          {
            title: box === 'INBOX' ? '移送部门' : '接收部门',
            key: 'dept',
            width: 120,
            render: (_, r) => (box === 'INBOX' ? r.fromDepartment : r.toDepartment).shortName,
          },
          { title: '方式', dataIndex: 'kind', width: 100, render: (k: string) => (k === 'CASE_HANDLING' ? '移送办案' : '抄告') },
          { title: '问题线索', dataIndex: 'description' },
          {
            title: '期限',
            key: 'due',
            width: 120,
            render: (_, r) => (
              <span>
                {r.dueOn} {r.overdue && <Tag color="red">逾期</Tag>}
              </span>
            ),
          },
          { title: '状态', key: 'status', width: 90, render: (_, r) => <Tag color={STATUS[r.status].color}>{STATUS[r.status].label}</Tag> },
          { title: '办理结果', dataIndex: 'result', render: (v?: string | null) => v ?? '—' },
          {
            title: '操作',
            key: 'actions',
            width: 100,
            render: (_, r) =>
              canHandle && r.status === 'OPEN' ? (
                <Button size="small" onClick={async () => (await accept({ id: r.id, version: r.version })).data && reload()}>
                  接收
                </Button>
              ) : canHandle && r.status === 'ACCEPTED' ? (
                <Button size="small" onClick={() => setClosingId({ id: r.id, version: r.version })}>
                  办结
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!closingId}
        title="办结：填写办理结果"
        okText="办结"
        cancelText="取消"
        okButtonProps={{ disabled: !result.trim(), loading: closing.fetching }}
        onCancel={() => setClosingId(null)}
        onOk={async () => {
          const done = await close({ id: closingId!.id, version: closingId!.version, result });
          if (done.data) {
            setClosingId(null);
            setResult('');
            reload();
          }
        }}
      >
        <Input.TextArea rows={3} value={result} onChange={(e) => setResult(e.target.value)} aria-label="办理结果" />
      </Modal>
    </Space>
  );
}

function RectificationTable() {
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [{ data, fetching }, refetch] = useQuery({ query: Rectifications, variables: { overdueOnly } });
  const [completing, complete] = useMutation(CompleteFollowUp);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Checkbox checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)}>
        只看已超期的
      </Checkbox>
      {completing.error && <Alert type="error" showIcon title={errorText(completing.error)} />}
      <Table
        rowKey={(r) => r.finding.id}
        size="small"
        loading={fetching}
        dataSource={data?.rectifications ?? []}
        pagination={false}
        columns={[
          {
            title: '企业',
            key: 'enterprise',
            render: (_, r) => <Link to={`/inspections/${r.finding.inspection.id}`}>{r.finding.inspection.enterprise.name}</Link>,
          },
          { title: '事项', key: 'item', render: (_, r) => r.finding.item.item },
          {
            title: '改正期限',
            key: 'due',
            width: 150,
            render: (_, r) => (
              <span>
                {r.finding.followUpDeadline} {r.overdue && <Tag color="red">已超期</Tag>}
              </span>
            ),
          },
          {
            title: '复查',
            key: 'check',
            width: 200,
            render: (_, r) => (
              <DatePicker
                size="small"
                placeholder="登记复查完成日期"
                onChange={async (d) => {
                  if (!d) return;
                  const done = await complete({
                    findingId: r.finding.id,
                    version: r.finding.version,
                    doneOn: d.format('YYYY-MM-DD'),
                    notes: null,
                  });
                  if (done.data) refetch({ requestPolicy: 'network-only' });
                }}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}

/** 问题移送 and 整改跟踪: the referral inbox and outbox, and the department's correction orders. */
export function ReferralsPage() {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        问题移送与整改跟踪
      </Typography.Title>
      <Tabs
        items={[
          { key: 'inbox', label: '收到的移送', children: <ReferralTable box="INBOX" /> },
          { key: 'outbox', label: '移送出的', children: <ReferralTable box="OUTBOX" /> },
          { key: 'rectify', label: '责令改正跟踪', children: <RectificationTable /> },
        ]}
      />
    </Space>
  );
}
