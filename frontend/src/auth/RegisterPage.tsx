/** Registration form; signs the new user in straight away. */
import { App, Button, Form, Input } from "antd";
import { Link, Navigate, useNavigate } from "react-router-dom";
import { useI18n } from "../i18n/context";
import { AuthCard } from "./AuthCard";
import { useAuth } from "./context";
import { useSubmit } from "./useSubmit";

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
  const { error, busy, onFinish } = useSubmit(async (values: RegisterValues) => {
    await register(values.email.trim(), values.username.trim(), values.password);
    void message.success(t("auth.registered"));
    navigate("/datasets", { replace: true });
  });

  if (user) return <Navigate to="/datasets" replace />;

  const footer = (
    <>
      {t("auth.haveAccount")} <Link to="/login">{t("auth.signIn")}</Link>
    </>
  );
  return (
    <AuthCard title={t("auth.register")} testId="register-card" error={error} footer={footer}>
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
    </AuthCard>
  );
}
