/** What code cells and proposals inside a conversation need from it. */
import { createContext, useContext } from "react";
import type { ChatMessage } from "../api/types";

export interface ChatActions {
  conversationId: string;
  /** A cell the user (re-)ran was stored as this message. */
  onExecuted: (message: ChatMessage) => void;
  /** True while a turn streams (editing and re-running wait). */
  busy: boolean;
}

export const ChatActionsContext = createContext<ChatActions>({
  conversationId: "",
  onExecuted: () => undefined,
  busy: false,
});

export function useChatActions(): ChatActions {
  return useContext(ChatActionsContext);
}
