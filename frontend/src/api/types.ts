/**
 * The API's types: aliases of the generated OpenAPI schema (`schema.d.ts`), plus precise shapes
 * for the free-form JSON fields (column statistics, chat outputs) the schema types as objects.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type TokenPair = Schemas["TokenPair"];
export type User = Schemas["UserOut"];
export type Team = Schemas["TeamOut"];
export type TeamDetail = Schemas["TeamDetailOut"];
export type Member = Schemas["MemberOut"];
export type TeamRole = Member["role"];
export type Dataset = Schemas["DatasetOut"];
export type DatasetDetail = Schemas["DatasetDetailOut"];
export type DatasetColumn = Schemas["ColumnOut"];
export type DatasetVersion = Schemas["VersionOut"];
export type DatasetShare = Schemas["ShareOut"];
export type DatasetSample = Schemas["SampleOut"];
export type DatasetStatus = Dataset["status"];

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type DatasetScope = "all" | "mine" | "team" | "shared" | "public";

/** `ColumnOut.statistics` as the profiler writes it. */
export interface ColumnStatistics {
  dtype?: string;
  logical_type?: string;
  null_count?: number;
  null_share?: number;
  distinct_count?: number | null;
  min?: unknown;
  max?: unknown;
  mean?: number | null;
  std?: number | null;
  quantiles?: Record<string, unknown> | null;
  histogram?: { edges: unknown[]; counts: number[] } | null;
  top_values?: { value: unknown; count: number }[];
}

/** `ColumnOut.pii`: what kind of personal data a column holds. */
export interface PiiFinding {
  kind: string;
  confidence?: number;
  [key: string]: unknown;
}

// ---- Chat (conversations API) ----

export interface StreamOutput {
  type: "stream";
  name: string;
  text: string;
}
export interface ErrorOutput {
  type: "error";
  ename: string;
  evalue: string;
  traceback?: string[] | string;
}
/** A table: columns as names (with `dtypes`) or as {name, dtype}; rows as arrays or objects. */
export interface TableOutput {
  type: "table";
  columns: (string | { name: string; dtype?: string })[];
  dtypes?: string[];
  rows: (unknown[] | Record<string, unknown>)[];
  total_rows?: number;
  truncated?: boolean;
  text?: string;
}
export interface ImageOutput {
  type: "image";
  /** "png" (contract) or a MIME type such as "image/png" (kernel). */
  format?: string;
  mime?: string;
  data: string;
}
export interface PlotlyOutput {
  type: "plotly";
  figure: { data: unknown[]; layout?: Record<string, unknown> };
}
export interface TextOutput {
  type: "text";
  text: string;
}
export interface FileOutput {
  type: "file";
  name: string;
  size?: number;
  url?: string;
}
export type OutputPart =
  | StreamOutput
  | ErrorOutput
  | TableOutput
  | ImageOutput
  | PlotlyOutput
  | TextOutput
  | FileOutput;

export type CellStatus = "ok" | "error" | "timeout" | "rejected" | "killed" | "cached" | "running";

export interface CodeCell {
  code: string;
  status: CellStatus;
  outputs: OutputPart[];
  duration_ms?: number | null;
}

export type ProposalStatus = Schemas["ProposalOut"]["status"];

/** A proposal as streamed and stored in `code_result` (a `ProposalOut` snapshot). */
export type Proposal = Pick<Schemas["ProposalOut"], "id" | "title"> &
  Partial<Omit<Schemas["ProposalOut"], "id" | "title" | "status">> & { status: ProposalStatus };

/** `MessageOut.code_result`: the cells a turn ran, its proposals and follow-ups. */
export interface CodeResult {
  /** "execute" marks code the user ran (or re-ran) directly. */
  kind?: string;
  cells?: CodeCell[];
  proposals?: Proposal[];
  suggestions?: string[];
  cached?: boolean;
  provider?: string | null;
  model?: string | null;
}

export type ChatMessage = Omit<Schemas["MessageOut"], "code_result" | "status" | "created_at"> & {
  status?: string;
  created_at?: string;
  code_result?: CodeResult | null;
};

export type Conversation = Schemas["ConversationOut"];
export type ConversationDetail = Omit<Schemas["ConversationDetailOut"], "messages"> & { messages: ChatMessage[] };

export type ExecuteResult = Omit<Schemas["ExecuteOut"], "outputs" | "message"> & {
  outputs: OutputPart[];
  message: ChatMessage;
};

export type LlmInfo = Schemas["LlmInfoOut"];

// ---- Tasks ----

export type Task = Schemas["TaskOut"];
export type TaskType = Schemas["TaskTypeOut"];
export type TaskCreate = Schemas["TaskCreateIn"];
export type TaskStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled";

/** A table in an analysis result: `{title, columns, rows}`. */
export interface ResultTable {
  title?: string;
  columns: string[];
  rows: unknown[][];
}

/** `TaskResultOut.result`: an analysis result, plus what a task adds (versions, report). */
export interface TaskResultBody {
  kind?: string;
  summary?: string;
  data?: Record<string, unknown>;
  tables?: ResultTable[];
  figures?: { data: unknown[]; layout?: Record<string, unknown> }[];
  sample_note?: string | null;
  dataset_version?: number | null;
  new_version?: number | null;
  report_id?: string;
  filename?: string;
  [key: string]: unknown;
}

export type TaskResult = Omit<Schemas["TaskResultOut"], "result"> & { result: TaskResultBody };

// ---- Reports ----

export type ReportSummary = Schemas["ReportSummaryOut"];
export type ReportGenerate = Schemas["GenerateIn"];

export interface HeadingBlock {
  type: "heading";
  text: string;
  level: number;
}
export interface MarkdownBlock {
  type: "markdown";
  text: string;
}
export interface TableBlock {
  type: "table";
  columns: string[];
  rows: unknown[][];
  total_rows?: number;
  truncated?: boolean;
}
export interface FigureBlock {
  type: "figure";
  kind: "plotly" | "image";
  figure?: { data: unknown[]; layout?: Record<string, unknown> };
  data?: string;
  caption?: string;
}
export interface CodeBlockContent {
  type: "code";
  code: string;
  language?: string;
}
/** One content block of a report (see `chatdata.reports.blocks`). */
export type ReportBlock = HeadingBlock | MarkdownBlock | TableBlock | FigureBlock | CodeBlockContent;

export type Report = Omit<Schemas["ReportOut"], "blocks"> & { blocks: ReportBlock[] };
export type ReportExportFormat = "md" | "html" | "pdf" | "ipynb";
