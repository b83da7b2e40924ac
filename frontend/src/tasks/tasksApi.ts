/** Task API calls: types, start, cancel, result, and the progress event stream. */
import type { ApiClient } from "../api/client";
import { readSseStream } from "../api/sse";
import type { Task, TaskCreate, TaskResult, TaskType } from "../api/types";

export function listTaskTypes(client: ApiClient, signal?: AbortSignal): Promise<TaskType[]> {
  return client.get<TaskType[]>("/tasks/types", undefined, signal);
}

export function startTask(client: ApiClient, body: TaskCreate): Promise<Task> {
  return client.post<Task>("/tasks", body);
}

export function cancelTask(client: ApiClient, taskId: string): Promise<Task> {
  return client.post<Task>(`/tasks/${taskId}/cancel`);
}

export function taskResult(client: ApiClient, taskId: string, signal?: AbortSignal): Promise<TaskResult> {
  return client.get<TaskResult>(`/tasks/${taskId}/result`, undefined, signal);
}

/**
 * Follow `GET /tasks/{id}/events` (SSE): `onUpdate` gets the task at each `progress` and at
 * `done`. Resolves with the last state seen (null if none) when the stream ends or is done;
 * rejects with ApiError when refused, or AbortError on `signal`.
 */
export async function watchTask(
  client: ApiClient,
  taskId: string,
  onUpdate: (task: Task) => void,
  signal?: AbortSignal,
): Promise<Task | null> {
  await client.freshAccessToken();
  const response = await client.fetchAuthorized(`/tasks/${taskId}/events`, {
    headers: { Accept: "text/event-stream" },
    signal,
  });
  let last: Task | null = null;
  if (!response.body) return last;
  for await (const event of readSseStream(response.body)) {
    if (event.event !== "progress" && event.event !== "done") continue;
    const task = JSON.parse(event.data) as Task;
    if (task.task_type !== undefined) {
      last = task;
      onUpdate(task);
    }
    if (event.event === "done") break;
  }
  return last;
}

const RETRY_MS = 2000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function isFinished(task: Task): boolean {
  return task.status !== "pending" && task.status !== "running";
}

/**
 * Read the task, then follow its events until it finished (a dropped stream is re-read and
 * followed again after `retryMs`). `onUpdate` gets every state; resolves with the last one.
 */
export async function followTask(
  client: ApiClient,
  taskId: string,
  onUpdate: (task: Task) => void,
  signal?: AbortSignal,
  retryMs = RETRY_MS,
): Promise<Task> {
  let current = await client.get<Task>(`/tasks/${taskId}`, undefined, signal);
  onUpdate(current);
  while (!isFinished(current) && !signal?.aborted) {
    try {
      current = (await watchTask(client, taskId, onUpdate, signal)) ?? current;
    } catch (err) {
      if (signal?.aborted) break;
      if (!(err instanceof TypeError)) throw err; // a network drop is retried, an API error is not
    }
    if (isFinished(current) || signal?.aborted) break;
    await sleep(retryMs, signal);
    current = await client.get<Task>(`/tasks/${taskId}`, undefined, signal);
    onUpdate(current);
  }
  return current;
}
