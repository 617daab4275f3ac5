import { Alert, Button, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { SessionsTable } from '../auth/SessionsTable';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const Sessions = graphql(`
  query AdminSessions($userId: ID) {
    sessions(userId: $userId) {
      id
      createdAt
      lastSeenAt
      ip
      userAgent
      current
      user {
        id
        username
        displayName
      }
    }
  }
`);

/** 在线会话 (安全管理员): every open login, or one account's; a revoked one ends at once, WebSockets included. */
export function SessionsPage() {
  const [params, setParams] = useSearchParams();
  const userId = params.get('user');
  const [{ data, fetching, error }, refetch] = useQuery({ query: Sessions, variables: { userId } });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          在线会话
        </Typography.Title>
        {userId && <Button onClick={() => setParams({})}>显示全部账号</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <SessionsTable sessions={data?.sessions ?? []} loading={fetching} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
    </Space>
  );
}
