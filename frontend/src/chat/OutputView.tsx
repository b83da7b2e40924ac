/** One output part of a code cell: text, stream, error, table, image, Plotly chart or file. */
import { FileOutlined } from "@ant-design/icons";
import { Alert, App, Button, Collapse, Table, Typography } from "antd";
import type { ErrorOutput, FileOutput, OutputPart, TableOutput } from "../api/types";
import { errorMessage } from "../common/ErrorAlert";
import { downloadFile } from "../common/download";
import { compareValues, formatBytes, formatValue } from "../common/format";
import { useI18n } from "../i18n/context";
import { imageSource, normalizeTable } from "./outputs";
import { PlotlyChart } from "./PlotlyChart";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

function TableView({ part }: { part: TableOutput }) {
  const { t } = useI18n();
  const table = normalizeTable(part);
  const rows = table.rows.map((row, i) => ({ ...row, __key: i }));
  const total = table.totalRows;
  const columns = table.columns.map((c) => ({
    key: c.name,
    dataIndex: c.name,
    title: (
      <span title={c.dtype}>
        {c.name}
      </span>
    ),
    sorter: (a: Record<string, unknown>, b: Record<string, unknown>) => compareValues(a[c.name], b[c.name]),
    render: (v: unknown) => (v === null || v === undefined ? <Typography.Text type="secondary">null</Typography.Text> : formatValue(v)),
    ellipsis: true,
  }));
  return (
    <div data-testid="output-table">
      <Table
        rowKey="__key"
        size="small"
        columns={columns}
        dataSource={rows}
        scroll={{ x: "max-content" }}
        pagination={rows.length > 10 ? { pageSize: 10, size: "small", showSizeChanger: false } : false}
      />
      {total > rows.length && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("chat.tableRows", { shown: rows.length.toLocaleString(), total: total.toLocaleString() })}
        </Typography.Text>
      )}
    </div>
  );
}

function ErrorView({ part }: { part: ErrorOutput }) {
  const { t } = useI18n();
  const traceback = Array.isArray(part.traceback) ? part.traceback.join("\n") : (part.traceback ?? "");
  return (
    <Alert
      type="error"
      showIcon
      data-testid="output-error"
      message={`${part.ename}: ${stripAnsi(part.evalue)}`}
      description={
        traceback ? (
          <Collapse
            ghost
            size="small"
            items={[
              {
                key: "tb",
                label: t("chat.traceback"),
                children: <pre className="stream-output">{stripAnsi(traceback)}</pre>,
              },
            ]}
          />
        ) : undefined
      }
    />
  );
}

function FileView({ part }: { part: FileOutput }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const label = `${part.name}${part.size !== undefined ? ` (${formatBytes(part.size)})` : ""}`;
  if (!part.url) {
    return (
      <Typography.Text>
        <FileOutlined /> {label}
      </Typography.Text>
    );
  }
  const url = part.url;
  const path = url.startsWith("/api/v1") ? url.slice("/api/v1".length) : url;
  return (
    <Button
      icon={<FileOutlined />}
      size="small"
      onClick={() => downloadFile(path, {}, part.name).catch((err: unknown) => message.error(errorMessage(err, t("common.error"))))}
    >
      {label}
    </Button>
  );
}

export function OutputView({ part }: { part: OutputPart }) {
  switch (part.type) {
    case "stream":
      return <pre className={`stream-output${part.name === "stderr" ? " stderr" : ""}`}>{stripAnsi(part.text)}</pre>;
    case "text":
      return <pre className="stream-output">{stripAnsi(part.text)}</pre>;
    case "error":
      return <ErrorView part={part} />;
    case "table":
      return <TableView part={part} />;
    case "image": {
      const src = imageSource(part);
      return src ? <img data-testid="output-image" alt="" src={src} style={{ maxWidth: "100%", height: "auto" }} /> : null;
    }
    case "plotly":
      return <PlotlyChart figure={part.figure} />;
    case "file":
      return <FileView part={part} />;
    default:
      return null;
  }
}
