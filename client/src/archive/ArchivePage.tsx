import { Alert, App, Button, Card, Descriptions, Empty, List, Space, Tag, Timeline, Typography } from 'antd';
import { useAuth } from '../auth/auth-context';
import { downloadFile } from '../common/download';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { FOLLOW_UP_LABELS, RESULT_LABELS, STATUS_LABELS } from '../inspections/labels';
import { RISK_LABELS } from '../registry/labels';

const Archive = graphql(`
  query EnterpriseArchive($uscc: String!) {
    enterpriseArchive(uscc: $uscc) {
      enterprise {
        id
        uscc
        name
        address
        legalRepresentative
        riskClass
        region {
          id
          name
        }
      }
      inspectionsOutOfScope
      inspections {
        id
        year
        status
        completedOn
        recordSha256
        leadDepartment {
          id
          shortName
        }
        tasks {
          id
          name
        }
        publication {
          id
          publishedOn
          correctedOn
        }
        findings {
          id
          results
          followUp
          followUpDeadline
          followUpDone
          item {
            id
            item
            department {
              id
              shortName
            }
          }
          referrals {
            id
            status
            result
            toDepartment {
              id
              shortName
            }
          }
        }
      }
      riskClassChanges {
        id
        fromClass
        toClass
        reason
        source
        changedAt
      }
      officerConflicts {
        id
        reason
        declaredAt
        officer {
          id
          name
        }
      }
    }
  }
`);

const REFERRAL_TEXT = { OPEN: '已移送', ACCEPTED: '已接收', CLOSED: '已办结' } as const;

/**
 * 企业信用档案: one firm's history with the departments — every visit this department may read,
 * across years and departments, with results, referrals, 责令改正 and publication; risk-class
 * changes; officer conflicts for those who manage the officers. Opened from every firm's row.
 */
export function ArchivePage() {
  const { uscc = '' } = useParams();
  const { session } = useAuth();
  const { message } = App.useApp();
  const [{ data, error }] = useQuery({ query: Archive, variables: { uscc } });
  if (error) return <Alert type="error" showIcon title={errorText(error)} />;
  const archive = data?.enterpriseArchive;
  if (!archive) return null;
  const { enterprise } = archive;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          企业信用档案 · {enterprise.name}
        </Typography.Title>
        <Button
          onClick={() =>
            void downloadFile(
              `/api/enterprises/${enterprise.uscc}/archive.xlsx`,
              session!.token,
              `企业信用档案-${enterprise.name}.xlsx`,
            ).catch((e: Error) => void message.error(e.message))
          }
        >
          导出 XLSX
        </Button>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="统一社会信用代码">{enterprise.uscc}</Descriptions.Item>
        <Descriptions.Item label="所属区域">{enterprise.region.name}</Descriptions.Item>
        <Descriptions.Item label="住所">{enterprise.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="信用风险分类">
          <Tag color={RISK_LABELS[enterprise.riskClass].color}>{RISK_LABELS[enterprise.riskClass].label}</Tag>
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title={`抽查记录（${archive.inspections.length} 次）`}>
        {archive.inspectionsOutOfScope > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title={`另有其他部门的检查 ${archive.inspectionsOutOfScope} 次，不在本部门可查看范围内`}
          />
        )}
        <List
          dataSource={archive.inspections}
          locale={{ emptyText: <Empty description="本部门范围内没有对该企业的检查" /> }}
          renderItem={(visit) => (
            <List.Item data-testid="archive-visit">
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Link to={`/inspections/${visit.id}`}>
                    {visit.year} 年 · {visit.tasks.map((t) => t.name).join('；')}
                  </Link>
                  <Tag color={STATUS_LABELS[visit.status].color}>{STATUS_LABELS[visit.status].label}</Tag>
                  <Typography.Text type="secondary">发起：{visit.leadDepartment.shortName}</Typography.Text>
                  {visit.completedOn && <Typography.Text type="secondary">办结 {visit.completedOn}</Typography.Text>}
                  {visit.publication && (
                    <Tag color="green">
                      已公示 {visit.publication.publishedOn}
                      {visit.publication.correctedOn ? ` · 已更正 ${visit.publication.correctedOn}` : ''}
                    </Tag>
                  )}
                </Space>
                {visit.findings.map((f) => (
                  <Typography.Text key={f.id} style={{ fontSize: 13 }}>
                    <Tag>{f.item.department.shortName}</Tag>
                    {f.item.item}：{f.results.map((r) => RESULT_LABELS[r]).join('、')}
                    {f.followUp !== 'NONE' && `；${FOLLOW_UP_LABELS[f.followUp]}`}
                    {f.followUp === 'ORDER_CORRECTION' &&
                      (f.followUpDone ? '（已复查整改）' : `（期限 ${f.followUpDeadline ?? '—'}，未复查）`)}
                    {f.referrals.map((r) => (
                      <Tag key={r.id} color="blue" style={{ marginLeft: 4 }}>
                        {REFERRAL_TEXT[r.status]}·{r.toDepartment.shortName}
                        {r.result ? `：${r.result}` : ''}
                      </Tag>
                    ))}
                  </Typography.Text>
                ))}
                {visit.recordSha256 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    现场检查记录 SHA-256 {visit.recordSha256.slice(0, 16)}…
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="信用风险分类变更">
        {archive.riskClassChanges.length === 0 ? (
          <Typography.Text type="secondary">无变更记录</Typography.Text>
        ) : (
          <Timeline
            items={archive.riskClassChanges.map((c) => ({
              key: c.id,
              content: `${new Date(c.changedAt).toLocaleDateString('zh-CN')} ${c.fromClass ? RISK_LABELS[c.fromClass].label : '（新增）'} → ${RISK_LABELS[c.toClass].label}：${c.reason}（${c.source}）`,
            }))}
          />
        )}
      </Card>
      {archive.officerConflicts.length > 0 && (
        <Card size="small" title="执法人员回避声明（仅本部门可见）">
          {archive.officerConflicts.map((c) => (
            <div key={c.id}>
              {c.officer.name}：{c.reason}（{new Date(c.declaredAt).toLocaleDateString('zh-CN')}）
            </div>
          ))}
        </Card>
      )}
    </Space>
  );
}
