import { describe, expect, it } from "vitest";
import { ApiClient, ApiError, buildUrl, jwtExpiry, type TokenStore, type Tokens } from "./client";

interface Call {
  url: string;
  method: string;
  auth: string | null;
  body: string | null;
}

function memoryStore(initial: Tokens | null): TokenStore & { value: Tokens | null } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (tokens: Tokens | null) => {
      store.value = tokens;
    },
  };
  return store;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function expired(): Response {
  return json(401, {
    error: { code: "token_expired", message: "Your session has expired; sign in again.", details: null },
  });
}

/** A fake API: `/items` needs the bearer token `valid`; `/auth/refresh` rotates tokens. */
function fakeServer(options: { refreshStatus?: number; refreshDelayMs?: number } = {}) {
  const calls: Call[] = [];
  let refreshCount = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    const call: Call = {
      url,
      method: init?.method ?? "GET",
      auth: headers.get("Authorization"),
      body: typeof init?.body === "string" ? init.body : null,
    };
    calls.push(call);
    if (url.endsWith("/auth/refresh")) {
      refreshCount += 1;
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      if (options.refreshStatus && options.refreshStatus !== 200) {
        return json(options.refreshStatus, {
          error: { code: "token_reused", message: "reused", details: null },
        });
      }
      return json(200, {
        access_token: "valid",
        refresh_token: `refresh-${refreshCount + 1}`,
        token_type: "bearer",
        expires_in: 900,
      });
    }
    if (url.includes("/items")) {
      if (call.auth !== "Bearer valid") return expired();
      if (call.method === "DELETE") return new Response(null, { status: 204 });
      return json(200, { items: [1, 2], url });
    }
    if (url.endsWith("/missing")) {
      return json(404, { error: { code: "not_found", message: "No such dataset.", details: { id: "x" } } });
    }
    return new Response("plain failure", { status: 502, statusText: "Bad Gateway" });
  };
  return { calls, fetchImpl, refreshes: () => refreshCount };
}

