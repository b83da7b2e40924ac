/** A code cell: collapsible highlighted code with copy, edit and re-run, then its outputs. */
import {
  CaretDownOutlined,
  CaretRightOutlined,
  CopyOutlined,
  EditOutlined,
  LoadingOutlined,
  PlayCircleOutlined,
} from "@ant-design/icons";
import { App, Button, Input, Space, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { api } from "../api/instance";
import type { CellStatus, CodeCell, ExecuteResult } from "../api/types";
import { errorMessage } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";
import { useChatActions } from "./chatContext";
import { CodeBlock } from "./CodeBlock";
import { OutputView } from "./OutputView";

const STATUS_COLOR: Record<CellStatus, string> = {
  ok: "success",
  error: "error",
  timeout: "warning",
  rejected: "magenta",
  killed: "warning",
  cached: "cyan",
  running: "processing",
};

interface Props {
  cell: CodeCell;
  /** "Step n" label; omitted for code the user ran. */
  step?: number;
  defaultOpen?: boolean;
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CodeCellView({ cell, step, defaultOpen = false }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { conversationId, onExecuted, busy } = useChatActions();
  const [open, setOpen] = useState(defaultOpen);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(cell.code);
  const [running, setRunning] = useState(false);

  const shown = cell;
  const status: CellStatus = cell.status;
  const code = cell.code;

  const run = async () => {
    setRunning(true);
    try {
      const result = await api.post<ExecuteResult>(`/conversations/${conversationId}/execute`, { code: draft });
      setEditing(false);
      onExecuted(result.message);
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="code-cell" data-testid="code-cell" data-status={status}>
      <div className="code-cell-head">
        <Button
          type="text"
          size="small"
          icon={open ? <CaretDownOutlined /> : <CaretRightOutlined />}
          onClick={() => setOpen(!open)}
          data-testid="toggle-code"
        >
          {step !== undefined ? t("chat.step", { n: step }) : t("chat.youRan")}
        </Button>
        <Tag color={STATUS_COLOR[status]} icon={status === "running" ? <LoadingOutlined /> : undefined}>
          {t(`chat.status.${status}`)}
        </Tag>
        {shown.duration_ms !== undefined && shown.duration_ms !== null && status !== "running" && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {shown.duration_ms < 1000 ? `${Math.round(shown.duration_ms)} ms` : `${(shown.duration_ms / 1000).toFixed(1)} s`}
          </Typography.Text>
        )}
        <div style={{ flex: 1 }} />
        <Space size={0}>
          <Tooltip title={t("common.copy")}>
            <Button
              type="text"
              size="small"
              icon={<CopyOutlined />}
              aria-label={t("common.copy")}
              onClick={() =>
                copyText(code).then(
                  () => message.success(t("common.copied")),
                  (err: unknown) => message.error(errorMessage(err, t("common.error"))),
                )
              }
            />
          </Tooltip>
          {cell.status !== "running" && !busy && (
            <Tooltip title={t("chat.editCode")}>
              <Button
                type="text"
                size="small"
                icon={<EditOutlined />}
                aria-label={t("chat.editCode")}
                data-testid="edit-code"
                onClick={() => {
                  setDraft(code);
                  setEditing(true);
                  setOpen(true);
                }}
              />
            </Tooltip>
          )}
        </Space>
      </div>
      {open &&
        (editing ? (
          <div>
            <Input.TextArea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 24 }}
              spellCheck={false}
              style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 12.5 }}
              data-testid="code-editor"
            />
            <Space style={{ marginTop: 6 }}>
              <Button type="primary" size="small" icon={<PlayCircleOutlined />} loading={running} onClick={() => void run()} data-testid="rerun-code">
                {running ? t("chat.rerunning") : t("chat.rerun")}
              </Button>
              <Button size="small" onClick={() => setEditing(false)} disabled={running}>
                {t("common.cancel")}
              </Button>
            </Space>
          </div>
        ) : (
          <CodeBlock code={code} />
        ))}
      {shown.outputs.length > 0 && (
        <div className="code-cell-outputs" data-testid="cell-outputs">
          {shown.outputs.map((part, i) => (
            <OutputView key={i} part={part} />
          ))}
        </div>
      )}
    </div>
  );
}
