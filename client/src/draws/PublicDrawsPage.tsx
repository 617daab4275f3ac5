import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { PublicShell } from '../publication/PublicShell';

const Draws = graphql(`
  query PublicDrawList($year: Int) {
    publicDraws(year: $year) {
      id
      year
      status
      department
      tasks
      openedAt
      closedAt
      visits
      openingCommitment
    }
  }
`);

const Detail = graphql(`
  query PublicDrawDetail($id: ID!) {
    publicDraw(id: $id) {
      id
      year
      status
      department
      openedAt
      closedAt
    }
    publicDrawRecord(id: $id)
  }
`);

/** The public record as `publicDrawRecord` returns it (inspection-hub/public-draw-record@2, docs/draw-record.md). */
interface PublicRecord {
  status: 'COMMITTED' | 'REVEALED' | 'WITHDRAWN';
  witnessRule: { required: number; otherDepartment: boolean };
  commitment: string;
  populationCommitment: string;
  poolCommitment: string;
  rulesCommitment: string;
  openingCommitment: string;
  withdrawal?: { at: string; reason: string };
  secret: string | null;
  seed: string | null;
  entropies: { by: string; at: string; value: string }[];
  tasks: {
    taskId: number;
    name: string;
    ratio:
      | { kind: 'PERCENT'; percent: number }
      | { kind: 'COUNT'; count: number }
      | { kind: 'PER_RISK_CLASS'; percents: Record<string, number> };
    riskStratified: boolean;
    rounds: number;
    strata: { size: number; populationDigest: string; sampleSize: number | null }[];
    selected: { uscc: string; name: string }[];
  }[];
  teams: { visit: string; firm: string; officers: { name: string; department: string }[] }[];
}

const STATUS: Record<string, { label: string; color: string }> = {
  COMMITTED: { label: '待揭示', color: 'orange' },
  REVEALED: { label: '已完成', color: 'green' },
  CANCELLED: { label: '已撤销', color: 'default' },
  WITHDRAWN: { label: '已撤销', color: 'default' },
};

const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN') : '—');

function ratioText(task: PublicRecord['tasks'][number]): string {
  const { ratio } = task;
  const text =
    ratio.kind === 'PERCENT'
      ? `${ratio.percent}%${task.riskStratified ? '（按信用风险分类递增）' : ''}`
      : ratio.kind === 'COUNT'
        ? `${ratio.count} 户`
        : Object.entries(ratio.percents)
            .map(([r, p]) => `${r} 类 ${p}%`)
            .join('、');
  return task.rounds > 1 ? `${text}，每年 ${task.rounds} 次` : text;
}

function Hash({ value }: { value?: string | null }) {
  return value ? (
    <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
      {value}
    </Typography.Text>
  ) : (
    <Typography.Text type="secondary">揭示或撤销后公布</Typography.Text>
  );
}

/** The public list of draws (/public/draws): every draw from its opening, with its commitment. */
export function PublicDrawsPage() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState<number | undefined>(thisYear);
  const [{ data, fetching, error }] = useQuery({ query: Draws, variables: { year } });
  return (
    <PublicShell>
      <Typography.Title level={4}>随机抽取记录</Typography.Title>
      <Typography.Paragraph type="secondary">
        每次抽取在开启时公布承诺值（此时尚无人能知道抽取结果），见证人当场加入随机串，揭示时公布服务器密钥、种子、各层名录规模与摘要及抽中企业。撤销的抽取同样公布密钥及其本应抽中的企业。任何人均可下载记录，用
        <Typography.Text code>verify-draw --public</Typography.Text>按公开的格式说明复核。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <span>年度</span>
        <Select
          style={{ width: 120 }}
          value={year ?? 0}
          onChange={(y) => setYear(y || undefined)}
          options={[{ value: 0, label: '全部' }, ...[0, 1, 2].map((k) => ({ value: thisYear - k, label: `${thisYear - k} 年` }))]}
        />
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="middle"
        loading={fetching}
        dataSource={data?.publicDraws ?? []}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '开启时间', key: 'opened', width: 170, render: (_, d) => <Link to={`/public/draws/${d.id}`}>{when(d.openedAt)}</Link> },
          { title: '发起部门', dataIndex: 'department', width: 180 },
          { title: '抽查任务', key: 'tasks', render: (_, d) => d.tasks.join('；') },
          { title: '状态', key: 'status', width: 90, render: (_, d) => <Tag color={STATUS[d.status].color}>{STATUS[d.status].label}</Tag> },
          { title: '检查户次', key: 'visits', width: 90, align: 'right', render: (_, d) => (d.status === 'COMMITTED' ? '—' : d.visits) },
          {
            title: '开启承诺值',
            key: 'commitment',
            width: 160,
            render: (_, d) => (d.openingCommitment ? <Typography.Text code>{d.openingCommitment.slice(0, 16)}…</Typography.Text> : '—'),
          },
        ]}
      />
    </PublicShell>
  );
}

