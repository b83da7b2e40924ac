/** One dataset: header facts and actions, ingest progress, schema / preview / versions tabs. */
import {
  ArrowLeftOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  MessageOutlined,
  ProfileOutlined,
  ShareAltOutlined,
} from "@ant-design/icons";
import { Alert, App, Button, Card, Dropdown, Progress, Space, Spin, Statistic, Tabs, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api } from "../api/instance";
import type { DatasetDetail } from "../api/types";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { downloadFile } from "../common/download";
import { formatBytes, formatCount } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { EditDialog } from "./EditDialog";
import { PreviewTab } from "./PreviewTab";
import { SchemaTab } from "./SchemaTab";
import { ShareDialog } from "./ShareDialog";
import { StatusTag } from "./StatusTag";
import { VersionsTab } from "./VersionsTab";

export function DatasetDetailPage() {
  const { datasetId = "" } = useParams();
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [shareOpen, setShareOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const [query] = useSearchParams();
  const [tab, setTab] = useState(query.get("tab") ?? "schema");
  const detail = useLoader((signal) => api.get<DatasetDetail>(`/datasets/${datasetId}`, undefined, signal), [datasetId]);
  const dataset = detail.data;
  const processing = dataset?.status === "processing";
  const { reload } = detail;

  useEffect(() => {
    if (!processing) return;
    const timer = setInterval(reload, 1000);
    return () => clearInterval(timer);
  }, [processing, reload]);

  if (!dataset) {
    return detail.error ? <ErrorAlert error={detail.error} /> : <Spin style={{ display: "block", margin: 48 }} />;
  }

  const canEdit = dataset.my_access !== "read";
  const canManage = dataset.my_access === "manage";
  const profile = (dataset.metadata.profile ?? {}) as { duplicate_rows?: number | null };

  const download = (format: string) => {
    downloadFile(`/datasets/${dataset.id}/download`, { format }, `${dataset.name}.${format}`).catch((err: unknown) =>
      message.error(errorMessage(err, t("common.error"))),
    );
  };

  const confirmDelete = () => {
    modal.confirm({
      title: t("dataset.deleteConfirm", { name: dataset.name }),
      content: t("dataset.deleteWarning"),
      okText: t("common.delete"),
      okButtonProps: { danger: true, id: "confirm-delete" },
      cancelText: t("common.cancel"),
      onOk: async () => {
        await api.delete(`/datasets/${dataset.id}`);
        void message.success(t("dataset.deleted"));
        navigate("/datasets");
      },
    });
  };

  return (
    <>
      <Link to="/datasets">
        <ArrowLeftOutlined /> {t("nav.datasets")}
      </Link>
      <div className="page-title-row" style={{ marginTop: 8 }}>
        <Space wrap align="center">
          <Typography.Title level={3} data-testid="dataset-name">
            {dataset.name}
          </Typography.Title>
          <StatusTag dataset={dataset} />
          {dataset.is_public && <Tag color="blue">{t("dataset.public")}</Tag>}
          {dataset.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
        <Space wrap>
          <Button
            type="primary"
            icon={<MessageOutlined />}
            disabled={dataset.status !== "ready"}
            onClick={() => navigate(`/datasets/${dataset.id}/chat`)}
            data-testid="open-chat"
          >
            {t("dataset.chat")}
          </Button>
          <Button
            icon={<ProfileOutlined />}
            disabled={dataset.status !== "ready"}
            onClick={() => navigate(`/tasks/new?dataset=${dataset.id}`)}
            data-testid="run-task"
          >
            {t("dataset.runTask")}
          </Button>
          <Dropdown
            disabled={dataset.status !== "ready"}
            menu={{
              items: ["csv", "parquet", "xlsx"].map((f) => ({ key: f, label: f.toUpperCase() })),
              onClick: ({ key }) => download(key),
            }}
          >
            <Button icon={<DownloadOutlined />}>{t("dataset.download")}</Button>
          </Dropdown>
          {canManage && (
            <Button icon={<ShareAltOutlined />} onClick={() => setShareOpen(true)} data-testid="open-share">
              {t("dataset.share")}
            </Button>
          )}
          {canEdit && (
            <Button icon={<EditOutlined />} onClick={() => setEditOpen(true)} aria-label={t("dataset.edit")} />
          )}
          {canManage && (
            <Button danger icon={<DeleteOutlined />} onClick={confirmDelete} aria-label={t("dataset.delete")} data-testid="delete-dataset" />
          )}
        </Space>
      </div>
      {dataset.description && <Typography.Paragraph type="secondary">{dataset.description}</Typography.Paragraph>}
      {processing && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Typography.Text>{dataset.status_message ?? t("dataset.processing")}</Typography.Text>
          <Progress percent={dataset.progress} status="active" />
        </Card>
      )}
      {dataset.status === "failed" && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("dataset.failed")} description={dataset.error} />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space size={32} wrap>
          <Statistic title={t("dataset.rows")} value={formatCount(dataset.row_count)} />
          <Statistic title={t("dataset.columns")} value={formatCount(dataset.column_count)} />
          <Statistic title={t("dataset.size")} value={formatBytes(dataset.file_size)} />
          <Statistic title={t("dataset.type")} value={dataset.file_type ?? "–"} />
          <Statistic title={t("dataset.version")} value={dataset.current_version ? `v${dataset.current_version.number}` : "–"} />
          {profile.duplicate_rows !== undefined && profile.duplicate_rows !== null && (
            <Statistic title={t("dataset.duplicates")} value={formatCount(profile.duplicate_rows)} />
          )}
        </Space>
      </Card>
      {dataset.status === "ready" && (
        <Card size="small">
          <Tabs
            activeKey={tab}
            onChange={setTab}
            destroyOnHidden
            items={[
              { key: "schema", label: t("dataset.tab.schema"), children: <SchemaTab columns={dataset.columns} /> },
              {
                key: "preview",
                label: <span data-testid="tab-preview">{t("dataset.tab.preview")}</span>,
                children: <PreviewTab datasetId={dataset.id} canUnmask={canManage} />,
              },
              {
                key: "versions",
                label: <span data-testid="tab-versions">{t("dataset.tab.versions")}</span>,
                children: <VersionsTab datasetId={dataset.id} refreshKey={dataset.current_version?.id ?? ""} />,
              },
            ]}
          />
        </Card>
      )}
      <ShareDialog dataset={dataset} open={shareOpen} onClose={() => setShareOpen(false)} onChanged={reload} />
      <EditDialog
        dataset={dataset}
        open={editOpen}
        onClose={() => setEditOpen(false)}
        onSaved={() => {
          void message.success(t("dataset.saved"));
          reload();
        }}
      />
    </>
  );
}
