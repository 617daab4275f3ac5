import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { useLiveRefetch } from '../common/use-live-refetch';
import { useEventStream } from '../events/use-event-stream';
import { graphql } from '../gql';
import type { FindingInput, FollowUpMeasure, InspectionDetailQuery, InspectionMethod, ProblemKind, ResultCategory } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { Detail, Record } from './documents';
import { enqueue, isNetworkFailure, loadVisit, newKey, type QueuedFile, type QueuedFinding, saveVisit } from '../offline/store';
import { useQueued } from '../offline/OfflineStatus';
import { QueuedFindingView } from '../offline/QueuedFindingView';
import { EvidenceList } from './Evidence';
import { RecordCard } from './RecordCard';
import { FOLLOW_UP_LABELS, METHOD_LABELS, PROBLEM_LABELS, RESULT_LABELS, STATUS_LABELS } from './labels';

// Their selects and dialogs load when a team is amended or a finding referred, not with the page.
const AmendTeamButton = lazy(async () => ({ default: (await import('../draws/AmendTeamButton')).AmendTeamButton }));
const ReferDialog = lazy(async () => ({ default: (await import('../referrals/ReferDialog')).ReferDialog }));

const Live = graphql(`
  subscription InspectionLive($id: ID!) {
    inspectionUpdated(inspectionId: $id) {
      id
      status
      version
    }
  }
`);

const Transition = graphql(`
  mutation InspectionTransition($id: ID!, $version: Int!, $submit: Boolean!, $finalise: Boolean!, $start: Boolean!) {
    submitInspection(id: $id, version: $version) @include(if: $submit) {
      id
      status
      version
    }
    finaliseInspection(id: $id, version: $version) @include(if: $finalise) {
      id
      status
      version
    }
    startInspection(id: $id, version: $version) @include(if: $start) {
      id
      status
      version
    }
  }
`);

const Return = graphql(`
  mutation ReturnInspection($id: ID!, $version: Int!, $comment: String!) {
    returnInspection(id: $id, version: $version, comment: $comment) {
      id
      status
      version
      returnComment
      returnedAt
    }
  }
`);

const Schedule = graphql(`
  mutation ScheduleInspection($id: ID!, $version: Int!, $at: DateTimeISO!) {
    scheduleInspection(id: $id, version: $version, scheduledAt: $at) {
      id
      scheduledAt
      version
    }
  }
`);

type Inspection = NonNullable<InspectionDetailQuery['inspection']>;
type Item = Inspection['items'][number];
type FindingRow = Inspection['findings'][number];

interface FindingValues {
  results: ResultCategory[];
  problemKinds: ProblemKind[];
  followUp: FollowUpMeasure;
  followUpDeadline?: string;
  method: InspectionMethod;
  notes?: string;
}

/**
 * Sends a result, or — without a connection — keeps it on the device to be sent when it returns
 * (src/offline); either way with one idempotency key, so a send whose answer was lost counts once.
 */
async function recordOrQueue(
  record: (variables: { inspectionId: string; itemId: string; input: FindingInput }) => Promise<{ data?: unknown; error?: CombinedError }>,
  inspectionId: string,
  itemId: string,
  input: FindingInput,
): Promise<'sent' | 'queued' | 'refused'> {
  const key = newKey();
  const result = navigator.onLine ? await record({ inspectionId, itemId, input: { ...input, idempotencyKey: key } }) : null;
  if (result?.data) return 'sent';
  if (result && !isNetworkFailure(result.error)) return 'refused';
  await enqueue({ key, kind: 'finding', inspectionId, itemId, input, queuedAt: Date.now() });
  return 'queued';
}