/** One draw's public record (/public/draws/:id): commitments, seed parts, strata, firms and teams. */
export function PublicDrawRecordPage() {
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: Detail, variables: { id } });
  const [firmFilter, setFirmFilter] = useState('');
  // On a phone the labels go above the values: a 64-digit hash needs the whole width.
  const wide = Grid.useBreakpoint().md ?? true;
  const draw = data?.publicDraw;
  const record = data?.publicDrawRecord as PublicRecord | undefined;
  const teams = useMemo(() => {
    const q = firmFilter.trim();
    return (record?.teams ?? []).filter((t) => !q || t.firm.includes(q) || t.visit.includes(q));
  }, [record, firmFilter]);

  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }));
    link.download = `公开抽取记录-${id}.json`;
    link.click();
  };

  return (
    <PublicShell>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {draw && record && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {draw.department} 随机抽取 <Tag color={STATUS[record.status].color}>{STATUS[record.status].label}</Tag>
          </Typography.Title>
          {record.withdrawal && (
            <Alert
              type="warning"
              showIcon
              title={`已于 ${when(record.withdrawal.at)} 撤销：${record.withdrawal.reason}`}
              description="撤销的抽取同样公布密钥和种子，以及本应抽中的企业，以便核对撤销是否与抽取结果有关。"
            />
          )}
          <Descriptions bordered size="small" column={1} layout={wide ? 'horizontal' : 'vertical'} styles={{ label: { width: 180 } }}>
            <Descriptions.Item label="年度">{draw.year}</Descriptions.Item>
            <Descriptions.Item label="开启时间">{when(draw.openedAt)}</Descriptions.Item>
            <Descriptions.Item label={record.status === 'WITHDRAWN' ? '撤销时间' : '揭示时间'}>{when(draw.closedAt)}</Descriptions.Item>
            <Descriptions.Item label="见证要求">
              至少 {record.witnessRule.required} 名见证人{record.witnessRule.otherDepartment ? '，其中至少一名来自发起部门以外' : ''}
            </Descriptions.Item>
            {(
              [
                ['开启承诺值', record.openingCommitment],
                ['密钥承诺值', record.commitment],
                ['名录承诺值', record.populationCommitment],
                ['执法人员库承诺值', record.poolCommitment],
                ['检查组规则承诺值', record.rulesCommitment],
                ['服务器密钥', record.secret],
                ['种子', record.seed],
              ] as const
            ).map(([label, value]) => (
              <Descriptions.Item key={label} label={label}>
                <Hash value={value} />
              </Descriptions.Item>
            ))}
          </Descriptions>

          <Card size="small" title={`见证人随机串（${record.entropies.length}）`}>
            <List
              size="small"
              dataSource={record.entropies}
              locale={{ emptyText: '尚无见证人加入随机串' }}
              renderItem={(e) => (
                <List.Item>
                  <Space wrap>
                    <Typography.Text strong>{e.by}</Typography.Text>
                    <Typography.Text code>{e.value}</Typography.Text>
                    <Typography.Text type="secondary">{when(e.at)}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>

          {record.tasks.map((t) => (
            <Card key={t.taskId} size="small" title={t.name} extra={<span>抽查比例：{ratioText(t)}</span>}>
              <Table
                rowKey={(_, k) => String(k)}
                size="small"
                pagination={false}
                dataSource={t.strata}
                scroll={{ x: 640 }}
                columns={[
                  { title: '分层', key: 'k', width: 80, render: (_, __, k) => `第 ${k + 1} 层` },
                  { title: '名录户数', dataIndex: 'size', width: 100, align: 'right' },
                  { title: '应抽户数', key: 'n', width: 100, align: 'right', render: (_, s) => s.sampleSize ?? '—' },
                  { title: '名录摘要', key: 'digest', render: (_, s) => <Typography.Text code>{s.populationDigest}</Typography.Text> },
                ]}
              />
              {t.selected.length > 0 && (
                <Table
                  style={{ marginTop: 12 }}
                  rowKey="uscc"
                  size="small"
                  dataSource={t.selected}
                  pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (n) => `抽中 ${n} 户` }}
                  columns={[
                    { title: '抽中企业', dataIndex: 'name' },
                    { title: '统一社会信用代码', dataIndex: 'uscc', width: 200 },
                  ]}
                />
              )}
            </Card>
          ))}

          {record.teams.length > 0 && (
            <Card
              size="small"
              title={`检查组（${record.teams.length} 户次）`}
              extra={<Input.Search allowClear placeholder="企业名称或代码" onSearch={setFirmFilter} style={{ width: 220 }} />}
            >
              <Table
                rowKey="visit"
                size="small"
                dataSource={teams}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                scroll={{ x: 640 }}
                columns={[
                  { title: '企业', dataIndex: 'firm' },
                  { title: '轮次:代码', dataIndex: 'visit', width: 230 },
                  {
                    title: '执法人员',
                    key: 'officers',
                    render: (_, v) => v.officers.map((o, k) => <Tag key={k}>{`${o.name}（${o.department}）`}</Tag>),
                  },
                ]}
              />
            </Card>
          )}

          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={download}>
              下载公开记录
            </Button>
            <Typography.Text type="secondary">
              复核：<Typography.Text code>npm run hub -- verify-draw --public 文件</Typography.Text>（格式说明见 docs/draw-record.md）
            </Typography.Text>
          </Space>
        </Space>
      )}
    </PublicShell>
  );
}
