/** Chat about one dataset: its conversations on the side (a drawer on phones), the conversation view. */
import { ArrowLeftOutlined, PlusOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Alert, Button, Drawer, Grid, List, Spin, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Conversation, Dataset } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { ConversationView } from "./ConversationView";
import { listConversations } from "./conversationsApi";

function ConversationList({
  datasetId,
  items,
  selected,
  loading,
  onPick,
}: {
  datasetId: string;
  items: Conversation[];
  selected: string | null;
  loading: boolean;
  onPick: () => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <>
      <Button
        type="primary"
        block
        icon={<PlusOutlined />}
        onClick={() => {
          navigate(`/datasets/${datasetId}/chat`);
          onPick();
        }}
        data-testid="new-conversation"
      >
        {t("conv.new")}
      </Button>
      <List<Conversation>
        size="small"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t("conv.empty") }}
        style={{ marginTop: 8 }}
        data-testid="conversation-list"
        renderItem={(c) => (
          <List.Item
            style={{
              cursor: "pointer",
              background: c.id === selected ? "#e6f4ff" : undefined,
              borderRadius: 6,
              padding: "6px 8px",
            }}
            onClick={() => {
              navigate(`/datasets/${datasetId}/chat/${c.id}`);
              onPick();
            }}
          >
            <div style={{ minWidth: 0 }}>
              <Typography.Text ellipsis style={{ display: "block" }}>
                {c.title || t("conv.untitled")}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {formatDate(c.updated_at ?? c.created_at)}
              </Typography.Text>
            </div>
          </List.Item>
        )}
      />
    </>
  );
}

export function ChatPage() {
  const { datasetId = "", conversationId } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const isPhone = !Grid.useBreakpoint().md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const dataset = useLoader((signal) => api.get<Dataset>(`/datasets/${datasetId}`, undefined, signal), [datasetId]);
  const conversations = useLoader((signal) => listConversations(datasetId, signal), [datasetId]);

  if (dataset.error) return <ErrorAlert error={dataset.error} />;
  if (!dataset.data) return <Spin style={{ display: "block", margin: 48 }} />;

  const list = (
    <ConversationList
      datasetId={datasetId}
      items={conversations.data ?? []}
      selected={conversationId ?? null}
      loading={conversations.loading && !conversations.data}
      onPick={() => setDrawerOpen(false)}
    />
  );

  return (
    <>
      <div style={{ display: "flex", alignItems: "center", gap: 8, marginBottom: 8 }}>
        {isPhone && <Button size="small" icon={<UnorderedListOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t("conv.list")} />}
        <Link to={`/datasets/${datasetId}`} style={{ minWidth: 0 }}>
          <Typography.Text ellipsis style={{ color: "inherit" }}>
            <ArrowLeftOutlined /> {dataset.data.name}
          </Typography.Text>
        </Link>
      </div>
      {dataset.data.status !== "ready" && <Alert type="warning" showIcon message={t("chat.needsReady")} style={{ marginBottom: 8 }} />}
      <ErrorAlert error={conversations.error} style={{ marginBottom: 8 }} />
      <div className="chat-layout">
        {!isPhone && <div className="chat-sidebar">{list}</div>}
        <ConversationView
          datasetId={datasetId}
          conversationId={conversationId ?? null}
          onCreated={(c) => {
            conversations.setData([c, ...(conversations.data ?? [])]);
            navigate(`/datasets/${datasetId}/chat/${c.id}`, { replace: true });
          }}
          onChanged={conversations.reload}
          onDeleted={() => {
            conversations.reload();
            navigate(`/datasets/${datasetId}/chat`);
          }}
        />
      </div>
      <Drawer open={isPhone && drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" width={280} title={t("conv.list")}>
        {list}
      </Drawer>
    </>
  );
}
