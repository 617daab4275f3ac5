import { Layout, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router-dom';

const navStyle = ({ isActive }: { isActive: boolean }) => ({
  color: '#fff',
  fontWeight: isActive ? 600 : 400,
  opacity: isActive ? 1 : 0.85,
});

/** The frame of every public page (no login): results (一公开) and the draws' records. */
export function PublicShell({ children }: { children: ReactNode }) {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: '#b71c1c',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
          columnGap: 16,
          height: 'auto',
          lineHeight: '48px',
          padding: '0 16px',
        }}
      >
        <Link to="/public">
          <Typography.Title level={3} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            “双随机、一公开”
          </Typography.Title>
        </Link>
        <Space size="large" wrap>
          <NavLink to="/public" end style={navStyle}>
            抽查结果公示
          </NavLink>
          <NavLink to="/public/draws" style={navStyle}>
            随机抽取记录
          </NavLink>
          <Link to="/login" style={{ color: '#fff' }}>
            工作人员登录
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>{children}</Layout.Content>
    </Layout>
  );
}
