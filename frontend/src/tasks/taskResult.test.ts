import { describe, expect, it } from "vitest";
import { resultView } from "./taskResult";

describe("task result view", () => {
  it("turns an analysis result into tables and charts for the output views (empty tables left out)", () => {
    const view = resultView({
      kind: "describe",
      summary: " 8 rows, 3 columns. ",
      data: { rows: 8 },
      tables: [
        { title: "Numeric columns", columns: ["column", "mean"], rows: [["a", 4.5]] },
        { title: "Other columns", columns: ["column"], rows: [] },
      ],
      figures: [{ data: [{ type: "bar" }], layout: { title: "a" } }, { nonsense: true } as never],
      sample_note: null,
      dataset_version: 1,
    });
    expect(view.summary).toBe("8 rows, 3 columns.");
    expect(view.tables).toEqual([
      { title: "Numeric columns", part: { type: "table", columns: ["column", "mean"], rows: [["a", 4.5]], total_rows: 1 } },
    ]);
    expect(view.figures).toEqual([{ type: "plotly", figure: { data: [{ type: "bar" }], layout: { title: "a" } } }]);
    expect(view.details).toEqual({ rows: 8 });
    expect([view.newVersion, view.reportId]).toEqual([null, null]);
  });

  it("finds a new dataset version, a rendered report, and shows unknown results as details", () => {
    expect(resultView({ kind: "cleaning_pipeline", summary: "ok", data: {}, new_version: 3 }).newVersion).toBe(3);
    const render = resultView({ report_id: "r1", filename: "report.pdf", bytes: 1234 });
    expect(render.reportId).toBe("r1");
    expect(render.details).toEqual({ filename: "report.pdf", bytes: 1234 });
    expect(resultView({ slept: 1, attempt: 1 }).details).toEqual({ slept: 1, attempt: 1 });
    expect(resultView({ summary: "" }).summary).toBeNull();
  });
});
