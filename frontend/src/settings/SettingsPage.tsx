/** Settings: the active AI provider, my account, and the language. */
import { Alert, Card, Descriptions, Space, Tag, Typography } from "antd";
import { api } from "../api/instance";
import type { LlmInfo } from "../api/types";
import { useAuth } from "../auth/context";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { LanguageSwitch } from "../layout/LanguageSwitch";

export function SettingsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const llm = useLoader((signal) => api.get<LlmInfo>("/llm", undefined, signal), []);
  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("settings.title")}</Typography.Title>
      </div>
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        <Card title={t("settings.ai")} size="small" loading={llm.loading} data-testid="settings-ai">
          {llm.data ? (
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("settings.provider")}>
                <Space>
                  <Typography.Text strong data-testid="llm-provider">
                    {llm.data.provider}
                  </Typography.Text>
                  {llm.data.builtin ? <Tag color="purple">{t("settings.builtin")}</Tag> : <Tag color="green">{t("settings.external")}</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t("settings.model")}>{llm.data.model || "–"}</Descriptions.Item>
              <Descriptions.Item label={t("settings.preset")}>{llm.data.preset || "–"}</Descriptions.Item>
              {llm.data.base_url && <Descriptions.Item label={t("settings.endpoint")}>{llm.data.base_url}</Descriptions.Item>}
            </Descriptions>
          ) : (
            <Alert type="warning" showIcon message={t("settings.aiUnavailable")} />
          )}
        </Card>
        <Card title={t("settings.account")} size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t("auth.username")}>{user?.username}</Descriptions.Item>
            <Descriptions.Item label={t("common.email")}>{user?.email}</Descriptions.Item>
            <Descriptions.Item label={t("settings.platformRole")}>{user?.role}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t("common.language")} size="small">
          <LanguageSwitch />
        </Card>
      </Space>
    </>
  );
}
