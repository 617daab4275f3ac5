import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { RevokeSession } from '../auth/AccountPage';
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
  const [revoking, revoke] = useMutation(RevokeSession);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          在线会话
        </Typography.Title>
        {userId && <Button onClick={() => setParams({})}>显示全部账号</Button>}
      </Space>
      {(error ?? revoking.error) && <Alert type="error" showIcon title={errorText(error ?? revoking.error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.sessions ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: '账号', key: 'user', width: 220, render: (_, s) => `${s.user.displayName}（${s.user.username}）` },
          { title: '登录时间', key: 'at', width: 170, render: (_, s) => new Date(s.createdAt).toLocaleString('zh-CN') },
          { title: '最近活动', key: 'seen', width: 170, render: (_, s) => new Date(s.lastSeenAt).toLocaleString('zh-CN') },
          { title: '地址', dataIndex: 'ip', width: 130 },
          { title: '浏览器', dataIndex: 'userAgent', ellipsis: true },
          {
            title: '',
            key: 'revoke',
            width: 90,
            render: (_, s) =>
              s.current ? (
                <Tag color="green">当前</Tag>
              ) : (
                <Button
                  size="small"
                  danger
                  onClick={async () => (await revoke({ id: s.id })).data && refetch({ requestPolicy: 'network-only' })}
                >
                  注销
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}
