import { Alert, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { ReferralKind } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { useAuth } from '../auth/auth-context';

const Departments = graphql(`
  query ReferDepartments {
    departments {
      id
      name
    }
  }
`);

const Create = graphql(`
  mutation CreateReferral($findingId: ID!, $toDepartmentId: ID!, $kind: ReferralKind!, $description: String!, $dueOn: String!) {
    createReferral(findingId: $findingId, toDepartmentId: $toDepartmentId, kind: $kind, description: $description, dueOn: $dueOn) {
      id
      status
    }
  }
`);

interface Values {
  toDepartmentId: string;
  kind: ReferralKind;
  description: string;
  dueOn: dayjs.Dayjs;
}

/** 移送问题线索: hand a finding to another department or to case handling, with a deadline. */
export function ReferDialog({ findingId, onClose }: { findingId: string; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { session } = useAuth();
  const [{ data }] = useQuery({ query: Departments });
  // The sender's own department is no recipient, and a deadline lies ahead (the server refuses both too).
  const recipients = data?.departments.filter((d) => d.id !== session?.user.department.id) ?? [];
  const [{ fetching, error }, create] = useMutation(Create);
  const submit = async () => {
    const v = await form.validateFields();
    const result = await create({
      findingId,
      toDepartmentId: v.toDepartmentId,
      kind: v.kind,
      description: v.description,
      dueOn: v.dueOn.format('YYYY-MM-DD'),
    });
    if (result.data) onClose();
  };
  return (
    <Modal open title="移送问题线索" okText="移送" cancelText="取消" confirmLoading={fetching} onOk={submit} onCancel={onClose}>
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'NOTIFY' }}>
        <Form.Item name="kind" label="移送方式">
          <Radio.Group
            options={[
              { value: 'NOTIFY', label: '抄告相关部门' },
              { value: 'CASE_HANDLING', label: '移送办案机构' },
            ]}
          />
        </Form.Item>
        <Form.Item name="toDepartmentId" label="接收部门" rules={[{ required: true, message: '请选择接收部门' }]}>
          <Select showSearch optionFilterProp="label" options={recipients.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="description" label="问题线索说明" rules={[{ required: true, whitespace: true, message: '请说明问题线索' }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="dueOn" label="办理期限" rules={[{ required: true, message: '请填写办理期限' }]}>
          <DatePicker disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
