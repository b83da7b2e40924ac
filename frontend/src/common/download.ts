/** Download an authorised API resource as a file (fetch as blob, then a temporary link). */
import { api } from "../api/instance";
import type { QueryValue } from "../api/client";

/** The file name a response asks for (Content-Disposition), else `fallback`. */
export function filenameFrom(response: Response, fallback: string): string {
  const header = response.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

/** Save a response's body as a file through a temporary link. */
export async function saveResponse(response: Response, fallbackName: string): Promise<void> {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filenameFrom(response, fallbackName);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function downloadFile(path: string, query: Record<string, QueryValue>, fallbackName: string): Promise<void> {
  await api.freshAccessToken();
  const response = await api.fetchAuthorized(path, {}, query);
  await saveResponse(response, fallbackName);
}
