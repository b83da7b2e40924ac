/**
 * One conversation: its messages, the live streamed turn, the composer with send / stop,
 * follow-up suggestions, and the header actions (rename, export notebook, restart kernel, delete).
 */
import {
  CodeOutlined,
  DeleteOutlined,
  DownloadOutlined,
  FileTextOutlined,
  MoreOutlined,
  ReloadOutlined,
  SendOutlined,
  StopOutlined,
} from "@ant-design/icons";
import { Alert, App, Button, Dropdown, Input, Spin, Tooltip, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { applyChatEvent, newTurn, streamChat, type LiveTurn } from "../api/chatStream";
import { api } from "../api/instance";
import type { ChatMessage, Conversation, ConversationDetail, ExecuteResult } from "../api/types";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { downloadFile } from "../common/download";
import { useI18n } from "../i18n/context";
import { CreateReportDialog } from "../reports/CreateReportDialog";
import { ChatActionsContext, type ChatActions } from "./chatContext";
import { AssistantMessage, LiveAssistant, Suggestions, UserCodeMessage, UserMessage } from "./MessageView";

interface Props {
  datasetId: string;
  conversationId: string | null;
  /** A new conversation was created for the first question. */
  onCreated: (conversation: Conversation) => void;
  onChanged: () => void;
  onDeleted: () => void;
}

export function ConversationView({ datasetId, conversationId, onCreated, onChanged, onDeleted }: Props) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [activeId, setActiveId] = useState<string | null>(conversationId);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const [input, setInput] = useState("");
  const [codeMode, setCodeMode] = useState(false);
  const [runningCode, setRunningCode] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const streaming = live !== null;

  const load = useCallback(async (id: string) => {
    setLoading(true);
    try {
      const conv = await api.get<ConversationDetail>(`/conversations/${id}`);
      setConversation(conv);
      setMessages(conv.messages);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (conversationId === activeId && (conversation !== null || conversationId === null)) return;
    abortRef.current?.abort();
    setActiveId(conversationId);
    setLive(null);
    setSendError(null);
    setConversation(null);
    setMessages([]);
    if (conversationId) void load(conversationId);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversationId]);

  useEffect(() => () => abortRef.current?.abort(), []);

  useEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages, live]);

  /** The open conversation's id, creating the conversation on the first message. */
  const ensureConversation = async (title: string): Promise<string | null> => {
    if (activeId) return activeId;
    try {
      const created = await api.post<Conversation>("/conversations", { dataset_id: datasetId, title: title.slice(0, 80) });
      setActiveId(created.id);
      setConversation(created);
      onCreated(created);
      return created.id;
    } catch (err) {
      setSendError(err);
      return null;
    }
  };

  const runCode = async (source: string) => {
    const code = source.trim();
    if (!code || streaming || runningCode) return;
    setSendError(null);
    const id = await ensureConversation(code.split("\n")[0] ?? code);
    if (!id) return;
    setRunningCode(true);
    try {
      const result = await api.post<ExecuteResult>(`/conversations/${id}/execute`, { code });
      setMessages((list) => [...list, result.message]);
      setInput("");
    } catch (err) {
      setSendError(err);
    } finally {
      setRunningCode(false);
    }
  };

  const send = async (question: string) => {
    const text = question.trim();
    if (!text || streaming || runningCode) return;
    setSendError(null);
    setInput("");
    const id = await ensureConversation(text);
    if (!id) {
      setInput(text);
      return;
    }
    const controller = new AbortController();
    abortRef.current = controller;
    let turn = newTurn(text);
    setLive(turn);
    const conversationIdNow = id;
    try {
      await streamChat(
        api,
        conversationIdNow,
        text,
        (event) => {
          turn = applyChatEvent(turn, event);
          setLive(turn);
        },
        controller.signal,
      );
    } catch (err) {
      if (!controller.signal.aborted) setSendError(err);
    }
    if (abortRef.current === controller) abortRef.current = null;
    if (turn.finished && turn.final) {
      const user: ChatMessage = turn.userMessage ?? { id: `local-${Date.now()}`, role: "user", content: text };
      const final = turn.final;
      setMessages((list) => [...list, user, final]);
      setLive(null);
      onChanged();
    } else {
      if (turn.error) setSendError(new Error(turn.error.message));
      if (controller.signal.aborted) void message.info(t("chat.stopped"));
      setLive(null);
      await load(conversationIdNow);
    }
  };

  const stop = () => {
    if (activeId) api.post(`/conversations/${activeId}/kernel/interrupt`).catch(() => undefined);
    abortRef.current?.abort();
  };

  const rename = async (title: string) => {
    if (!activeId || !title.trim()) return;
    try {
      const updated = await api.patch<Conversation>(`/conversations/${activeId}`, { title: title.trim() });
      setConversation((c) => (c ? { ...c, title: updated.title ?? title.trim() } : c));
      onChanged();
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  const actions = async (key: string) => {
    if (!activeId) return;
    try {
      if (key === "ipynb" || key === "py") {
        await downloadFile(`/conversations/${activeId}/code`, { format: key }, `conversation.${key}`);
      } else if (key === "restart") {
        await api.post(`/conversations/${activeId}/kernel/restart`);
        void message.success(t("chat.kernelRestarted"));
      } else if (key === "delete") {
        modal.confirm({
          title: t("conv.deleteConfirm"),
          okButtonProps: { danger: true },
          okText: t("common.delete"),
          cancelText: t("common.cancel"),
          onOk: async () => {
            await api.delete(`/conversations/${activeId}`);
            void message.success(t("conv.deleted"));
            onDeleted();
          },
        });
      }
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  const lastAssistant = [...messages].reverse().find((m) => m.role === "assistant");
  const chatActions: ChatActions = {
    conversationId: activeId ?? "",
    busy: streaming,
    onExecuted: (stored) => setMessages((list) => [...list, stored]),
  };
  const starters = [t("chat.starter.describe"), t("chat.starter.missing"), t("chat.starter.chart")];

  return (
    <div className="chat-main" data-testid="conversation-view">
      <div style={{ display: "flex", alignItems: "center", gap: 8, padding: "8px 16px", borderBottom: "1px solid #f0f0f0" }}>
        <Typography.Text
          strong
          ellipsis
          style={{ flex: 1, minWidth: 0 }}
          editable={activeId && !streaming ? { onChange: (v) => void rename(v), triggerType: ["icon"] } : false}
        >
          {conversation?.title || t("conv.untitled")}
        </Typography.Text>
        {activeId && (
          <>
            <Button
              size="small"
              icon={<FileTextOutlined />}
              onClick={() => setReportOpen(true)}
              disabled={streaming || messages.length === 0}
              data-testid="create-report"
            >
              <span className="hide-on-phone">{t("reports.create")}</span>
            </Button>
            <Button size="small" icon={<DownloadOutlined />} onClick={() => void actions("ipynb")} data-testid="export-notebook">
              <span className="hide-on-phone">{t("chat.exportNotebook")}</span>
            </Button>
            <Dropdown
              trigger={["click"]}
              menu={{
                onClick: ({ key }) => void actions(key),
                items: [
                  { key: "py", icon: <DownloadOutlined />, label: t("chat.exportPython") },
                  { key: "restart", icon: <ReloadOutlined />, label: t("chat.restartKernel"), disabled: streaming },
                  { type: "divider" },
                  { key: "delete", icon: <DeleteOutlined />, label: t("common.delete"), danger: true, disabled: streaming },
                ],
              }}
            >
              <Button size="small" icon={<MoreOutlined />} aria-label={t("common.actions")} />
            </Dropdown>
          </>
        )}
      </div>
      <div className="chat-messages" ref={scrollRef} data-testid="chat-messages">
        {loading && <Spin style={{ display: "block", margin: 24 }} />}
        <ErrorAlert error={loadError} />
        <ChatActionsContext.Provider value={chatActions}>
        {messages.map((m) =>
          m.role === "user" && m.code_result?.kind === "execute" ? (
            <UserCodeMessage key={m.id} message={m} />
          ) : m.role === "user" ? (
            <UserMessage key={m.id} text={m.content} />
          ) : m.role === "assistant" ? (
            <AssistantMessage
              key={m.id}
              message={m}
              showSuggestions={m === lastAssistant && !streaming}
              onAsk={(q) => void send(q)}
              busy={streaming}
            />
          ) : null,
        )}
        {live && (
          <>
            <UserMessage text={live.question} />
            <LiveAssistant turn={live} />
          </>
        )}
        </ChatActionsContext.Provider>
        {!loading && messages.length === 0 && !live && (
          <div style={{ padding: "24px 0" }}>
            <Typography.Paragraph type="secondary">{t("conv.pick")}</Typography.Paragraph>
            <Suggestions items={starters} onAsk={(q) => void send(q)} />
          </div>
        )}
        {sendError !== null && (
          <ErrorAlert error={sendError} style={{ marginTop: 8 }} />
        )}
      </div>
      {streaming && live && !live.finished && live.cells.some((c) => c.status === "running") && (
        <Alert type="info" banner showIcon={false} message={t("chat.thinking")} style={{ padding: "2px 16px" }} />
      )}
      {activeId && (
        <CreateReportDialog
          open={reportOpen}
          conversationId={activeId}
          defaultTitle={conversation?.title ?? ""}
          messages={messages}
          onClose={() => setReportOpen(false)}
        />
      )}
      <div className="chat-composer">
        <Tooltip title={t("chat.codeMode")}>
          <Button
            type={codeMode ? "primary" : "default"}
            ghost={codeMode}
            icon={<CodeOutlined />}
            aria-pressed={codeMode}
            aria-label={t("chat.codeMode")}
            onClick={() => setCodeMode(!codeMode)}
            data-testid="code-mode"
          />
        </Tooltip>
        <Input.TextArea
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder={codeMode ? t("chat.codePlaceholder") : t("chat.placeholder")}
          autoSize={{ minRows: 1, maxRows: codeMode ? 14 : 6 }}
          spellCheck={!codeMode}
          style={codeMode ? { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 13 } : undefined}
          onPressEnter={(e) => {
            if (e.nativeEvent.isComposing) return;
            if (codeMode) {
              if (e.ctrlKey || e.metaKey) {
                e.preventDefault();
                void runCode(input);
              }
            } else if (!e.shiftKey) {
              e.preventDefault();
              void send(input);
            }
          }}
          data-testid="chat-input"
        />
        {streaming ? (
          <Button danger icon={<StopOutlined />} onClick={stop} data-testid="chat-stop">
            {t("chat.stop")}
          </Button>
        ) : codeMode ? (
          <Button type="primary" icon={<CodeOutlined />} onClick={() => void runCode(input)} loading={runningCode} disabled={!input.trim()} data-testid="chat-run">
            <span className="hide-on-phone">{t("chat.rerun")}</span>
          </Button>
        ) : (
          <Button type="primary" icon={<SendOutlined />} onClick={() => void send(input)} disabled={!input.trim() || runningCode} data-testid="chat-send">
            <span className="hide-on-phone">{t("chat.send")}</span>
          </Button>
        )}
      </div>
    </div>
  );
}
