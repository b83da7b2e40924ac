/**
 * Dataset upload through XMLHttpRequest, the one browser API that reports upload progress.
 */
import { ApiError, buildUrl, type ApiClient } from "./client";
import type { Dataset } from "./types";

export interface UploadFields {
  teamId?: string;
  name?: string;
  description?: string;
  sheet?: string;
}

export interface UploadHandle {
  promise: Promise<Dataset>;
  abort: () => void;
}

function parseError(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code: string; message: string; details?: unknown } };
    if (body.error) return new ApiError(xhr.status, body.error.code, body.error.message, body.error.details ?? null);
  } catch {
    // not JSON
  }
  if (xhr.status === 0) return new ApiError(0, "network_error", "The upload was interrupted.");
  return new ApiError(xhr.status, "http_error", `HTTP ${xhr.status} ${xhr.statusText}`);
}

function sendOnce(
  url: string,
  token: string | null,
  file: File,
  onProgress: (loaded: number, total: number) => void,
  register: (xhr: XMLHttpRequest) => void,
): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    register(xhr);
    xhr.open("POST", url);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as Dataset);
      else reject(parseError(xhr));
    };
    xhr.onerror = () => reject(parseError(xhr));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled."));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** Upload `file`; `onProgress` gets the bytes sent. Retries once after a token refresh. */
export function uploadDataset(
  client: ApiClient,
  file: File,
  fields: UploadFields,
  onProgress: (loaded: number, total: number) => void,
): UploadHandle {
  let current: XMLHttpRequest | null = null;
  let aborted = false;
  const register = (xhr: XMLHttpRequest) => {
    current = xhr;
  };
  const url = buildUrl(client.baseUrl, "/datasets/upload", {
    team_id: fields.teamId,
    name: fields.name,
    description: fields.description,
    sheet: fields.sheet,
  });
  const run = async (): Promise<Dataset> => {
    const token = await client.freshAccessToken();
    try {
      return await sendOnce(url, token, file, onProgress, register);
    } catch (error) {
      const retry = error instanceof ApiError && error.status === 401 && !aborted && token !== null;
      if (!retry || !(await client.refresh(token))) throw error;
      return sendOnce(url, await client.freshAccessToken(), file, onProgress, register);
    }
  };
  return {
    promise: run(),
    abort: () => {
      aborted = true;
      current?.abort();
    },
  };
}
