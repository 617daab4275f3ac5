import { Alert, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { FormModal } from '../common/FormModal';
import { errorText } from '../graphql/client';

const CreatePlan = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
      year
    }
  }
`);

const WithdrawPartner = graphql(`
  mutation WithdrawPartner($taskId: ID!, $departmentId: ID!, $reason: String!) {
    withdrawTaskPartner(taskId: $taskId, departmentId: $departmentId, reason: $reason) {
      id
    }
  }
`);

/** A new draft plan of the viewer's department; `onCreated` gets its year so the page can show it. */
export function NewPlanModal({
  defaultYear,
  onClose,
  onCreated,
}: {
  defaultYear: number;
  onClose: () => void;
  onCreated: (year: number) => void;
}) {
  const [form] = Form.useForm<{ year: number; name: string; documentNo: string }>();
  const [{ fetching }, create] = useMutation(CreatePlan);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    const result = await create({ input: values });
    if (result.error) return setFailure(errorText(result.error));
    onCreated(result.data!.createPlan.year);
    onClose();
  };
  return (
    <FormModal title="新建年度计划" saving={fetching} failure={failure} okText="新建" onOk={submit} onCancel={onClose}>
      <Form form={form} layout="vertical" initialValues={{ year: defaultYear, name: '', documentNo: '' }}>
        <Form.Item name="year" label="计划年度" rules={[{ required: true }]}>
          <InputNumber min={2020} max={2100} addonAfter="年度" aria-label="计划年度" />
        </Form.Item>
        <Form.Item name="name" label="计划名称" rules={[{ required: true, whitespace: true, message: '请输入计划名称' }]}>
          <Input maxLength={255} placeholder="如：晋城市商务局2027年度“双随机、一公开”抽查工作计划" />
        </Form.Item>
        <Form.Item name="documentNo" label="发文字号">
          <Input maxLength={64} placeholder="如：晋市商秩函〔2027〕1号" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** The lead takes a partner off a joint task; the reason is kept and shown to every department involved. */
export function WithdrawPartnerModal({
  taskId,
  department,
  onClose,
}: {
  taskId: string;
  department: { id: string; name: string };
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [{ fetching, error }, withdraw] = useMutation(WithdrawPartner);
  const submit = async () => {
    const result = await withdraw({ taskId, departmentId: department.id, reason });
    if (!result.error) onClose();
  };
  return (
    <Modal
      open
      title={`撤回配合部门：${department.name}`}
      okText="撤回"
      okButtonProps={{ danger: true, disabled: !reason.trim() }}
      cancelText="取消"
      confirmLoading={fetching}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />}
      <Input.TextArea
        aria-label="撤回理由"
        placeholder="请说明撤回理由（如：该部门本年度另行安排专项检查）"
        maxLength={500}
        autoSize={{ minRows: 3 }}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}
