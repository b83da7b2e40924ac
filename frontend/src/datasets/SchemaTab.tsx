/** The schema: each column's type, meaning, PII badge, key statistics and a small histogram. */
import { LockOutlined } from "@ant-design/icons";
import { Descriptions, Progress, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import type { ColumnStatistics, DatasetColumn, PiiFinding } from "../api/types";
import { formatCount, formatPercent, formatValue } from "../common/format";
import { useI18n } from "../i18n/context";
import { MiniHistogram } from "./MiniHistogram";

function stats(column: DatasetColumn): ColumnStatistics {
  return column.statistics as ColumnStatistics;
}

export function PiiBadge({ pii }: { pii: PiiFinding }) {
  const { t } = useI18n();
  const confidence = Math.round((pii.confidence ?? 1) * 100);
  return (
    <Tooltip title={t("schema.piiTitle", { kind: pii.kind, confidence })}>
      <Tag color="red" icon={<LockOutlined />} data-testid="pii-badge">
        {pii.kind}
      </Tag>
    </Tooltip>
  );
}

function ColumnDetail({ column }: { column: DatasetColumn }) {
  const { t } = useI18n();
  const s = stats(column);
  const top = s.top_values ?? [];
  const topMax = Math.max(1, ...top.map((v) => v.count));
  return (
    <div style={{ display: "flex", flexWrap: "wrap", gap: 24 }}>
      {s.histogram && s.histogram.counts.length > 0 && (
        <div>
          <Typography.Text strong>{t("schema.distribution")}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            <MiniHistogram histogram={s.histogram} width={280} height={90} />
            <div style={{ display: "flex", justifyContent: "space-between", width: 280, fontSize: 11, color: "#888" }}>
              <span>{formatValue(s.histogram.edges[0])}</span>
              <span>{formatValue(s.histogram.edges[s.histogram.edges.length - 1])}</span>
            </div>
          </div>
        </div>
      )}
      {s.quantiles && Object.keys(s.quantiles).length > 0 && (
        <Descriptions size="small" column={1} title={t("schema.quantiles")} style={{ minWidth: 160 }}>
          {Object.entries(s.quantiles).map(([q, v]) => (
            <Descriptions.Item key={q} label={q}>
              {formatValue(v)}
            </Descriptions.Item>
          ))}
          {s.std !== undefined && s.std !== null && (
            <Descriptions.Item label={t("schema.std")}>{formatValue(s.std)}</Descriptions.Item>
          )}
        </Descriptions>
      )}
      {top.length > 0 && (
        <div style={{ minWidth: 220, maxWidth: 360 }}>
          <Typography.Text strong>{t("schema.topValues")}</Typography.Text>
          {top.slice(0, 8).map((v, i) => (
            <div key={i} style={{ display: "flex", alignItems: "center", gap: 8, fontSize: 12 }}>
              <Typography.Text ellipsis style={{ width: 120 }}>
                {formatValue(v.value)}
              </Typography.Text>
              <Progress percent={(v.count / topMax) * 100} showInfo={false} size="small" style={{ flex: 1, margin: 0 }} />
              <span style={{ width: 56, textAlign: "right" }}>{v.count.toLocaleString()}</span>
            </div>
          ))}
        </div>
      )}
      {column.sample_values.length > 0 && (
        <div style={{ maxWidth: 360 }}>
          <Typography.Text strong>{t("schema.sampleValues")}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            {column.sample_values.slice(0, 8).map((v, i) => (
              <Tag key={i} style={{ marginBottom: 4 }}>
                {formatValue(v)}
              </Tag>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

export function SchemaTab({ columns }: { columns: DatasetColumn[] }) {
  const { t } = useI18n();
  const tableColumns: TableProps<DatasetColumn>["columns"] = [
    {
      title: t("schema.column"),
      dataIndex: "name",
      key: "name",
      fixed: "left",
      render: (name: string, c) => (
        <Space size={4} wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {c.pii && <PiiBadge pii={c.pii as PiiFinding} />}
        </Space>
      ),
    },
    {
      title: t("schema.type"),
      dataIndex: "data_type",
      key: "type",
      render: (v: string | null) => <Tag color="geekblue">{v ?? "?"}</Tag>,
    },
    {
      title: t("schema.semantic"),
      dataIndex: "semantic_type",
      key: "semantic",
      responsive: ["sm"],
      render: (v: string | null) => (v ? <Tag color="purple">{v}</Tag> : <Typography.Text type="secondary">–</Typography.Text>),
    },
    {
      title: t("schema.nulls"),
      key: "nulls",
      align: "right",
      responsive: ["md"],
      render: (_: unknown, c) => formatPercent(stats(c).null_share),
    },
    {
      title: t("schema.distinct"),
      key: "distinct",
      align: "right",
      responsive: ["md"],
      render: (_: unknown, c) => formatCount(stats(c).distinct_count),
    },
    {
      title: t("schema.range"),
      key: "range",
      responsive: ["lg"],
      render: (_: unknown, c) => {
        const s = stats(c);
        if (s.min === undefined || s.min === null) return "–";
        return (
          <Typography.Text ellipsis style={{ maxWidth: 220 }}>
            {formatValue(s.min)} – {formatValue(s.max)}
          </Typography.Text>
        );
      },
    },
    {
      title: t("schema.mean"),
      key: "mean",
      align: "right",
      responsive: ["lg"],
      render: (_: unknown, c) => formatValue(stats(c).mean ?? null).replace("null", "–"),
    },
    {
      title: t("schema.distribution"),
      key: "hist",
      responsive: ["sm"],
      render: (_: unknown, c) => {
        const h = stats(c).histogram;
        return h && h.counts.length > 0 ? <MiniHistogram histogram={h} /> : null;
      },
    },
  ];
  return (
    <Table<DatasetColumn>
      rowKey="name"
      size="small"
      data-testid="schema-table"
      columns={tableColumns}
      dataSource={columns}
      pagination={columns.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: "max-content" }}
      expandable={{ expandedRowRender: (c) => <ColumnDetail column={c} /> }}
    />
  );
}
