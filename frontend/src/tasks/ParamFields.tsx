/** The form controls of a task's parameters (from `paramSchema.ts` field specs). */
import { Form, Input, InputNumber, Select, Switch } from "antd";
import type { Rule } from "antd/es/form";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import type { FieldSpec } from "./paramSchema";

export interface ColumnChoice {
  name: string;
  type: string | null;
}

const MONO = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 13 };

function control(field: FieldSpec, columns: ColumnChoice[]): ReactNode {
  const testId = `param-${field.name}`;
  const columnOptions = columns.map((c) => ({ value: c.name, label: c.type ? `${c.name} (${c.type})` : c.name }));
  switch (field.kind) {
    case "column":
      return <Select showSearch allowClear={!field.required} options={columnOptions} data-testid={testId} />;
    case "columns":
      return <Select mode="multiple" allowClear options={columnOptions} data-testid={testId} />;
    case "enum":
      return (
        <Select
          allowClear={!field.required}
          options={(field.options ?? []).map((o) => ({ value: o, label: String(o) }))}
          data-testid={testId}
        />
      );
    case "tags":
      return <Select mode="tags" allowClear data-testid={testId} />;
    case "integer":
    case "number":
      return (
        <InputNumber
          min={field.min}
          max={field.max}
          precision={field.kind === "integer" ? 0 : undefined}
          step={field.kind === "integer" ? 1 : 0.01}
          style={{ width: "100%", maxWidth: 240 }}
          data-testid={testId}
        />
      );
    case "boolean":
      return <Switch data-testid={testId} />;
    case "json":
      return <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} spellCheck={false} style={MONO} placeholder="JSON" data-testid={testId} />;
    case "text":
      return <Input data-testid={testId} />;
  }
}

function jsonRule(message: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      if (typeof value !== "string" || value.trim() === "") return;
      try {
        JSON.parse(value);
      } catch {
        throw new Error(message);
      }
    },
  };
}

/** Form items named `[prefix, field.name]` for each field. */
export function ParamFields({ fields, columns, prefix }: { fields: FieldSpec[]; columns: ColumnChoice[]; prefix: string }) {
  const { t } = useI18n();
  return (
    <>
      {fields.map((field) => {
        const rules: Rule[] = [];
        if (field.required) rules.push({ required: true, message: t("auth.required") });
        if (field.kind === "json") rules.push(jsonRule(t("tasks.invalidJson")));
        return (
          <Form.Item
            key={field.name}
            name={[prefix, field.name]}
            label={field.label}
            extra={field.description}
            rules={rules}
            valuePropName={field.kind === "boolean" ? "checked" : "value"}
          >
            {control(field, columns)}
          </Form.Item>
        );
      })}
    </>
  );
}
