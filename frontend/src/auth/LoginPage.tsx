/** Sign-in form; says so when the user arrives here because the session expired. */
import { Alert, Button, Form, Input } from "antd";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { useI18n } from "../i18n/context";
import { AuthCard } from "./AuthCard";
import { useAuth } from "./context";
import { useSubmit } from "./useSubmit";

interface LoginValues {
  email: string;
  password: string;
}

export function LoginPage() {
  const { t } = useI18n();
  const { user, expired, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/datasets";
  const { error, busy, onFinish } = useSubmit(async (values: LoginValues) => {
    await login(values.email.trim(), values.password);
    navigate(from, { replace: true });
  });

  if (user) return <Navigate to={from} replace />;

  const notice = expired && (
    <Alert type="warning" showIcon message={t("auth.sessionExpired")} style={{ marginBottom: 16 }} data-testid="session-expired" />
  );
  const footer = (
    <>
      {t("auth.noAccount")} <Link to="/register">{t("auth.register")}</Link>
    </>
  );
  return (
    <AuthCard title={t("app.name")} testId="login-card" error={error} notice={notice} footer={footer}>
      <Form<LoginValues> layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item
          name="email"
          label={t("auth.email")}
          rules={[{ required: true, type: "email", message: t("auth.invalidEmail") }]}
        >
          <Input autoComplete="email" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t("auth.password")} rules={[{ required: true, message: t("auth.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t("auth.signIn")}
        </Button>
      </Form>
    </AuthCard>
  );
}
