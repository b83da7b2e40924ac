/** Edit a dataset's name, description and tags. */
import { Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { api } from "../api/instance";
import type { DatasetDetail } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { useI18n } from "../i18n/context";

interface EditValues {
  name: string;
  description: string;
  tags: string[];
}

export function EditDialog({ dataset, open, onClose, onSaved }: { dataset: DatasetDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<EditValues>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.put(`/datasets/${dataset.id}`, { name: values.name.trim(), description: values.description, tags: values.tags });
      onSaved();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t("dataset.edit")} onCancel={onClose} onOk={() => void save()} confirmLoading={busy} okText={t("common.save")} destroyOnHidden>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Form<EditValues>
        form={form}
        layout="vertical"
        initialValues={{ name: dataset.name, description: dataset.description ?? "", tags: dataset.tags }}
      >
        <Form.Item name="name" label={t("common.name")} rules={[{ required: true, message: t("auth.required") }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t("dataset.description")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="tags" label={t("dataset.tags")}>
          <Select mode="tags" tokenSeparators={[","]} open={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
