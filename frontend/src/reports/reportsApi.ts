/** Report API calls, and the export that waits for a background PDF render when there is one. */
import type { ApiClient } from "../api/client";
import type { Page, Report, ReportBlock, ReportExportFormat, ReportGenerate, ReportSummary, Task } from "../api/types";
import { followTask } from "../tasks/tasksApi";

export function listReports(client: ApiClient, limit: number, offset: number, signal?: AbortSignal): Promise<Page<ReportSummary>> {
  return client.get<Page<ReportSummary>>("/reports", { limit, offset }, signal);
}

export function getReport(client: ApiClient, reportId: string, signal?: AbortSignal): Promise<Report> {
  return client.get<Report>(`/reports/${reportId}`, undefined, signal);
}

export function generateReport(client: ApiClient, body: ReportGenerate): Promise<Report> {
  return client.post<Report>("/reports/generate", body);
}

export function updateReport(
  client: ApiClient,
  reportId: string,
  changes: { title?: string; blocks?: ReportBlock[]; is_public?: boolean },
): Promise<Report> {
  return client.put<Report>(`/reports/${reportId}`, changes);
}

export function deleteReport(client: ApiClient, reportId: string): Promise<void> {
  return client.delete(`/reports/${reportId}`);
}

/** Raised when the background render of an export did not succeed. */
export class ExportFailed extends Error {
  readonly task: Task;

  constructor(task: Task) {
    super(task.error ?? `The export ${task.status}.`);
    this.name = "ExportFailed";
    this.task = task;
  }
}

/**
 * Fetch `GET /reports/{id}/export?format=`. A 202 (a PDF rendered by a task) is followed: each
 * task state goes to `onTask`, and once the task succeeded the same URL is fetched again.
 * Resolves with the response carrying the file.
 */
export async function fetchExport(
  client: ApiClient,
  reportId: string,
  format: ReportExportFormat,
  onTask: (task: Task) => void = () => undefined,
  signal?: AbortSignal,
): Promise<Response> {
  const path = `/reports/${reportId}/export`;
  await client.freshAccessToken();
  const first = await client.fetchAuthorized(path, { signal }, { format });
  if (first.status !== 202) return first;
  const { task } = (await first.json()) as { task: Task };
  onTask(task);
  const done = await followTask(client, task.id, onTask, signal);
  if (done.status !== "succeeded") throw new ExportFailed(done);
  await client.freshAccessToken();
  return client.fetchAuthorized(path, { signal }, { format });
}
