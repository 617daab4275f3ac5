import { Alert, App, Button, Card, Form, InputNumber, Typography } from 'antd';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Policy = graphql(`
  query AdminSecurityPolicy {
    securityPolicy {
      idleMinutes
      passwordMinLength
    }
  }
`);

const SetPolicy = graphql(`
  mutation SetSecurityPolicy($idle: Int, $min: Int) {
    setSecurityPolicy(idleMinutes: $idle, passwordMinLength: $min) {
      idleMinutes
      passwordMinLength
    }
  }
`);

/** 密码与会话策略 (安全管理员): idle expiry and password length; the classes and the user-name rule are fixed. */
export function PolicyPage() {
  const { message } = App.useApp();
  const [{ data, error }] = useQuery({ query: Policy });
  const [saving, save] = useMutation(SetPolicy);
  if (!data) return error ? <Alert type="error" showIcon title={errorText(error)} /> : null;
  return (
    <Card title="密码与会话策略" style={{ maxWidth: 560 }}>
      {saving.error && <Alert type="error" showIcon title={errorText(saving.error)} style={{ marginBottom: 12 }} />}
      <Form
        layout="vertical"
        initialValues={data.securityPolicy}
        onFinish={async (values: { idleMinutes: number; passwordMinLength: number }) => {
          if ((await save({ idle: values.idleMinutes, min: values.passwordMinLength })).data) message.success('策略已保存，立即生效');
        }}
      >
        <Form.Item
          name="idleMinutes"
          label="无操作自动退出（分钟）"
          extra="5–480；服务器与浏览器都按此结束会话"
          rules={[{ required: true }]}
        >
          <InputNumber min={5} max={480} precision={0} />
        </Form.Item>
        <Form.Item name="passwordMinLength" label="密码最短长度" extra="8–64" rules={[{ required: true }]}>
          <InputNumber min={8} max={64} precision={0} />
        </Form.Item>
        <Typography.Paragraph type="secondary">
          密码还须包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名；新账号和重置后的密码须在首次登录时修改；连续 5
          次登录失败锁定 15 分钟（安全管理员可解锁）。
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={saving.fetching}>
          保存
        </Button>
      </Form>
    </Card>
  );
}
