import { downloadFile, saveBlob } from '../common/download';
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Log = graphql(`
  query AuditLogPage($before: ID, $actorId: ID, $departmentId: ID, $operation: String, $success: Boolean, $from: String, $to: String) {
    auditLog(
      first: 100
      before: $before
      actorId: $actorId
      departmentId: $departmentId
      operation: $operation
      success: $success
      from: $from
      to: $to
    ) {
      id
      at
      operation
      operationName
      target
      success
      errorCode
      inputDigest
      hash
      actor {
        id
        username
        displayName
      }
      department {
        id
        shortName
      }
    }
  }
`);

const Options = graphql(`
  query AuditFilterOptions {
    auditOperations {
      operation
      name
    }
    departments {
      id
      name
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

const Checkpoint = graphql(`
  query AuditCheckpoint {
    auditCheckpoint {
      entryId
      hash
      at
      signature
    }
  }
`);

function ChainStatus() {
  const [{ data, fetching, error }, check] = useQuery({ query: Chain, pause: true });
  const client = useClient();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const chain = data?.auditChain;
  // A signed checkpoint kept off the database host: verify-audit --checkpoint then notices a cut tail.
  const exportCheckpoint = async () => {
    setSaving(true);
    const result = await client.query(Checkpoint, {}, { requestPolicy: 'network-only' }).toPromise();
    setSaving(false);
    const checkpoint = result.data?.auditCheckpoint;
    if (result.error || !checkpoint) {
      void message.error(result.error ? errorText(result.error) : '审计日志为空，无校验点可导出');
      return;
    }
    // Exactly what verify-audit --checkpoint reads (urql's __typename left out).
    const { entryId, hash, at, signature } = checkpoint;
    const blob = new Blob([JSON.stringify({ entryId, hash, at, signature }, null, 2)], { type: 'application/json' });
    saveBlob(blob, `审计校验点-${checkpoint.entryId}-${dayjs().format('YYYYMMDD-HHmm')}.json`);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button loading={fetching} onClick={() => check({ requestPolicy: 'network-only' })}>
          校验哈希链
        </Button>
        <Button icon={<DownloadOutlined />} loading={saving} onClick={() => void exportCheckpoint()}>
          导出校验点
        </Button>
        <Typography.Text type="secondary">
          校验点请保存在数据库服务器以外，日后用 verify-audit --checkpoint 核对日志未被截短
        </Typography.Text>
      </Space>
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

const Accounts = graphql(`
  query AuditAccounts($search: String!) {
    auditAccounts(search: $search) {
      id
      username
      displayName
    }
  }
`);

type Filter = { actorId?: string; departmentId?: string; operation?: string; success?: boolean; from?: string; to?: string };

/** 审计日志 for the 审计管理员: every mutation (the other two administrators' included), newest first, each holding the hash of the one before. */
export function AuditPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const pages = useCursorPages();
  const [filter, setFilter] = useState<Filter>({});
  const [actorSearch, setActorSearch] = useState('');
  const isAuditor = session?.user.roles.includes('AUDITOR') ?? false;
  const [{ data, fetching, error }] = useQuery({ query: Log, variables: { ...filter, before: pages.after }, pause: !isAuditor });
  const [{ data: options }] = useQuery({ query: Options, pause: !isAuditor });
  const [{ data: found }] = useQuery({ query: Accounts, variables: { search: actorSearch }, pause: !isAuditor || !actorSearch });
  const [exporting, setExporting] = useState(false);
  if (!isAuditor) return <Alert type="info" showIcon title="审计日志仅审计管理员可以查看" />;
  const rows = data?.auditLog ?? [];
  const narrow = (change: Filter) => {
    pages.reset();
    setFilter((f) => ({ ...f, ...change }));
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      const query = new URLSearchParams(Object.entries(filter).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
      await downloadFile(`/api/audit.csv?${query}`, session!.token, `审计日志-${dayjs().format('YYYYMMDD-HHmm')}.csv`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        审计日志
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        每项变更操作（含被拒绝的，含系统管理员、安全管理员的操作）记录一条；每条包含上一条的哈希，数据库只允许追加，180 天内不可删除。
      </Typography.Paragraph>
      <ChainStatus />
      <Space wrap>
        <Select
          allowClear
          showSearch
          filterOption={false}
          placeholder="账号（输入用户名或姓名）"
          style={{ width: 220 }}
          onSearch={setActorSearch}
          onChange={(actorId?: string) => narrow({ actorId })}
          options={found?.auditAccounts.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="部门"
          style={{ width: 220 }}
          onChange={(departmentId?: string) => narrow({ departmentId })}
          options={options?.departments.map((d) => ({ value: d.id, label: d.name }))}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="操作"
          style={{ width: 200 }}
          onChange={(operation?: string) => narrow({ operation })}
          options={options?.auditOperations.map((o) => ({ value: o.operation, label: o.name }))}
        />
        <Select
          allowClear
          placeholder="结果"
          style={{ width: 100 }}
          onChange={(v?: string) => narrow({ success: v === undefined ? undefined : v === 'ok' })}
          options={[
            { value: 'ok', label: '成功' },
            { value: 'failed', label: '失败' },
          ]}
        />
        <DatePicker.RangePicker
          onChange={(dates) => narrow({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD') })}
        />
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportCsv}>
          导出 CSV
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1200 }}
        columns={[
          { title: '序号', dataIndex: 'id', width: 80 },
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          {
            title: '账号',
            key: 'actor',
            width: 190,
            render: (_, e) =>
              e.actor ? `${e.actor.displayName}（${e.actor.username}）` : <Typography.Text type="secondary">未登录</Typography.Text>,
          },
          { title: '部门', key: 'dept', width: 120, render: (_, e) => e.department?.shortName ?? '—' },
          { title: '操作', key: 'op', width: 170, render: (_, e) => <span title={e.operation}>{e.operationName}</span> },
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
