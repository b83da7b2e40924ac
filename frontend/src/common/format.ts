/** Display formatting for sizes, counts, dates and arbitrary cell values. */
import dayjs from "dayjs";

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return value.toLocaleString();
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "–";
  return dayjs(value).format("YYYY-MM-DD HH:mm");
}

/** A number with at most 4 significant decimals; other values as text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value.toLocaleString();
    return Number(value.toPrecision(6)).toLocaleString(undefined, { maximumFractionDigits: 4 });
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return "–";
  const pct = share * 100;
  return `${pct === 0 || pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** Compare two table cell values: numbers numerically, nulls last, the rest as text. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
