import {
  ApartmentOutlined,
  BarChartOutlined,
  AuditOutlined,
  CalendarOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  SafetyOutlined,
  SendOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  CheckSquareOutlined,
  UserOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { Badge, Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { isAdministrator, type Session, useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { useLiveTodos } from '../todo/use-todos';
import { OfflineStatus } from '../offline/OfflineStatus';

export const ROLE_LABELS: Record<string, string> = {
  ADMIN: '系统管理员',
  SECURITY_ADMIN: '安全管理员',
  AUDITOR: '审计管理员',
  STAFF: '业务人员',
  HEAD: '负责人',
  OFFICER: '执法人员',
  WITNESS: '监督见证人',
  OVERSIGHT: '双随机办',
};

/** The business roles: they have a 待办. */
const hasTodos = (session: Session | null) => Boolean(session?.user.roles.some((r) => ['STAFF', 'HEAD', 'OFFICER'].includes(r)));

/** 待办 in the header: the count of what waits for this user, live. */
function TodoBadge({ session }: { session: Session }) {
  const { data } = useLiveTodos(hasTodos(session));
  if (!hasTodos(session)) return null;
  return (
    <Link to="/todo" aria-label={`待办 ${data?.todos.length ?? 0} 项`}>
      <Badge count={data?.todos.length ?? 0} size="small" offset={[6, -2]}>
        <CheckSquareOutlined /> 待办
      </Badge>
    </Link>
  );
}

/** The modules of the hub, in the order of the work; `roles`: shown only to those. */
const NAV_ITEMS = [
  { key: '/tasks', icon: <CalendarOutlined />, label: '抽查计划与任务' },
  { key: '/draws', icon: <ThunderboltOutlined />, label: '随机抽取' },
  { key: '/inspections', icon: <FileSearchOutlined />, label: '联合检查' },
  { key: '/referrals', icon: <SendOutlined />, label: '问题移送' },
  { key: '/publication', icon: <NotificationOutlined />, label: '结果公示' },
  { key: '/registry', icon: <DatabaseOutlined />, label: '名录库' },
  { key: '/statistics', icon: <BarChartOutlined />, label: '统计分析' },
];

/** The 双随机 office (OVERSIGHT alone) reads statistics only. */
const isOversightOnly = (session: Session | null) =>
  Boolean(session?.user.roles.includes('OVERSIGHT') && !session.user.roles.some((r) => r === 'STAFF' || r === 'HEAD' || r === 'OFFICER'));

/** 系统管理, for the 三员: each sees its own part. */
const ADMIN_NAV_ITEMS = [
  { key: '/admin/users', icon: <TeamOutlined />, label: '账号管理', roles: ['ADMIN', 'SECURITY_ADMIN'] },
  { key: '/admin/departments', icon: <ApartmentOutlined />, label: '部门管理', roles: ['ADMIN'] },
  { key: '/admin/sessions', icon: <WifiOutlined />, label: '在线会话', roles: ['SECURITY_ADMIN'] },
  { key: '/admin/policy', icon: <SafetyOutlined />, label: '密码与会话策略', roles: ['SECURITY_ADMIN'] },
  { key: '/audit', icon: <AuditOutlined />, label: '审计日志', roles: ['AUDITOR'] },
];

/** An officer without a desk role: their work is their visits. */
const isFieldOfficer = (session: Session | null) =>
  Boolean(session?.user.roles.includes('OFFICER') && !session.user.roles.some((r) => r === 'STAFF' || r === 'HEAD'));

/** The menu an account sees: business modules (an officer's visits first, where it lands), or its part of 系统管理. */
export function navItemsOf(session: Session | null) {
  if (isOversightOnly(session)) return NAV_ITEMS.filter((item) => item.key === '/statistics');
  if (isFieldOfficer(session)) {
    const visits = { ...NAV_ITEMS.find((item) => item.key === '/inspections')!, label: '我的检查' };
    return [visits, ...NAV_ITEMS.filter((item) => item.key !== '/inspections')];
  }
  if (!isAdministrator(session)) return NAV_ITEMS;
  return ADMIN_NAV_ITEMS.filter((item) => item.roles.some((r) => session!.user.roles.includes(r))).map(({ roles: _, ...item }) => item);
}

/** Where an account starts. */
export function Home() {
  const { session } = useAuth();
  return <Navigate to={navItemsOf(session)[0]?.key ?? '/account'} replace />;
}

const RenewToken = graphql(`
  mutation RenewToken {
    renewToken {
      ...SessionFields
    }
  }
`);

const Policy = graphql(`
  query ClientSecurityPolicy {
    securityPolicy {
      idleMinutes
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

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Signs out after the policy's idle time without a click, key or scroll (the server ends the session too). */
function useIdleSignOut() {
  const { session, signOut } = useAuth();
  const [{ data }] = useQuery({ query: Policy, pause: !session });
  const minutes = data?.securityPolicy.idleMinutes;
  useEffect(() => {
    if (!session || !minutes) return;
    let last = Date.now();
    const seen = () => (last = Date.now());
    ACTIVITY.forEach((type) => window.addEventListener(type, seen, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - last > minutes * 60_000) signOut(`${minutes} 分钟未操作，已自动退出，请重新登录`);
    }, 15_000);
    return () => {
      clearInterval(timer);
      ACTIVITY.forEach((type) => window.removeEventListener(type, seen));
    };
  }, [session, minutes, signOut]);
}

export function AppLayout() {
  const { session, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  // Below antd's lg (992 px); unknown before the first measure counts as wide.
  const narrow = Grid.useBreakpoint().lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  useTokenRenewal();
  useIdleSignOut();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  // An initial or reset password: nothing else until it is changed (the server refuses the rest).
  if (session.user.mustChangePassword && location.pathname !== '/account') return <Navigate to="/account" replace />;
  const items = navItemsOf(session);
  const selected = items.find((item) => location.pathname.startsWith(item.key))?.key ?? '';
  const title = (
    <div style={{ color: '#fff', padding: '16px 16px 8px', fontWeight: 600, lineHeight: 1.4 }}>
      双随机联合抽查{isAdministrator(session) ? ' · 系统管理' : ''}
    </div>
  );
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        // On a phone the menu is a drawer that closes on navigation, leaving the page its full width.
        <Drawer
          open={drawerOpen}
          placement="left"
          width={240}
          closable={false}
          onClose={() => setDrawerOpen(false)}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {title}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={200}>
          {title}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '8px 16px',
            height: 'auto',
            lineHeight: 'normal',
            display: 'flex',
            justifyContent: narrow ? 'space-between' : 'flex-end',
            alignItems: 'center',
            gap: 8,
          }}
        >
          {narrow && <Button icon={<MenuOutlined />} aria-label="菜单" onClick={() => setDrawerOpen(true)} />}
          <Space wrap style={{ justifyContent: 'flex-end' }}>
            <OfflineStatus officer={session.user.roles.includes('OFFICER')} />
            <TodoBadge session={session} />
            <Typography.Text strong>{session.user.department.name}</Typography.Text>
            <Link to="/account">
              <UserOutlined /> {session.user.displayName}
            </Link>
            {session.user.roles.map((role) => (
              <Tag key={role}>{ROLE_LABELS[role] ?? role}</Tag>
            ))}
            <Button icon={<LogoutOutlined />} onClick={() => signOut()}>
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