describe("ApiClient", () => {
  it("sends the bearer token and JSON body and parses the answer", async () => {
    const server = fakeServer();
    const client = new ApiClient({
      fetch: server.fetchImpl,
      tokens: memoryStore({ access_token: "valid", refresh_token: "refresh-1" }),
    });
    const result = await client.post<{ items: number[]; url: string }>("/items", { a: 1 }, { q: "x y", empty: "", n: 0 });
    expect(result.items).toEqual([1, 2]);
    expect(server.calls).toEqual([
      { url: "/api/v1/items?q=x+y&n=0", method: "POST", auth: "Bearer valid", body: '{"a":1}' },
    ]);
    expect(await client.delete("/items/1")).toBeUndefined();
  });

  it("refreshes once on token_expired and retries with the new token", async () => {
    const server = fakeServer();
    const store = memoryStore({ access_token: "old", refresh_token: "refresh-1" });
    const client = new ApiClient({ fetch: server.fetchImpl, tokens: store });
    const result = await client.get<{ items: number[] }>("/items");
    expect(result.items).toEqual([1, 2]);
    expect(server.calls.map((c) => [c.url, c.auth])).toEqual([
      ["/api/v1/items", "Bearer old"],
      ["/api/v1/auth/refresh", null],
      ["/api/v1/items", "Bearer valid"],
    ]);
    expect(server.calls[1]?.body).toBe('{"refresh_token":"refresh-1"}');
    expect(store.value).toEqual({ access_token: "valid", refresh_token: "refresh-2" });
  });

  it("shares one in-flight refresh between concurrent requests", async () => {
    const server = fakeServer({ refreshDelayMs: 20 });
    const client = new ApiClient({
      fetch: server.fetchImpl,
      tokens: memoryStore({ access_token: "old", refresh_token: "refresh-1" }),
    });
    const results = await Promise.all([client.get("/items/a"), client.get("/items/b"), client.get("/items/c")]);
    expect(results).toHaveLength(3);
    expect(server.refreshes()).toBe(1);
    const retried = server.calls.filter((c) => c.auth === "Bearer valid").map((c) => c.url).sort();
    expect(retried).toEqual(["/api/v1/items/a", "/api/v1/items/b", "/api/v1/items/c"]);
  });

  it("does not refresh again for a request that failed with a token already replaced", async () => {
    const server = fakeServer();
    const store = memoryStore({ access_token: "old", refresh_token: "refresh-1" });
    const client = new ApiClient({ fetch: server.fetchImpl, tokens: store });
    await client.get("/items/first");
    expect(await client.refresh("old")).toBe(true);
    expect(server.refreshes()).toBe(1);
  });

  it("drops the tokens and reports the expired session when the refresh is refused", async () => {
    const server = fakeServer({ refreshStatus: 401 });
    const store = memoryStore({ access_token: "old", refresh_token: "refresh-1" });
    let expiredCalls = 0;
    const client = new ApiClient({
      fetch: server.fetchImpl,
      tokens: store,
      onSessionExpired: () => {
        expiredCalls += 1;
      },
    });
    const error = await client.get("/items").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).code).toBe("token_expired");
    expect(store.value).toBeNull();
    expect(expiredCalls).toBe(1);
    expect(client.signedIn).toBe(false);
  });

  it("turns the API error shape and non-JSON failures into ApiError", async () => {
    const server = fakeServer();
    const client = new ApiClient({
      fetch: server.fetchImpl,
      tokens: memoryStore({ access_token: "valid", refresh_token: "r" }),
    });
    const notFound = (await client.get("/missing").catch((e: unknown) => e)) as ApiError;
    expect([notFound.status, notFound.code, notFound.message, notFound.details]).toEqual([
      404,
      "not_found",
      "No such dataset.",
      { id: "x" },
    ]);
    const gateway = (await client.get("/other").catch((e: unknown) => e)) as ApiError;
    expect([gateway.status, gateway.code, gateway.message]).toEqual([502, "http_error", "HTTP 502 Bad Gateway"]);
  });

  it("refreshes ahead of time when the access token is about to expire", async () => {
    const server = fakeServer();
    const soon = Math.floor(Date.now() / 1000) + 5;
    const payload = btoa(JSON.stringify({ sub: "u", exp: soon })).replace(/=+$/, "");
    const store = memoryStore({ access_token: `h.${payload}.s`, refresh_token: "refresh-1" });
    const client = new ApiClient({ fetch: server.fetchImpl, tokens: store, refreshMarginSeconds: 30 });
    expect(await client.freshAccessToken()).toBe("valid");
    expect(server.refreshes()).toBe(1);
    expect(await client.freshAccessToken()).toBe("valid");
    expect(server.refreshes()).toBe(1);
  });

  it("logs out by forgetting the tokens and revoking the refresh token", async () => {
    const server = fakeServer();
    const store = memoryStore({ access_token: "valid", refresh_token: "refresh-9" });
    const client = new ApiClient({ fetch: server.fetchImpl, tokens: store });
    await client.logout();
    expect(store.value).toBeNull();
    expect(server.calls).toEqual([
      { url: "/api/v1/auth/logout", method: "POST", auth: null, body: '{"refresh_token":"refresh-9"}' },
    ]);
  });
});

describe("helpers", () => {
  it("reads the expiry of a JWT and rejects garbage", () => {
    const payload = btoa(JSON.stringify({ exp: 1700000000 }));
    expect(jwtExpiry(`a.${payload}.b`)).toBe(1700000000);
    expect(jwtExpiry("not-a-jwt")).toBeNull();
    expect(jwtExpiry("a.!!!.b")).toBeNull();
  });

  it("builds URLs leaving out empty query values", () => {
    expect(buildUrl("/api/v1", "/datasets", { scope: "mine", q: undefined, status: null, offset: 0 })).toBe(
      "/api/v1/datasets?scope=mine&offset=0",
    );
  });
});
