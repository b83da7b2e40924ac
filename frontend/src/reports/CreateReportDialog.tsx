/** "Create report" from a conversation: a title, which answers and code runs to include, code or not. */
import { BarChartOutlined, CodeOutlined, TableOutlined } from "@ant-design/icons";
import { Button, Checkbox, Form, Input, Modal, Space, Switch, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api/instance";
import type { ChatMessage } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { messageChoices, type MessageChoice } from "./blocks";
import { generateReport } from "./reportsApi";

interface Props {
  open: boolean;
  conversationId: string;
  defaultTitle: string;
  messages: ChatMessage[];
  onClose: () => void;
}

function ChoiceLabel({ choice }: { choice: MessageChoice }) {
  const { t } = useI18n();
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Text strong ellipsis style={{ display: "block", maxWidth: "100%" }}>
        {choice.kind === "code" ? <CodeOutlined style={{ marginRight: 4 }} /> : null}
        {choice.question || t("reports.analysis")}
      </Typography.Text>
      {choice.preview && (
        <Typography.Text type="secondary" ellipsis style={{ display: "block", fontSize: 12, maxWidth: "100%" }}>
          {choice.preview}
        </Typography.Text>
      )}
      <Space size={4} style={{ marginTop: 2 }}>
        {choice.tables > 0 && <Tag icon={<TableOutlined />}>{t("reports.tables", { n: choice.tables })}</Tag>}
        {choice.charts > 0 && <Tag icon={<BarChartOutlined />}>{t("reports.charts", { n: choice.charts })}</Tag>}
      </Space>
    </div>
  );
}

export function CreateReportDialog({ open, conversationId, defaultTitle, messages, onClose }: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const choices = useMemo(() => messageChoices(messages), [messages]);
  const [selected, setSelected] = useState<string[]>([]);
  const [title, setTitle] = useState(defaultTitle);
  const [includeCode, setIncludeCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    setSelected(choices.map((c) => c.id));
    setTitle(defaultTitle);
    setError(null);
  }, [open, choices, defaultTitle]);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const report = await generateReport(api, {
        conversation_id: conversationId,
        title: title.trim() || null,
        message_ids: selected,
        include_code: includeCode,
      });
      onClose();
      navigate(`/reports/${report.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const allChosen = selected.length === choices.length;
  return (
    <Modal
      open={open}
      title={t("reports.create")}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t("common.cancel")}
        </Button>,
        <Button
          key="create"
          type="primary"
          disabled={selected.length === 0}
          loading={busy}
          onClick={() => void create()}
          data-testid="create-report-ok"
        >
          {t("reports.createOk")}
        </Button>,
      ]}
    >
      <Form layout="vertical">
        <Form.Item label={t("reports.col.title")}>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} data-testid="report-title-input" />
        </Form.Item>
        <Form.Item
          label={
            <Space>
              {t("reports.chooseMessages")}
              <Button size="small" type="link" onClick={() => setSelected(allChosen ? [] : choices.map((c) => c.id))}>
                {allChosen ? t("reports.selectNone") : t("reports.selectAll")}
              </Button>
            </Space>
          }
        >
          {choices.length === 0 ? (
            <Typography.Text type="secondary">{t("reports.nothingToInclude")}</Typography.Text>
          ) : (
            <Checkbox.Group value={selected} onChange={(v) => setSelected(v as string[])} style={{ width: "100%" }}>
              <div className="report-choices" data-testid="report-choices">
                {choices.map((choice) => (
                  <div key={choice.id} data-testid="report-choice">
                    <Checkbox value={choice.id} className="report-choice">
                      <ChoiceLabel choice={choice} />
                    </Checkbox>
                  </div>
                ))}
              </div>
            </Checkbox.Group>
          )}
        </Form.Item>
        <Form.Item label={t("reports.includeCode")} style={{ marginBottom: 8 }}>
          <Switch checked={includeCode} onChange={setIncludeCode} data-testid="report-include-code" />
        </Form.Item>
        <ErrorAlert error={error} />
      </Form>
    </Modal>
  );
}
