import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, List, Modal, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useClient, useMutation, useQuery } from 'urql';
import { useLiveRefetch } from '../common/use-live-refetch';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { RISK_LABELS } from '../registry/labels';
import { AmendTeamButton } from './AmendTeamButton';
import { DRAW_STATUS } from './DrawsPage';

const DrawDetail = graphql(`
  query DrawDetail($id: ID!) {
    draw(id: $id) {
      id
      status
      year
      commitment
      populationCommitment
      poolCommitment
      rulesCommitment
      openingCommitment
      witnessesRequired
      witnessFromOtherDepartment
      witnessesMissing
      seed
      secret
      visits
      visitsIndependent
      openedAt
      revealedAt
      cancelledAt
      cancelReason
      leadDepartment {
        id
        name
      }
      tasks {
        id
        seq
        name
      }
      entropies {
        id
        byName
        value
        createdAt
      }
      amendments {
        id
        visitKey
        outCertificateNo
        inCertificateNo
        reason
        byName
        createdAt
      }
      inspections {
        id
        round
        viewerCanAmendTeam
        enterprise {
          id
          uscc
          name
          riskClass
          region {
            id
            name
          }
        }
        tasks {
          id
          seq
        }
        items {
          id
        }
        officers {
          id
          name
          department {
            id
            shortName
          }
        }
      }
    }
  }
`);

const Watch = graphql(`
  subscription WatchDraw($id: ID!) {
    drawUpdated(drawId: $id) {
      type
      by
    }
  }
`);

const AddEntropy = graphql(`
  mutation AddEntropy($id: ID!, $value: String!) {
    addDrawEntropy(drawId: $id, value: $value) {
      id
    }
  }
`);

const Reveal = graphql(`
  mutation RevealDraw($id: ID!, $key: String) {
    revealDraw(drawId: $id, idempotencyKey: $key) {
      id
      status
    }
  }
`);

const Cancel = graphql(`
  mutation CancelDraw($id: ID!, $reason: String!) {
    cancelDraw(drawId: $id, reason: $reason) {
      id
      status
    }
  }
`);

const Record = graphql(`
  query DrawRecordDownload($id: ID!) {
    drawRecord(id: $id)
  }
`);

