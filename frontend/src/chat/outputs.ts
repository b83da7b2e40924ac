/** Normalise kernel output parts that come in more than one shape. */
import type { ImageOutput, TableOutput } from "../api/types";

export interface NormalTable {
  columns: { name: string; dtype: string }[];
  rows: Record<string, unknown>[];
  totalRows: number;
}

/** Columns as {name, dtype} and rows as objects keyed by column name. */
export function normalizeTable(part: TableOutput): NormalTable {
  const columns = part.columns.map((column, i) =>
    typeof column === "string"
      ? { name: column, dtype: part.dtypes?.[i] ?? "" }
      : { name: column.name, dtype: column.dtype ?? part.dtypes?.[i] ?? "" },
  );
  const rows = part.rows.map((row) => {
    if (!Array.isArray(row)) return row;
    const record: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      record[column.name] = row[i];
    });
    return record;
  });
  return { columns, rows, totalRows: part.total_rows ?? rows.length };
}

const SAFE_IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"]);

/** A data: URL for the image, or null for a type that is not a plain image. */
export function imageSource(part: ImageOutput): string | null {
  const raw = part.mime ?? part.format ?? "png";
  const mime = raw.includes("/") ? raw.toLowerCase() : `image/${raw.toLowerCase()}`;
  const normal = mime === "image/jpg" ? "image/jpeg" : mime === "image/svg" ? "image/svg+xml" : mime;
  return SAFE_IMAGE_TYPES.has(normal) ? `data:${normal};base64,${part.data}` : null;
}
