import { Alert, Button, Card, Col, Row, Space, Tag, Typography } from 'antd';
import type { FollowUpMeasure, InspectionMethod, ProblemKind, ResultCategory } from '../gql/graphql';
import { FOLLOW_UP_LABELS, METHOD_LABELS, PROBLEM_LABELS, RESULT_LABELS } from '../inspections/labels';
import { dequeue, type QueuedFinding } from './store';
import { keepMine } from './sync';

interface Shown {
  results: readonly string[];
  problemKinds?: readonly string[] | null;
  followUp: string;
  followUpDeadline?: string | null;
  method: string;
  notes?: string | null;
}

/** A result as its tags and one line, the same way for the queued and the server's version. */
function ResultSummary({ shown }: { shown: Shown }) {
  return (
    <Space direction="vertical" size={2}>
      <Space wrap>
        {shown.results.map((r) => (
          <Tag key={r} color={r === 'NO_PROBLEM' ? 'green' : 'red'}>
            {RESULT_LABELS[r as ResultCategory]}
          </Tag>
        ))}
      </Space>
      {shown.problemKinds && shown.problemKinds.length > 0 && (
        <Typography.Text>{shown.problemKinds.map((k) => PROBLEM_LABELS[k as ProblemKind]).join('；')}</Typography.Text>
      )}
      <Typography.Text type="secondary">
        {FOLLOW_UP_LABELS[shown.followUp as FollowUpMeasure]}
        {shown.followUpDeadline ? `（期限 ${shown.followUpDeadline}）` : ''} · {METHOD_LABELS[shown.method as InspectionMethod]}
      </Typography.Text>
      {shown.notes && <Typography.Text>{shown.notes}</Typography.Text>}
    </Space>
  );
}

/**
 * A result recorded without a connection: 待同步 until it is sent. If the server had meanwhile
 * taken another version, both are shown and the officer chooses — nothing is overwritten silently.
 */
export function QueuedFindingView({ change }: { change: QueuedFinding }) {
  if (change.refusal) {
    return (
      <Alert
        type="error"
        showIcon
        title={`离线录入的结果未能提交：${change.refusal}`}
        action={
          <Button size="small" onClick={() => void dequeue(change.key)}>
            放弃
          </Button>
        }
      />
    );
  }
  if (change.conflict) {
    const server = change.conflict;
    return (
      <Card size="small" type="inner" title="冲突：请选择保留哪一版" data-testid="conflict">
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          离线期间，该结果已在别处被修改。两版都在下面，未选择前不会覆盖任何一版。
        </Typography.Paragraph>
        <Row gutter={[12, 12]}>
          <Col xs={24} md={12}>
            <Typography.Text strong>我的（离线录入）</Typography.Text>
            <div>
              <ResultSummary shown={{ ...change.input, results: change.input.results }} />
            </div>
            <Button type="primary" size="small" style={{ marginTop: 8 }} onClick={() => void keepMine(change)}>
              以我的为准
            </Button>
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text strong>
              服务器上（{server.officer}，第 {server.version} 版）
            </Typography.Text>
            <div>
              <ResultSummary shown={server} />
            </div>
            <Button size="small" style={{ marginTop: 8 }} onClick={() => void dequeue(change.key)}>
              采用服务器的
            </Button>
          </Col>
        </Row>
      </Card>
    );
  }
  return (
    <Space direction="vertical" size={2} data-testid="queued-finding">
      <Tag color="processing">待同步（离线录入，联网后自动提交）</Tag>
      <ResultSummary shown={change.input} />
    </Space>
  );
}
