/** Start a task: a dataset, a task type (from `GET /tasks/types`), and its parameters form. */
import { ArrowLeftOutlined, PlayCircleOutlined } from "@ant-design/icons";
import { Button, Card, Form, Select, Typography } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset, DatasetDetail, Page } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { PLATFORM_TYPES, taskTypeLabel, variantLabel } from "./labels";
import { ParamFields, type ColumnChoice } from "./ParamFields";
import { buildParameters, valuesFromParameters, variantFor, variantsOf, type JsonSchema } from "./paramSchema";
import { listTaskTypes, startTask } from "./tasksApi";

interface MetaValues {
  dataset_id?: string;
  task_type?: string;
  variant?: string;
  params?: Record<string, unknown>;
}

export function NewTaskPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [query] = useSearchParams();
  const location = useLocation();
  /** The parameters of a task run again, applied to the first form shown only. */
  const preset = useRef((location.state as { parameters?: Record<string, unknown> } | null)?.parameters ?? null);
  const [form] = Form.useForm<MetaValues>();
  const datasetId = Form.useWatch("dataset_id", form) as string | undefined;
  const typeName = Form.useWatch("task_type", form) as string | undefined;
  const variantKey = Form.useWatch("variant", form) as string | undefined;
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const types = useLoader((signal) => listTaskTypes(api, signal), []);
  const datasets = useLoader((signal) => api.get<Page<Dataset>>("/datasets", { status: "ready", limit: 200 }, signal), []);
  const detail = useLoader(
    (signal) => (datasetId ? api.get<DatasetDetail>(`/datasets/${datasetId}`, undefined, signal) : Promise.resolve(undefined)),
    [datasetId],
  );
  const columns: ColumnChoice[] = (detail.data?.columns ?? []).map((c) => ({ name: c.name, type: c.data_type }));
  const type = types.data?.find((tt) => tt.name === typeName);
  const variants = useMemo(() => (type ? variantsOf(type.parameters_schema as JsonSchema) : []), [type]);
  const variant = variants.find((v) => v.key === variantKey) ?? variantFor(variants, preset.current ?? {});

  useEffect(() => {
    if (variants.length > 1 && !variants.some((v) => v.key === form.getFieldValue("variant"))) {
      form.setFieldValue("variant", variantFor(variants, preset.current ?? {})?.key ?? undefined);
    }
  }, [variants, form]);

  useEffect(() => {
    if (!variant) return;
    const start = valuesFromParameters(variant, preset.current ?? {});
    preset.current = null;
    form.setFieldValue("params", Object.fromEntries(variant.fields.map((f) => [f.name, start[f.name]])));
  }, [variant, form]);

  const submit = async () => {
    setError(null);
    try {
      const values = await form.validateFields();
      if (!variant || !values.dataset_id || !values.task_type) return;
      setSubmitting(true);
      const parameters = buildParameters(variant, values.params ?? {});
      const task = await startTask(api, { task_type: values.task_type, dataset_id: values.dataset_id, parameters });
      navigate(`/tasks/${task.id}`);
    } catch (err) {
      if (!(err && typeof err === "object" && "errorFields" in err)) setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  const typeOptions = (types.data ?? [])
    .filter((tt) => !PLATFORM_TYPES.has(tt.name))
    .map((tt) => ({ value: tt.name, label: taskTypeLabel(t, tt.name) }));

  return (
    <>
      <Link to="/tasks">
        <ArrowLeftOutlined /> {t("tasks.title")}
      </Link>
      <div className="page-title-row" style={{ marginTop: 8 }}>
        <Typography.Title level={3}>{t("tasks.new")}</Typography.Title>
      </div>
      <ErrorAlert error={types.error ?? datasets.error} style={{ marginBottom: 12 }} />
      <Card style={{ maxWidth: 720 }}>
        <Form<MetaValues>
          form={form}
          layout="vertical"
          initialValues={{ dataset_id: query.get("dataset") ?? undefined, task_type: query.get("type") ?? undefined }}
          onFinish={() => void submit()}
          data-testid="new-task-form"
        >
          <Form.Item name="dataset_id" label={t("tasks.col.dataset")} rules={[{ required: true, message: t("auth.required") }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={datasets.loading}
              options={(datasets.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              placeholder={t("tasks.pickDataset")}
              data-testid="task-dataset"
            />
          </Form.Item>
          <Form.Item
            name="task_type"
            label={t("tasks.type")}
            rules={[{ required: true, message: t("auth.required") }]}
            extra={type?.description}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={types.loading}
              options={typeOptions}
              placeholder={t("tasks.pickType")}
              data-testid="task-type"
            />
          </Form.Item>
          {variants.length > 1 && (
            <Form.Item name="variant" label={t("tasks.variant")} extra={variant?.description}>
              <Select options={variants.map((v) => ({ value: v.key ?? "", label: variantLabel(v.key ?? "") }))} data-testid="task-variant" />
            </Form.Item>
          )}
          {variant && variant.fields.length > 0 && (
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t("tasks.parameters")}
            </Typography.Title>
          )}
          {variant && <ParamFields fields={variant.fields} columns={columns} prefix="params" />}
          <ErrorAlert error={error} style={{ marginBottom: 12 }} />
          <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={submitting} data-testid="start-task">
            {t("tasks.start")}
          </Button>
        </Form>
      </Card>
    </>
  );
}
