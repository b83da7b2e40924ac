/**
 * The HTTP client of the API: bearer tokens, JSON bodies, typed errors, and silent token refresh.
 *
 * On a 401 whose code is `token_expired` (or `invalid_token`) the client exchanges the refresh token once (one
 * refresh in flight, shared by every request that needs it) and retries the request. When the
 * refresh fails the tokens are dropped and `onSessionExpired` is called.
 */

export const API_PREFIX = "/api/v1";

/** 401 codes after which a refresh is worth a try. */
const REFRESHABLE_CODES = new Set(["token_expired", "invalid_token"]);

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Where the tokens live (localStorage in the browser, memory in tests). */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

/** An error answered by the API, in its `{"error": {code, message, details}}` shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without the bearer token (login, register, refresh). */
  anonymous?: boolean;
}

export interface ClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  tokens: TokenStore;
  onSessionExpired?: () => void;
  /** Seconds before expiry at which `freshAccessToken` refreshes ahead of time. */
  refreshMarginSeconds?: number;
}

/** Build `path?query` leaving out empty values. */
export function buildUrl(base: string, path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ""}`;
}

/** Seconds since the epoch at which a JWT expires, or null when it cannot be read. */
export function jwtExpiry(token: string): number | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const payload: unknown = JSON.parse(json);
    if (payload && typeof payload === "object" && "exp" in payload) {
      const exp = (payload as { exp: unknown }).exp;
      return typeof exp === "number" ? exp : null;
    }
  } catch {
    return null;
  }
  return null;
}

/** Turn any failed response into an ApiError (the API's error shape, or a generic one). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body && typeof body === "object" && "error" in body) {
    const err = (body as { error: { code?: string; message?: string; details?: unknown } }).error;
    return new ApiError(
      response.status,
      err.code ?? "error",
      err.message ?? response.statusText,
      err.details ?? null,
    );
  }
  return new ApiError(response.status, "http_error", `HTTP ${response.status} ${response.statusText}`);
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly tokens: TokenStore;
  private readonly onSessionExpired: () => void;
  private readonly refreshMargin: number;
  private refreshing: Promise<boolean> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl ?? API_PREFIX;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.tokens = options.tokens;
    this.onSessionExpired = options.onSessionExpired ?? (() => undefined);
    this.refreshMargin = options.refreshMarginSeconds ?? 30;
  }

  /** True when a refresh token is stored. */
  get signedIn(): boolean {
    return this.tokens.get() !== null;
  }

  setTokens(tokens: Tokens | null): void {
    this.tokens.set(tokens ? { access_token: tokens.access_token, refresh_token: tokens.refresh_token } : null);
  }

  /** A JSON request; resolves to the parsed body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const response = await this.send(
      buildUrl(this.baseUrl, path, options.query),
      { method, headers, body, signal: options.signal },
      options.anonymous ?? false,
    );
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, { query, signal });
  }

  post<T>(path: string, body?: unknown, query?: Record<string, QueryValue>): Promise<T> {
    return this.request<T>("POST", path, { body, query });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body });
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>("DELETE", path, {});
  }

  /**
   * A raw authorised request (for blobs and event streams): refreshes on `token_expired`,
   * throws ApiError on any other failure, and returns the successful Response unread.
   */
  async fetchAuthorized(path: string, init: RequestInit = {}, query?: Record<string, QueryValue>): Promise<Response> {
    const response = await this.send(buildUrl(this.baseUrl, path, query), init, false);
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /** An access token valid for at least the refresh margin (refreshing first if needed). */
  async freshAccessToken(): Promise<string | null> {
    const tokens = this.tokens.get();
    if (!tokens) return null;
    const exp = jwtExpiry(tokens.access_token);
    if (exp !== null && exp - Date.now() / 1000 < this.refreshMargin) {
      const ok = await this.refresh(tokens.access_token);
      return ok ? (this.tokens.get()?.access_token ?? null) : null;
    }
    return tokens.access_token;
  }

  /**
   * Exchange the refresh token. Concurrent callers share one request; a caller whose
   * access token was already replaced by someone else's refresh does not refresh again.
   */
  refresh(staleAccessToken?: string): Promise<boolean> {
    const current = this.tokens.get();
    if (!current) return Promise.resolve(false);
    if (staleAccessToken !== undefined && current.access_token !== staleAccessToken) {
      return Promise.resolve(true);
    }
    this.refreshing ??= this.doRefresh(current.refresh_token).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Forget the tokens locally and revoke the refresh token on the server. */
  async logout(): Promise<void> {
    const current = this.tokens.get();
    this.tokens.set(null);
    if (!current) return;
    try {
      await this.request("POST", "/auth/logout", {
        body: { refresh_token: current.refresh_token },
        anonymous: true,
      });
    } catch {
      // The local sign-out stands even when the server cannot be told.
    }
  }

  private async doRefresh(refreshToken: string): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetchImpl(buildUrl(this.baseUrl, "/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
    } catch {
      return false; // network trouble: keep the tokens, the next request tries again
    }
    if (!response.ok) {
      this.tokens.set(null);
      this.onSessionExpired();
      return false;
    }
    const pair = (await response.json()) as Tokens;
    this.setTokens(pair);
    return true;
  }

  private async send(url: string, init: RequestInit, anonymous: boolean): Promise<Response> {
    const attempt = (token: string | null): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (token) headers.set("Authorization", `Bearer ${token}`);
      return this.fetchImpl(url, { ...init, headers });
    };
    if (anonymous) return attempt(null);
    const token = this.tokens.get()?.access_token ?? null;
    const response = await attempt(token);
    if (response.status !== 401 || token === null) return response;
    const error = await errorFromResponse(response.clone());
    if (!REFRESHABLE_CODES.has(error.code)) return response;
    const refreshed = await this.refresh(token);
    if (!refreshed) return response;
    return attempt(this.tokens.get()?.access_token ?? null);
  }
}

/** A TokenStore over localStorage (falls back to memory when storage is unavailable). */
export function browserTokenStore(key = "chatdata.tokens"): TokenStore {
  let memory: Tokens | null = null;
  return {
    get() {
      try {
        const raw = localStorage.getItem(key);
        return raw ? (JSON.parse(raw) as Tokens) : null;
      } catch {
        return memory;
      }
    },
    set(tokens) {
      memory = tokens;
      try {
        if (tokens) localStorage.setItem(key, JSON.stringify(tokens));
        else localStorage.removeItem(key);
      } catch {
        // private mode: memory only
      }
    },
  };
}
