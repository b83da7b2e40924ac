/** A proposed data change: accept (creates a new dataset version) or reject. */
import { CheckOutlined, CloseOutlined, ExperimentOutlined } from "@ant-design/icons";
import { App, Button, Card, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { ApiError } from "../api/client";
import { api } from "../api/instance";
import type { Proposal, ProposalStatus } from "../api/types";
import { errorMessage } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { useChatActions } from "./chatContext";

const COLORS: Record<ProposalStatus, string> = { pending: "gold", accepted: "green", rejected: "default" };

export function ProposalCard({ proposal }: { proposal: Proposal }) {
  const { t } = useI18n();
  const { conversationId } = useChatActions();
  const { message } = App.useApp();
  const [status, setStatus] = useState<ProposalStatus>(proposal.status);
  const [busy, setBusy] = useState<"accept" | "reject" | null>(null);

  const decide = async (action: "accept" | "reject") => {
    setBusy(action);
    try {
      const result = await api.post<Proposal>(`/conversations/${conversationId}/proposals/${proposal.id}/${action}`);
      setStatus(result.status);
      void message.success(action === "accept" ? t("proposal.accepted") : t("proposal.rejected"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Decided earlier (the stored message keeps the proposal as it was when made).
        const decided = /accepted/.test(err.message) ? "accepted" : /rejected/.test(err.message) ? "rejected" : null;
        if (decided) setStatus(decided);
      }
      void message.error(errorMessage(err, t("common.error")));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card size="small" style={{ borderColor: status === "pending" ? "#ffd666" : undefined, margin: "8px 0" }} data-testid="proposal-card" data-status={status}>
      <Space direction="vertical" style={{ width: "100%" }} size={4}>
        <Space wrap>
          <ExperimentOutlined />
          <Typography.Text strong>{proposal.title}</Typography.Text>
          <Tag color={COLORS[status]}>{t(`proposal.status.${status}`)}</Tag>
        </Space>
        {proposal.description && <Typography.Text type="secondary">{proposal.description}</Typography.Text>}
        {status === "pending" && (
          <Space>
            <Button type="primary" size="small" icon={<CheckOutlined />} loading={busy === "accept"} disabled={busy !== null} onClick={() => void decide("accept")} data-testid="proposal-accept">
              {t("proposal.accept")}
            </Button>
            <Button size="small" icon={<CloseOutlined />} loading={busy === "reject"} disabled={busy !== null} onClick={() => void decide("reject")} data-testid="proposal-reject">
              {t("proposal.reject")}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}
