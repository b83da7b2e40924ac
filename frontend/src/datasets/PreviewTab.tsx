/** A paged preview of the rows, with PII columns masked (owners may reveal them). */
import { LockOutlined } from "@ant-design/icons";
import { Alert, Space, Switch, Table, Typography } from "antd";
import { useState } from "react";
import { api } from "../api/instance";
import type { DatasetSample } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatValue } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";

export function PreviewTab({ datasetId, canUnmask }: { datasetId: string; canUnmask: boolean }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [unmask, setUnmask] = useState(false);
  const sample = useLoader(
    (signal) =>
      api.get<DatasetSample>(
        `/datasets/${datasetId}/sample`,
        { n: pageSize, offset: (page - 1) * pageSize, unmask: unmask || undefined },
        signal,
      ),
    [datasetId, page, pageSize, unmask],
  );
  const data = sample.data;
  const masked = new Set(data?.masked_columns ?? []);
  const rows = (data?.rows ?? []).map((row, i) => ({ ...row, __key: (page - 1) * pageSize + i }));
  const columns = (data?.columns ?? []).map((c) => ({
    key: c.name,
    dataIndex: c.name,
    title: (
      <Space size={4}>
        {masked.has(c.name ?? "") && <LockOutlined style={{ color: "#cf1322" }} />}
        <span>{c.name}</span>
        <Typography.Text type="secondary" style={{ fontSize: 11 }}>
          {c.type}
        </Typography.Text>
      </Space>
    ),
    render: (v: unknown) =>
      v === null || v === undefined ? <Typography.Text type="secondary" italic>null</Typography.Text> : formatValue(v),
    ellipsis: true,
  }));

  return (
    <>
      {masked.size > 0 && (
        <Alert
          type="info"
          showIcon
          icon={<LockOutlined />}
          style={{ marginBottom: 12 }}
          data-testid="masked-notice"
          message={t("preview.masked", { columns: [...masked].join(", ") })}
          action={
            canUnmask ? (
              <Space>
                <span>{t("preview.unmask")}</span>
                <Switch size="small" checked={unmask} onChange={setUnmask} />
              </Space>
            ) : undefined
          }
        />
      )}
      <ErrorAlert error={sample.error} style={{ marginBottom: 12 }} />
      <Table
        rowKey="__key"
        size="small"
        data-testid="preview-table"
        loading={sample.loading}
        columns={columns}
        dataSource={rows}
        scroll={{ x: "max-content" }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total_rows ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total, [from, to]) => t("preview.rows", { from, to, total: total.toLocaleString() }),
          onChange: (p, size) => {
            setPage(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
      />
    </>
  );
}
