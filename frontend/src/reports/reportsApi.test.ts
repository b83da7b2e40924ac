import { describe, expect, it } from "vitest";
import { ApiClient } from "../api/client";
import type { Task } from "../api/types";
import { followTask } from "../tasks/tasksApi";
import { ExportFailed, fetchExport } from "./reportsApi";

function task(status: string, progress = 0): Task {
  return { id: "t1", task_type: "render_report", status, progress, progress_message: null, error: status === "failed" ? "Chromium crashed" : null } as Task;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function sse(events: [string, unknown][]): Response {
  const text = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");
  return new Response(text, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

/** A fake API where the first PDF export is a 202 with a render task, then the PDF. */
function fakeApi(renderEnds: string, streams: Response[][] = []) {
  const calls: string[] = [];
  let rendered = false;
  let reads = 0;
  const fetchImpl: typeof fetch = async (input) => {
    const url = new URL(String(input), "http://x");
    calls.push(url.pathname + url.search);
    if (url.pathname.endsWith("/export")) {
      if (!rendered) {
        rendered = true;
        return json(202, { task: task("pending") });
      }
      return new Response("%PDF-1.7", { status: 200, headers: { "Content-Disposition": 'attachment; filename="report.pdf"' } });
    }
    if (url.pathname.endsWith("/events")) {
      const stream = streams.shift();
      if (stream?.[0]) return stream[0];
      return sse([
        ["progress", task("running", 5)],
        ["done", task(renderEnds, 100)],
      ]);
    }
    reads += 1;
    return json(200, task(reads > 1 ? renderEnds : "pending"));
  };
  const client = new ApiClient({ baseUrl: "/api/v1", fetch: fetchImpl, tokens: { get: () => null, set: () => undefined } });
  return { client, calls };
}

describe("report export", () => {
  it("follows a background PDF render, then fetches the file", async () => {
    const { client, calls } = fakeApi("succeeded");
    const seen: string[] = [];
    const response = await fetchExport(client, "r1", "pdf", (t) => seen.push(`${t.status}:${t.progress}`));
    expect(await response.text()).toBe("%PDF-1.7");
    expect(seen).toEqual(["pending:0", "pending:0", "running:5", "succeeded:100"]);
    expect(calls).toEqual([
      "/api/v1/reports/r1/export?format=pdf",
      "/api/v1/tasks/t1",
      "/api/v1/tasks/t1/events",
      "/api/v1/reports/r1/export?format=pdf",
    ]);
  });

  it("says why when the render failed", async () => {
    const { client } = fakeApi("failed");
    await expect(fetchExport(client, "r1", "pdf")).rejects.toThrow(ExportFailed);
    await expect(fetchExport(fakeApi("failed").client, "r1", "pdf")).rejects.toThrow("Chromium crashed");
  });

  it("re-reads and follows again when the event stream ends early", async () => {
    const cut = sse([["progress", task("running", 40)]]);
    const { client, calls } = fakeApi("succeeded", [[cut]]);
    const final = await followTask(client, "t1", () => undefined, undefined, 1);
    expect(final.status).toBe("succeeded");
    expect(calls.filter((c) => c.endsWith("/events"))).toHaveLength(1);
    expect(calls.filter((c) => c === "/api/v1/tasks/t1")).toHaveLength(2);
  });
});
