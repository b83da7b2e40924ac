/** My reports: title, dataset, dates, paged; delete with confirmation. */
import { DeleteOutlined } from "@ant-design/icons";
import { App, Button, Popconfirm, Table, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { Link, useSearchParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset, Page, ReportSummary } from "../api/types";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { deleteReport, listReports } from "./reportsApi";

export function ReportsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get("page") ?? "1");
  const pageSize = Number(params.get("size") ?? "20");
  const list = useLoader((signal) => listReports(api, pageSize, (page - 1) * pageSize, signal), [page, pageSize]);
  const datasets = useLoader((signal) => api.get<Page<Dataset>>("/datasets", { limit: 200 }, signal), []);
  const names = new Map((datasets.data?.items ?? []).map((d) => [d.id, d.name]));

  const remove = async (report: ReportSummary) => {
    try {
      await deleteReport(api, report.id);
      void message.success(t("reports.deleted"));
      list.reload();
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  const columns: TableProps<ReportSummary>["columns"] = [
    {
      title: t("reports.col.title"),
      key: "title",
      render: (_: unknown, r) => (
        <div style={{ minWidth: 160 }}>
          <Link to={`/reports/${r.id}`} data-testid="report-link">
            {r.title || t("reports.untitled")}
          </Link>
          {r.is_public && (
            <Tag color="blue" style={{ marginLeft: 6 }}>
              {t("dataset.public")}
            </Tag>
          )}
        </div>
      ),
    },
    {
      title: t("conv.dataset"),
      key: "dataset",
      responsive: ["sm"],
      render: (_: unknown, r) =>
        r.dataset_id ? <Link to={`/datasets/${r.dataset_id}`}>{names.get(r.dataset_id) ?? r.dataset_id.slice(0, 8)}</Link> : "–",
    },
    { title: t("common.created"), key: "created", responsive: ["md"], render: (_: unknown, r) => formatDate(r.created_at) },
    { title: t("reports.col.updated"), key: "updated", responsive: ["lg"], render: (_: unknown, r) => formatDate(r.updated_at) },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, r) => (
        <Popconfirm
          title={t("reports.deleteConfirm")}
          okText={t("common.delete")}
          okButtonProps={{ danger: true }}
          cancelText={t("common.cancel")}
          onConfirm={() => remove(r)}
        >
          <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("reports.title")}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t("reports.hint")}</Typography.Paragraph>
      <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />
      <Table<ReportSummary>
        rowKey="id"
        data-testid="report-table"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t("reports.empty") }}
        scroll={{ x: "max-content" }}
        onChange={(pagination) => {
          const next = new URLSearchParams(params);
          next.set("page", String(pagination.current ?? 1));
          next.set("size", String(pagination.pageSize ?? 20));
          setParams(next, { replace: true });
        }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t("datasets.total", { total }),
        }}
      />
    </>
  );
}
