/**
 * The chat turn stream: SSE events of `POST /conversations/{id}/chat` decoded into typed events,
 * and a pure reducer that folds them into the live state of the turn the UI shows.
 */
import type { ApiClient } from "./client";
import { readSseStream, type SseEvent } from "./sse";
import type { CellStatus, ChatMessage, CodeCell, OutputPart, Proposal } from "./types";

export type ChatEvent =
  | { type: "message"; message: ChatMessage }
  | { type: "token"; text: string }
  | { type: "code"; step: number; code: string }
  | { type: "output"; step: number; status: CellStatus; outputs: OutputPart[]; duration_ms: number | null }
  | { type: "proposal"; proposal: Proposal }
  | { type: "error"; code: string; message: string }
  | { type: "done"; message: ChatMessage | null };

export interface LiveCell extends CodeCell {
  step: number;
}

/** What the UI shows of a turn while it streams. */
export interface LiveTurn {
  question: string;
  userMessage: ChatMessage | null;
  text: string;
  cells: LiveCell[];
  proposals: Proposal[];
  error: { code: string; message: string } | null;
  final: ChatMessage | null;
  finished: boolean;
}

export function newTurn(question: string): LiveTurn {
  return {
    question,
    userMessage: null,
    text: "",
    cells: [],
    proposals: [],
    error: null,
    final: null,
    finished: false,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** Decode one SSE event of the chat stream; unknown events and bad JSON give null. */
export function toChatEvent(sse: SseEvent): ChatEvent | null {
  let data: Record<string, unknown>;
  try {
    data = record(JSON.parse(sse.data));
  } catch {
    return null;
  }
  switch (sse.event) {
    case "message":
      return { type: "message", message: record(data.message ?? data) as unknown as ChatMessage };
    case "token":
      return { type: "token", text: typeof data.text === "string" ? data.text : "" };
    case "code":
      return { type: "code", step: num(data.step, 0), code: String(data.code ?? "") };
    case "output":
      return {
        type: "output",
        step: num(data.step, 0),
        status: (data.status as CellStatus | undefined) ?? "ok",
        outputs: Array.isArray(data.outputs) ? (data.outputs as OutputPart[]) : [],
        duration_ms: typeof data.duration_ms === "number" ? data.duration_ms : null,
      };
    case "proposal":
      return { type: "proposal", proposal: record(data.proposal ?? data) as unknown as Proposal };
    case "error":
      return {
        type: "error",
        code: String(data.code ?? "error"),
        message: String(data.message ?? "Something went wrong."),
      };
    case "done":
      return { type: "done", message: data.message ? (data.message as ChatMessage) : null };
    default:
      return null;
  }
}

function upsertCell(cells: LiveCell[], step: number, patch: Partial<LiveCell>): LiveCell[] {
  const index = cells.findIndex((cell) => cell.step === step);
  if (index === -1) {
    const cell: LiveCell = { step, code: "", status: "running", outputs: [], duration_ms: null, ...patch };
    return [...cells, cell].sort((a, b) => a.step - b.step);
  }
  return cells.map((cell, i) => (i === index ? { ...cell, ...patch } : cell));
}

/** Fold one event into the turn (never mutates the given state). */
export function applyChatEvent(turn: LiveTurn, event: ChatEvent): LiveTurn {
  switch (event.type) {
    case "message":
      return { ...turn, userMessage: event.message };
    case "token":
      return { ...turn, text: turn.text + event.text };
    case "code":
      return { ...turn, cells: upsertCell(turn.cells, event.step, { code: event.code, status: "running" }) };
    case "output":
      return {
        ...turn,
        cells: upsertCell(turn.cells, event.step, {
          status: event.status,
          outputs: event.outputs,
          duration_ms: event.duration_ms,
        }),
      };
    case "proposal":
      return {
        ...turn,
        proposals: [...turn.proposals.filter((p) => p.id !== event.proposal.id), event.proposal],
      };
    case "error":
      return { ...turn, error: { code: event.code, message: event.message } };
    case "done":
      return { ...turn, final: event.message, finished: true };
  }
}

/**
 * Send a chat message and call `onEvent` for each event as it arrives. Resolves when the
 * stream ends; rejects with ApiError when the request is refused, or AbortError on `signal`.
 */
export async function streamChat(
  client: ApiClient,
  conversationId: string,
  message: string,
  onEvent: (event: ChatEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  await client.freshAccessToken();
  const response = await client.fetchAuthorized(`/conversations/${conversationId}/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ message, code_execution: true }),
    signal,
  });
  if (!response.body) return;
  for await (const sse of readSseStream(response.body)) {
    const event = toChatEvent(sse);
    if (event) onEvent(event);
  }
}
