import { Alert, Button, Card, Input, Modal, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useMutation } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import type { SignerKind } from '../gql/graphql';
import { errorText } from '../graphql/client';

const Sign = graphql(`
  mutation SignInspectionRecord($inspectionId: ID!, $kind: SignerKind!, $image: String!, $signerName: String) {
    signInspectionRecord(inspectionId: $inspectionId, kind: $kind, image: $image, signerName: $signerName) {
      id
    }
  }
`);

/** A pad to sign on with a finger or a stylus; the strokes become a PNG. */
function SignaturePad({ onChange }: { onChange: (dataUrl: string | null) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - box.left) * e.currentTarget.width) / box.width, ((e.clientY - box.top) * e.currentTarget.height) / box.height];
  };
  const context = () => {
    const ctx = canvas.current!.getContext('2d')!;
    ctx.lineWidth = 4;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#000';
    return ctx;
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <canvas
        ref={canvas}
        width={600}
        height={200}
        aria-label="签名板"
        style={{ width: '100%', maxWidth: 600, height: 'auto', aspectRatio: '3 / 1', border: '1px dashed #999', touchAction: 'none' }}
        onPointerDown={(e) => {
          drawing.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          const [x, y] = point(e);
          context().beginPath();
          context().moveTo(x, y);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const [x, y] = point(e);
          const ctx = context();
          ctx.lineTo(x, y);
          ctx.stroke();
        }}
        onPointerUp={() => {
          drawing.current = false;
          onChange(canvas.current!.toDataURL('image/png'));
        }}
      />
      <Button
        size="small"
        onClick={() => {
          context().clearRect(0, 0, canvas.current!.width, canvas.current!.height);
          onChange(null);
        }}
      >
        清除重签
      </Button>
    </Space>
  );
}

function SignDialog({ inspectionId, kind, onClose }: { inspectionId: string; kind: SignerKind; onClose: (signed: boolean) => void }) {
  const [image, setImage] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [{ fetching, error }, sign] = useMutation(Sign);
  const enterprise = kind === 'ENTERPRISE';
  return (
    <Modal
      open
      title={enterprise ? '企业负责人签名' : '检查人员本人签名'}
      okText="确认签名"
      cancelText="取消"
      okButtonProps={{ disabled: !image || (enterprise && !name.trim()) }}
      confirmLoading={fetching}
      onOk={async () => {
        if ((await sign({ inspectionId, kind, image: image!, signerName: enterprise ? name : null })).data) onClose(true);
      }}
      onCancel={() => onClose(false)}
    >
      {enterprise && (
        <Input
          aria-label="企业签名人姓名"
          placeholder="签名人姓名"
          maxLength={50}
          value={name}
          onChange={(e) => setName(e.target.value)}
          style={{ marginBottom: 8 }}
        />
      )}
      <SignaturePad onChange={setImage} />
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginTop: 8 }} />}
    </Modal>
  );
}

/**
 * 现场检查记录: print it (a draft until the visit is finalised, then the kept file with its hash)
 * and sign it on the phone — each officer for themself, the enterprise's representative on an
 * officer's phone; where nobody signed, the PDF has a line for a wet signature.
 */
export function RecordCard({
  inspection,
  onChanged,
}: {
  onChanged: () => void;
  inspection: {
    id: string;
    recordUrl: string;
    recordSha256?: string | null;
    viewerCanSign: boolean;
    signatures: { id: string; kind: SignerKind; signerName: string }[];
  };
}) {
  const { session } = useAuth();
  const [signing, setSigning] = useState<SignerKind | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const open = async () => {
    const response = await fetch(inspection.recordUrl, { headers: { authorization: `Bearer ${session!.token}` } });
    if (!response.ok) {
      setFailure(((await response.json()) as { error?: { message?: string } }).error?.message ?? '生成失败');
      return;
    }
    window.open(URL.createObjectURL(await response.blob()), '_blank', 'noopener');
  };
  return (
    <Card size="small" title="现场检查记录">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Button onClick={open}>{inspection.recordSha256 ? '打印现场检查记录（已办结）' : '预览现场检查记录（草稿）'}</Button>
          {inspection.viewerCanSign && <Button onClick={() => setSigning('OFFICER')}>本人签名</Button>}
          {inspection.viewerCanSign && <Button onClick={() => setSigning('ENTERPRISE')}>企业负责人签名</Button>}
        </Space>
        <Space wrap size={[4, 4]}>
          {inspection.signatures.map((s) => (
            <Tag key={s.id} color={s.kind === 'ENTERPRISE' ? 'purple' : 'blue'}>
              {s.kind === 'ENTERPRISE' ? '企业' : '检查人员'}已签名：{s.signerName}
            </Tag>
          ))}
          {inspection.signatures.length === 0 && <Typography.Text type="secondary">尚无签名（未签名处打印为手写签名栏）</Typography.Text>}
        </Space>
        {inspection.recordSha256 && (
          <Typography.Text type="secondary" copyable={{ text: inspection.recordSha256 }} style={{ fontSize: 12 }}>
            记录 SHA-256 {inspection.recordSha256.slice(0, 16)}…
          </Typography.Text>
        )}
        {failure && <Alert type="error" showIcon title={failure} closable onClose={() => setFailure(null)} />}
      </Space>
      {signing && (
        <SignDialog
          inspectionId={inspection.id}
          kind={signing}
          onClose={(signed) => {
            setSigning(null);
            if (signed) onChanged();
          }}
        />
      )}
    </Card>
  );
}
