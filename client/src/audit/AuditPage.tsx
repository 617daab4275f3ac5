import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Log = graphql(`
  query AuditLogPage($before: ID) {
    auditLog(first: 100, before: $before) {
      id
      at
      actorId
      departmentId
      operation
      target
      success
      errorCode
      inputDigest
      hash
    }
  }
`);

const Chain = graphql(`
  query AuditChainCheck {
    auditChain {
      ok
      entries
      brokenEntryId
      reason
    }
  }
`);

function ChainStatus() {
  const [{ data, fetching, error }, check] = useQuery({ query: Chain, pause: true });
  const chain = data?.auditChain;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button loading={fetching} onClick={() => check({ requestPolicy: 'network-only' })}>
        校验哈希链
      </Button>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {chain &&
        (chain.ok ? (
          <Alert type="success" showIcon title={`哈希链完整：已校验 ${chain.entries} 条`} />
        ) : (
          <Alert type="error" showIcon title={`哈希链断裂：第 ${chain.brokenEntryId} 条，${chain.reason}`} />
        ))}
    </Space>
  );
}

/** 审计日志 for AUDITOR: every mutation, newest first, each holding the hash of the one before. */
export function AuditPage() {
  const { session } = useAuth();
  const pages = useCursorPages();
  const [{ data, fetching, error }] = useQuery({
    query: Log,
    variables: { before: pages.after },
    pause: !session?.user.roles.includes('AUDITOR'),
  });
  if (!session?.user.roles.includes('AUDITOR')) return <Alert type="info" showIcon title="审计日志仅审计人员可以查看" />;
  const rows = data?.auditLog ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        审计日志
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        每项变更操作（含被拒绝的）记录一条；每条包含上一条的哈希，数据库只允许追加，180 天内不可删除。
      </Typography.Paragraph>
      <ChainStatus />
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          { title: '序号', dataIndex: 'id', width: 80 },
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: '账号', dataIndex: 'actorId', width: 70, render: (v?: string | null) => v ?? '—' },
          { title: '部门', dataIndex: 'departmentId', width: 70, render: (v?: string | null) => v ?? '—' },
          { title: '操作', dataIndex: 'operation' },
          { title: '对象', dataIndex: 'target' },
          {
            title: '结果',
            key: 'ok',
            width: 130,
            render: (_, e) => (e.success ? <Tag color="green">成功</Tag> : <Tag color="red">失败 {e.errorCode}</Tag>),
          },
          {
            title: '输入摘要',
            dataIndex: 'inputDigest',
            width: 130,
            render: (v: string) => <Typography.Text code>{v.slice(0, 12)}…</Typography.Text>,
          },
          {
            title: '本条哈希',
            dataIndex: 'hash',
            width: 130,
            render: (v: string) => <Typography.Text code>{v.slice(0, 12)}…</Typography.Text>,
          },
        ]}
      />
      <Space>
        <Button disabled={pages.page === 1} onClick={pages.previous}>
          较新
        </Button>
        <Button disabled={rows.length < 100} onClick={() => pages.next(rows[rows.length - 1].id)}>
          更早
        </Button>
      </Space>
    </Space>
  );
}
