/** A user message bubble, or an assistant message: code cells, answer text, proposals, follow-ups. */
import { BulbOutlined, LoadingOutlined, RobotOutlined } from "@ant-design/icons";
import { Alert, Avatar, Button, Space, Tag, Typography } from "antd";
import type { LiveTurn } from "../api/chatStream";
import type { ChatMessage, CodeCell, Proposal } from "../api/types";
import { useI18n } from "../i18n/context";
import { CodeCellView } from "./CodeCellView";
import { ProposalCard } from "./ProposalCard";
import { RichText } from "./RichText";

export function UserMessage({ text }: { text: string }) {
  return (
    <div className="chat-user" data-testid="user-message">
      <div className="chat-user-bubble">{text}</div>
    </div>
  );
}

/** Code the user ran directly (an edited re-run): its cell, shown open. */
export function UserCodeMessage({ message }: { message: ChatMessage }) {
  return (
    <div className="chat-user-code" data-testid="user-code-message">
      {(message.code_result?.cells ?? []).map((cell, i) => (
        <CodeCellView key={i} cell={cell} defaultOpen />
      ))}
    </div>
  );
}

export function Suggestions({ items, onAsk, disabled }: { items: string[]; onAsk: (q: string) => void; disabled?: boolean }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <div style={{ marginTop: 8 }} data-testid="suggestions">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <BulbOutlined /> {t("chat.suggestions")}
      </Typography.Text>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 6, marginTop: 4 }}>
        {items.map((q) => (
          <Button key={q} size="small" shape="round" onClick={() => onAsk(q)} disabled={disabled} data-testid="suggestion">
            {q}
          </Button>
        ))}
      </div>
    </div>
  );
}

interface AssistantBodyProps {
  cells: CodeCell[];
  text: string;
  proposals: Proposal[];
  streaming?: boolean;
}

function AssistantBody({ cells, text, proposals, streaming = false }: AssistantBodyProps) {
  return (
    <>
      {cells.map((cell, i) => (
        <CodeCellView
          key={`${i}-${cell.code.length}`}
          cell={cell}
          step={i + 1}
          defaultOpen={streaming}
        />
      ))}
      {(text || streaming) && <RichText text={text} streaming={streaming} />}
      {proposals.map((p) => (
        <ProposalCard key={p.id} proposal={p} />
      ))}
    </>
  );
}

export function AssistantMessage({
  message,
  showSuggestions,
  onAsk,
  busy,
}: {
  message: ChatMessage;
  showSuggestions: boolean;
  onAsk: (q: string) => void;
  busy: boolean;
}) {
  const { t } = useI18n();
  const result = message.code_result ?? {};
  const failed = message.status === "error";
  return (
    <div className="chat-assistant" data-testid="assistant-message">
      <Avatar icon={<RobotOutlined />} style={{ background: "#722ed1", flex: "none" }} />
      <div className="chat-assistant-body">
        <AssistantBody
          cells={result.cells ?? []}
          text={failed ? "" : message.content}
          proposals={result.proposals ?? []}
        />
        {failed && (
          <Alert type="error" showIcon message={message.content || t("common.error")} data-testid="assistant-error" />
        )}
        <Space size={4} style={{ fontSize: 12 }}>
          {result.cached && <Tag color="cyan">{t("chat.cached")}</Tag>}
          {result.provider && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {result.provider}
              {result.model ? ` · ${result.model}` : ""}
            </Typography.Text>
          )}
        </Space>
        {showSuggestions && <Suggestions items={result.suggestions ?? []} onAsk={onAsk} disabled={busy} />}
      </div>
    </div>
  );
}

export function LiveAssistant({ turn }: { turn: LiveTurn }) {
  const { t } = useI18n();
  const nothingYet = !turn.text && turn.cells.length === 0 && !turn.error;
  return (
    <div className="chat-assistant" data-testid="live-message">
      <Avatar icon={<RobotOutlined />} style={{ background: "#722ed1", flex: "none" }} />
      <div className="chat-assistant-body">
        {nothingYet && (
          <Typography.Text type="secondary">
            <LoadingOutlined /> {t("chat.thinking")}
          </Typography.Text>
        )}
        <AssistantBody cells={turn.cells} text={turn.text} proposals={turn.proposals} streaming={!turn.finished && !nothingYet} />
        {turn.error && <Alert type="error" showIcon message={turn.error.message} description={turn.error.code} data-testid="chat-error" />}
      </div>
    </div>
  );
}
