import { describe, expect, it } from "vitest";
import type { ChatMessage, ReportBlock } from "../api/types";
import { blockOutput, insertTextBlock, messageChoices, removeBlock, retitle, setBlockText, titleHeadingIndex } from "./blocks";

const BLOCKS: ReportBlock[] = [
  { type: "heading", text: "Sales", level: 1 },
  { type: "heading", text: "Executive summary", level: 2 },
  { type: "markdown", text: "Paris sells most." },
  { type: "table", columns: ["city", "n"], rows: [["Paris", 3]] },
  { type: "figure", kind: "plotly", figure: { data: [{ type: "bar" }] } },
];

describe("report blocks", () => {
  it("edits text blocks without touching the others or the input", () => {
    const edited = setBlockText(BLOCKS, 2, "Berlin sells most.");
    expect(edited[2]).toEqual({ type: "markdown", text: "Berlin sells most." });
    expect(BLOCKS[2]).toEqual({ type: "markdown", text: "Paris sells most." });
    expect(edited[3]).toBe(BLOCKS[3]);
    expect(setBlockText(BLOCKS, 3, "x")[3]).toBe(BLOCKS[3]); // a table has no text
  });

  it("renames the title heading with the title", () => {
    expect(titleHeadingIndex(BLOCKS)).toBe(0);
    expect(retitle(BLOCKS, "Q3 sales")[0]).toEqual({ type: "heading", text: "Q3 sales", level: 1 });
    const untitled = BLOCKS.slice(1);
    expect(titleHeadingIndex(untitled)).toBe(-1);
    expect(retitle(untitled, "Q3 sales")).toBe(untitled);
  });

  it("removes and inserts blocks", () => {
    expect(removeBlock(BLOCKS, 1).map((b) => b.type)).toEqual(["heading", "markdown", "table", "figure"]);
    const added = insertTextBlock(BLOCKS, 2, "Note");
    expect(added[3]).toEqual({ type: "markdown", text: "Note" });
    expect(added).toHaveLength(6);
    expect(insertTextBlock([], -1, "first")).toEqual([{ type: "markdown", text: "first" }]);
    expect(insertTextBlock(BLOCKS, 99, "last")[5]).toEqual({ type: "markdown", text: "last" });
  });

  it("shows tables and figures with the chat output views", () => {
    expect(blockOutput(BLOCKS[3] as ReportBlock)).toEqual({
      type: "table",
      columns: ["city", "n"],
      rows: [["Paris", 3]],
      total_rows: 1,
      truncated: false,
    });
    expect(blockOutput(BLOCKS[4] as ReportBlock)).toEqual({ type: "plotly", figure: { data: [{ type: "bar" }] } });
    expect(blockOutput({ type: "figure", kind: "image", data: "iVBOR" })).toEqual({ type: "image", format: "png", data: "iVBOR" });
    expect(blockOutput(BLOCKS[2] as ReportBlock)).toBeNull();
  });

  it("lists the answers and code runs a report can include, under their questions", () => {
    const chart = { code: "px.bar(df)", status: "ok" as const, outputs: [{ type: "plotly" as const, figure: { data: [] } }] };
    const messages: ChatMessage[] = [
      { id: "u1", role: "user", content: "Average price by city?" },
      {
        id: "a1",
        role: "assistant",
        content: "Paris is highest.\n```python\ndf\n```",
        code_result: { cells: [{ code: "df", status: "ok", outputs: [{ type: "table", columns: [], rows: [] }] }, chart] },
      },
      { id: "u2", role: "user", content: "px.bar(df)", code_result: { kind: "execute", cells: [chart] } },
      { id: "a2", role: "assistant", content: "Done." },
    ];
    expect(messageChoices(messages)).toEqual([
      { id: "a1", kind: "answer", question: "Average price by city?", preview: "Paris is highest.", tables: 1, charts: 1 },
      { id: "u2", kind: "code", question: "px.bar(df)", preview: "", tables: 0, charts: 1 },
      { id: "a2", kind: "answer", question: "Average price by city?", preview: "Done.", tables: 0, charts: 0 },
    ]);
  });
});
