import { Alert, Button, Table, Tag } from 'antd';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const RevokeSession = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id) {
      id
      endedAt
    }
  }
`);

interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip?: string | null;
  userAgent?: string | null;
  current: boolean;
  user?: { username: string; displayName: string };
}

/** Open sessions with 注销 (one's own on 本人账号; everyone's for the 安全管理员): a revoked one ends at once. */
export function SessionsTable({ sessions, loading, onChanged }: { sessions: SessionRow[]; loading?: boolean; onChanged: () => void }) {
  const [revoking, revoke] = useMutation(RevokeSession);
  const withUser = sessions.some((s) => s.user);
  return (
    <>
      {revoking.error && <Alert type="error" showIcon title={errorText(revoking.error)} style={{ marginBottom: 8 }} />}
      <Table<SessionRow>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={sessions}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: withUser ? 900 : 700 }}
        columns={[
          ...(withUser
            ? [
                {
                  title: '账号',
                  key: 'user',
                  width: 220,
                  render: (_: unknown, s: SessionRow) => `${s.user!.displayName}（${s.user!.username}）`,
                },
              ]
            : []),
          { title: '登录时间', key: 'at', width: 170, render: (_, s) => new Date(s.createdAt).toLocaleString('zh-CN') },
          { title: '最近活动', key: 'seen', width: 170, render: (_, s) => new Date(s.lastSeenAt).toLocaleString('zh-CN') },
          { title: '地址', dataIndex: 'ip', width: 130 },
          { title: '浏览器', dataIndex: 'userAgent', ellipsis: true },
          {
            title: '',
            key: 'actions',
            width: 90,
            render: (_, s) =>
              s.current ? (
                <Tag color="green">当前</Tag>
              ) : (
                <Button size="small" danger onClick={async () => (await revoke({ id: s.id })).data && onChanged()}>
                  注销
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
