/**
 * Turn a task type's parameters JSON schema (pydantic's, from `GET /tasks/types`) into form
 * fields, and form values back into the `parameters` object. Pure: no React, no I/O.
 *
 * A discriminated union (`oneOf` + `discriminator`, e.g. hypothesis_test's `test`) becomes one
 * variant per choice. Strings marked `x-column` name a dataset column; anything the form cannot
 * show as a simple control (objects, tuples, unions) is edited as JSON text.
 */

export type JsonSchema = Record<string, unknown>;

export type FieldKind = "column" | "columns" | "enum" | "text" | "tags" | "integer" | "number" | "boolean" | "json";

export interface FieldSpec {
  name: string;
  label: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  options?: (string | number)[];
  default?: unknown;
  min?: number;
  max?: number;
}

export interface Variant {
  /** The discriminator's value, or null for a plain object schema. */
  key: string | null;
  label: string;
  description?: string;
  fields: FieldSpec[];
  /** Fixed values the parameters always carry (the discriminator and other `const`s). */
  constants: Record<string, unknown>;
}

/** Thrown by `buildParameters` when a JSON field does not parse. */
export class ParameterError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "ParameterError";
    this.field = field;
  }
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follow a local `$ref` ("#/$defs/Name") against the root schema. */
export function resolve(root: JsonSchema, schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = isObject(node) ? node[part] : undefined;
  return isObject(node) ? resolve(root, node) : {};
}

/** Drop a `null` branch of `anyOf` (an optional value) when one other branch remains. */
function unwrapNullable(root: JsonSchema, schema: JsonSchema): JsonSchema {
  const anyOf = schema.anyOf;
  if (!Array.isArray(anyOf)) return resolve(root, schema);
  const branches = anyOf.filter((b): b is JsonSchema => isObject(b) && b.type !== "null");
  if (branches.length !== 1 || !branches[0]) return schema;
  const rest = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "anyOf"));
  return { ...resolve(root, branches[0]), ...rest };
}

function kindOf(schema: JsonSchema): FieldKind {
  const items = isObject(schema.items) ? schema.items : null;
  switch (schema.type) {
    case "string":
      if (schema["x-column"] === true) return "column";
      return Array.isArray(schema.enum) ? "enum" : "text";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      if (schema.prefixItems !== undefined || !items) return "json";
      if (items["x-column"] === true) return "columns";
      return items.type === "string" && !Array.isArray(items.enum) ? "tags" : "json";
    default:
      return "json";
  }
}

function bound(schema: JsonSchema, inclusive: string, exclusive: string): number | undefined {
  const value = schema[inclusive] ?? schema[exclusive];
  return typeof value === "number" ? value : undefined;
}

/** "date_column" -> "Date column" (when the schema has no title). */
export function labelOf(name: string, title?: unknown): string {
  if (typeof title === "string" && title) return title[0]?.toUpperCase() + title.slice(1).toLowerCase();
  const words = name.replace(/_/g, " ");
  return words[0]?.toUpperCase() + words.slice(1);
}

function fieldOf(root: JsonSchema, name: string, raw: JsonSchema, required: boolean): FieldSpec {
  const schema = unwrapNullable(root, raw);
  const kind = kindOf(schema);
  const field: FieldSpec = { name, label: labelOf(name, schema.title), kind, required };
  if (typeof schema.description === "string") field.description = schema.description;
  if ("default" in schema && schema.default !== null) field.default = schema.default;
  if (kind === "enum") field.options = schema.enum as (string | number)[];
  const min = bound(schema, "minimum", "exclusiveMinimum");
  const max = bound(schema, "maximum", "exclusiveMaximum");
  if (min !== undefined) field.min = min;
  if (max !== undefined) field.max = max;
  return field;
}

function objectVariant(root: JsonSchema, schema: JsonSchema, key: string | null, discriminator?: string): Variant {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const constants: Record<string, unknown> = {};
  const fields: FieldSpec[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    if (!isObject(raw)) continue;
    const resolved = resolve(root, raw);
    if ("const" in resolved) {
      constants[name] = resolved.const;
      continue;
    }
    if (name === discriminator) continue;
    fields.push(fieldOf(root, name, resolved, required.has(name)));
  }
  fields.sort((a, b) => Number(b.required) - Number(a.required));
  const variant: Variant = { key, label: key ?? labelOf("parameters", schema.title), fields, constants };
  if (typeof schema.description === "string") variant.description = schema.description;
  return variant;
}

/** The forms a parameters schema allows: one per discriminated choice, or a single one. */
export function variantsOf(root: JsonSchema): Variant[] {
  const discriminator = isObject(root.discriminator) ? root.discriminator.propertyName : undefined;
  const choices = Array.isArray(root.oneOf) ? root.oneOf : Array.isArray(root.anyOf) ? root.anyOf : null;
  if (!choices || typeof discriminator !== "string") return [objectVariant(root, resolve(root, root), null)];
  return choices.filter(isObject).map((choice) => {
    const schema = resolve(root, choice);
    const properties = isObject(schema.properties) ? schema.properties : {};
    const tag = isObject(properties[discriminator]) ? properties[discriminator].const : undefined;
    const key = typeof tag === "string" ? tag : String(tag ?? "");
    return objectVariant(root, schema, key, discriminator);
  });
}

/** The form's starting values: each field's default (JSON fields as JSON text). */
export function initialValues(variant: Variant): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of variant.fields) {
    if (field.default === undefined) continue;
    values[field.name] = field.kind === "json" ? JSON.stringify(field.default) : field.default;
  }
  return values;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/**
 * The `parameters` object for the API: empty optional fields are left out (the server's defaults
 * apply), JSON fields are parsed (ParameterError names a field that does not parse), and the
 * variant's constants are added.
 */
export function buildParameters(variant: Variant, values: Record<string, unknown>): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const field of variant.fields) {
    const value = values[field.name];
    if (isEmpty(value)) continue;
    if (field.kind === "json" && typeof value === "string") {
      try {
        parameters[field.name] = JSON.parse(value);
      } catch {
        throw new ParameterError(field.name, `${field.label}: not valid JSON`);
      }
    } else {
      parameters[field.name] = typeof value === "string" ? value.trim() : value;
    }
  }
  return { ...parameters, ...variant.constants };
}

/** The variant whose constants the parameters carry (e.g. `test: "anova"`), else the first. */
export function variantFor(variants: Variant[], parameters: Record<string, unknown>): Variant | undefined {
  return variants.find((v) => Object.entries(v.constants).every(([key, value]) => parameters[key] === value)) ?? variants[0];
}

/** Form values from stored parameters (a task run again): the inverse of `buildParameters`. */
export function valuesFromParameters(variant: Variant, parameters: Record<string, unknown>): Record<string, unknown> {
  const values = initialValues(variant);
  for (const field of variant.fields) {
    const value = parameters[field.name];
    if (value === undefined || value === null) continue;
    values[field.name] = field.kind === "json" ? JSON.stringify(value) : value;
  }
  return values;
}
