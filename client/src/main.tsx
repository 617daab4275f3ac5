import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/auth-context';
import { LoginPage } from './auth/LoginPage';
import { ComingSoon } from './common/ComingSoon';
import { AppLayout } from './layout/AppLayout';
import { TasksPage } from './plans/TasksPage';
import { RegistryPage } from './registry/RegistryPage';

dayjs.locale('zh-cn');

const COMING: { path: string; title: string; description: string }[] = [
  { path: 'draws', title: '随机抽取', description: '按任务随机抽取检查对象与执法人员，见证人实时观看，抽取结果可离线复核' },
  { path: 'inspections', title: '联合检查', description: '一次上门、多部门事项，现场录入检查结果，各部门实时可见' },
  { path: 'referrals', title: '问题移送', description: '问题线索移送与闭环管理' },
  { path: 'publication', title: '结果公示', description: '20个工作日内公示抽查结果，更正留痕' },
  { path: 'audit', title: '审计日志', description: '防篡改的操作审计日志' },
];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route element={<AppLayout />}>
                <Route index element={<Navigate to="/tasks" replace />} />
                <Route path="tasks" element={<TasksPage />} />
                <Route path="registry" element={<RegistryPage />} />
                {COMING.map((c) => (
                  <Route key={c.path} path={c.path} element={<ComingSoon title={c.title} description={c.description} />} />
                ))}
                <Route path="*" element={<Navigate to="/tasks" replace />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
