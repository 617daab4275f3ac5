import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AuditPage } from './audit/AuditPage';
import { AuthProvider } from './auth/auth-context';
import { LoginPage } from './auth/LoginPage';
import { AccountPage } from './auth/AccountPage';
import { DepartmentsPage } from './admin/DepartmentsPage';
import { PolicyPage } from './admin/PolicyPage';
import { SessionsPage } from './admin/SessionsPage';
import { UsersPage } from './admin/UsersPage';
import { AppLayout, Home } from './layout/AppLayout';
import { DrawPage } from './draws/DrawPage';
import { DrawsPage } from './draws/DrawsPage';
import { PublicDrawRecordPage, PublicDrawsPage } from './draws/PublicDrawsPage';
import { InspectionPage } from './inspections/InspectionPage';
import { InspectionsPage } from './inspections/InspectionsPage';
import { NoticePage } from './inspections/NoticePage';
import { TasksPage } from './plans/TasksPage';
import { PublicationPage } from './publication/PublicationPage';
import { PublicPage, PublicRecordPage } from './publication/PublicPage';
import { ReferralsPage } from './referrals/ReferralsPage';
import { RegistryPage } from './registry/RegistryPage';

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/public" element={<PublicPage />} />
              <Route path="/public/:id" element={<PublicRecordPage />} />
              <Route path="/public/draws" element={<PublicDrawsPage />} />
              <Route path="/public/draws/:id" element={<PublicDrawRecordPage />} />
              <Route element={<AppLayout />}>
                <Route index element={<Home />} />
                <Route path="account" element={<AccountPage />} />
                <Route path="admin/users" element={<UsersPage />} />
                <Route path="admin/departments" element={<DepartmentsPage />} />
                <Route path="admin/sessions" element={<SessionsPage />} />
                <Route path="admin/policy" element={<PolicyPage />} />
                <Route path="tasks" element={<TasksPage />} />
                <Route path="registry" element={<RegistryPage />} />
                <Route path="draws" element={<DrawsPage />} />
                <Route path="draws/:id" element={<DrawPage />} />
                <Route path="inspections" element={<InspectionsPage />} />
                <Route path="inspections/:id" element={<InspectionPage />} />
                <Route path="inspections/:id/notice" element={<NoticePage />} />
                <Route path="referrals" element={<ReferralsPage />} />
                <Route path="publication" element={<PublicationPage />} />
                <Route path="audit" element={<AuditPage />} />
                <Route path="*" element={<Home />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
