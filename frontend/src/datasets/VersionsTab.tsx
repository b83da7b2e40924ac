/** The dataset's versions, newest first, with the operation and lineage that made each. */
import { Popover, Table, Tag, Typography } from "antd";
import { api } from "../api/instance";
import type { DatasetVersion } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatBytes, formatCount, formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";

export function VersionsTab({ datasetId, refreshKey }: { datasetId: string; refreshKey: string }) {
  const { t } = useI18n();
  const versions = useLoader((signal) => api.get<DatasetVersion[]>(`/datasets/${datasetId}/versions`, undefined, signal), [datasetId, refreshKey]);
  const list = [...(versions.data ?? [])].sort((a, b) => b.number - a.number);
  const numberOf = new Map(list.map((v) => [v.id, v.number]));
  const latest = list[0]?.number;
  return (
    <>
      <ErrorAlert error={versions.error} />
      <Table<DatasetVersion>
        rowKey="id"
        size="small"
        data-testid="versions-table"
        loading={versions.loading}
        dataSource={list}
        pagination={false}
        scroll={{ x: "max-content" }}
        columns={[
          {
            title: t("versions.number"),
            dataIndex: "number",
            render: (n: number) => (
              <>
                v{n} {n === latest && <Tag color="green">{t("versions.current")}</Tag>}
              </>
            ),
          },
          { title: t("versions.operation"), dataIndex: "operation", render: (op: string) => <Tag>{op}</Tag> },
          {
            title: t("versions.shape"),
            key: "shape",
            render: (_: unknown, v) => `${formatCount(v.row_count)} × ${formatCount(v.column_count)}`,
          },
          { title: t("datasets.col.size"), dataIndex: "size_bytes", responsive: ["md"], render: (b: number) => formatBytes(b) },
          {
            title: t("versions.parent"),
            dataIndex: "parent_id",
            render: (id: string | null) => (id && numberOf.has(id) ? `v${numberOf.get(id)}` : "–"),
          },
          {
            title: t("versions.hash"),
            dataIndex: "content_hash",
            responsive: ["lg"],
            render: (h: string) => (
              <Typography.Text code copyable={{ text: h }}>
                {h.slice(0, 12)}
              </Typography.Text>
            ),
          },
          {
            title: t("versions.lineage"),
            dataIndex: "lineage",
            responsive: ["md"],
            render: (lineage: Record<string, unknown>) =>
              Object.keys(lineage).length === 0 ? (
                "–"
              ) : (
                <Popover
                  content={<pre className="code-block" style={{ maxWidth: 480, maxHeight: 320 }}>{JSON.stringify(lineage, null, 2)}</pre>}
                >
                  <Typography.Link>{Object.keys(lineage).slice(0, 3).join(", ")}</Typography.Link>
                </Popover>
              ),
          },
          { title: t("common.created"), dataIndex: "created_at", render: (d: string) => formatDate(d) },
        ]}
      />
    </>
  );
}
