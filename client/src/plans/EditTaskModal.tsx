import { Alert, Form, Input, InputNumber, Modal, Space } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const UpdateTask = graphql(`
  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {
    updateTask(id: $id, input: $input) {
      id
      version
      name
      scopeText
      windowFromMonth
      windowToMonth
      frequencyPerYear
    }
  }
`);

export interface EditableTask {
  id: string;
  version: number;
  name: string;
  scopeText: string;
  windowFromMonth?: number | null;
  windowToMonth?: number | null;
  frequencyPerYear?: number | null;
}

interface Values {
  name: string;
  scopeText: string;
  windowFromMonth: number | null;
  windowToMonth: number | null;
  frequencyPerYear: number | null;
}

/** Edits a task of the viewer's own department; a stale version comes back as a conflict to resolve by reloading. */
export function EditTaskModal({ task, onClose }: { task: EditableTask; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [{ fetching }, update] = useMutation(UpdateTask);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    const values = await form.validateFields();
    const result = await update({ id: task.id, input: { version: task.version, ...values } });
    if (result.error) {
      const field = result.error.graphQLErrors[0]?.extensions?.field as string | undefined;
      const name = field?.replace(/^input\./, '') as keyof Values | undefined;
      if (name && name in values)
        form.setFields([{ name, errors: [String((result.error.graphQLErrors[0].extensions?.reason as string | undefined) ?? '')] }]);
      setFailure(errorText(result.error));
      return;
    }
    onClose();
  };

  return (
    <Modal
      open
      title={`修改抽查任务：${task.name}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={fetching}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: task.name,
          scopeText: task.scopeText,
          windowFromMonth: task.windowFromMonth ?? null,
          windowToMonth: task.windowToMonth ?? null,
          frequencyPerYear: task.frequencyPerYear ?? null,
        }}
      >
        <Form.Item name="name" label="抽查任务名称" rules={[{ required: true, whitespace: true, message: '请输入任务名称' }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="scopeText" label="抽查对象范围">
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="windowFromMonth" label="起始月份">
            <InputNumber min={1} max={12} addonAfter="月" />
          </Form.Item>
          <Form.Item name="windowToMonth" label="截止月份">
            <InputNumber min={1} max={12} addonAfter="月" />
          </Form.Item>
          <Form.Item name="frequencyPerYear" label="频次">
            <InputNumber min={1} max={12} addonAfter="次/年" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
