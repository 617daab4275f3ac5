import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, List, Modal, Progress, Radio, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import type { ImportKind } from '../gql/graphql';

/** Sent as a query parameter of the upload, so no operation carries the enum. */
type ImportMode = 'INSERT' | 'UPSERT';

const Progress_ = graphql(`
  subscription ImportProgressWatch($jobId: ID!) {
    importProgress(jobId: $jobId) {
      jobId
      phase
      rows
      bytesRead
      totalBytes
      status
    }
  }
`);

const Job = graphql(`
  query ImportJobResult($id: ID!) {
    importJob(id: $id) {
      id
      kind
      status
      fileName
      failure
      report
      registryReport {
        total
        inserted
        updated
        failed
        committed
        errorCount
        errors {
          row
          column
          value
          reason
        }
      }
    }
  }
`);

const KINDS: { value: ImportKind; label: string; accept: string }[] = [
  { value: 'ENTERPRISE', label: '监管对象名录库', accept: '.xlsx,.csv' },
  { value: 'OFFICER', label: '执法人员名录库', accept: '.xlsx,.csv' },
  { value: 'PLAN', label: '年度抽查计划（公开文件）', accept: '.txt,.md,.xlsx,.csv' },
];
const PHASES: Record<string, string> = { reading: '读取并校验', checking: '查重', writing: '写入', done: '完成' };

/** Sends the file with XMLHttpRequest, which reports upload progress (fetch does not). */
function send(
  file: File,
  query: string,
  token: string,
  onProgress: (percent: number) => void,
): Promise<{ job?: { id: string }; error?: { message: string } }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports?${query}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as { job?: { id: string }; error?: { message: string } });
      } catch {
        resolve({ error: { message: `上传失败（HTTP ${xhr.status}）` } });
      }
    };
    xhr.onerror = () => resolve({ error: { message: '无法连接服务器，请检查网络后重试' } });
    xhr.send(file);
  });
}

function JobProgress({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const [{ data }] = useSubscription({ query: Progress_, variables: { jobId } });
  const progress = data?.importProgress;
  const done = progress?.phase === 'done';
  const [{ data: result }, refetch] = useQuery({ query: Job, variables: { id: jobId }, pause: !done, requestPolicy: 'network-only' });
  useEffect(() => {
    if (done) {
      refetch();
      onDone();
    }
  }, [done, refetch, onDone]);
  const percent = progress?.totalBytes ? Math.round((progress.bytesRead / progress.totalBytes) * 100) : 0;
  const job = result?.importJob;
  const report = job?.registryReport;
  const planReport =
    job?.kind === 'PLAN'
      ? (job.report as { plans: { name: string }[]; tasks: number; checkItems: number; warnings: string[] } | null)
      : null;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!job && (
        <>
          <Progress percent={done ? 100 : percent} status={done ? 'success' : 'active'} aria-label="导入进度" />
          <Typography.Text type="secondary">
            {PHASES[progress?.phase ?? 'reading']} · 已处理 {(progress?.rows ?? 0).toLocaleString('zh-CN')} 行
          </Typography.Text>
        </>
      )}
      {job?.status === 'SUCCEEDED' && report && (
        <Alert
          type="success"
          showIcon
          title={`导入完成：共 ${report.total} 行，新增 ${report.inserted}，更新 ${report.updated}${report.failed ? `，跳过错误行 ${report.failed}` : ''}`}
        />
      )}
      {job?.status === 'SUCCEEDED' && planReport && (
        <Alert
          type="success"
          showIcon
          title={`已导入 ${planReport.plans.length} 份计划（草稿），任务 ${planReport.tasks} 项，抽查事项 ${planReport.checkItems} 条`}
        />
      )}
      {job?.status === 'REJECTED' && (
        <Alert
          type="error"
          showIcon
          title={job.failure ?? `文件有 ${report?.failed ?? 0} 行错误，未写入任何数据。请修改后重新导入，或勾选“允许部分导入”。`}
        />
      )}
      {job?.status === 'FAILED' && <Alert type="error" showIcon title={job.failure ?? '导入失败'} />}
      {report && report.errors.length > 0 && (
        <Table
          size="small"
          rowKey={(e) => `${e.row}-${e.column}-${e.reason}`}
          dataSource={report.errors}
          pagination={{ pageSize: 10 }}
          title={() => `错误明细（共 ${report.errorCount} 处）`}
          columns={[
            { title: '行号', dataIndex: 'row', width: 70 },
            { title: '列', dataIndex: 'column', width: 130 },
            { title: '内容', dataIndex: 'value', ellipsis: true },
            { title: '原因', dataIndex: 'reason' },
          ]}
        />
      )}
      {planReport && planReport.warnings.length > 0 && (
        <List size="small" header="需要核对的内容" dataSource={planReport.warnings} renderItem={(w) => <List.Item>{w}</List.Item>} />
      )}
    </Space>
  );
}

/** Upload a registry or a plan; watch it import; read the report. */
export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const { session } = useAuth();
  const [kind, setKind] = useState<ImportKind>('ENTERPRISE');
  const [mode, setMode] = useState<ImportMode>('INSERT');
  const [allowPartial, setAllowPartial] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const start = async () => {
    if (!file || !session) return;
    setFailure(null);
    setUploading(0);
    const response = await send(file, `kind=${kind}&mode=${mode}&allowPartial=${allowPartial}`, session.token, setUploading);
    setUploading(null);
    if (response.job) setJobId(response.job.id);
    else setFailure(response.error?.message ?? '上传失败');
  };
  const restart = () => {
    setJobId(null);
    setFile(null);
    setFailure(null);
  };

  return (
    <Modal open={open} title="导入" width={760} onCancel={onClose} footer={null} destroyOnHidden afterClose={restart}>
      {jobId ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <JobProgress jobId={jobId} onDone={onImported} />
          <Button onClick={restart}>再导入一个文件</Button>
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as ImportKind)}
            options={KINDS.map(({ value, label }) => ({ value, label }))}
            optionType="button"
          />
          {kind !== 'PLAN' && (
            <Space wrap>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
                <Radio value="INSERT">只新增</Radio>
                <Radio value="UPSERT">新增或更新（按代码）</Radio>
              </Radio.Group>
              <Checkbox checked={allowPartial} onChange={(e) => setAllowPartial(e.target.checked)}>
                允许部分导入（跳过错误行）
              </Checkbox>
            </Space>
          )}
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {kind === 'PLAN'
              ? '上传公开的年度计划文件（文本或 Excel）：系统按表头找到计划表和事项清单，导入为本部门的草稿计划。'
              : '表头可用常见写法（如 统一社会信用代码、企业名称、行业、所属区域、信用风险分类）。默认全部正确才写入，错误逐行列出。'}
          </Typography.Paragraph>
          <Upload
            accept={KINDS.find((k) => k.value === kind)!.accept}
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
          {uploading !== null && <Progress percent={uploading} status="active" aria-label="上传进度" />}
          {failure && <Alert type="error" showIcon title={failure} />}
          <Button type="primary" disabled={!file || uploading !== null} onClick={start}>
            开始导入
          </Button>
        </Space>
      )}
    </Modal>
  );
}
