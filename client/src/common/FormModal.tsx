import { Alert, Modal } from 'antd';
import type { ReactNode } from 'react';

/** The dialog every record form uses: 保存/取消, the server's refusal above the fields, closed by the caller. */
export function FormModal({
  title,
  width,
  saving,
  failure,
  okText = '保存',
  onOk,
  onCancel,
  children,
}: {
  title: string;
  width?: number;
  saving: boolean;
  failure: string | null;
  okText?: string;
  onOk: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      width={width}
      title={title}
      okText={okText}
      cancelText="取消"
      confirmLoading={saving}
      onOk={onOk}
      onCancel={onCancel}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      {children}
    </Modal>
  );
}