/** The live ceremony: commitment first, witnesses' entropy, then the reveal and the teams. */
export function DrawPage() {
  const { id = '' } = useParams();
  const { session } = useAuth();
  const client = useClient();
  const [{ data, error }, refetch] = useQuery({ query: DrawDetail, variables: { id } });
  // Every change (opened, entropy added, revealed) reloads the page's view of the draw.
  useLiveRefetch(Watch, { id }, () => refetch({ requestPolicy: 'network-only' }));
  const [entropy, setEntropy] = useState('');
  const [added, addEntropy] = useMutation(AddEntropy);
  const [revealing, reveal] = useMutation(Reveal);
  const [cancelling, cancel] = useMutation(Cancel);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  // One key per page visit: a retried reveal (double click, lost answer) returns the same draw.
  const [revealKey] = useState(() => crypto.randomUUID());
  const draw = data?.draw;
  if (error) return <Alert type="error" showIcon title={errorText(error)} />;
  if (!draw) return null;
  const roles = session?.user.roles ?? [];
  const isLead = draw.leadDepartment.id === session?.user.department.id && roles.some((r) => r === 'STAFF' || r === 'HEAD');
  const isWitness = roles.includes('WITNESS');
  const committed = draw.status === 'COMMITTED';
  const cancelled = draw.status === 'CANCELLED';

  const download = async () => {
    const result = await client.query(Record, { id }).toPromise();
    const blob = new Blob([JSON.stringify(result.data?.drawRecord, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `抽取记录-${id}.json`;
    link.click();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        随机抽取 <Tag color={DRAW_STATUS[draw.status].color}>{DRAW_STATUS[draw.status].label}</Tag>
      </Typography.Title>
      {cancelled && (
        <Alert
          type="warning"
          showIcon
          title={`已于 ${new Date(draw.cancelledAt!).toLocaleString('zh-CN')} 撤销：${draw.cancelReason}`}
          description="其任务可重新开启抽取；本记录保留，不可更改。"
        />
      )}
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label="任务">{draw.tasks.map((t) => `${t.seq}. ${t.name}`).join('；')}</Descriptions.Item>
        <Descriptions.Item label="发起部门">{draw.leadDepartment.name}</Descriptions.Item>
        {draw.openingCommitment && (
          <Descriptions.Item label="开启承诺值（抽取前公布）">
            <Typography.Text code copyable>
              {draw.openingCommitment}
            </Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
              涵盖下列各项：密钥、名录、执法人员库、检查组规则与见证规则，开启后不能更改
            </Typography.Paragraph>
          </Descriptions.Item>
        )}
        <Descriptions.Item label="密钥承诺值">
          <Typography.Text code copyable>
            {draw.commitment}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="名录承诺值">
          <Typography.Text code>{draw.populationCommitment}</Typography.Text>
        </Descriptions.Item>
        {draw.poolCommitment && (
          <Descriptions.Item label="执法人员库承诺值">
            <Typography.Text code>{draw.poolCommitment}</Typography.Text>
          </Descriptions.Item>
        )}
        {draw.rulesCommitment && (
          <Descriptions.Item label="检查组规则承诺值">
            <Typography.Text code>{draw.rulesCommitment}</Typography.Text>
          </Descriptions.Item>
        )}
        <Descriptions.Item label="见证要求">
          至少 {draw.witnessesRequired} 名见证人加入随机串{draw.witnessFromOtherDepartment ? '，其中至少一名来自发起部门以外' : ''}
        </Descriptions.Item>
        {draw.secret && (
          <Descriptions.Item label="服务器密钥（揭示后公布）">
            <Typography.Text code>{draw.secret}</Typography.Text>
          </Descriptions.Item>
        )}
        {draw.seed && (
          <Descriptions.Item label="种子">
            <Typography.Text code>{draw.seed}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>

      <Card
        size="small"
        title={`见证人随机串（${draw.entropies.length}）`}
        extra={
          <Link to={`/public/draws/${id}`} target="_blank">
            公开记录
          </Link>
        }
      >
        {draw.witnessesMissing && <Alert type="info" showIcon title={draw.witnessesMissing} style={{ marginBottom: 8 }} />}
        <List
          size="small"
          dataSource={draw.entropies}
          locale={{ emptyText: '尚无见证人加入随机串' }}
          renderItem={(e) => (
            <List.Item>
              <Space>
                <Typography.Text strong>{e.byName}</Typography.Text>
                <Typography.Text code>{e.value}</Typography.Text>
                <Typography.Text type="secondary">{new Date(e.createdAt).toLocaleString('zh-CN')}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        {committed && isWitness && (
          <Space.Compact style={{ width: '100%', marginTop: 8 }}>
            <Input
              placeholder="输入任意随机串（如现场投掷骰子的结果）"
              value={entropy}
              maxLength={200}
              onChange={(e) => setEntropy(e.target.value)}
              aria-label="随机串"
            />
            <Button
              type="primary"
              disabled={!entropy.trim()}
              loading={added.fetching}
              onClick={async () => {
                const result = await addEntropy({ id, value: entropy });
                if (!result.error) setEntropy('');
              }}
            >
              加入随机串
            </Button>
          </Space.Compact>
        )}
        {added.error && <Alert type="error" showIcon title={errorText(added.error)} style={{ marginTop: 8 }} />}
      </Card>

      {committed && isLead && (
        <Space direction="vertical">
          <Space wrap>
            <Button
              type="primary"
              size="large"
              loading={revealing.fetching}
              disabled={Boolean(draw.witnessesMissing)}
              title={draw.witnessesMissing ?? undefined}
              onClick={() => reveal({ id, key: revealKey })}
            >
              揭示并完成抽取
            </Button>
            <Button danger onClick={() => setCancelOpen(true)}>
              撤销抽取
            </Button>
          </Space>
          {revealing.error && <Alert type="error" showIcon title={errorText(revealing.error)} />}
          <Modal
            open={cancelOpen}
            title="撤销抽取"
            okText="撤销"
            okButtonProps={{ danger: true, disabled: !cancelReason.trim(), loading: cancelling.fetching }}
            onCancel={() => setCancelOpen(false)}
            onOk={async () => {
              if ((await cancel({ id, reason: cancelReason })).data) setCancelOpen(false);
            }}
          >
            <Typography.Paragraph type="secondary">
              尚未揭示的抽取可以撤销（例如开启后名录库发生了变化），撤销后其任务可重新开启抽取。撤销记录保留。
            </Typography.Paragraph>
            {cancelling.error && <Alert type="error" showIcon title={errorText(cancelling.error)} style={{ marginBottom: 8 }} />}
            <Input.TextArea
              rows={3}
              maxLength={500}
              placeholder="撤销理由"
              aria-label="撤销理由"
              value={cancelReason}
              onChange={(e) => setCancelReason(e.target.value)}
            />
          </Modal>
        </Space>
      )}

      {draw.status === 'REVEALED' && (
        <>
          <Space wrap>
            <Card size="small">
              <Statistic title="检查户次（联合）" value={draw.visits} />
            </Card>
            <Card size="small">
              <Statistic title="若各任务独立抽取" value={draw.visitsIndependent} precision={1} />
            </Card>
            <Button icon={<DownloadOutlined />} onClick={download}>
              下载抽取记录（可用 verify-draw 复核）
            </Button>
          </Space>
          {draw.amendments.length > 0 && (
            <Card size="small" title={`检查组人员调整（${draw.amendments.length}）`}>
              <List
                size="small"
                dataSource={draw.amendments}
                renderItem={(a) => (
                  <List.Item>
                    <Space wrap>
                      <Typography.Text code>{a.visitKey}</Typography.Text>
                      <span>
                        {a.outCertificateNo} → {a.inCertificateNo}
                      </span>
                      <span>理由：{a.reason}</span>
                      <Typography.Text type="secondary">
                        {a.byName} {new Date(a.createdAt).toLocaleString('zh-CN')}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={draw.inspections}
            scroll={{ x: 900 }}
            columns={[
              { title: '企业名称', key: 'name', render: (_, i) => i.enterprise.name },
              {
                title: '统一社会信用代码',
                key: 'uscc',
                width: 190,
                render: (_, i) => <Typography.Text code>{i.enterprise.uscc}</Typography.Text>,
              },
              {
                title: '风险',
                key: 'risk',
                width: 110,
                render: (_, i) => <Tag color={RISK_LABELS[i.enterprise.riskClass].color}>{RISK_LABELS[i.enterprise.riskClass].label}</Tag>,
              },
              { title: '区域', key: 'region', width: 90, render: (_, i) => i.enterprise.region.name },
              { title: '任务', key: 'tasks', width: 90, render: (_, i) => i.tasks.map((t) => t.seq).join('、') },
              { title: '事项', key: 'items', width: 60, render: (_, i) => i.items.length },
              {
                title: '检查组',
                key: 'team',
                render: (_, i) =>
                  i.officers.map((o) => (
                    <Tag key={o.id}>
                      {`${o.name}（${o.department.shortName}）`}
                      {i.viewerCanAmendTeam && <AmendTeamButton inspectionId={i.id} officer={o} />}
                    </Tag>
                  )),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
