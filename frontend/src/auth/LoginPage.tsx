/** Sign-in form; says so when the user arrives here because the session expired. */
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { ErrorAlert } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { useAuth } from "./context";

interface LoginValues {
  email: string;
  password: string;
}

export function LoginPage() {
  const { t } = useI18n();
  const { user, expired, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? "/datasets";

  if (user) return <Navigate to={from} replace />;

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.email.trim(), values.password);
      navigate(from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="center-page">
      <Card className="auth-card" data-testid="login-card">
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("app.name")}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t("app.tagline")}</Typography.Paragraph>
        {expired && (
          <Alert type="warning" showIcon message={t("auth.sessionExpired")} style={{ marginBottom: 16 }} data-testid="session-expired" />
        )}
        <ErrorAlert error={error} style={{ marginBottom: 16 }} />
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
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          {t("auth.noAccount")} <Link to="/register">{t("auth.register")}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
