/** One report: its blocks; for the author, edit title and text blocks; export; delete. */
import { ArrowLeftOutlined, CheckOutlined, DeleteOutlined, DownloadOutlined, EditOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Dropdown, Input, Space, Spin, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset, Report, ReportBlock, ReportExportFormat, Task } from "../api/types";
import { useAuth } from "../auth/context";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { saveResponse } from "../common/download";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { progressPercent } from "../tasks/taskStatus";
import { insertTextBlock, removeBlock, retitle, setBlockText, titleHeadingIndex } from "./blocks";
import { ReportBlockView } from "./ReportBlockView";
import { deleteReport, fetchExport, getReport, updateReport } from "./reportsApi";

const FORMATS: { key: ReportExportFormat; label: string }[] = [
  { key: "md", label: "Markdown (.md)" },
  { key: "html", label: "HTML (.html)" },
  { key: "pdf", label: "PDF (.pdf)" },
  { key: "ipynb", label: "Notebook (.ipynb)" },
];

function TitleEditor({ title, onSave, onCancel }: { title: string; onSave: (t: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState(title);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!value.trim()) return;
    setSaving(true);
    try {
      await onSave(value.trim());
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space.Compact style={{ width: "100%", maxWidth: 640 }}>
      <Input value={value} onChange={(e) => setValue(e.target.value)} onPressEnter={() => void save()} maxLength={500} data-testid="title-input" />
      <Button type="primary" onClick={() => void save()} loading={saving} data-testid="title-save">
        {t("common.save")}
      </Button>
      <Button onClick={onCancel}>{t("common.cancel")}</Button>
    </Space.Compact>
  );
}

export function ReportPage() {
  const { reportId = "" } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const loaded = useLoader((signal) => getReport(api, reportId, signal), [reportId]);
  const datasetId = loaded.data?.dataset_id ?? null;
  const dataset = useLoader(
    (signal) => (datasetId ? api.get<Dataset>(`/datasets/${datasetId}`, undefined, signal) : Promise.resolve(undefined)),
    [datasetId],
  );
  const [editing, setEditing] = useState(false);
  const [editingTitle, setEditingTitle] = useState(false);
  const [exporting, setExporting] = useState<{ format: ReportExportFormat; task: Task | null } | null>(null);
  const report = loaded.data;

  if (!report) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spin style={{ display: "block", margin: 48 }} />;
  const canEdit = user?.id === report.user_id;
  const title = report.title || t("reports.untitled");

  const save = async (changes: { title?: string; blocks?: ReportBlock[] }) => {
    try {
      loaded.setData((await updateReport(api, report.id, changes)) as Report);
      void message.success(t("reports.saved"));
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
      throw err;
    }
  };
  const saveBlocks = (blocks: ReportBlock[]) => save({ blocks });
  const saveTitle = async (next: string) => {
    await save({ title: next, blocks: retitle(report.blocks, next) });
    setEditingTitle(false);
  };

  const exportAs = async (format: ReportExportFormat) => {
    setExporting({ format, task: null });
    try {
      const response = await fetchExport(api, report.id, format, (task) => setExporting({ format, task }));
      await saveResponse(response, `report.${format}`);
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    } finally {
      setExporting(null);
    }
  };

  const confirmDelete = () =>
    modal.confirm({
      title: t("reports.deleteConfirm"),
      content: title,
      okText: t("common.delete"),
      okButtonProps: { danger: true, id: "confirm-delete-report" },
      cancelText: t("common.cancel"),
      onOk: async () => {
        await deleteReport(api, report.id);
        void message.success(t("reports.deleted"));
        navigate("/reports");
      },
    });

  const hidden = titleHeadingIndex(report.blocks);
  return (
    <>
      <Link to="/reports">
        <ArrowLeftOutlined /> {t("reports.title")}
      </Link>
      <div className="page-title-row" style={{ marginTop: 8 }}>
        {editingTitle ? (
          <TitleEditor title={report.title ?? ""} onSave={saveTitle} onCancel={() => setEditingTitle(false)} />
        ) : (
          <Space align="center" style={{ minWidth: 0 }}>
            <Typography.Title level={3} data-testid="report-title" style={{ wordBreak: "break-word" }}>
              {title}
            </Typography.Title>
            {editing && (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditingTitle(true)} aria-label={t("reports.editTitle")} data-testid="edit-title" />
            )}
          </Space>
        )}
        <Space wrap>
          {canEdit && (
            <Button
              icon={editing ? <CheckOutlined /> : <EditOutlined />}
              type={editing ? "primary" : "default"}
              onClick={() => {
                setEditing(!editing);
                setEditingTitle(false);
              }}
              data-testid="toggle-edit"
            >
              {editing ? t("reports.doneEditing") : t("common.edit")}
            </Button>
          )}
          <Dropdown
            trigger={["click"]}
            disabled={exporting !== null}
            menu={{
              items: FORMATS.map((f) => ({ key: f.key, label: <span data-testid={`export-${f.key}`}>{f.label}</span> })),
              onClick: ({ key }) => void exportAs(key as ReportExportFormat),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting !== null} data-testid="export-report">
              {t("reports.export")}
            </Button>
          </Dropdown>
          {canEdit && <Button danger icon={<DeleteOutlined />} onClick={confirmDelete} aria-label={t("common.delete")} data-testid="delete-report" />}
        </Space>
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {report.dataset_id && (
          <>
            {t("conv.dataset")}: <Link to={`/datasets/${report.dataset_id}`}>{dataset.data?.name ?? report.dataset_id.slice(0, 8)}</Link>
            {report.conversation_id && (
              <>
                {" · "}
                <Link to={`/datasets/${report.dataset_id}/chat/${report.conversation_id}`}>{t("reports.openConversation")}</Link>
              </>
            )}
            {" · "}
          </>
        )}
        {t("common.created")} {formatDate(report.created_at)} · {t("reports.col.updated")} {formatDate(report.updated_at)}
      </Typography.Paragraph>
      {exporting?.task && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="export-progress"
          message={t("reports.rendering", { percent: progressPercent(exporting.task) })}
          action={<Link to={`/tasks/${exporting.task.id}`}>{t("reports.openTask")}</Link>}
        />
      )}
      <Card className="report-page" data-testid="report-view">
        {report.blocks.map((block, index) =>
          index === hidden ? null : (
            <ReportBlockView
              key={`${index}:${block.type}`}
              block={block}
              editing={editing}
              onSaveText={(text) => saveBlocks(setBlockText(report.blocks, index, text))}
              onRemove={() => void saveBlocks(removeBlock(report.blocks, index)).catch(() => undefined)}
              onAddBelow={() => void saveBlocks(insertTextBlock(report.blocks, index, t("reports.newText"))).catch(() => undefined)}
            />
          ),
        )}
        {report.blocks.length <= (hidden >= 0 ? 1 : 0) && <Typography.Text type="secondary">{t("reports.noBlocks")}</Typography.Text>}
      </Card>
    </>
  );
}
