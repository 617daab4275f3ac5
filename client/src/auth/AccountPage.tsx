import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { useAuth } from './auth-context';
import { SessionsTable } from './SessionsTable';

const ChangePassword = graphql(`
  mutation ChangePassword($old: String!, $new: String!) {
    changePassword(oldPassword: $old, newPassword: $new) {
      id
      mustChangePassword
    }
  }
`);

const MySessions = graphql(`
  query MySessions($userId: ID) {
    sessions(userId: $userId) {
      id
      createdAt
      lastSeenAt
      ip
      userAgent
      current
    }
    securityPolicy {
      idleMinutes
      passwordMinLength
    }
  }
`);

/** 本人账号: change one's password (forced after an initial or reset one) and see one's own sessions. */
export function AccountPage() {
  const { session, signIn } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ old: string; new: string; confirm: string }>();
  const [changing, change] = useMutation(ChangePassword);
  const [{ data }, refetch] = useQuery({ query: MySessions, variables: { userId: session?.user.id } });
  if (!session) return null;
  const policy = data?.securityPolicy;
  const forced = session.user.mustChangePassword;

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 900 }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        本人账号：{session.user.displayName}（{session.user.username}）
      </Typography.Title>
      {forced && <Alert type="warning" showIcon title="首次登录或密码被重置后，须先设置自己的密码，才能使用其他功能。" />}
      <Card size="small" title="修改密码">
        {changing.error && <Alert type="error" showIcon title={errorText(changing.error)} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 400 }}
          onFinish={async (values) => {
            const result = await change({ old: values.old, new: values.new });
            if (result.data) {
              form.resetFields();
              signIn({ ...session, user: { ...session.user, mustChangePassword: false } });
              message.success('密码已修改；本账号的其他登录已退出');
            }
          }}
        >
          <Form.Item name="old" label={forced ? '一次性密码' : '原密码'} rules={[{ required: true, message: '请输入' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="new"
            label="新密码"
            extra={`至少 ${policy?.passwordMinLength ?? 8} 个字符，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名`}
            rules={[{ required: true, message: '请输入新密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入新密码"
            dependencies={['new']}
            rules={[
              { required: true, message: '请再次输入' },
              ({ getFieldValue }) => ({
                validator: (_, value) => (value === getFieldValue('new') ? Promise.resolve() : Promise.reject(new Error('两次输入不一致'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={changing.fetching}>
            修改密码
          </Button>
        </Form>
      </Card>
      {!forced && (
        <Card size="small" title={`本人的登录会话（${policy ? `${policy.idleMinutes} 分钟无操作自动退出` : ''}）`}>
          <SessionsTable sessions={data?.sessions ?? []} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
        </Card>
      )}
    </Space>
  );
}
