import { Alert, Form, InputNumber, Modal, Switch, Typography } from 'antd';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const SetWitnessRule = graphql(`
  mutation SetPlanWitnessRule($id: ID!, $required: Int!, $other: Boolean!) {
    setPlanWitnessRule(id: $id, witnessesRequired: $required, fromOtherDepartment: $other) {
      id
      witnessesRequired
      witnessFromOtherDepartment
    }
  }
`);

interface Plan {
  id: string;
  name: string;
  witnessesRequired: number;
  witnessFromOtherDepartment: boolean;
}

/** The plan's witness rule for its draws: how many witness strings before a reveal, and whether one must come from another department. */
export function WitnessRuleModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const [form] = Form.useForm<{ required: number; other: boolean }>();
  const [saving, save] = useMutation(SetWitnessRule);
  return (
    <Modal
      open
      title={`抽取见证规则：${plan.name}`}
      okText="保存"
      okButtonProps={{ loading: saving.fetching }}
      onCancel={onClose}
      onOk={async () => {
        const values = await form.validateFields();
        if ((await save({ id: plan.id, required: values.required, other: values.other })).data) onClose();
      }}
    >
      <Typography.Paragraph type="secondary">
        本计划的任务开启抽取时，此规则随抽取一起承诺并公布；揭示前必须有足够的见证人加入随机串。已开启的抽取按开启时的规则执行。
      </Typography.Paragraph>
      {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ required: plan.witnessesRequired, other: plan.witnessFromOtherDepartment }}>
        <Form.Item name="required" label="至少需要的见证人数" rules={[{ required: true, message: '请填写人数' }]}>
          <InputNumber min={1} max={9} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="other" label="须有发起部门以外的见证人" valuePropName="checked">
          <Switch checkedChildren="是" unCheckedChildren="否" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
