/** The routes: public auth pages, and the signed-in app inside the layout. */
import { Result, Spin } from "antd";
import type { ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { LoginPage } from "./auth/LoginPage";
import { RegisterPage } from "./auth/RegisterPage";
import { useAuth } from "./auth/context";
import { ChatPage } from "./chat/ChatPage";
import { ConversationsPage } from "./chat/ConversationsPage";
import { DatasetDetailPage } from "./datasets/DatasetDetailPage";
import { DatasetListPage } from "./datasets/DatasetListPage";
import { useI18n } from "./i18n/context";
import { AppLayout } from "./layout/AppLayout";
import { ReportPage } from "./reports/ReportPage";
import { ReportsPage } from "./reports/ReportsPage";
import { SettingsPage } from "./settings/SettingsPage";
import { NewTaskPage } from "./tasks/NewTaskPage";
import { TaskDetailPage } from "./tasks/TaskDetailPage";
import { TasksPage } from "./tasks/TasksPage";
import { TeamDetailPage } from "./teams/TeamDetailPage";
import { TeamsPage } from "./teams/TeamsPage";

function RequireAuth({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const location = useLocation();
  if (user === undefined) {
    return (
      <div className="center-page">
        <Spin size="large" />
      </div>
    );
  }
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t("common.notFound")} />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/register" element={<RegisterPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/datasets" replace />} />
        <Route path="/datasets" element={<DatasetListPage />} />
        <Route path="/datasets/:datasetId" element={<DatasetDetailPage />} />
        <Route path="/datasets/:datasetId/chat" element={<ChatPage />} />
        <Route path="/datasets/:datasetId/chat/:conversationId" element={<ChatPage />} />
        <Route path="/conversations" element={<ConversationsPage />} />
        <Route path="/tasks" element={<TasksPage />} />
        <Route path="/tasks/new" element={<NewTaskPage />} />
        <Route path="/tasks/:taskId" element={<TaskDetailPage />} />
        <Route path="/reports" element={<ReportsPage />} />
        <Route path="/reports/:reportId" element={<ReportPage />} />
        <Route path="/teams" element={<TeamsPage />} />
        <Route path="/teams/:teamId" element={<TeamDetailPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
