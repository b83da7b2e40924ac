/**
 * A Server-Sent Events parser (the WHATWG event-stream format), free of I/O.
 *
 * Feed it text in chunks of any size with `push`; it returns the events completed so far.
 * Lines may end in LF, CRLF or CR (even when the CR and LF arrive in different chunks);
 * comment lines (starting with ":") are ignored; several `data:` lines join with "\n".
 */

export interface SseEvent {
  /** The `event:` field, or "message" when the event had none. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The last `id:` seen in the stream (it persists across events), or "". */
  id: string;
  /** The `retry:` value in ms when this event carried one. */
  retry?: number;
}

export class SseParser {
  private buffer = "";
  private pendingCR = false;
  private started = false;
  private eventName = "";
  private dataLines: string[] = [];
  private hasData = false;
  private lastId = "";
  private retry: number | undefined;

  /** Parse a chunk of text; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length === 0) return [];
    if (this.pendingCR && text.startsWith("\n")) text = text.slice(1);
    this.pendingCR = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      const line = this.buffer.slice(start, i);
      if (ch === "\r") {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === "\n") i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
      const event = this.processLine(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** End of stream: an unterminated last event is dropped, as the spec says. */
  end(): SseEvent[] {
    this.buffer = "";
    this.resetEvent();
    return [];
  }

  private processLine(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventName = value;
        break;
      case "data":
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    if (!this.hasData) {
      this.resetEvent();
      return null;
    }
    const event: SseEvent = {
      event: this.eventName || "message",
      data: this.dataLines.join("\n"),
      id: this.lastId,
    };
    if (this.retry !== undefined) event.retry = this.retry;
    this.resetEvent();
    return event;
  }

  private resetEvent(): void {
    this.eventName = "";
    this.dataLines = [];
    this.hasData = false;
    this.retry = undefined;
  }
}

/** Read a byte stream as SSE events, decoding UTF-8 across chunk boundaries. */
export async function* readSseStream(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<SseEvent, void, undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder("utf-8");
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    parser.end();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
