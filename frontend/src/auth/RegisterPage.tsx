/** Registration form; signs the new user in straight away. */
import { App, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";
import { ErrorAlert } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { useAuth } from "./context";

interface RegisterValues {
  email: string;
  username: string;
  password: string;
}

export function RegisterPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user, register } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to="/datasets" replace />;

  const onFinish = async (values: RegisterValues) => {
    setBusy(true);
    setError(null);
    try {
      await register(values.email.trim(), values.username.trim(), values.password);
      void message.success(t("auth.registered"));
      navigate("/datasets", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="center-page">
      <Card className="auth-card" data-testid="register-card">
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("auth.register")}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t("app.tagline")}</Typography.Paragraph>
        <ErrorAlert error={error} style={{ marginBottom: 16 }} />
        <Form<RegisterValues> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="email"
            label={t("auth.email")}
            rules={[{ required: true, type: "email", message: t("auth.invalidEmail") }]}
          >
            <Input autoComplete="email" autoFocus />
          </Form.Item>
          <Form.Item name="username" label={t("auth.username")} rules={[{ required: true, message: t("auth.required") }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t("auth.password")}
            extra={t("auth.passwordHint")}
            rules={[{ required: true, message: t("auth.required") }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("auth.register")}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          {t("auth.haveAccount")} <Link to="/login">{t("auth.signIn")}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
