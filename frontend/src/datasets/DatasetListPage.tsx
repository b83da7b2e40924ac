/** The datasets list: search, scope and status filters, sorting, paging, and the upload panel. */
import { Input, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset, DatasetScope, DatasetStatus, Page } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatBytes, formatCount, formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { StatusTag } from "./StatusTag";
import { UploadPanel } from "./UploadPanel";

const SCOPES: DatasetScope[] = ["all", "mine", "shared", "team", "public"];
const SORT_FIELDS: Record<string, string> = { name: "name", created_at: "created_at", file_size: "size", row_count: "rows" };

export function DatasetListPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const scope = (params.get("scope") as DatasetScope | null) ?? "all";
  const q = params.get("q") ?? "";
  const status = (params.get("status") as DatasetStatus | null) ?? undefined;
  const sort = params.get("sort") ?? "-created_at";
  const page = Number(params.get("page") ?? "1");
  const pageSize = Number(params.get("size") ?? "20");
  const [search, setSearch] = useState(q);

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };

  const list = useLoader(
    (signal) =>
      api.get<Page<Dataset>>(
        "/datasets",
        { scope, q, status, sort, limit: pageSize, offset: (page - 1) * pageSize },
        signal,
      ),
    [scope, q, status, sort, page, pageSize],
  );

  const anyProcessing = list.data?.items.some((d) => d.status === "processing") ?? false;
  const { reload } = list;
  useEffect(() => {
    if (!anyProcessing) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [anyProcessing, reload]);

  const sortOrder = (field: string) => {
    const key = SORT_FIELDS[field];
    if (sort === key) return "ascend" as const;
    if (sort === `-${key}`) return "descend" as const;
    return null;
  };

  const columns: TableProps<Dataset>["columns"] = [
    {
      title: t("datasets.col.name"),
      dataIndex: "name",
      key: "name",
      sorter: true,
      sortOrder: sortOrder("name"),
      render: (_: unknown, d: Dataset) => (
        <div style={{ minWidth: 140 }}>
          <Link to={`/datasets/${d.id}`} data-testid="dataset-link">
            {d.name}
          </Link>
          {d.is_public && (
            <Tag color="blue" style={{ marginLeft: 6 }}>
              {t("dataset.public")}
            </Tag>
          )}
          {d.description && (
            <Typography.Paragraph type="secondary" ellipsis style={{ margin: 0, fontSize: 12, maxWidth: 360 }}>
              {d.description}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    {
      title: t("datasets.col.status"),
      key: "status",
      render: (_: unknown, d: Dataset) => <StatusTag dataset={d} />,
    },
    {
      title: t("datasets.col.rows"),
      dataIndex: "row_count",
      key: "row_count",
      sorter: true,
      sortOrder: sortOrder("row_count"),
      align: "right",
      responsive: ["sm"],
      render: (v: number | null) => formatCount(v),
    },
    {
      title: t("datasets.col.columns"),
      dataIndex: "column_count",
      key: "column_count",
      align: "right",
      responsive: ["md"],
      render: (v: number | null) => formatCount(v),
    },
    {
      title: t("datasets.col.size"),
      dataIndex: "file_size",
      key: "file_size",
      sorter: true,
      sortOrder: sortOrder("file_size"),
      align: "right",
      responsive: ["md"],
      render: (v: number | null) => formatBytes(v),
    },
    {
      title: t("datasets.col.access"),
      dataIndex: "my_access",
      key: "my_access",
      responsive: ["lg"],
      render: (v: Dataset["my_access"]) => <Tag>{t(`datasets.access.${v}`)}</Tag>,
    },
    {
      title: t("datasets.col.created"),
      dataIndex: "created_at",
      key: "created_at",
      sorter: true,
      sortOrder: sortOrder("created_at"),
      responsive: ["lg"],
      render: (v: string) => formatDate(v),
    },
  ];

  const onTableChange: TableProps<Dataset>["onChange"] = (pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.columnKey ? SORT_FIELDS[String(s.columnKey)] : undefined;
    const nextSort = field && s?.order ? `${s.order === "descend" ? "-" : ""}${field}` : "-created_at";
    setParam({
      page: String(pagination.current ?? 1),
      size: String(pagination.pageSize ?? 20),
      sort: nextSort === "-created_at" ? undefined : nextSort,
    });
  };

  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("datasets.title")}</Typography.Title>
      </div>
      <UploadPanel onChanged={list.reload} />
      <div className="filters">
        <Input.Search
          allowClear
          placeholder={t("datasets.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => setParam({ q: value.trim() || undefined, page: undefined })}
          style={{ maxWidth: 280 }}
          data-testid="dataset-search"
        />
        <Segmented<DatasetScope>
          value={scope}
          onChange={(value) => setParam({ scope: value === "all" ? undefined : value, page: undefined })}
          options={SCOPES.map((s) => ({ value: s, label: t(`datasets.scope.${s}`) }))}
          style={{ maxWidth: "100%", overflowX: "auto" }}
          data-testid="dataset-scope"
        />
        <Select<DatasetStatus | "">
          value={status ?? ""}
          style={{ width: 140 }}
          onChange={(value) => setParam({ status: value || undefined, page: undefined })}
          options={[
            { value: "", label: t("datasets.status.any") },
            { value: "ready", label: t("datasets.status.ready") },
            { value: "processing", label: t("datasets.status.processing") },
            { value: "failed", label: t("datasets.status.failed") },
          ]}
        />
      </div>
      <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />
      <Space direction="vertical" style={{ width: "100%" }}>
        <Table<Dataset>
          rowKey="id"
          size="middle"
          data-testid="dataset-table"
          loading={list.loading && !list.data}
          columns={columns}
          dataSource={list.data?.items ?? []}
          onChange={onTableChange}
          locale={{ emptyText: t("datasets.empty") }}
          scroll={{ x: "max-content" }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t("datasets.total", { total }),
          }}
        />
      </Space>
    </>
  );
}
