import { Alert, Button, Input, Modal, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import type { CorrectionStatus } from '../gql/graphql';
import { errorText } from '../graphql/client';

import { usePublicationLive } from './use-publication-live';

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

const CORRECTION_STATUS: Record<CorrectionStatus, { label: string; color: string }> = {
  PENDING: { label: '待审核', color: 'orange' },
  APPROVED: { label: '已批准', color: 'green' },
  REJECTED: { label: '已驳回', color: 'default' },
};

export function CorrectionsTab() {
  const { session } = useAuth();
  const [status, setStatus] = useState<CorrectionStatus | undefined>('PENDING');
  const [{ data, fetching, error }, refetch] = useQuery({ query: Corrections, variables: { status } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  usePublicationLive(reload);
  const [deciding, decide] = useMutation(Decide);
  const [rejecting, setRejecting] = useState<{ id: string; version: number } | null>(null);
  const [note, setNote] = useState('');
  const isHead = session?.user.roles.includes('HEAD');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {deciding.error && <Alert type="error" showIcon title={errorText(deciding.error)} />}
      <Radio.Group
        value={status ?? 'ALL'}
        onChange={(e) => setStatus(e.target.value === 'ALL' ? undefined : (e.target.value as CorrectionStatus))}
        optionType="button"
      >
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
          {
            title: '状态',
            key: 'status',
            width: 90,
            render: (_, c) => <Tag color={CORRECTION_STATUS[c.status].color}>{CORRECTION_STATUS[c.status].label}</Tag>,
          },
          { title: '审核意见', dataIndex: 'decisionNote', render: (v?: string | null) => v ?? '—' },
          {
            title: '操作',
            key: 'actions',
            width: 140,
            render: (_, c) =>
              isHead &&
              c.status === 'PENDING' && (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={async () => (await decide({ id: c.id, version: c.version, approve: true })).data && reload()}
                  >
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
