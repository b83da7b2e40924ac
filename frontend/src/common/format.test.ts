import { describe, expect, it } from "vitest";
import { compareValues, formatBytes, formatPercent } from "./format";

describe("format", () => {
  it("formats byte sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
    expect(formatBytes(null)).toBe("–");
  });

  it("formats shares as percentages", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.0123)).toBe("1.2%");
    expect(formatPercent(0.5)).toBe("50%");
  });

  it("sorts numbers numerically and nulls last", () => {
    const values = [10, null, 2, 33];
    expect([...values].sort(compareValues)).toEqual([2, 10, 33, null]);
    expect(["b10", "b9", "a"].sort(compareValues)).toEqual(["a", "b9", "b10"]);
  });
});
