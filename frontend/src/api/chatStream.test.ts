import { describe, expect, it } from "vitest";
import { ApiClient, type Tokens } from "./client";
import { applyChatEvent, newTurn, streamChat, toChatEvent, type ChatEvent, type LiveTurn } from "./chatStream";

const SSE_BODY = [
  'event: message\ndata: {"message":{"id":"u1","role":"user","content":"Mean price?"}}\n\n',
  'event: token\ndata: {"text":"Let me "}\n\n',
  'event: token\ndata: {"text":"check."}\n\n',
  'event: code\ndata: {"step":1,"code":"df.price.mean()"}\n\n',
  ": heartbeat\n\n",
  'event: output\ndata: {"step":1,"status":"ok","outputs":[{"type":"text","text":"4.5"}],"duration_ms":12}\n\n',
  'event: proposal\ndata: {"proposal":{"id":"p1","title":"Drop duplicates","status":"pending"}}\n\n',
  'event: done\ndata: {"message":{"id":"a1","role":"assistant","content":"The mean is 4.5."}}\n\n',
].join("");

function foldAll(events: ChatEvent[]): LiveTurn {
  return events.reduce(applyChatEvent, newTurn("Mean price?"));
}

describe("chat stream reducer", () => {
  it("builds the turn from tokens, code, outputs, proposals and done", () => {
    const events: ChatEvent[] = [
      { type: "token", text: "Let me " },
      { type: "code", step: 1, code: "df.price.mean()" },
      { type: "token", text: "check." },
      { type: "output", step: 1, status: "ok", outputs: [{ type: "text", text: "4.5" }], duration_ms: 12 },
      { type: "code", step: 2, code: "df.plot()" },
      { type: "proposal", proposal: { id: "p1", title: "Drop duplicates", status: "pending" } },
    ];
    const turn = foldAll(events);
    expect(turn.text).toBe("Let me check.");
    expect(turn.cells).toEqual([
      { step: 1, code: "df.price.mean()", status: "ok", outputs: [{ type: "text", text: "4.5" }], duration_ms: 12 },
      { step: 2, code: "df.plot()", status: "running", outputs: [], duration_ms: null },
    ]);
    expect(turn.proposals.map((p) => p.id)).toEqual(["p1"]);
    expect(turn.finished).toBe(false);
    const done = applyChatEvent(turn, { type: "done", message: { id: "a1", role: "assistant", content: "ok" } });
    expect(done.finished).toBe(true);
    expect(done.final?.id).toBe("a1");
    expect(turn.finished).toBe(false);
  });

  it("keeps an error and replaces a re-sent proposal", () => {
    const turn = foldAll([
      { type: "proposal", proposal: { id: "p1", title: "A", status: "pending" } },
      { type: "proposal", proposal: { id: "p1", title: "A", status: "accepted" } },
      { type: "error", code: "llm_unavailable", message: "The model did not answer." },
    ]);
    expect(turn.proposals).toEqual([{ id: "p1", title: "A", status: "accepted" }]);
    expect(turn.error).toEqual({ code: "llm_unavailable", message: "The model did not answer." });
  });

  it("decodes SSE events and ignores unknown ones and bad JSON", () => {
    expect(toChatEvent({ event: "token", data: '{"text":"hi"}', id: "" })).toEqual({ type: "token", text: "hi" });
    expect(toChatEvent({ event: "proposal", data: '{"id":"p2","title":"T","status":"pending"}', id: "" })).toEqual({
      type: "proposal",
      proposal: { id: "p2", title: "T", status: "pending" },
    });
    expect(toChatEvent({ event: "ping", data: "{}", id: "" })).toBeNull();
    expect(toChatEvent({ event: "token", data: "{not json", id: "" })).toBeNull();
  });
});

describe("streamChat", () => {
  it("posts the message and yields the decoded events of the stream in order", async () => {
    const requests: { url: string; body: string; accept: string | null }[] = [];
    const encoder = new TextEncoder();
    const fetchImpl: typeof fetch = async (input, init) => {
      requests.push({
        url: String(input),
        body: String(init?.body),
        accept: new Headers(init?.headers).get("Accept"),
      });
      const bytes = encoder.encode(SSE_BODY);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 37) controller.enqueue(bytes.slice(i, i + 37));
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    };
    const tokens: Tokens = { access_token: "t", refresh_token: "r" };
    const client = new ApiClient({ fetch: fetchImpl, tokens: { get: () => tokens, set: () => undefined } });
    const events: ChatEvent[] = [];
    await streamChat(client, "c1", "Mean price?", (e) => events.push(e));
    expect(requests).toEqual([
      {
        url: "/api/v1/conversations/c1/chat",
        body: '{"message":"Mean price?","code_execution":true}',
        accept: "text/event-stream",
      },
    ]);
    expect(events.map((e) => e.type)).toEqual(["message", "token", "token", "code", "output", "proposal", "done"]);
    const turn = foldAll(events);
    expect(turn.userMessage?.id).toBe("u1");
    expect(turn.text).toBe("Let me check.");
    expect(turn.cells[0]?.outputs).toEqual([{ type: "text", text: "4.5" }]);
    expect(turn.final?.content).toBe("The mean is 4.5.");
  });
});
