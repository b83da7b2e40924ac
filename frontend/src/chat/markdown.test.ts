import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown";

describe("markdown subset", () => {
  it("parses inline code, bold and italic", () => {
    expect(parseInline("Mean of `price` is **4.5** (*approx*)")).toEqual([
      { kind: "text", text: "Mean of " },
      { kind: "code", text: "price" },
      { kind: "text", text: " is " },
      { kind: "bold", text: "4.5" },
      { kind: "text", text: " (" },
      { kind: "italic", text: "approx" },
      { kind: "text", text: ")" },
    ]);
  });

  it("parses headings, lists, fenced code, tables and paragraphs", () => {
    const blocks = parseMarkdown(
      "## Result\nLine one\nline two\n\n- a\n- b\n\n1. first\n2. second\n\n```python\nx = 1\n```\n| k | v |\n|---|---|\n| a | 1 |\n",
    );
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "list", "list", "code", "table"]);
    expect(blocks[1]).toEqual({
      kind: "paragraph",
      lines: [[{ kind: "text", text: "Line one" }], [{ kind: "text", text: "line two" }]],
    });
    expect(blocks[3]).toMatchObject({ kind: "list", ordered: true });
    expect(blocks[4]).toEqual({ kind: "code", language: "python", text: "x = 1" });
    expect(blocks[5]).toEqual({
      kind: "table",
      header: [[{ kind: "text", text: "k" }], [{ kind: "text", text: "v" }]],
      rows: [[[{ kind: "text", text: "a" }], [{ kind: "text", text: "1" }]]],
    });
  });

  it("keeps HTML as plain text (nothing is interpreted as markup)", () => {
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([
      { kind: "paragraph", lines: [[{ kind: "text", text: "<script>alert(1)</script>" }]] },
    ]);
  });
});
