/** The frame the sign-in and registration forms share: title, language switch, tagline,
 * an optional notice, the last error, the form and a footer line. */
import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import { ErrorAlert } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { LanguageSwitch } from "../layout/LanguageSwitch";

interface AuthCardProps {
  title: string;
  testId: string;
  error: unknown;
  notice?: ReactNode;
  footer: ReactNode;
  children: ReactNode;
}

export function AuthCard({ title, testId, error, notice, footer, children }: AuthCardProps) {
  const { t } = useI18n();
  return (
    <div className="center-page">
      <Card className="auth-card" data-testid={testId}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t("app.tagline")}</Typography.Paragraph>
        {notice}
        <ErrorAlert error={error} style={{ marginBottom: 16 }} />
        {children}
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>{footer}</Typography.Paragraph>
      </Card>
    </div>
  );
}
