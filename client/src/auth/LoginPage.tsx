import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';
import { useAuth } from './auth-context';

/** What the client keeps of a login or a renewal: one fragment for both. */
export const SessionFields = graphql(`
  fragment SessionFields on AuthPayload {
    token
    expiresAt
    user {
      id
      username
      displayName
      roles
      mustChangePassword
      department {
        id
        name
        shortName
      }
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      ...SessionFields
    }
  }
`);

export function LoginPage() {
  const { session, signIn, notice } = useAuth();
  const location = useLocation();
  const [{ fetching, error }, login] = useMutation(LoginMutation);
  const [failed, setFailed] = useState<string | null>(null);

  if (session) return <Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />;

  const onFinish = async (values: { username: string; password: string }) => {
    setFailed(null);
    const result = await login(values);
    if (result.data) signIn(result.data.login);
    else setFailed(errorText(result.error));
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          双随机联合抽查协同平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          “双随机、一公开” · 进一次门，查多项事
        </Typography.Paragraph>
        {notice && !failed && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 16 }} />}
        {(failed ?? (error && errorText(error))) && (
          <Alert type="error" showIcon title={failed ?? errorText(error)} style={{ marginBottom: 16 }} />
        )}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="例如 commerce.staff" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={fetching}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
          <Link to="/public">查询抽查结果公示（无需登录）</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
