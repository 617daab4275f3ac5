import {
  AuditOutlined,
  CalendarOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  LogoutOutlined,
  NotificationOutlined,
  SendOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMutation } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';

const ROLE_LABELS: Record<string, string> = {
  ADMIN: '系统管理员',
  STAFF: '业务人员',
  HEAD: '负责人',
  OFFICER: '执法人员',
  WITNESS: '监督见证人',
  AUDITOR: '审计人员',
};

/** The modules of the hub, in the order of the work. */
export const NAV_ITEMS = [
  { key: '/tasks', icon: <CalendarOutlined />, label: '抽查计划与任务' },
  { key: '/draws', icon: <ThunderboltOutlined />, label: '随机抽取' },
  { key: '/inspections', icon: <FileSearchOutlined />, label: '联合检查' },
  { key: '/referrals', icon: <SendOutlined />, label: '问题移送' },
  { key: '/publication', icon: <NotificationOutlined />, label: '结果公示' },
  { key: '/registry', icon: <DatabaseOutlined />, label: '名录库' },
  { key: '/audit', icon: <AuditOutlined />, label: '审计日志' },
];

const RenewToken = graphql(`
  mutation RenewToken {
    renewToken {
      ...SessionFields
    }
  }
`);

/** Renews the token ten minutes before it expires, so a working session is never cut off. */
function useTokenRenewal() {
  const { session, signIn } = useAuth();
  const [, renew] = useMutation(RenewToken);
  useEffect(() => {
    if (!session) return;
    const due = new Date(session.expiresAt).getTime() - Date.now() - 10 * 60 * 1000;
    const timer = setTimeout(
      () => {
        void renew({}).then((result) => {
          if (result.data) signIn(result.data.renewToken);
        });
      },
      Math.max(due, 0),
    );
    return () => clearTimeout(timer);
  }, [session, renew, signIn]);
}

export function AppLayout() {
  const { session, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  useTokenRenewal();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const selected = NAV_ITEMS.find((item) => location.pathname.startsWith(item.key))?.key ?? '/tasks';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={200}>
        <div style={{ color: '#fff', padding: '16px 16px 8px', fontWeight: 600, lineHeight: 1.4 }}>双随机联合抽查</div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={NAV_ITEMS} onClick={({ key }) => navigate(key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '8px 16px',
            height: 'auto',
            lineHeight: 'normal',
            display: 'flex',
            justifyContent: 'flex-end',
          }}
        >
          <Space wrap>
            <Typography.Text strong>{session.user.department.name}</Typography.Text>
            <Typography.Text>{session.user.displayName}</Typography.Text>
            {session.user.roles.map((role) => (
              <Tag key={role}>{ROLE_LABELS[role] ?? role}</Tag>
            ))}
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
