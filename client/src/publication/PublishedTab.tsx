import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { ProblemKind, PublishedListQuery, ResultCategory } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { PROBLEM_LABELS, RESULT_LABELS } from '../inspections/labels';

import { usePublicationLive } from './use-publication-live';

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
      <Typography.Paragraph type="secondary">
        只能更正本部门的检查事项；批准后公示新版本并标注“已更正”，原版本仍可查询。
      </Typography.Paragraph>
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
                    if (results.length)
                      next[item.itemId] = {
                        results,
                        problemKinds: results.includes('PROBLEM_PENDING') ? (all[item.itemId]?.problemKinds ?? []) : [],
                      };
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
                  onChange={(problemKinds: ProblemKind[]) =>
                    setChanges((all) => ({ ...all, [item.itemId]: { ...all[item.itemId], problemKinds } }))
                  }
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

export function PublishedTab() {
  const { session } = useAuth();
  const pages = useCursorPages();
  const [enterprise, setEnterprise] = useState<string | undefined>();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Published,
    variables: { departmentId: session?.user.department.id, enterprise, after: pages.after },
  });
  usePublicationLive(() => refetch({ requestPolicy: 'network-only' }));
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