function FindingForm({
  inspectionId,
  item,
  finding,
  onSaved,
}: {
  inspectionId: string;
  item: Item;
  finding?: FindingRow;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<FindingValues>();
  const [{ fetching, error }, record] = useMutation(Record);
  const results = Form.useWatch('results', form) ?? [];
  const followUp = Form.useWatch('followUp', form);
  const save = async (values: FindingValues) => {
    const input = {
      version: finding?.version ?? null,
      results: values.results,
      problemKinds: values.results.includes('PROBLEM_PENDING') ? values.problemKinds : [],
      followUp: values.followUp,
      followUpDeadline: values.followUpDeadline || null,
      method: values.method,
      notes: values.notes ?? null,
    };
    if ((await recordOrQueue(record, inspectionId, item.id, input)) !== 'refused') onSaved();
  };
  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      onFinish={save}
      initialValues={{
        results: finding?.results ?? [],
        problemKinds: finding?.problemKinds ?? [],
        followUp: finding?.followUp ?? 'NONE',
        followUpDeadline: finding?.followUpDeadline ?? undefined,
        method: finding?.method ?? item.method,
        notes: finding?.notes,
      }}
      aria-label={`录入：${item.item}`}
      onValuesChange={(changed: Partial<FindingValues>) => {
        // 未发现问题 needs no follow-up: the form says so as it is ticked, not after saving.
        if (changed.results?.includes('NO_PROBLEM')) form.setFieldValue('followUp', 'NONE');
      }}
    >
      <Form.Item
        name="results"
        label="检查结果"
        rules={[{ required: true, message: '请选择检查结果' }]}
        // 未发现问题 excludes the other results: ticking it clears them, ticking another clears it.
        normalize={(value: ResultCategory[], previous: ResultCategory[] = []) => {
          const added = value.filter((v) => !previous.includes(v));
          if (added.includes('NO_PROBLEM')) return ['NO_PROBLEM'];
          return added.length ? value.filter((v) => v !== 'NO_PROBLEM') : value;
        }}
      >
        <Checkbox.Group
          options={Object.entries(RESULT_LABELS).map(([value, label]) => ({ value, label }))}
          style={{ display: 'flex', flexDirection: 'column' }}
        />
      </Form.Item>
      {results.includes('PROBLEM_PENDING') && (
        <Form.Item name="problemKinds" label="具体情形" rules={[{ required: true, message: '请选择具体情形' }]}>
          <Checkbox.Group
            options={Object.entries(PROBLEM_LABELS).map(([value, label]) => ({ value, label }))}
            style={{ display: 'flex', flexDirection: 'column' }}
          />
        </Form.Item>
      )}
      {/* Radios and the phone's own date picker: no dropdown to aim at on a small screen, and no picker library in the first load. */}
      <Form.Item name="followUp" label="后续处置">
        <Radio.Group
          disabled={results.includes('NO_PROBLEM')}
          options={Object.entries(FOLLOW_UP_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      {followUp === 'ORDER_CORRECTION' && (
        <Form.Item name="followUpDeadline" label="改正期限" rules={[{ required: true, message: '请填写改正期限' }]}>
          <Input type="date" min={dayjs().format('YYYY-MM-DD')} style={{ maxWidth: 180 }} />
        </Form.Item>
      )}
      <Form.Item name="method" label="检查方式">
        <Radio.Group options={Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="notes" label="备注">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      {error && !isNetworkFailure(error) && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 8 }} />}
      <Button type="primary" htmlType="submit" loading={fetching}>
        {finding ? '保存修改' : '保存结果'}
      </Button>
    </Form>
  );
}

/** A referral's mark on its finding: 已移送 → 已接收 → 已办结, with the receiving department. */
const REFERRAL_MARKS: Record<FindingRow['referrals'][number]['status'], { text: string; color: string }> = {
  OPEN: { text: '已移送', color: 'blue' },
  ACCEPTED: { text: '已接收', color: 'gold' },
  CLOSED: { text: '已办结', color: 'green' },
};

function FindingView({ finding }: { finding: FindingRow }) {
  return (
    <Space direction="vertical" size={2}>
      <Space wrap>
        {finding.results.map((r) => (
          <Tag key={r} color={r === 'NO_PROBLEM' ? 'green' : 'red'}>
            {RESULT_LABELS[r]}
          </Tag>
        ))}
        {finding.referrals.map((r) => (
          <Tag key={r.id} color={REFERRAL_MARKS[r.status].color} data-testid="referral-mark">
            {REFERRAL_MARKS[r.status].text}·{r.toDepartment.shortName}
          </Tag>
        ))}
      </Space>
      {finding.problemKinds.length > 0 && (
        <Typography.Text>{finding.problemKinds.map((k) => PROBLEM_LABELS[k]).join('；')}</Typography.Text>
      )}
      <Typography.Text type="secondary">
        {FOLLOW_UP_LABELS[finding.followUp]}
        {finding.followUpDeadline ? `（期限 ${finding.followUpDeadline}）` : ''} · {METHOD_LABELS[finding.method]} · {finding.officer.name}{' '}
        · {new Date(finding.recordedAt).toLocaleString('zh-CN')}
      </Typography.Text>
      {finding.notes && <Typography.Text>{finding.notes}</Typography.Text>}
    </Space>
  );
}

/** 退回修改: the lead's head sends a submitted visit back to its team with the reason they will read. */
function ReturnDialog({ inspectionId, version, onClose }: { inspectionId: string; version: number; onClose: () => void }) {
  const [comment, setComment] = useState('');
  const [{ fetching, error }, send] = useMutation(Return);
  const submit = async () => {
    if ((await send({ id: inspectionId, version, comment })).data) onClose();
  };
  return (
    <Modal
      open
      title="退回检查组修改"
      okText="退回"
      cancelText="取消"
      okButtonProps={{ disabled: !comment.trim() }}
      confirmLoading={fetching}
      onOk={submit}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      <Input.TextArea
        aria-label="退回意见"
        rows={4}
        maxLength={2000}
        placeholder="说明需要补充或更正的内容，检查组将看到"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
    </Modal>
  );
}

/** One visit: every department's items; each officer fills in their own, the others' appear live. */
export function InspectionPage() {
  const { id = '' } = useParams();
  const [{ data: online, error }, refetch] = useQuery({ query: Detail, variables: { id } });
  // Read online, the visit is kept on the device; without a connection the page shows it from there.
  const [kept, setKept] = useState<InspectionDetailQuery | null>(null);
  useEffect(() => {
    if (online) void saveVisit(id, online);
    else if (isNetworkFailure(error)) void loadVisit(id).then(setKept);
  }, [id, online, error]);
  const data = online ?? kept;
  const queuedHere = useQueued(id);
  useLiveRefetch(Live, { id }, () => refetch({ requestPolicy: 'network-only' }));
  // A referral of one of its findings moves on (sent, received, closed): the marks follow live.
  useEventStream(['REFERRAL_UPDATED'], (event) => {
    const findingId = String((event.payload as { findingId?: number }).findingId);
    if (data?.inspection.findings.some((f) => f.id === findingId)) refetch({ requestPolicy: 'network-only' });
  });
  const [transition, run] = useMutation(Transition);
  const [returning, setReturning] = useState(false);
  const [bulk, recordOne] = useMutation(Record);
  const { modal } = App.useApp();
  const [scheduling, schedule] = useMutation(Schedule);
  const [editing, setEditing] = useState<string | null>(null);
  const [referring, setReferring] = useState<string | null>(null);
  if (error && !data)
    return (
      <Alert
        type="error"
        showIcon
        title={isNetworkFailure(error) ? '离线：本机没有保存这项检查（联网时打开过的检查会保存在本机）' : errorText(error)}
      />
    );
  const inspection = data?.inspection;
  if (!inspection) return null;
  // What this user may do comes from the server (the rules the mutations enforce), never decided here.
  const recordable = new Set(inspection.viewerRecordableItemIds);
  const findingOf = (item: Item) => inspection.findings.find((f) => f.item.id === item.id);
  const queuedItems = new Set(queuedHere.map((c) => c.kind === 'finding' && c.itemId));
  const remaining = inspection.items.filter((item) => recordable.has(item.id) && !findingOf(item) && !queuedItems.has(item.id));
  const waitingFiles = (itemId: string | null) => queuedHere.filter((c): c is QueuedFile => c.kind === 'file' && c.itemId === itemId);
  const evidenceOf = (findingId: string | null) => inspection.attachments.filter((a) => (a.findingId ?? null) === findingId);
  const open = inspection.status === 'ASSIGNED' || inspection.status === 'IN_PROGRESS';
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // 全部未发现问题: the officer's remaining items in one go, after a confirmation naming how many.
  const allClear = () =>
    modal.confirm({
      title: `将本部门其余 ${remaining.length} 项检查事项均录入为“未发现问题”？`,
      content: '各项的检查方式按事项清单填写；录入后仍可逐项修改，提交前有效。',
      okText: '全部录入',
      cancelText: '取消',
      onOk: async () => {
        for (const item of remaining) {
          const sent = await recordOrQueue(recordOne, id, item.id, { results: ['NO_PROBLEM'], followUp: 'NONE', method: item.method });
          if (sent === 'refused') break;
        }
        refetch({ requestPolicy: 'network-only' });
      },
    });
  const act = (kind: 'submit' | 'finalise' | 'start') =>
    run({ id, version: inspection.version, submit: kind === 'submit', finalise: kind === 'finalise', start: kind === 'start' });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {inspection.enterprise.name} <Tag color={STATUS_LABELS[inspection.status].color}>{STATUS_LABELS[inspection.status].label}</Tag>
        </Typography.Title>
        <Link to={`/inspections/${id}/notice`}>打印检查告知书</Link>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="统一社会信用代码">
          {inspection.viewerTakesPart ? (
            <Link to={`/archive/${inspection.enterprise.uscc}`}>{inspection.enterprise.uscc}（信用档案）</Link>
          ) : (
            inspection.enterprise.uscc
          )}
        </Descriptions.Item>
        <Descriptions.Item label="住所">{inspection.enterprise.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="发起部门">{inspection.leadDepartment.name}</Descriptions.Item>
        <Descriptions.Item label="检查组">
          <Space wrap size={[8, 0]}>
            {inspection.officers.map((o) => (
              <span key={o.id}>
                {/* 亮证执法: the certificate number is also the officer's login name. */}
                {`${o.name}（${o.department.shortName}，执法证 ${o.certificateNo}）`}
                {inspection.viewerCanAmendTeam && (
                  <Suspense fallback={null}>
                    <AmendTeamButton inspectionId={id} officer={o} />
                  </Suspense>
                )}
              </span>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="约定检查时间">
          <Space wrap>
            {inspection.scheduledAt ? new Date(inspection.scheduledAt).toLocaleString('zh-CN') : '尚未预约'}
            {inspection.viewerCanSchedule && (
              <Input
                type="datetime-local"
                size="small"
                aria-label="登记预约时间"
                style={{ width: 200 }}
                onChange={(e) =>
                  e.target.value && schedule({ id, version: inspection.version, at: new Date(e.target.value).toISOString() })
                }
                disabled={scheduling.fetching}
              />
            )}
          </Space>
        </Descriptions.Item>
        {inspection.completedOn && (
          <Descriptions.Item label="结果公示">
            {inspection.publication ? (
              <Space wrap>
                <span>{inspection.publication.publishedOn} 已公示</span>
                {inspection.publication.status === 'CORRECTED' && (
                  <Tag color="orange">
                    已更正 {inspection.publication.correctedOn}（第 {inspection.publication.currentVersion} 版）
                  </Tag>
                )}
              </Space>
            ) : (
              <span>
                {inspection.completedOn} 办结，应于 {inspection.publicationDueOn} 前公示（<Link to="/publication">待公示</Link>）
              </span>
            )}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Space wrap>
        {inspection.viewerCanStart && <Button onClick={() => act('start')}>开始检查</Button>}
        {inspection.viewerCanSubmit && (
          <Button type="primary" onClick={() => act('submit')} loading={transition.fetching}>
            提交检查结果
          </Button>
        )}
        {inspection.viewerCanFinalise && (
          <Button type="primary" onClick={() => act('finalise')} loading={transition.fetching}>
            办结
          </Button>
        )}
        {inspection.viewerCanReturn && <Button onClick={() => setReturning(true)}>退回修改</Button>}
        {remaining.length > 0 && (
          <Button onClick={allClear} loading={bulk.fetching}>
            其余 {remaining.length} 项均未发现问题
          </Button>
        )}
      </Space>
      {bulk.error && <Alert type="error" showIcon title={errorText(bulk.error)} />}
      {!inspection.viewerTakesPart && <Alert type="info" showIcon title="本部门收到该检查的问题线索移送，可查看检查与结果（只读）" />}
      {inspection.status === 'IN_PROGRESS' && inspection.returnComment && (
        <Alert
          type="warning"
          showIcon
          title={`负责人已退回修改（${dayjs(inspection.returnedAt).format('YYYY-MM-DD HH:mm')}）`}
          description={inspection.returnComment}
        />
      )}
      {returning && <ReturnDialog inspectionId={id} version={inspection.version} onClose={() => setReturning(false)} />}
      {(transition.error || scheduling.error) && <Alert type="error" showIcon title={errorText(transition.error ?? scheduling.error)} />}
      <RecordCard inspection={inspection} onChanged={reload} />
      <Card size="small" title="检查证据（整次检查）">
        <EvidenceList
          rows={evidenceOf(null)}
          inspectionId={id}
          waiting={waitingFiles(null)}
          canAdd={inspection.viewerCanAddEvidence}
          open={open}
          onChanged={reload}
        />
        {evidenceOf(null).length === 0 && !inspection.viewerCanAddEvidence && <Typography.Text type="secondary">暂无</Typography.Text>}
      </Card>
      {inspection.items.map((item) => {
        const finding = findingOf(item);
        const mine = recordable.has(item.id);
        const queuedFinding = queuedHere.find((c): c is QueuedFinding => c.kind === 'finding' && c.itemId === item.id);
        const showForm = mine && !queuedFinding && (!finding || editing === item.id);
        return (
          <Card
            key={item.id}
            size="small"
            title={<Tag>{item.department.shortName}</Tag>}
            extra={
              queuedFinding?.conflict || queuedFinding?.refusal ? (
                <Tag color="error">冲突</Tag>
              ) : queuedFinding ? (
                <Tag color="processing">待同步</Tag>
              ) : finding ? (
                <Tag color="green">已录入</Tag>
              ) : (
                <Tag>待录入</Tag>
              )
            }
            data-testid={`item-${item.code}`}
          >
            <Typography.Paragraph strong style={{ marginBottom: 4 }}>
              {item.item}
            </Typography.Paragraph>
            {item.legalBasis && (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ marginBottom: 8 }}>
                检查依据：{item.legalBasis}
              </Typography.Paragraph>
            )}
            {finding && !showForm && !queuedFinding && <FindingView finding={finding} />}
            {queuedFinding && <QueuedFindingView change={queuedFinding} />}
            {(finding || queuedFinding) && (evidenceOf(finding?.id ?? null).length > 0 || inspection.viewerCanAddEvidence) && (
              <div style={{ marginTop: 8 }}>
                <EvidenceList
                  rows={finding ? evidenceOf(finding.id) : []}
                  inspectionId={id}
                  itemId={item.id}
                  findingId={finding?.id ?? null}
                  waiting={waitingFiles(item.id)}
                  canAdd={inspection.viewerCanAddEvidence}
                  open={open}
                  onChanged={reload}
                />
              </div>
            )}
            <Space style={{ marginTop: 8, display: 'flex' }}>
              {finding && mine && !queuedFinding && editing !== item.id && (
                <Button size="small" onClick={() => setEditing(item.id)}>
                  修改
                </Button>
              )}
              {finding?.viewerCanRefer && (
                <Button size="small" onClick={() => setReferring(finding.id)}>
                  移送问题线索
                </Button>
              )}
            </Space>
            {showForm && (
              <FindingForm inspectionId={id} item={item} finding={finding} key={finding?.version ?? 0} onSaved={() => setEditing(null)} />
            )}
          </Card>
        );
      })}
      {referring && (
        <Suspense fallback={null}>
          <ReferDialog findingId={referring} onClose={() => setReferring(null)} />
        </Suspense>
      )}
    </Space>
  );
}
