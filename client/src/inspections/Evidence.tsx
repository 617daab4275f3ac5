import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { enqueue, newKey, type QueuedFile } from '../offline/store';

/** One piece of evidence as the visit page lists it. */
export interface EvidenceRow {
  id: string;
  findingId?: string | null;
  sha256: string;
  fileName: string;
  mediaType: string;
  size: number;
  takenAt?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  reason?: string | null;
  url: string;
  thumbnailUrl?: string | null;
  uploadedBy: string;
  uploadedAt: string;
  viewerCanRemove: boolean;
}

const Remove = graphql(`
  mutation RemoveAttachment($id: ID!) {
    removeAttachment(id: $id) {
      id
    }
  }
`);

/** Photos larger than this are scaled down on the phone: a county connection sends 1–2 MB, not 8. */
const MAX_EDGE_PX = 2560;
const RESIZE_ABOVE_BYTES = 2.5 * 1024 * 1024;

/**
 * A photo as it is sent: scaled to 2560 px and re-encoded when large. Re-encoding drops EXIF, so
 * its time and position are read first and sent beside it (the server keeps the file's own
 * EXIF when it has one).
 */
async function prepare(file: File): Promise<{ body: Blob; headers: Record<string, string> }> {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return { body: file, headers: {} };
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (!bitmap) return { body: file, headers: {} }; // the server names what is wrong with it
  const scale = Math.min(1, MAX_EDGE_PX / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size <= RESIZE_ABOVE_BYTES) return { body: file, headers: {} };
  const headers: Record<string, string> = {};
  const { default: exifr } = await import('exifr');
  const exif = (await exifr.parse(file, { pick: ['DateTimeOriginal'], gps: true }).catch(() => null)) as {
    DateTimeOriginal?: Date;
    latitude?: number;
    longitude?: number;
  } | null;
  if (exif?.DateTimeOriginal instanceof Date) headers['x-taken-at'] = exif.DateTimeOriginal.toISOString();
  if (typeof exif?.latitude === 'number' && typeof exif.longitude === 'number') {
    headers['x-latitude'] = String(exif.latitude);
    headers['x-longitude'] = String(exif.longitude);
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const body = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return { body: body ?? file, headers };
}

/** Uploads one file to the visit (or one of its findings); the server's refusal comes back as its message. */
export async function uploadEvidence(
  token: string,
  target: { inspectionId: string; findingId?: string | null; reason?: string },
  file: File,
): Promise<void> {
  const { body, headers } = await prepare(file);
  const query = new URLSearchParams();
  if (target.findingId) query.set('findingId', target.findingId);
  if (target.reason) query.set('reason', target.reason);
  const response = await fetch(`/api/inspections/${target.inspectionId}/attachments?${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
      ...headers,
    },
    body,
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(answer?.error?.message ?? `上传失败（HTTP ${response.status}）`);
  }
}

/** An image the API serves only with the session's token, as an object URL. */
function useAuthorizedUrl(url: string | null | undefined): string | undefined {
  const { session } = useAuth();
  const [objectUrl, setObjectUrl] = useState<string>();
  useEffect(() => {
    if (!url || !session) return;
    let revoked = false;
    let made: string | undefined;
    void fetch(url, { headers: { authorization: `Bearer ${session.token}` } })
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (!blob || revoked) return;
        made = URL.createObjectURL(blob);
        setObjectUrl(made);
      });
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url, session]);
  return objectUrl;
}

function EvidenceItem({ row }: { row: EvidenceRow }) {
  const { session } = useAuth();
  const thumbnail = useAuthorizedUrl(row.thumbnailUrl);
  const [removal, remove] = useMutation(Remove);
  const open = async () => {
    const response = await fetch(row.url, { headers: { authorization: `Bearer ${session!.token}` } });
    if (response.ok) window.open(URL.createObjectURL(await response.blob()), '_blank', 'noopener');
  };
  const place = row.latitude != null && row.longitude != null ? `${row.latitude.toFixed(5)}, ${row.longitude.toFixed(5)}` : null;
  return (
    <Space align="start" data-testid="evidence" style={{ width: '100%' }}>
      {row.thumbnailUrl ? (
        <img
          width={72}
          height={72}
          style={{ objectFit: 'cover', borderRadius: 4, background: '#f0f0f0', cursor: 'pointer' }}
          src={thumbnail}
          alt={row.fileName}
          onClick={open}
        />
      ) : (
        <Button icon={<PaperClipOutlined />} onClick={open} aria-label={`打开 ${row.fileName}`} />
      )}
      <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
        <Typography.Link onClick={open} ellipsis style={{ maxWidth: 240 }}>
          {row.fileName}
        </Typography.Link>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.takenAt
            ? `拍摄于 ${new Date(row.takenAt).toLocaleString('zh-CN')}`
            : `上传于 ${new Date(row.uploadedAt).toLocaleString('zh-CN')}`}
          {place ? ` · 位置 ${place}` : ''} · {row.uploadedBy}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: row.sha256 }} title={row.sha256}>
          SHA-256 {row.sha256.slice(0, 16)}…
        </Typography.Text>
        {row.reason && <Typography.Text style={{ fontSize: 12 }}>补充理由：{row.reason}</Typography.Text>}
        {removal.error && <Typography.Text type="danger">{errorText(removal.error)}</Typography.Text>}
      </Space>
      {row.viewerCanRemove && (
        <Button size="small" type="link" danger loading={removal.fetching} onClick={() => remove({ id: row.id })}>
          删除
        </Button>
      )}
    </Space>
  );
}

/**
 * The evidence of a finding or of the visit, and the button that adds to it: the phone offers
 * its camera for image/*. Once the visit is submitted an addition needs a reason, asked first.
 */
export function EvidenceList({
  rows,
  inspectionId,
  itemId = null,
  findingId = null,
  waiting,
  canAdd,
  open,
  onChanged,
}: {
  rows: EvidenceRow[];
  inspectionId: string;
  /** The item whose finding this is: a file taken offline is queued by item (the finding may not be on the server yet). */
  itemId?: string | null;
  findingId?: string | null;
  /** Files taken offline for this result (or the visit), still to be sent: the page reads the queue once for all its lists. */
  waiting: QueuedFile[];
  canAdd: boolean;
  /** Whether the visit is still open (no reason needed). */
  open: boolean;
  onChanged: () => void;
}) {
  const { session } = useAuth();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [reasonAsked, setReasonAsked] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const send = async (files: FileList | null) => {
    if (!files?.length || !session) return;
    setBusy(true);
    setFailure(null);
    const refused: string[] = [];
    let kept = 0;
    for (const file of Array.from(files)) {
      // No connection (or none to the hub): kept on the device, sent when it returns (src/offline).
      const offline = async () => {
        await enqueue({
          key: newKey(),
          kind: 'file',
          inspectionId,
          itemId,
          reason: open ? undefined : reason,
          fileName: file.name,
          blob: file,
          queuedAt: Date.now(),
        });
        kept++;
      };
      // A file for a result still queued waits with it: its finding is not on the server yet.
      if (!navigator.onLine || (itemId && !findingId)) await offline();
      else {
        try {
          await uploadEvidence(session.token, { inspectionId, findingId, reason: open ? undefined : reason }, file);
        } catch (e) {
          // fetch rejects with a TypeError when the hub cannot be reached; a refusal carries the server's message.
          if (e instanceof TypeError) await offline();
          else refused.push((e as Error).message);
        }
      }
    }
    setBusy(false);
    if (refused.length) setFailure(refused.join('；'));
    else message.success(kept ? `已离线保存 ${kept} 个文件，联网后自动上传` : `已上传 ${files.length} 个文件`);
    if (input.current) input.current.value = '';
    onChanged();
  };
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }}>
      {rows.map((row) => (
        <EvidenceItem key={row.id} row={row} />
      ))}
      {waiting.map((file) => (
        <Typography.Text key={file.key} type="secondary" data-testid="queued-file">
          <PaperClipOutlined /> {file.fileName} <Tag color="processing">待上传</Tag>
        </Typography.Text>
      ))}
      {canAdd && (
        <>
          <input
            ref={input}
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic,application/pdf,image/*"
            multiple
            hidden
            aria-label={findingId || itemId ? '为该结果添加证据' : '添加检查证据'}
            onChange={(e) => void send(e.target.files)}
          />
          <Button
            size="small"
            icon={<PaperClipOutlined />}
            loading={busy}
            onClick={() => (open ? input.current?.click() : setReasonAsked(true))}
          >
            {open ? '拍照或添加文件' : '补充证据'}
          </Button>
        </>
      )}
      {failure && <Alert type="error" showIcon title={failure} closable onClose={() => setFailure(null)} />}
      <Modal
        open={reasonAsked}
        title="补充证据"
        okText="选择文件"
        cancelText="取消"
        okButtonProps={{ disabled: !reason.trim() }}
        onOk={() => {
          setReasonAsked(false);
          input.current?.click();
        }}
        onCancel={() => setReasonAsked(false)}
      >
        <Typography.Paragraph>检查已提交，证据只能补充、不能删除。请说明补充的理由：</Typography.Paragraph>
        <Input.TextArea aria-label="补充理由" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </Space>
  );
}
