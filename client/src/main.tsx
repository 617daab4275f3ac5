import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode, Suspense, lazy, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/auth-context';
import { LoginPage } from './auth/LoginPage';
import { AppLayout, Home } from './layout/AppLayout';

dayjs.locale('zh-cn');

/**
 * One chunk per page: an officer on a county connection loads the shell and the visit page,
 * not the registry, the statistics or the administration (test/bundle.test.ts holds the size).
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Page = lazy<ComponentType>(async () => ({ default: (await load())[name] }));
  return (
    <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
      <Page />
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/public" element={page(() => import('./publication/PublicPage'), 'PublicPage')} />
              <Route path="/public/:id" element={page(() => import('./publication/PublicPage'), 'PublicRecordPage')} />
              <Route path="/public/draws" element={page(() => import('./draws/PublicDrawsPage'), 'PublicDrawsPage')} />
              <Route path="/public/draws/:id" element={page(() => import('./draws/PublicDrawsPage'), 'PublicDrawRecordPage')} />
              <Route element={<AppLayout />}>
                <Route index element={<Home />} />
                <Route path="archive/:uscc" element={page(() => import('./archive/ArchivePage'), 'ArchivePage')} />
                <Route path="todo" element={page(() => import('./todo/TodoPage'), 'TodoPage')} />
                <Route path="account" element={page(() => import('./auth/AccountPage'), 'AccountPage')} />
                <Route path="admin/users" element={page(() => import('./admin/UsersPage'), 'UsersPage')} />
                <Route path="admin/departments" element={page(() => import('./admin/DepartmentsPage'), 'DepartmentsPage')} />
                <Route path="admin/sessions" element={page(() => import('./admin/SessionsPage'), 'SessionsPage')} />
                <Route path="admin/policy" element={page(() => import('./admin/PolicyPage'), 'PolicyPage')} />
                <Route path="tasks" element={page(() => import('./plans/TasksPage'), 'TasksPage')} />
                <Route path="registry" element={page(() => import('./registry/RegistryPage'), 'RegistryPage')} />
                <Route path="draws" element={page(() => import('./draws/DrawsPage'), 'DrawsPage')} />
                <Route path="draws/:id" element={page(() => import('./draws/DrawPage'), 'DrawPage')} />
                <Route path="inspections" element={page(() => import('./inspections/InspectionsPage'), 'InspectionsPage')} />
                <Route path="inspections/:id" element={page(() => import('./inspections/InspectionPage'), 'InspectionPage')} />
                <Route path="inspections/:id/notice" element={page(() => import('./inspections/NoticePage'), 'NoticePage')} />
                <Route path="referrals" element={page(() => import('./referrals/ReferralsPage'), 'ReferralsPage')} />
                <Route path="publication" element={page(() => import('./publication/PublicationPage'), 'PublicationPage')} />
                <Route path="statistics" element={page(() => import('./statistics/StatisticsPage'), 'StatisticsPage')} />
                <Route path="audit" element={page(() => import('./audit/AuditPage'), 'AuditPage')} />
                <Route path="*" element={<Home />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
