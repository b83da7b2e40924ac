import { describe, expect, it } from "vitest";
import { imageSource, normalizeTable } from "./outputs";

describe("normalizeTable", () => {
  it("turns the kernel shape (names, dtypes, row arrays) into objects", () => {
    const table = normalizeTable({
      type: "table",
      columns: ["city", "price"],
      dtypes: ["str", "float64"],
      rows: [
        ["Berlin", 26.7],
        ["Rome", null],
      ],
      total_rows: 3,
    });
    expect(table).toEqual({
      columns: [
        { name: "city", dtype: "str" },
        { name: "price", dtype: "float64" },
      ],
      rows: [
        { city: "Berlin", price: 26.7 },
        { city: "Rome", price: null },
      ],
      totalRows: 3,
    });
  });

  it("keeps the contract shape ({name, dtype} columns, object rows)", () => {
    const table = normalizeTable({
      type: "table",
      columns: [{ name: "n", dtype: "int64" }],
      rows: [{ n: 1 }, { n: 2 }],
    });
    expect(table).toEqual({ columns: [{ name: "n", dtype: "int64" }], rows: [{ n: 1 }, { n: 2 }], totalRows: 2 });
  });
});

describe("imageSource", () => {
  it("accepts a format or a MIME type and refuses non-images", () => {
    expect(imageSource({ type: "image", format: "png", data: "AAA" })).toBe("data:image/png;base64,AAA");
    expect(imageSource({ type: "image", mime: "image/png", data: "AAA" })).toBe("data:image/png;base64,AAA");
    expect(imageSource({ type: "image", format: "jpg", data: "B" })).toBe("data:image/jpeg;base64,B");
    expect(imageSource({ type: "image", mime: "text/html", data: "PHNjcmlwdD4=" })).toBeNull();
  });
});
