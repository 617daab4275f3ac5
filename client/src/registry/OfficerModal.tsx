import { DatePicker, Form, Input, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { OfficerStatus } from '../gql/graphql';
import { FormModal } from '../common/FormModal';
import { useRefusal } from '../common/use-refusal';
import { OFFICER_STATUS_LABELS } from './labels';

const Create = graphql(`
  mutation CreateOfficer($input: CreateOfficerInput!) {
    createOfficer(input: $input) {
      id
    }
  }
`);

const Update = graphql(`
  mutation UpdateOfficer($id: ID!, $input: OfficerFieldsInput!) {
    updateOfficer(id: $id, input: $input) {
      id
      status
      specialties
      certificateValidUntil
    }
  }
`);

export interface OfficerForForm {
  id: string;
  certificateNo: string;
  name: string;
  specialties: string[];
  status: OfficerStatus;
  certificateValidUntil?: string | null;
}

interface Values {
  certificateNo: string;
  name: string;
  specialties: string[];
  status: OfficerStatus;
  validUntil: Dayjs | null;
}

/** An officer of the viewer's own department, new (officer null) or edited: status, specialties, certificate and its expiry. */
export function OfficerModal({ officer, onClose }: { officer: OfficerForForm | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [creating, create] = useMutation(Create);
  const [updating, update] = useMutation(Update);
  const { failure, refuse } = useRefusal(form, (field) => (field === 'certificateValidUntil' ? 'validUntil' : field));

  const submit = async () => {
    const v = await form.validateFields();
    const fields = {
      name: v.name,
      specialties: v.specialties,
      status: v.status,
      // An empty date means 长期有效.
      certificateValidUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : '',
    };
    const result = officer
      ? await update({ id: officer.id, input: fields })
      : await create({ input: { certificateNo: v.certificateNo, ...fields } });
    if (result.error) {
      refuse(result.error);
      return;
    }
    onClose();
  };

  return (
    <FormModal
      title={officer ? `修改执法人员：${officer.name}` : '新增执法人员'}
      saving={creating.fetching || updating.fetching}
      failure={failure}
      onOk={submit}
      onCancel={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          certificateNo: officer?.certificateNo ?? '',
          name: officer?.name ?? '',
          specialties: officer?.specialties ?? [],
          status: officer?.status ?? 'ACTIVE',
          validUntil: officer?.certificateValidUntil ? dayjs(officer.certificateValidUntil) : null,
        }}
      >
        <Form.Item name="certificateNo" label="执法证号" rules={[{ required: true, whitespace: true, message: '请输入执法证号' }]}>
          <Input maxLength={32} disabled={!!officer} />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="specialties" label="业务专长（输入后回车）">
          <Select mode="tags" aria-label="业务专长" tokenSeparators={['、', ',', '，']} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="status" label="状态">
            <Select
              style={{ width: 160 }}
              aria-label="状态"
              options={Object.entries(OFFICER_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="validUntil" label="执法证有效期至（不填为长期）" extra="证件过期的执法人员不会被抽取">
            <DatePicker aria-label="执法证有效期至" />
          </Form.Item>
        </Space>
      </Form>
    </FormModal>
  );
}
