/**
 * Report blocks, pure: editing (text, removal, insertion, the title heading), the output-view
 * part of a table or figure block, and the messages of a conversation a report can include.
 */
import type { ChatMessage, OutputPart, ReportBlock } from "../api/types";

export type TextBlock = Extract<ReportBlock, { type: "heading" | "markdown" }>;

export function isTextBlock(block: ReportBlock): block is TextBlock {
  return block.type === "heading" || block.type === "markdown";
}

/** The index of the title heading (a leading level-1 heading), or -1. */
export function titleHeadingIndex(blocks: ReportBlock[]): number {
  const first = blocks[0];
  return first?.type === "heading" && first.level === 1 ? 0 : -1;
}

/** The blocks with the title heading (if any) renamed: exports print the blocks, not the title. */
export function retitle(blocks: ReportBlock[], title: string): ReportBlock[] {
  const index = titleHeadingIndex(blocks);
  return index < 0 ? blocks : setBlockText(blocks, index, title);
}

/** The blocks with the text of the text block at `index` replaced (others unchanged). */
export function setBlockText(blocks: ReportBlock[], index: number, text: string): ReportBlock[] {
  return blocks.map((block, i) => (i === index && isTextBlock(block) ? { ...block, text } : block));
}

export function removeBlock(blocks: ReportBlock[], index: number): ReportBlock[] {
  return blocks.filter((_, i) => i !== index);
}

/** The blocks with a new Markdown block after `index` (-1: at the start). */
export function insertTextBlock(blocks: ReportBlock[], index: number, text: string): ReportBlock[] {
  const at = Math.max(0, Math.min(blocks.length, index + 1));
  return [...blocks.slice(0, at), { type: "markdown", text }, ...blocks.slice(at)];
}

/** A table or figure block as a chat output part (for `OutputView`), or null. */
export function blockOutput(block: ReportBlock): OutputPart | null {
  if (block.type === "table") {
    return {
      type: "table",
      columns: block.columns,
      rows: block.rows,
      total_rows: block.total_rows ?? block.rows.length,
      truncated: block.truncated ?? false,
    };
  }
  if (block.type === "figure") {
    if (block.kind === "plotly" && block.figure) return { type: "plotly", figure: block.figure };
    if (block.kind === "image" && block.data) return { type: "image", format: "png", data: block.data };
  }
  return null;
}

/** A message a report can include: an answer (under the question before it) or a code run. */
export interface MessageChoice {
  id: string;
  kind: "answer" | "code";
  question: string;
  preview: string;
  tables: number;
  charts: number;
}

function outputCounts(message: ChatMessage): { tables: number; charts: number } {
  let tables = 0;
  let charts = 0;
  for (const cell of message.code_result?.cells ?? []) {
    for (const part of cell.outputs ?? []) {
      if (part.type === "table") tables += 1;
      if (part.type === "plotly" || part.type === "image") charts += 1;
    }
  }
  return { tables, charts };
}

function firstLine(text: string, limit = 160): string {
  const line = text.replace(/```[\s\S]*?```/g, "").trim().split("\n")[0]?.trim() ?? "";
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** The choosable messages, in order, as the server picks sections (`choose_sections`). */
export function messageChoices(messages: ChatMessage[]): MessageChoice[] {
  const choices: MessageChoice[] = [];
  let question = "";
  for (const message of messages) {
    const isRun = message.role === "user" && message.code_result?.kind === "execute";
    if (message.role === "user" && !isRun) {
      question = message.content.trim() || question;
    } else if (message.role === "assistant" || isRun) {
      const code = message.code_result?.cells?.[0]?.code ?? "";
      choices.push({
        id: message.id,
        kind: isRun ? "code" : "answer",
        question: isRun ? firstLine(code, 80) : question,
        preview: isRun ? "" : firstLine(message.content),
        ...outputCounts(message),
      });
    }
  }
  return choices;
}
