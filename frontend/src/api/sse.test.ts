import { describe, expect, it } from "vitest";
import { readSseStream, SseParser, type SseEvent } from "./sse";

const STREAM =
  ": keep-alive comment\r\n" +
  "event: token\r\n" +
  'data: {"text":"Hel"}\r\n' +
  "\r\n" +
  "event: code\n" +
  "id: 7\n" +
  "data: line one\n" +
  "data:line two\n" +
  "data:  indented\n" +
  "\n" +
  "data: plain\r" +
  "\r" +
  "event: done\n" +
  "retry: 1500\n" +
  'data: {"message":{"id":"m1"}}\n' +
  "\n";

const EXPECTED: SseEvent[] = [
  { event: "token", data: '{"text":"Hel"}', id: "" },
  { event: "code", data: "line one\nline two\n indented", id: "7" },
  { event: "message", data: "plain", id: "7" },
  { event: "done", data: '{"message":{"id":"m1"}}', id: "7", retry: 1500 },
];

function parseInChunks(text: string, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    events.push(...parser.push(text.slice(start, cut)));
    start = cut;
  }
  events.push(...parser.end());
  return events;
}

describe("SseParser", () => {
  it("parses a whole stream with comments, CRLF, CR, multi-line data, id and retry", () => {
    expect(parseInChunks(STREAM, [])).toEqual(EXPECTED);
  });

  it("gives the same events whatever the chunk boundary (every single split point)", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(parseInChunks(STREAM, [cut])).toEqual(EXPECTED);
    }
  });

  it("gives the same events when fed one character at a time", () => {
    const cuts = Array.from({ length: STREAM.length }, (_, i) => i);
    expect(parseInChunks(STREAM, cuts)).toEqual(EXPECTED);
  });

  it("treats a CR at the end of a chunk and LF at the start of the next as one line end", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual([{ event: "message", data: "a", id: "" }]);
  });

  it("drops events without data, an unterminated last event, and unknown fields", () => {
    const parser = new SseParser();
    expect(parser.push("event: ping\n\nfoo: bar\ndata: x\n\n")).toEqual([
      { event: "message", data: "x", id: "" },
    ]);
    expect(parser.push("event: token\ndata: cut off")).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it("keeps an empty data line as an empty string and strips a leading BOM", () => {
    const parser = new SseParser();
    expect(parser.push("\ufeffdata\ndata:\n\n")).toEqual([
      { event: "message", data: "\n", id: "" },
    ]);
  });
});

describe("readSseStream", () => {
  it("decodes UTF-8 split inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"数据分析"}\n\n');
    const splitAt = bytes.indexOf(0xe6) + 1; // inside the first CJK character
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, splitAt));
        controller.enqueue(bytes.slice(splitAt));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of readSseStream(stream)) events.push(event);
    expect(events).toEqual([{ event: "token", data: '{"text":"数据分析"}', id: "" }]);
  });
});
