/** One report block (heading, Markdown, table, chart, code), with its edit controls in edit mode. */
import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Input, Space, Tooltip, Typography } from "antd";
import { useState } from "react";
import type { ReportBlock } from "../api/types";
import { CodeBlock } from "../chat/CodeBlock";
import { OutputView } from "../chat/OutputView";
import { RichText } from "../chat/RichText";
import { useI18n } from "../i18n/context";
import { blockOutput, isTextBlock } from "./blocks";

function BlockContent({ block }: { block: ReportBlock }) {
  switch (block.type) {
    case "heading": {
      const level = Math.min(Math.max(block.level, 1), 3) + 2;
      return (
        <Typography.Title level={level as 3 | 4 | 5} style={{ marginTop: 8 }}>
          {block.text}
        </Typography.Title>
      );
    }
    case "markdown":
      return <RichText text={block.text} />;
    case "code":
      return block.language === "python" ? <CodeBlock code={block.code} /> : <pre className="stream-output">{block.code}</pre>;
    case "table":
    case "figure": {
      const part = blockOutput(block);
      return part ? (
        <figure className="report-figure">
          <OutputView part={part} />
          {block.type === "figure" && block.caption && <figcaption>{block.caption}</figcaption>}
        </figure>
      ) : null;
    }
  }
}

interface Props {
  block: ReportBlock;
  editing: boolean;
  onSaveText: (text: string) => Promise<void>;
  onRemove: () => void;
  onAddBelow: () => void;
}

export function ReportBlockView({ block, editing, onSaveText, onRemove, onAddBelow }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    try {
      await onSaveText(draft);
      setDraft(null);
    } finally {
      setSaving(false);
    }
  };

  if (draft !== null) {
    return (
      <div className="report-block editing" data-testid="report-block" data-type={block.type}>
        <Input.TextArea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          autoSize={{ minRows: block.type === "heading" ? 1 : 3, maxRows: 20 }}
          data-testid="block-editor"
          autoFocus
        />
        <Space style={{ marginTop: 8 }}>
          <Button type="primary" size="small" onClick={() => void save()} loading={saving} data-testid="block-save">
            {t("common.save")}
          </Button>
          <Button size="small" onClick={() => setDraft(null)}>
            {t("common.cancel")}
          </Button>
        </Space>
      </div>
    );
  }

  return (
    <div className={`report-block${editing ? " editable" : ""}`} data-testid="report-block" data-type={block.type}>
      {editing && (
        <div className="report-block-tools">
          {isTextBlock(block) && (
            <Tooltip title={t("common.edit")}>
              <Button size="small" icon={<EditOutlined />} onClick={() => setDraft(block.text)} aria-label={t("common.edit")} data-testid="block-edit" />
            </Tooltip>
          )}
          <Tooltip title={t("reports.addText")}>
            <Button size="small" icon={<PlusOutlined />} onClick={onAddBelow} aria-label={t("reports.addText")} data-testid="block-add" />
          </Tooltip>
          <Tooltip title={t("common.remove")}>
            <Button size="small" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t("common.remove")} data-testid="block-remove" />
          </Tooltip>
        </div>
      )}
      <BlockContent block={block} />
    </div>
  );
}
