import { describe, expect, it } from "vitest";
import {
  buildParameters,
  initialValues,
  labelOf,
  ParameterError,
  valuesFromParameters,
  variantFor,
  variantsOf,
  type JsonSchema,
} from "./paramSchema";

const column = { maxLength: 255, minLength: 1, type: "string", "x-column": true };

/** As pydantic writes DescribeParams. */
const DESCRIBE: JsonSchema = {
  additionalProperties: false,
  properties: {
    columns: {
      anyOf: [{ items: column, type: "array" }, { type: "null" }],
      default: null,
      description: "All columns if omitted.",
      title: "Columns",
    },
    bins: { default: 30, maximum: 200, minimum: 2, title: "Bins", type: "integer" },
  },
  title: "DescribeParams",
  type: "object",
};

/** As pydantic writes a discriminated union (a part of hypothesis_test). */
const HYPOTHESIS: JsonSchema = {
  $defs: {
    NormalityParams: {
      properties: {
        test: { const: "normality", title: "Test", type: "string" },
        column: { ...column, title: "Column" },
        alpha: { default: 0.05, exclusiveMaximum: 0.5, exclusiveMinimum: 0, title: "Alpha", type: "number" },
      },
      required: ["test", "column"],
      type: "object",
    },
    ABTestParams: {
      description: "A/B test.",
      properties: {
        test: { const: "ab_test", title: "Test", type: "string" },
        kind: { default: "auto", enum: ["auto", "conversion", "mean"], title: "Kind", type: "string" },
        group: { ...column, title: "Group" },
        control: { title: "Control", type: "string" },
        treatment: { title: "Treatment", type: "string" },
      },
      required: ["test", "group", "control", "treatment"],
      type: "object",
    },
  },
  discriminator: { mapping: {}, propertyName: "test" },
  oneOf: [{ $ref: "#/$defs/NormalityParams" }, { $ref: "#/$defs/ABTestParams" }],
};

describe("parameter schemas", () => {
  it("reads a plain object: optional column lists, bounded integers, defaults", () => {
    const [variant, ...rest] = variantsOf(DESCRIBE);
    expect(rest).toHaveLength(0);
    expect(variant?.key).toBeNull();
    expect(variant?.fields).toEqual([
      { name: "columns", label: "Columns", kind: "columns", required: false, description: "All columns if omitted." },
      { name: "bins", label: "Bins", kind: "integer", required: false, default: 30, min: 2, max: 200 },
    ]);
  });

  it("splits a discriminated union into variants, required fields first", () => {
    const variants = variantsOf(HYPOTHESIS);
    expect(variants.map((v) => v.key)).toEqual(["normality", "ab_test"]);
    const ab = variants[1];
    expect(ab?.description).toBe("A/B test.");
    expect(ab?.constants).toEqual({ test: "ab_test" });
    expect(ab?.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["group", "column", true],
      ["control", "text", true],
      ["treatment", "text", true],
      ["kind", "enum", false],
    ]);
    expect(ab?.fields[3]?.options).toEqual(["auto", "conversion", "mean"]);
    const alpha = variants[0]?.fields.find((f) => f.name === "alpha");
    expect([alpha?.min, alpha?.max]).toEqual([0, 0.5]);
  });

  it("edits tuples, objects and unions as JSON text", () => {
    const schema: JsonSchema = {
      properties: {
        order: { default: [1, 1, 1], prefixItems: [{ type: "integer" }], type: "array" },
        steps: { items: { type: "object" }, type: "array" },
        hyper: { anyOf: [{ type: "object" }, { type: "null" }], default: null },
      },
      required: ["steps"],
      type: "object",
    };
    const [variant] = variantsOf(schema);
    expect(variant?.fields.map((f) => [f.name, f.kind])).toEqual([
      ["steps", "json"],
      ["order", "json"],
      ["hyper", "json"],
    ]);
    expect(variant && initialValues(variant)).toEqual({ order: "[1,1,1]" });
  });

  it("builds parameters: empty optionals left out, JSON parsed, constants added", () => {
    const ab = variantsOf(HYPOTHESIS)[1];
    if (!ab) throw new Error("no variant");
    expect(buildParameters(ab, { group: "city", control: " A ", treatment: "B", kind: "" })).toEqual({
      group: "city",
      control: "A",
      treatment: "B",
      test: "ab_test",
    });
    const [describeForm] = variantsOf(DESCRIBE);
    if (!describeForm) throw new Error("no variant");
    expect(buildParameters(describeForm, { columns: [], bins: 12 })).toEqual({ bins: 12 });

    const [json] = variantsOf({ properties: { steps: { type: "array", items: { type: "object" } } }, type: "object" });
    if (!json) throw new Error("no variant");
    expect(buildParameters(json, { steps: '[{"op": "deduplicate"}]' })).toEqual({ steps: [{ op: "deduplicate" }] });
    expect(() => buildParameters(json, { steps: "[{op}]" })).toThrow(ParameterError);
  });

  it("fills the form back from stored parameters (run again)", () => {
    const variants = variantsOf(HYPOTHESIS);
    const stored = { test: "ab_test", group: "city", control: "A", treatment: "B", kind: "mean" };
    const ab = variantFor(variants, stored);
    expect(ab?.key).toBe("ab_test");
    expect(variantFor(variants, {})?.key).toBe("normality");
    if (!ab) throw new Error("no variant");
    const values = valuesFromParameters(ab, stored);
    expect(values).toEqual({ group: "city", control: "A", treatment: "B", kind: "mean" });
    expect(buildParameters(ab, values)).toEqual(stored);
    const [json] = variantsOf({ properties: { order: { prefixItems: [], type: "array" } }, type: "object" });
    if (!json) throw new Error("no variant");
    expect(valuesFromParameters(json, { order: [1, 0, 1] })).toEqual({ order: "[1,0,1]" });
  });

  it("labels fields from their title or name", () => {
    expect(labelOf("date_column")).toBe("Date column");
    expect(labelOf("max_rows", "Max Rows")).toBe("Max rows");
  });
});
