/** A dataset's status as a coloured tag (with the ingest percentage while processing). */
import { CheckCircleOutlined, CloseCircleOutlined, SyncOutlined } from "@ant-design/icons";
import { Tag, Tooltip } from "antd";
import type { Dataset } from "../api/types";
import { useI18n } from "../i18n/context";

export function StatusTag({ dataset }: { dataset: Pick<Dataset, "status" | "progress" | "status_message" | "error"> }) {
  const { t } = useI18n();
  if (dataset.status === "ready") {
    return (
      <Tag color="success" icon={<CheckCircleOutlined />} data-testid="status-ready">
        {t("datasets.status.ready")}
      </Tag>
    );
  }
  if (dataset.status === "failed") {
    return (
      <Tooltip title={dataset.error}>
        <Tag color="error" icon={<CloseCircleOutlined />} data-testid="status-failed">
          {t("datasets.status.failed")}
        </Tag>
      </Tooltip>
    );
  }
  return (
    <Tooltip title={dataset.status_message}>
      <Tag color="processing" icon={<SyncOutlined spin />} data-testid="status-processing">
        {t("datasets.status.processing")} {dataset.progress}%
      </Tag>
    </Tooltip>
  );
}
