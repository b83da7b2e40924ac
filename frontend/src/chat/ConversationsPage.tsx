/** All my conversations across datasets. */
import { Table, Typography } from "antd";
import { Link } from "react-router-dom";
import { api } from "../api/instance";
import type { Conversation, Dataset, Page } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { listConversations } from "./conversationsApi";

export function ConversationsPage() {
  const { t } = useI18n();
  const conversations = useLoader((signal) => listConversations(undefined, signal), []);
  const datasets = useLoader((signal) => api.get<Page<Dataset>>("/datasets", { limit: 200 }, signal), []);
  const names = new Map((datasets.data?.items ?? []).map((d) => [d.id, d.name]));
  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("conv.title")}</Typography.Title>
      </div>
      <ErrorAlert error={conversations.error} style={{ marginBottom: 12 }} />
      <Table<Conversation>
        rowKey="id"
        loading={conversations.loading}
        dataSource={conversations.data ?? []}
        locale={{ emptyText: t("conv.empty") }}
        scroll={{ x: "max-content" }}
        columns={[
          {
            title: t("common.name"),
            key: "title",
            render: (_: unknown, c) => <Link to={`/datasets/${c.dataset_id}/chat/${c.id}`}>{c.title || t("conv.untitled")}</Link>,
          },
          {
            title: t("conv.dataset"),
            key: "dataset",
            render: (_: unknown, c) => <Link to={`/datasets/${c.dataset_id}`}>{names.get(c.dataset_id) ?? c.dataset_id.slice(0, 8)}</Link>,
          },
          { title: t("common.updated"), key: "updated", responsive: ["sm"], render: (_: unknown, c) => formatDate(c.updated_at ?? c.created_at) },
        ]}
      />
    </>
  );
}
