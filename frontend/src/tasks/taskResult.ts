/** Shape a task's result for display with the chat output views (pure). */
import type { PlotlyOutput, TableOutput, TaskResultBody } from "../api/types";

export interface ResultView {
  summary: string | null;
  sampleNote: string | null;
  tables: { title: string | null; part: TableOutput }[];
  figures: PlotlyOutput[];
  /** The dataset version a task created (cleaning), or null. */
  newVersion: number | null;
  /** The report a task rendered, or null. */
  reportId: string | null;
  /** The remaining figures as JSON: `data` of an analysis, else the unknown keys. */
  details: Record<string, unknown> | null;
}

const KNOWN = new Set([
  "kind",
  "summary",
  "data",
  "tables",
  "figures",
  "sample_note",
  "dataset_version",
  "new_version",
  "report_id",
]);

function isFigure(value: unknown): value is PlotlyOutput["figure"] {
  return typeof value === "object" && value !== null && Array.isArray((value as { data?: unknown }).data);
}

export function resultView(result: TaskResultBody): ResultView {
  const tables = (result.tables ?? [])
    .filter((t) => Array.isArray(t.columns) && Array.isArray(t.rows) && t.rows.length > 0)
    .map((t) => ({
      title: t.title ?? null,
      part: { type: "table", columns: t.columns, rows: t.rows, total_rows: t.rows.length } as TableOutput,
    }));
  const figures = (result.figures ?? []).filter(isFigure).map((figure): PlotlyOutput => ({ type: "plotly", figure }));
  const rest = Object.fromEntries(Object.entries(result).filter(([key]) => !KNOWN.has(key)));
  const details = result.data && Object.keys(result.data).length > 0 ? result.data : Object.keys(rest).length > 0 ? rest : null;
  return {
    summary: result.summary?.trim() || null,
    sampleNote: result.sample_note ?? null,
    tables,
    figures,
    newVersion: typeof result.new_version === "number" ? result.new_version : null,
    reportId: typeof result.report_id === "string" ? result.report_id : null,
    details,
  };
}
