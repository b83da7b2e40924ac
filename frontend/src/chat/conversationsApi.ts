/** Conversation list calls (the list may come as an array or as a page). */
import { api } from "../api/instance";
import type { Conversation, Page } from "../api/types";

export async function listConversations(datasetId: string | undefined, signal?: AbortSignal): Promise<Conversation[]> {
  const result = await api.get<Conversation[] | Page<Conversation>>("/conversations", { dataset_id: datasetId, limit: 100 }, signal);
  return Array.isArray(result) ? result : result.items;
}
